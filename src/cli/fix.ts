// `compose-net lint --fix`: applies every finding's preferred fix (the obvious one, the editor's "fix all") to the
// files, pass after pass until nothing is left to fix, like `eslint --fix`. A result that no longer parses is never
// written: the project's files are then left as they were.
import * as fs from 'fs';
import { analyze, type Analysis } from '../compose/analyze';
import type { LoadOptions, ProjectHost } from '../compose/project';
import { chooseFixes } from '../compose/fixes';
import type { EngineSnapshot, TextEdit } from '../compose/types';

/** Like eslint: a fix may uncover another; ten passes is far more than any real file needs. */
export const MAX_FIX_PASSES = 10;

export interface FixResult {
  /** The analysis of the files as finally written (or as they were, when nothing was written). */
  analysis: Analysis;
  /** Fixes applied, over all passes, per rule id. */
  applied: Map<string, number>;
  /** Files written. */
  written: string[];
  /** Why nothing was written, when a fix would have broken the files. */
  refused?: string;
}

/** `text` with `edits` (non-overlapping, offsets into `text`) applied. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

const syntaxErrors = (a: Analysis) => a.findings.filter((f) => f.rule === 'yaml-syntax').length;

/** Where fixing writes (the disk) and how it analyses (the analyzer); tests replace them. */
export interface FixIo {
  write?: (file: string, text: string) => void;
  analyze?: typeof analyze;
}

/**
 * Fixes one project in memory pass by pass, then writes the files that changed.
 * Engine-aware fixes are applied only when `engine` is given (the CLI's --engine).
 */
export function fixProject(options: LoadOptions, host: ProjectHost, engine?: EngineSnapshot, io: FixIo = {}): FixResult {
  const write = io.write ?? ((f: string, t: string) => fs.writeFileSync(f, t));
  const analyzeFiles = io.analyze ?? analyze;
  const texts = new Map<string, string>();
  const overlay: ProjectHost = {
    readFile: (p) => (texts.has(p) ? texts.get(p) : host.readFile(p)),
    ...(host.exists ? { exists: (p: string) => texts.has(p) || host.exists!(p) } : {}),
  };
  const original = analyzeFiles(options, host, engine);
  const applied = new Map<string, number>();
  let analysis = original;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const chosen = chooseFixes(analysis);
    if (chosen.length === 0) break;
    const byFile = new Map<string, TextEdit[]>();
    for (const { fix } of chosen) for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    let changed = false;
    for (const [file, edits] of byFile) {
      const before = analysis.project.files.get(file)!.text;
      const after = applyEdits(before, edits);
      if (after === before) continue;
      changed = true;
      texts.set(file, after);
    }
    if (!changed) break; // fixes that change nothing would come back every pass
    for (const { rule } of chosen) applied.set(rule, (applied.get(rule) ?? 0) + 1);
    analysis = analyzeFiles(options, overlay, engine);
  }
  if (texts.size === 0) return { analysis, applied, written: [] };
  if (syntaxErrors(analysis) > syntaxErrors(original)) {
    return { analysis: original, applied: new Map(), written: [], refused: 'the fixed files would not parse; nothing was written (please report this)' };
  }
  const written: string[] = [];
  for (const [file, text] of texts) {
    if (text === original.project.files.get(file)?.text) continue;
    write(file, text);
    written.push(file);
  }
  return { analysis, applied, written };
}
