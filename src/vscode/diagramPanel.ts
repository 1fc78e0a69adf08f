// The tier diagram panel: follows the active compose file, re-renders within 300 ms of typing,
// reveals definitions on click, highlights the service under the cursor, and overlays live container state.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { Analysis } from '../compose/analyze';
import { entrySpan } from '../compose/edits';
import { layoutProject } from '../diagram/layout';
import { renderSvg } from '../diagram/svg';
import type { EngineClient } from '../engine/client';
import { EngineError } from '../engine/errors';
import { isWebviewToHost, type BoundPort, type HostToWebview, type LiveRate, type LiveService, type ObservedFlow, type WebviewToHost } from '../shared/protocol';
import type { FlowComparison } from '../traffic/flowsVsModel';
import { formatRate, rateText } from '../traffic/rates';
import { isWildcard } from '../traffic/sockets';
import type { LiveRates } from './liveRates';
import { toRange } from './convert';
import { isComposeDocument, type ComposeProjects } from './projects';

const UPDATE_DEBOUNCE_MS = 120;
/** Observed edges drawn at most (a recording of a huge project stays drawable). */
const MAX_FLOWS = 500;

export class DiagramPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private doc: vscode.TextDocument | undefined;
  private analysis: Analysis | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly rendered = new vscode.EventEmitter<Extract<WebviewToHost, { type: 'rendered' }>>();
  /** Fires each time the webview has drawn a new picture (tests wait on it). */
  readonly onDidRender = this.rendered.event;
  private readonly overlaid = new vscode.EventEmitter<Extract<WebviewToHost, { type: 'overlaid' }>>();
  /** Fires each time the webview has applied a live overlay, or shown that it is unavailable. */
  readonly onDidOverlay = this.overlaid.event;
  private readonly flowsShown = new vscode.EventEmitter<Extract<WebviewToHost, { type: 'flowsShown' }>>();
  /** Fires each time the webview has drawn a recording's observed flows. */
  readonly onDidShowFlows = this.flowsShown.event;
  /** The last recording per compose project name, drawn whenever that project's diagram is shown. */
  private readonly recorded = new Map<string, Extract<HostToWebview, { type: 'flows' }>>();
  private panelDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly projects: ComposeProjects,
    private readonly engine: () => EngineClient,
    /** Live rates per container and network; sampled while the panel is visible too. */
    private readonly rates: () => LiveRates | undefined = () => undefined,
  ) {
    this.disposables.push(
      this.rendered,
      this.overlaid,
      this.flowsShown,
      vscode.workspace.onDidChangeConfiguration((e) => {
        // The extension swaps its engine client in its own listener: look again once that has run.
        if (e.affectsConfiguration('dockerNetworking.dockerHost')) setTimeout(() => this.refreshOverlay(), 0);
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (this.panel && e && isComposeDocument(e.document) && e.document !== this.doc) this.follow(e.document, 0);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.panel && e.document === this.doc) this.follow(e.document, UPDATE_DEBOUNCE_MS);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (this.panel && e.textEditor.document === this.doc) void this.post({ type: 'highlight', service: this.serviceAt(e.textEditor.document, e.selections[0].active) });
      }),
    );
  }

  /** Opens (or reveals) the panel on a compose document. */
  show(doc: vscode.TextDocument): void {
    if (!this.panel) this.panel = this.createPanel();
    else this.panel.reveal(vscode.ViewColumn.Beside, true);
    this.follow(doc, 0);
  }

  /** Shows a recording's observed flows on the diagram of `project` (now if it is open, else when it opens). */
  showFlows(project: string, comparison: FlowComparison, seconds: number): void {
    const flows: ObservedFlow[] = [
      ...comparison.unexpected.map((f) => ({ from: f.from, to: f.to, protocol: f.protocol, port: f.port, packets: f.packets, bytes: f.bytes, unexpected: true })),
      ...comparison.expected.map((f) => ({ from: f.from, to: f.to, protocol: f.protocol, port: f.port, packets: f.packets, bytes: f.bytes, unexpected: false })),
    ].slice(0, MAX_FLOWS);
    const message: HostToWebview = { type: 'flows', flows, seconds };
    this.recorded.set(project, message);
    if (this.panel && this.analysis?.project.name === project) void this.post(message);
  }

  /** Re-reads the live overlay (the engine changed). */
  refreshOverlay(): void {
    if (this.panel && this.analysis) void this.sendOverlay(this.analysis);
  }

  private createPanel(): vscode.WebviewPanel {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel('dockerNetworking.diagram', 'Network Tiers', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [media, dist],
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'network.svg');
    panel.webview.html = this.html(panel.webview, vscode.Uri.joinPath(dist, 'webview.js'));
    panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m), undefined, this.disposables);
    // Live rates sample while the diagram is visible (as for the Networks view); each new sample redraws the overlay.
    const rates = this.rates();
    rates?.setVisible(true, 'diagram');
    this.panelDisposables = [
      panel.onDidChangeViewState((e) => rates?.setVisible(e.webviewPanel.visible, 'diagram')),
      ...(rates ? [rates.onDidChange(() => panel.visible && this.refreshOverlay())] : []),
    ];
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.doc = undefined;
      rates?.setVisible(false, 'diagram');
      this.panelDisposables.forEach((d) => d.dispose());
      this.panelDisposables = [];
    }, undefined, this.disposables);
    return panel;
  }

  private html(webview: vscode.Webview, script: vscode.Uri): string {
    const nonce = crypto.randomBytes(16).toString('base64');
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `img-src ${webview.cspSource} data: blob:`,
      `font-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Network Tiers</title>
<style nonce="${nonce}">
  html, body { height: 100%; margin: 0; padding: 0; overflow: hidden; background: var(--vscode-editor-background); color: var(--vscode-foreground); font-family: var(--vscode-font-family); }
  /* A narrow editor (a split) wraps the toolbar onto a second row; the canvas takes what is left, so nothing is clipped. */
  body { display: flex; flex-direction: column; }
  #toolbar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; padding: 6px 10px; border-bottom: 1px solid var(--vscode-panel-border, transparent); }
  #toolbar vscode-single-select { width: 200px; }
  #status { margin-left: auto; color: var(--vscode-descriptionForeground); font-size: 12px; overflow-wrap: anywhere; }
  #live { color: var(--vscode-editorWarning-foreground); font-size: 12px; }
  #live[hidden] { display: none; }
  #canvas { position: relative; flex: 1; min-height: 0; overflow: hidden; cursor: grab; }
  #stage { transform-origin: 0 0; }
</style>
</head>
<body>
<div id="toolbar" role="toolbar" aria-label="Diagram tools">
  <vscode-button id="zoom-in" secondary aria-label="Zoom in" title="Zoom in (+)">+</vscode-button>
  <vscode-button id="zoom-out" secondary aria-label="Zoom out" title="Zoom out (-)">−</vscode-button>
  <vscode-button id="fit" secondary aria-label="Fit to window" title="Fit (0)">Fit</vscode-button>
  <vscode-single-select id="filter" aria-label="Show one network"></vscode-single-select>
  <vscode-button id="export-svg" secondary aria-label="Export as SVG">Export SVG</vscode-button>
  <vscode-button id="export-png" secondary aria-label="Export as PNG">Export PNG</vscode-button>
  <span id="status" role="status" aria-live="polite"></span>
  <span id="live" role="status" aria-live="polite" hidden></span>
</div>
<div id="canvas" tabindex="-1"><div id="stage" role="group" aria-label="Network tier diagram"></div></div>
<script nonce="${nonce}" src="${webview.asWebviewUri(script)}"></script>
</body>
</html>`;
  }

  private follow(doc: vscode.TextDocument, delay: number): void {
    this.doc = doc;
    if (this.panel) this.panel.title = `Network Tiers: ${vscode.workspace.asRelativePath(doc.uri)}`;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.renderNow(doc), delay);
  }

  private async renderNow(doc: vscode.TextDocument): Promise<void> {
    try {
      const analysis = this.projects.analysisFor(doc);
      this.analysis = analysis;
      const layout = layoutProject(analysis);
      const networksOf = Object.fromEntries([...analysis.project.services.keys()].map((s) => [s, analysis.topology.networksOf(s)]));
      await this.post({ type: 'render', file: vscode.workspace.asRelativePath(doc.uri), svg: renderSvg(layout, 'vscode'), networks: layout.networks.map((n) => n.name), networksOf });
      void this.sendOverlay(analysis);
      const flows = this.recorded.get(analysis.project.name);
      if (flows) await this.post(flows);
    } catch (err) {
      await this.post({ type: 'error', message: `Could not draw ${doc.fileName}: ${(err as Error).message}` });
    }
  }

  /** When the project runs: each service's container state and its address on each network. */
  private async sendOverlay(analysis: Analysis): Promise<void> {
    let containers: Awaited<ReturnType<EngineClient['listContainers']>>;
    try {
      containers = await this.engine().listContainers();
    } catch (err) {
      const where = err instanceof EngineError ? ` (cannot reach ${err.problem.endpoint.display})` : '';
      await this.post({ type: 'overlay', services: {}, unavailable: `Live state unavailable${where}` });
      return;
    }
    // Null-prototype records: a service named `__proto__` is a key like any other.
    const services: Record<string, LiveService> = Object.create(null) as Record<string, LiveService>;
    const rates: Record<string, Record<string, LiveRate>> = Object.create(null) as Record<string, Record<string, LiveRate>>;
    const live = this.rates();
    const prefix = `${analysis.project.name}_`;
    for (const c of containers) {
      if (c.composeProject !== analysis.project.name || !c.composeService) continue;
      const addresses: Record<string, string> = {};
      const onNetworks: Record<string, LiveRate> = {};
      for (const e of c.endpoints) {
        const key = e.networkName.startsWith(prefix) ? e.networkName.slice(prefix.length) : e.networkName;
        if (e.ipv4) addresses[key] = e.ipv4;
        const rate = live?.rateOf(c.id, e.networkName);
        if (rate) onNetworks[key] = { rx: rate.rx, tx: rate.tx, text: rateText(rate), total: formatRate(rate.rx + rate.tx) };
      }
      services[c.composeService] = { state: c.state, addresses };
      if (Object.keys(onNetworks).length) rates[c.composeService] = onNetworks;
    }
    // What the project really exposes on the engine's host, as bound (the Host card marks every-interface bindings).
    const bound: BoundPort[] = containers
      .filter((c) => c.composeProject === analysis.project.name && c.state === 'running')
      .flatMap((c) => (c.published ?? []).map((p) => ({ port: p.hostPort, protocol: p.protocol, hostIp: p.hostIp, allInterfaces: isWildcard(p.hostIp) })));
    await this.post({ type: 'overlay', services, ...(Object.keys(rates).length ? { rates } : {}), ...(bound.length ? { bound } : {}) });
  }

  private serviceAt(doc: vscode.TextDocument, position: vscode.Position): string | null {
    const project = this.analysis?.project;
    if (!project) return null;
    const offset = doc.offsetAt(position);
    for (const svc of project.services.values()) {
      const extent = entrySpan(svc.nameSpan.file, svc.pair);
      if (extent.file === doc.fileName && offset >= extent.start && offset <= extent.end) return svc.name;
    }
    return null;
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!isWebviewToHost(raw)) return; // ignore anything malformed
    const m = raw;
    switch (m.type) {
      case 'ready':
        if (this.doc) this.follow(this.doc, 0);
        break;
      case 'rendered':
        this.rendered.fire(m);
        break;
      case 'overlaid':
        this.overlaid.fire(m);
        break;
      case 'flowsShown':
        this.flowsShown.fire(m);
        break;
      case 'reveal':
        await this.reveal(m.kind, m.name);
        break;
      case 'export':
        await this.export(m.format, m.data);
        break;
    }
  }

  private async reveal(kind: 'service' | 'network', name: string): Promise<void> {
    const project = this.analysis?.project;
    if (!project) return;
    const span =
      kind === 'service'
        ? project.serviceSymbols.find((s) => s.service === name)?.span
        : project.networkSymbols.find((s) => s.kind === 'declaration' && s.network === name)?.span;
    if (!span) return;
    const doc = await vscode.workspace.openTextDocument(span.file);
    const range = toRange(project, span);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: range });
  }

  private async export(format: 'svg' | 'png', data: string): Promise<void> {
    const base = this.doc ? this.doc.uri.with({ path: this.doc.uri.path.replace(/\.ya?ml$/, `.tiers.${format}`) }) : undefined;
    const target = await vscode.window.showSaveDialog({ defaultUri: base, filters: format === 'svg' ? { SVG: ['svg'] } : { PNG: ['png'] }, title: `Export the diagram as ${format.toUpperCase()}` });
    if (!target) return;
    const bytes = format === 'svg' ? Buffer.from(data, 'utf8') : Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64');
    if (target.scheme === 'file') fs.writeFileSync(target.fsPath, bytes);
    else await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Exported the diagram to ${vscode.workspace.asRelativePath(target)}.`);
  }

  private async post(m: HostToWebview): Promise<void> {
    await this.panel?.webview.postMessage(m);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
    this.panelDisposables.forEach((d) => d.dispose());
    this.disposables.forEach((d) => d.dispose());
  }
}
