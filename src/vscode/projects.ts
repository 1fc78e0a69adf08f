// Which compose project a document belongs to, and its analysis, kept current as the user types.
// The extension host's thread never reads a compose, .env, include or extends file: the analysis worker reads
// them (regular files only, within the size cap) and hands back what it read; analyses here replay those reads.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { analyze, type Analysis } from '../compose/analyze';
import { defaultProjectFiles, FileReadError, type ProjectHost } from '../compose/project';
import { STACK_MODES, type StackMode } from '../compose/stack';
import type { EngineSnapshot } from '../compose/types';
import { checkedOpenText, editorDetails, wireFindings } from '../worker/analysis';
import { AnalysisClient } from '../worker/client';
import type { DiskRead, EditorDetails, WireFinding } from '../worker/protocol';
import { composeFileGlobs, SECTION } from './settings';

/** File names Compose itself looks for, their overrides, and the `compose.<env>.yaml` family. */
const COMPOSE_NAME = /^(docker-)?compose(\.[\w-]+)*\.ya?ml$/;

export function isComposeDocument(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return false;
  if (COMPOSE_NAME.test(path.basename(doc.fileName))) return true;
  const globs = composeFileGlobs();
  return globs.length > 0 && vscode.languages.match(globs.map((pattern) => ({ pattern })), doc) > 0;
}

const openDocument = (filePath: string) => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.fileName === filePath);

/** Compose profiles analyzed as active (`dockerNetworking.compose.profiles`); empty: COMPOSE_PROFILES. */
function profilesSetting(): string[] {
  const p = vscode.workspace.getConfiguration(SECTION).get<unknown>('compose.profiles', []);
  return Array.isArray(p) ? p.filter((x): x is string => typeof x === 'string') : [];
}

/** Stack semantics (`dockerNetworking.compose.stackMode`): auto (detected from `deploy:`), always or never. */
function stackModeSetting(): StackMode {
  const m = vscode.workspace.getConfiguration(SECTION).get<unknown>('compose.stackMode', 'auto');
  return STACK_MODES.includes(m as StackMode) ? (m as StackMode) : 'auto';
}

/** The size cap for files the analysis reads (`dockerNetworking.maxFileSize`, in MB). */
function maxFileBytes(): number {
  const mb = vscode.workspace.getConfiguration(SECTION).get<number>('maxFileSize', 8);
  return Math.max(0, Number.isFinite(mb) ? mb : 8) * 1024 * 1024;
}

/** The worker's analysis of a project: diagnostics-ready findings, computed off the extension host's thread. */
export interface BackgroundAnalysis {
  /** Every file of the project (include and extends targets too). */
  files: string[];
  findings: WireFinding[];
}

/** What the code lenses and quick fixes of one version of a file show. */
export interface EditorView {
  findings: WireFinding[];
  details: EditorDetails;
}

/** Diagnostics wait for this pause in typing before they analyse (the debounce). */
export const TYPING_PAUSE_MS = 150;
/** How long a provider waits for that (whenSettled) before it answers anyway. */
export const SETTLE_WAIT_MS = 2_000;

export class ComposeProjects implements vscode.Disposable {
  private readonly cache = new Map<string, Analysis>();
  /** When each file last changed in the editor, and the worker's analyses under way: see whenSettled. */
  private readonly lastChange = new Map<string, number>();
  private readonly running = new Set<Promise<unknown>>();
  /** Files whose diagnostics run is scheduled and not yet answered (see expectAnalysis). */
  private readonly expected = new Set<string>();
  /** What the worker last read from disk, by file: the only disk content analyses on this thread see. */
  private readonly disk = new Map<string, DiskRead>();
  /** Projects analysed here before the worker had read all their files: re-announced once it has. */
  private readonly incomplete = new Map<string, Set<string>>();
  private readonly worker = new AnalysisClient(path.join(__dirname, 'analysisWorker.js'));
  /** Per open file, what its lenses and quick fixes show, for one version of it (see editorView). */
  private readonly views = new Map<string, EditorView & { version: number; files: string[] }>();
  /** Counts edits, engine and setting changes: a worker answer is kept as a view only if nothing changed meanwhile. */
  private generation = 0;
  private engine: EngineSnapshot | undefined;

  constructor() {
    this.worker.prestart(); // the extension activates for compose files: the worker will be needed at once
  }

  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when analyses may have changed without a document change (engine state). */
  readonly onDidChange = this.changed.event;
  /** The profiles setting changes which services exist: every analysis is redone. */
  private readonly profilesWatch = vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration(`${SECTION}.compose.profiles`) && !e.affectsConfiguration(`${SECTION}.compose.stackMode`)) return;
    this.cache.clear();
    this.views.clear();
    this.generation++;
    this.changed.fire();
  });

  get engineSnapshot(): EngineSnapshot | undefined {
    return this.engine;
  }

  setEngineSnapshot(snapshot: EngineSnapshot | undefined): void {
    if (JSON.stringify(snapshot) === JSON.stringify(this.engine)) return;
    this.engine = snapshot;
    this.cache.clear();
    this.views.clear();
    this.generation++;
    this.changed.fire();
  }

  /** Open editors first (unsaved text is what the user sees), then what the worker read from disk. */
  private readonly host: ProjectHost = {
    exists: (filePath) => {
      if (openDocument(filePath)) return true;
      const read = this.disk.get(filePath);
      return read ? read.kind !== 'missing' : fs.existsSync(filePath); // a stat: never blocks, even on a FIFO
    },
    readFile: (filePath) => {
      const open = openDocument(filePath);
      if (open) return checkedOpenText(filePath, open.getText(), maxFileBytes());
      const read = this.disk.get(filePath);
      if (!read) {
        this.unread?.add(filePath);
        return undefined;
      }
      if (read.kind === 'refused') throw new FileReadError(read.message);
      return read.kind === 'text' ? read.text : undefined;
    },
  };
  /** Files an analysis on this thread needed that the worker has not read yet. */
  private unread: Set<string> | undefined;

  /** The files of the project a document belongs to, in Compose's merge order. */
  projectFiles(doc: vscode.TextDocument): string[] {
    const file = doc.fileName;
    const dir = path.dirname(file);
    const discovered = defaultProjectFiles(dir, this.host, process.env);
    if (discovered.includes(file)) return discovered;
    if (discovered.length && COMPOSE_NAME.test(path.basename(file))) {
      // compose.prod.yaml next to compose.yaml: used as `-f compose.yaml -f compose.prod.yaml`.
      const siblings = discovered.map((d) => path.basename(d).replace(/(\.override)?\.ya?ml$/, ''));
      if (siblings.some((stem) => path.basename(file).startsWith(`${stem}.`))) return [discovered[0], file];
    }
    // A file that the discovered project reads through extends or include belongs to that project.
    if (discovered.length && this.analyzeFiles(dir, discovered).project.files.has(file)) return discovered;
    return [file];
  }

  /** The current analysis of the document's project (recomputed when any of its files changed). */
  analysisFor(doc: vscode.TextDocument): Analysis {
    const files = this.projectFiles(doc);
    return this.analyzeFiles(path.dirname(files[0]), files);
  }

  /**
   * The analysis once the worker has read every file it needs (a document just opened may name files not read yet):
   * for commands that must not act on a partial project. Providers pass `maxWaitMs` to answer in time regardless.
   */
  async analysisReady(doc: vscode.TextDocument, maxWaitMs = Infinity): Promise<Analysis> {
    const end = Date.now() + maxWaitMs;
    for (let round = 0; round < 3; round++) {
      const files = this.projectFiles(doc);
      const a = this.analyzeFiles(path.dirname(files[0]), files);
      if (!this.incomplete.has(files.join('\n'))) return a;
      // A failed, superseded or slow run leaves the project as read so far: still an answer, never an exception.
      const left = end - Date.now();
      if (left <= 0) break;
      const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), Math.min(left, 2 ** 31 - 1)));
      const outcome = await Promise.race([this.analyzeInBackground(doc).catch(() => 'failed' as const), timer]);
      if (outcome === 'failed' || outcome === 'late') break;
    }
    return this.analysisFor(doc);
  }

  /** Forget analyses that read this file. */
  invalidate(filePath: string): void {
    this.lastChange.set(filePath, Date.now());
    this.generation++;
    for (const [key, a] of this.cache) if (a.project.files.has(filePath) || key.includes(filePath)) this.cache.delete(key);
    for (const [file, view] of this.views) if (file === filePath || view.files.includes(filePath)) this.views.delete(file);
  }

  /**
   * The diagnostics have scheduled an analysis of this file in the worker: providers wait for it (whenSettled)
   * rather than analyse on this thread meanwhile (a large file just opened would hold the extension host up).
   */
  expectAnalysis(filePath: string): void {
    this.expected.add(filePath);
  }

  /** The scheduled analysis will not run (the document closed). */
  analyzeSkipped(filePath: string): void {
    this.expected.delete(filePath);
  }

  /**
   * Resolves once typing in the document has paused and the worker's analyses have answered (at most `maxWaitMs`):
   * providers that need this thread's own analysis (code lenses, quick fixes) run it after the diagnostics of the
   * edit are out, not before them on every keystroke (on a large project that analysis takes a while).
   */
  async whenSettled(doc: vscode.TextDocument, maxWaitMs: number, token?: vscode.CancellationToken): Promise<void> {
    const end = Date.now() + maxWaitMs;
    for (;;) {
      const now = Date.now();
      if (token?.isCancellationRequested || now >= end) return;
      const quietFor = now - (this.lastChange.get(doc.fileName) ?? 0);
      if (quietFor > TYPING_PAUSE_MS && this.running.size === 0 && !this.expected.has(doc.fileName)) {
        // The worker's answer is published through a chain of promise callbacks: let them run first.
        await new Promise((resolve) => setImmediate(resolve));
        if (this.running.size === 0) return;
        continue;
      }
      // Just past the diagnostics' own timer (so their analysis is under way by then), or the next answer.
      const wait = Math.min(end - now, quietFor <= TYPING_PAUSE_MS ? TYPING_PAUSE_MS - quietFor + 10 : 100);
      await Promise.race([new Promise((resolve) => setTimeout(resolve, wait)), ...[...this.running].map((p) => p.catch(() => undefined))]);
    }
  }

  /**
   * The findings (quick fixes by title) and code lenses of the document as it is now: the worker's, computed with its
   * diagnostics, when they are of this version; else from this thread's analysis (a file of the project that is not
   * the one being edited, or before the first answer).
   */
  editorView(doc: vscode.TextDocument): EditorView {
    const view = this.currentView(doc);
    if (view) return view;
    const a = this.analysisFor(doc);
    const made = { findings: wireFindings(a), details: editorDetails(a, doc.fileName, this.engine), version: doc.version, files: [...a.project.files.keys()] };
    this.views.set(doc.fileName, made);
    return made;
  }

  /** The view kept for the document's current version (engine and setting changes clear them all), if any. */
  private currentView(doc: vscode.TextDocument): EditorView | undefined {
    const view = this.views.get(doc.fileName);
    return view && view.version === doc.version ? view : undefined;
  }

  /**
   * The editor view once typing has paused and the worker has answered (whenSettled): the worker's when it is of the
   * version then current; an edit that landed meanwhile is waited for too (its diagnostics bring its view), up to
   * `maxWaitMs`. Undefined when cancelled.
   */
  async settledView(doc: vscode.TextDocument, maxWaitMs: number, token?: vscode.CancellationToken): Promise<EditorView | undefined> {
    const end = Date.now() + maxWaitMs;
    for (;;) {
      const changedAt = this.lastChange.get(doc.fileName);
      await this.whenSettled(doc, Math.max(0, end - Date.now()), token);
      if (token?.isCancellationRequested) return undefined;
      if (this.currentView(doc) || this.lastChange.get(doc.fileName) === changedAt || Date.now() >= end) return this.editorView(doc);
    }
  }

  private analyzeFiles(dir: string, files: string[]): Analysis {
    const key = files.join('\n');
    let a = this.cache.get(key);
    if (!a) {
      const unread = (this.unread = new Set());
      try {
        a = analyze({ dir, files, env: process.env, profiles: profilesSetting(), stackMode: stackModeSetting() }, this.host, this.engine);
      } finally {
        this.unread = undefined;
      }
      this.cache.set(key, a);
      if (unread.size) {
        // Not read yet (first look at this project): the worker reads them, then this analysis is redone.
        this.incomplete.set(key, unread);
        void this.analyzeFilesInBackground(key, dir, files).catch(() => undefined);
      }
    }
    return a;
  }

  /**
   * The document's project analysed in the worker: files read there (a FIFO or a huge file becomes a finding,
   * never a wait), findings with their ranges. Undefined when a newer request for the same project superseded it.
   */
  async analyzeInBackground(doc: vscode.TextDocument): Promise<BackgroundAnalysis | undefined> {
    try {
      return await this.analyzeRounds(doc);
    } finally {
      this.expected.delete(doc.fileName);
    }
  }

  private async analyzeRounds(doc: vscode.TextDocument): Promise<BackgroundAnalysis | undefined> {
    // Which files make the project can depend on what the worker reads (include, extends): settle it in a few rounds.
    for (let round = 0; ; round++) {
      const files = this.projectFiles(doc);
      const result = await this.analyzeFilesInBackground(files.join('\n'), path.dirname(files[0]), files, doc);
      if (!result) return undefined;
      const now = this.projectFiles(doc);
      const unsent = result.files.some((f) => !result.sent.has(f) && openDocument(f)?.isDirty);
      if (round >= 2 || (now.join('\n') === files.join('\n') && !unsent)) return result;
    }
  }

  private async analyzeFilesInBackground(key: string, dir: string, files: string[], doc?: vscode.TextDocument): Promise<(BackgroundAnalysis & { sent: Set<string> }) | undefined> {
    // Unsaved text of open files that the project may read, and the document itself.
    const known = new Set([...files, ...(this.cache.get(key)?.project.files.keys() ?? [])]);
    const open: Record<string, string> = {};
    for (const d of vscode.workspace.textDocuments) {
      if (d === doc || (d.uri.scheme === 'file' && (d.isDirty || known.has(d.fileName)))) open[d.fileName] = d.getText();
    }
    const version = doc?.version;
    const generation = this.generation;
    const asked = this.worker.analyze(key, { dir, files, open, maxFileBytes: maxFileBytes(), profiles: profilesSetting(), stackMode: stackModeSetting(), ...(this.engine ? { engine: this.engine } : {}), ...(doc ? { editorFile: doc.fileName } : {}) });
    this.running.add(asked);
    const response = await asked.finally(() => this.running.delete(asked));
    if (!response) return undefined;
    if (!response.ok) throw new Error(response.message);
    this.learn(response.reads);
    // Kept only if nothing changed meanwhile (an edit of the document also moves the generation on).
    if (doc && version !== undefined && response.editor && this.generation === generation) {
      this.views.set(doc.fileName, { findings: response.findings, details: response.editor, version, files: response.projectFiles });
    }
    return { files: response.projectFiles, findings: response.findings, sent: new Set(Object.keys(open)) };
  }

  /** Takes in what the worker read; analyses that depended on a file read differently (or not yet) are redone. */
  private learn(reads: Record<string, DiskRead>): void {
    const changed = new Set<string>();
    for (const [file, read] of Object.entries(reads)) {
      const before = this.disk.get(file);
      if (before && JSON.stringify(before) === JSON.stringify(read)) continue;
      this.disk.set(file, read);
      changed.add(file);
    }
    if (!changed.size) return;
    this.cache.clear(); // a file that was missing may exist now: any analysis may differ (they are redone lazily)
    this.views.clear();
    let announce = false;
    for (const [key, unread] of this.incomplete) {
      if (![...unread].some((f) => changed.has(f))) continue;
      this.incomplete.delete(key);
      announce = true;
    }
    if (announce) this.changed.fire();
  }

  dispose(): void {
    this.worker.dispose();
    this.profilesWatch.dispose();
    this.changed.dispose();
  }
}
