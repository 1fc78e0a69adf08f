// Findings as diagnostics: per project, debounced while typing, in the file where each problem is written.
import * as fs from 'fs';
import * as vscode from 'vscode';
import { fromWireLocation, fromWireRange } from './convert';
import { isComposeDocument, TYPING_PAUSE_MS, type BackgroundAnalysis, type ComposeProjects } from './projects';
import { ruleSeverities, SECTION, type SeveritySetting } from './settings';

export const DIAGNOSTIC_SOURCE = 'Docker Networking';

const SEVERITY: Record<Exclude<SeveritySetting, 'off'>, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export class ComposeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('docker-networking');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** How long the worker's analysis of each file's project took lately (a moving average), in ms. */
  private readonly analysisMs = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Files each analysed project published to, so a fixed problem disappears from every file. */
  private readonly published = new Map<string, Set<string>>();
  /**
   * What the collection holds for each file, as text: an analysis that finds the same (an edit that changed no
   * finding and moved none) publishes nothing, and the workbench has nothing to take in (about 200 KB and a
   * renderer's redraw for 300 diagnostics).
   */
  private readonly shown = new Map<string, string>();
  private readonly analyzed = new vscode.EventEmitter<vscode.Uri[]>();
  /** Analysis failures already shown to the user. */
  private readonly reported = new Set<string>();
  private ruleLines: Map<string, number> | undefined;
  /** One Uri per rule, made once: each diagnostic carries it, and a Uri caches its string form. */
  private readonly ruleLinks = new Map<string, vscode.Uri>();
  /** Fires with the files whose diagnostics were just published (tests and benchmarks wait on it). */
  readonly onDidPublish = this.analyzed.event;

  constructor(
    private readonly projects: ComposeProjects,
    private readonly docsUri: vscode.Uri,
  ) {
    this.disposables.push(
      this.collection,
      this.analyzed,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        this.projects.invalidate(e.document.fileName);
        // Diagnostics appear once typing has paused for TYPING_PAUSE_MS. The analysis starts earlier, by about the
        // time it took lately (at most half the pause), so that they are ready then; its answer waits for the pause
        // and is dropped if a key was typed meanwhile.
        const lead = Math.min(TYPING_PAUSE_MS / 2, this.analysisMs.get(e.document.fileName) ?? 0);
        this.schedule(e.document, TYPING_PAUSE_MS - lead, Date.now() + TYPING_PAUSE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.projects.invalidate(d.fileName);
        this.collection.delete(d.uri);
        this.shown.delete(d.fileName);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION)) this.refreshAll();
      }),
      projects.onDidChange(() => this.refreshAll()),
    );
    this.refreshAll();
  }

  refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** Analyses `doc` after `delay`; with `notBefore`, publishes no earlier than then (see onDidChangeTextDocument). */
  private schedule(doc: vscode.TextDocument, delay: number, notBefore?: number): void {
    if (!isComposeDocument(doc)) return;
    const key = doc.fileName;
    this.projects.expectAnalysis(key);
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!doc.isClosed) void this.publish(doc, notBefore);
        else this.projects.analyzeSkipped(key);
      }, delay),
    );
  }

  /**
   * Analyses the document's project in the analysis worker (the extension host's thread neither analyses nor reads
   * files, so typing never waits) and publishes diagnostics for every open file of it. A result that a newer edit
   * superseded is dropped.
   */
  async publish(doc: vscode.TextDocument, notBefore?: number): Promise<void> {
    let analysis: BackgroundAnalysis | undefined;
    const version = doc.version;
    try {
      const started = Date.now();
      analysis = await this.projects.analyzeInBackground(doc);
      const took = Date.now() - started;
      const before = this.analysisMs.get(doc.fileName);
      if (analysis) this.analysisMs.set(doc.fileName, before === undefined ? took : 0.7 * before + 0.3 * took);
      if (analysis && notBefore !== undefined) {
        // Started before the pause was over: publish when it is, and only if no key was typed since.
        const wait = notBefore - Date.now();
        if (wait > 0 && doc.version === version) await new Promise((resolve) => setTimeout(resolve, wait));
        if (doc.version !== version) return;
      }
    } catch (err) {
      // The analyzer is meant never to throw (or run past the worker's deadline); if it does, say so once per file
      // and problem rather than on every keystroke.
      const message = `Docker Networking could not analyze ${doc.fileName}: ${(err as Error).message}`;
      if (!this.reported.has(message)) void vscode.window.showErrorMessage(message);
      this.reported.add(message);
      return;
    }
    if (!analysis || doc.isClosed) return; // superseded by a newer edit: its own run publishes
    const severities = ruleSeverities();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    // One Uri per file: related locations mostly point into the same file, and a Uri caches its string form, which
    // sending the diagnostics to the workbench asks for each time.
    const uris = new Map<string, vscode.Uri>();
    const uriOf = (file: string) => {
      let uri = uris.get(file);
      if (!uri) uris.set(file, (uri = vscode.Uri.file(file)));
      return uri;
    };
    for (const f of analysis.findings) {
      const setting = severities[f.rule] ?? f.severity;
      if (setting === 'off') continue;
      const d = new vscode.Diagnostic(fromWireRange(f.range), f.message, SEVERITY[setting] ?? SEVERITY[f.severity]);
      d.source = DIAGNOSTIC_SOURCE;
      d.code = { value: f.rule, target: this.ruleLink(f.rule) };
      d.relatedInformation = f.related.map((r) => new vscode.DiagnosticRelatedInformation(fromWireLocation(r, uriOf), r.message));
      const list = byFile.get(f.file);
      if (list) list.push(d);
      else byFile.set(f.file, [d]);
    }
    const key = analysis.files.join('\n');
    const files = new Set([...analysis.files, ...(this.published.get(key) ?? [])]);
    const publishedUris: vscode.Uri[] = [];
    for (const file of files) {
      const uri = uriOf(file);
      const open = vscode.workspace.textDocuments.some((d) => d.fileName === file);
      if (open) {
        const list = byFile.get(file) ?? [];
        const signature = diagnosticsText(list);
        if (this.shown.get(file) !== signature) this.collection.set(uri, list);
        this.shown.set(file, signature);
      } else {
        this.collection.delete(uri);
        this.shown.delete(file);
      }
      publishedUris.push(uri);
    }
    this.published.set(key, new Set(byFile.keys()));
    this.analyzed.fire(publishedUris);
  }

  /**
   * The rule's section in docs/rules.md. Editors ignore a `#rule-id` fragment on a file (it opened at line 1);
   * the workbench's opener reads `#L<line>` as the place to open, so link to the heading's line.
   */
  ruleLink(rule: string): vscode.Uri {
    if (!this.ruleLines) {
      this.ruleLines = new Map();
      try {
        fs.readFileSync(this.docsUri.fsPath, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            const heading = /^#{2,4}\s+`?([\w-]+)`?\s*$/.exec(line);
            if (heading) this.ruleLines!.set(heading[1], i + 1);
          });
      } catch {
        // Not readable (a web extension host): fall back to the anchor.
      }
    }
    let link = this.ruleLinks.get(rule);
    if (!link) {
      const line = this.ruleLines.get(rule);
      this.ruleLinks.set(rule, (link = this.docsUri.with({ fragment: line ? `L${line}` : rule })));
    }
    return link;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.disposables.forEach((d) => d.dispose());
  }
}

/** Everything a diagnostic shows, as one text: two lists with the same text look the same in the workbench. */
function diagnosticsText(list: readonly vscode.Diagnostic[]): string {
  const range = (r: vscode.Range) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
  const parts: string[] = [];
  for (const d of list) {
    const code = typeof d.code === 'object' ? `${d.code.value} ${d.code.target.toString()}` : String(d.code);
    parts.push(`${range(d.range)} ${d.severity} ${code} ${d.source} ${JSON.stringify(d.message)} ${d.tags?.join(',') ?? ''}`);
    for (const r of d.relatedInformation ?? []) parts.push(`  ${r.location.uri.toString()} ${range(r.location.range)} ${JSON.stringify(r.message)}`);
  }
  return parts.join('\n');
}
