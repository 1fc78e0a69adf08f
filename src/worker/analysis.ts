// The analysis the worker runs: the editor's open texts first, then the disk through a reader that refuses
// what must not be read; it records every read so the extension host can reuse them without touching the disk.
import * as fs from 'fs';
import { analyze, type Analysis } from '../compose/analyze';
import { chooseFixes } from '../compose/fixes';
import { lensSpecs } from '../compose/lenses';
import { rangeOf } from '../compose/locate';
import { FileReadError, type ProjectHost } from '../compose/project';
import type { EngineSnapshot, Span } from '../compose/types';
import type { AnalysisRequest, AnalysisResponse, DiskRead, EditorDetails, WireFinding, WireLens, WireLocation } from './protocol';

/** Reads one file from disk: its text, undefined when missing; throws FileReadError for what it refuses. */
export type DiskReader = (filePath: string, maxBytes: number) => string | undefined;

/** An open editor's text is in memory already, but the cap still holds: a huge file is not analysed on every keystroke. */
export function checkedOpenText(filePath: string, text: string, maxBytes: number): string {
  if (text.length > maxBytes) throw new FileReadError(`refusing to analyze ${filePath}: ${text.length} characters is more than the ${maxBytes}-byte limit (dockerNetworking.maxFileSize)`);
  return text;
}

export function runAnalysis(request: AnalysisRequest, readDisk: DiskReader): AnalysisResponse {
  const reads: Record<string, DiskRead> = {};
  const open = new Map(Object.entries(request.open));
  const host: ProjectHost = {
    readFile(filePath) {
      const text = open.get(filePath);
      if (text !== undefined) return checkedOpenText(filePath, text, request.maxFileBytes);
      try {
        const disk = readDisk(filePath, request.maxFileBytes);
        reads[filePath] = disk === undefined ? { kind: 'missing' } : { kind: 'text', text: disk };
        return disk;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        reads[filePath] = { kind: 'refused', message };
        throw err instanceof FileReadError ? err : new FileReadError(message);
      }
    },
    exists: (filePath) => open.has(filePath) || fs.existsSync(filePath), // stat: never blocks, even on a FIFO
  };
  try {
    const a = analyze({ dir: request.dir, files: request.files, env: process.env, profiles: request.profiles ?? [], ...(request.stackMode ? { stackMode: request.stackMode } : {}) }, host, request.engine);
    let size = 0;
    for (const f of a.project.files.values()) size += f.text.length;
    return {
      id: request.id,
      ok: true,
      projectFiles: [...a.project.files.keys()],
      findings: wireFindings(a),
      reads,
      size,
      ...(request.editorFile ? { editor: editorDetails(a, request.editorFile, request.engine) } : {}),
    };
  } catch (err) {
    return { id: request.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

/** Findings as the editor's thread takes them: ranges in lines and columns, quick fixes by title. */
export function wireFindings(a: Analysis): WireFinding[] {
  return a.findings.map((f) => ({
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    file: f.span.file,
    range: rangeOf(a.project, f.span),
    related: f.related.map((r) => ({ file: r.span.file, range: rangeOf(a.project, r.span), message: r.message })),
    fixes: f.fixes.map((x) => ({ title: x.title, preferred: x.preferred === true })),
  }));
}

/** The code lenses and the fix-all count of `file`, from the analysis its diagnostics come from. */
export function editorDetails(a: Analysis, file: string, engine?: EngineSnapshot): EditorDetails {
  const at = (span: Span): WireLocation => ({ file: span.file, range: rangeOf(a.project, span) });
  const lenses = lensSpecs(a, file, engine).map((lens): WireLens => {
    if (lens.kind === 'network-services') {
      const { span, references, ...rest } = lens;
      return { ...rest, range: rangeOf(a.project, span), references: references.map(at) };
    }
    const { span, ...rest } = lens;
    return { ...rest, range: rangeOf(a.project, span) };
  });
  return { file, projectName: a.project.name, lenses, fixAllCount: chooseFixes(a, file).length };
}
