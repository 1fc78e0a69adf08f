// Lenses over networks (who is attached, flags) and services (their networks, whom they reach by name).
import * as vscode from 'vscode';
import type { Analysis } from '../compose/analyze';
import { networkDriver } from '../compose/stack';
import type { ContainerSummary } from '../engine/model';
import { COMMANDS } from './commandIds';
import { toLocation, toRange } from './convert';
import { SETTLE_WAIT_MS, type ComposeProjects } from './projects';
import { lensEnabled } from './settings';

const MAX_NAMES = 5;

function list(names: string[]): string {
  return names.length <= MAX_NAMES ? names.join(', ') : `${names.slice(0, MAX_NAMES).join(', ')} +${names.length - MAX_NAMES}`;
}

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
    // After the edit's diagnostics (this thread's analysis of a large project would hold them up on every keystroke).
    await this.projects.whenSettled(doc, SETTLE_WAIT_MS, token);
    if (token?.isCancellationRequested) return [];
    const analysis = this.projects.analysisFor(doc);
    const running = lensEnabled('services') ? await this.containers().catch((): ContainerSummary[] => []) : [];
    return [...(lensEnabled('networks') ? this.networkLenses(doc, analysis) : []), ...(lensEnabled('services') ? this.serviceLenses(doc, analysis, running) : [])];
  }

  private networkLenses(doc: vscode.TextDocument, { project, topology }: Analysis): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    for (const sym of project.networkSymbols) {
      if (sym.kind !== 'declaration' || sym.span.file !== doc.fileName) continue;
      const range = toRange(project, sym.span);
      const services = topology.servicesOn(sym.network);
      const refs = project.networkSymbols.filter((s) => s.kind === 'reference' && s.network === sym.network).map((s) => toLocation(project, s.span));
      lenses.push(
        new vscode.CodeLens(range, {
          title: services.length ? `${services.length} service${services.length > 1 ? 's' : ''}: ${list(services)}` : 'no services',
          command: refs.length ? 'editor.action.showReferences' : '',
          arguments: refs.length ? [doc.uri, range.start, refs] : [],
          tooltip: `Services attached to network "${sym.network}"`,
        }),
      );
      const decl = project.networks.get(sym.network);
      if (!decl) continue;
      const flags = [
        decl.external ? `external${decl.externalName ? ` (${decl.externalName.value})` : ''}` : undefined,
        decl.internal ? 'internal: no way out' : undefined,
        `driver ${networkDriver(decl, project.isStack)}`,
        ...decl.ipam.flatMap((c) => (c.subnet ? [`subnet ${c.subnet.value}`] : [])),
        decl.enableIpv6 ? 'IPv6' : undefined,
      ].filter((x): x is string => !!x);
      lenses.push(new vscode.CodeLens(range, { title: flags.join(' · '), command: '' }));
      lenses.push(new vscode.CodeLens(range, { title: 'Show in diagram', command: COMMANDS.showDiagram, arguments: [doc.uri], tooltip: 'Open the tier diagram of this compose project' }));
      const engineName = decl.externalName?.value ?? decl.name;
      const snapshot = this.projects.engineSnapshot;
      if (decl.external && snapshot && !decl.externalName?.unknown && !snapshot.networkNames.includes(engineName)) {
        lenses.push(new vscode.CodeLens(range, { title: `Create network "${engineName}"`, command: COMMANDS.createNetwork, arguments: [{ name: engineName, driver: 'bridge' }], tooltip: 'It is declared external but does not exist on the engine' }));
      }
    }
    return lenses;
  }

  private serviceLenses(doc: vscode.TextDocument, { project, topology }: Analysis, containers: ContainerSummary[]): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    for (const sym of project.serviceSymbols) {
      if (sym.span.file !== doc.fileName || !project.services.has(sym.service)) continue;
      const name = sym.service;
      const mode = topology.mode(name);
      const owner = topology.namespaceOwner(name);
      const where =
        mode === 'networks'
          ? `${owner ? `in the namespace of ${owner}, ` : ''}networks: ${topology.networksOf(name).join(', ')}`
          : `network_mode ${project.services.get(name)!.networkMode?.value ?? mode}`;
      const reaches = [...project.services.keys()].filter((other) => other !== name && topology.canReach(name, other));
      const title = `${where} · reaches ${reaches.length ? list(reaches) : 'no service'} by name`;
      lenses.push(new vscode.CodeLens(toRange(project, sym.span), { title, command: '', tooltip: `Services "${name}" can resolve and reach by name` }));
      const container = containers.find((c) => c.composeProject === project.name && c.composeService === name && c.state === 'running');
      if (container) lenses.push(new vscode.CodeLens(toRange(project, sym.span), { title: 'Ping…', command: COMMANDS.ping, arguments: [{ from: container.name }], tooltip: `Ping from ${container.name}` }));
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
    this.subscription.dispose();
  }
}
