// Which fixes "fix all" applies: the editor's fix-all action, the analysis worker's count of it, and `lint --fix`.
import type { Analysis } from './analyze';
import type { Fix, TextEdit } from './types';

/**
 * The preferred fix of each finding whose edits overlap no fix chosen before it (positions from one analysis);
 * with `inFile`, only findings reported in that file (the editor's "fix all problems in this file").
 * Reads only the edits' positions: their text is built when it is first read (compose/edits.ts lazyEdit).
 */
export function chooseFixes(analysis: Analysis, inFile?: string): Array<{ rule: string; fix: Fix }> {
  const chosen: Array<{ rule: string; fix: Fix }> = [];
  const taken: TextEdit[] = [];
  const overlaps = (e: TextEdit) => taken.some((t) => t.file === e.file && e.start <= t.end && t.start <= e.end);
  for (const f of analysis.findings) {
    if (inFile !== undefined && f.span.file !== inFile) continue;
    const fix = f.fixes.find((x) => x.preferred);
    if (!fix || fix.edits.length === 0 || fix.edits.some((e) => !analysis.project.files.has(e.file)) || fix.edits.some(overlaps)) continue;
    chosen.push({ rule: f.rule, fix });
    taken.push(...fix.edits);
  }
  return chosen;
}
