// The analysis the worker runs: the editor's open texts first, then the disk through a reader that refuses
// what must not be read; it records every read so the extension host can reuse them without touching the disk.
import * as fs from 'fs';
import { analyze } from '../compose/analyze';
import { rangeOf } from '../compose/locate';
import { FileReadError, type ProjectHost } from '../compose/project';
import type { AnalysisRequest, AnalysisResponse, DiskRead } from './protocol';

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
      findings: a.findings.map((f) => ({
        rule: f.rule,
        severity: f.severity,
        message: f.message,
        file: f.span.file,
        range: rangeOf(a.project, f.span),
        related: f.related.map((r) => ({ file: r.span.file, range: rangeOf(a.project, r.span), message: r.message })),
      })),
      reads,
      size,
    };
  } catch (err) {
    return { id: request.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
