// Lenses over networks (who is attached, flags) and services (their networks, whom they reach by name).
// What they say comes with the diagnostics from the analysis worker (compose/lenses.ts): this thread adds "Ping…"
// over the services that run.
import * as vscode from 'vscode';
import type { ContainerSummary } from '../engine/model';
import type { WireLens } from '../worker/protocol';
import { COMMANDS } from './commandIds';
import { fromWireRange } from './convert';
import { SETTLE_WAIT_MS, type ComposeProjects } from './projects';
import { lensEnabled } from './settings';

export class ComposeCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly projects: ComposeProjects,
    /** The engine's containers when it answers (the view's cached state), for "Ping…" over running services. */
    private readonly containers: () => Promise<ContainerSummary[]>,
  ) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('dockerNetworking.codeLens')) this.changed.fire();
    });
  }

  /** The engine or its facts changed: running containers and missing networks may differ. */
  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(doc: vscode.TextDocument, token?: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    // After the edit's diagnostics, whose analysis brings the lenses' text along.
    const view = await this.projects.settledView(doc, SETTLE_WAIT_MS, token);
    if (!view) return [];
    const { details } = view;
    const networks = lensEnabled('networks');
    const services = lensEnabled('services');
    const running = services ? await this.containers().catch((): ContainerSummary[] => []) : [];
    const lenses: vscode.CodeLens[] = [];
    for (const lens of details.lenses) {
      if (lens.kind === 'service-reach' ? !services : !networks) continue;
      lenses.push(...this.toCodeLenses(doc, lens, details.projectName, running));
    }
    return lenses;
  }

  private toCodeLenses(doc: vscode.TextDocument, lens: WireLens, projectName: string, running: ContainerSummary[]): vscode.CodeLens[] {
    const range = fromWireRange(lens.range);
    switch (lens.kind) {
      case 'network-services': {
        // The worker's locations as they are: made into Locations only when the lens is clicked (showLocations), not
        // for each of a file's lenses after each edit.
        const refs = lens.references ?? [];
        return [
          new vscode.CodeLens(range, {
            title: lens.title ?? '',
            command: refs.length ? COMMANDS.showLocations : '',
            arguments: refs.length ? [doc.uri, range.start, refs] : [],
            tooltip: `Services attached to network "${lens.network}"`,
          }),
        ];
      }
      case 'network-flags':
        return [new vscode.CodeLens(range, { title: lens.title ?? '', command: '' })];
      case 'diagram':
        return [new vscode.CodeLens(range, { title: 'Show in diagram', command: COMMANDS.showDiagram, arguments: [doc.uri], tooltip: 'Open the tier diagram of this compose project' })];
      case 'create-network':
        return [new vscode.CodeLens(range, { title: `Create network "${lens.name}"`, command: COMMANDS.createNetwork, arguments: [{ name: lens.name, driver: 'bridge' }], tooltip: 'It is declared external but does not exist on the engine' })];
      case 'service-reach': {
        const out = [new vscode.CodeLens(range, { title: lens.title ?? '', command: '', tooltip: `Services "${lens.service}" can resolve and reach by name` })];
        const container = running.find((c) => c.composeProject === projectName && c.composeService === lens.service && c.state === 'running');
        if (container) out.push(new vscode.CodeLens(range, { title: 'Ping…', command: COMMANDS.ping, arguments: [{ from: container.name }], tooltip: `Ping from ${container.name}` }));
        return out;
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
    this.subscription.dispose();
  }
}
