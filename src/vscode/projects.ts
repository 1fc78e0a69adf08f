// Which compose project a document belongs to, and its analysis, kept current as the user types.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { analyze, type Analysis } from '../compose/analyze';
import { discoverComposeFiles, type ProjectHost } from '../compose/project';
import type { EngineSnapshot } from '../compose/types';
import { composeFileGlobs } from './settings';

/** File names Compose itself looks for, their overrides, and the `compose.<env>.yaml` family. */
const COMPOSE_NAME = /^(docker-)?compose(\.[\w-]+)*\.ya?ml$/;

export function isComposeDocument(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return false;
  if (COMPOSE_NAME.test(path.basename(doc.fileName))) return true;
  const globs = composeFileGlobs();
  return globs.length > 0 && vscode.languages.match(globs.map((pattern) => ({ pattern })), doc) > 0;
}

const openDocument = (filePath: string) => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.fileName === filePath);

/** Open editors first (unsaved text is what the user sees), then the disk. */
const editorHost: ProjectHost = {
  exists: (filePath) => !!openDocument(filePath) || fs.existsSync(filePath),
  readFile(filePath: string): string | undefined {
    const open = openDocument(filePath);
    if (open) return open.getText();
    try {
      return fs.readFileSync(filePath, 'utf8');
    } catch {
      return undefined;
    }
  },
};

export class ComposeProjects implements vscode.Disposable {
  private readonly cache = new Map<string, Analysis>();
  private engine: EngineSnapshot | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when analyses may have changed without a document change (engine state). */
  readonly onDidChange = this.changed.event;

  get engineSnapshot(): EngineSnapshot | undefined {
    return this.engine;
  }

  setEngineSnapshot(snapshot: EngineSnapshot | undefined): void {
    if (JSON.stringify(snapshot) === JSON.stringify(this.engine)) return;
    this.engine = snapshot;
    this.cache.clear();
    this.changed.fire();
  }

  /** The files of the project a document belongs to, in Compose's merge order. */
  projectFiles(doc: vscode.TextDocument): string[] {
    const file = doc.fileName;
    const dir = path.dirname(file);
    const discovered = discoverComposeFiles(dir, editorHost);
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

  /** Forget analyses that read this file. */
  invalidate(filePath: string): void {
    for (const [key, a] of this.cache) if (a.project.files.has(filePath) || key.includes(filePath)) this.cache.delete(key);
  }

  private analyzeFiles(dir: string, files: string[]): Analysis {
    const key = files.join('\n');
    let a = this.cache.get(key);
    if (!a) {
      a = analyze({ dir, files, env: process.env }, editorHost, this.engine);
      this.cache.set(key, a);
    }
    return a;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
