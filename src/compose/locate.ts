// Spans to line/column ranges, for every consumer (CLI formats, editor diagnostics, tests).
import type { ComposeProject } from './model';
import type { Position } from './text';
import type { Span } from './types';

export interface LineRange {
  start: Position;
  end: Position;
}

export function rangeOf(project: ComposeProject, span: Span): LineRange {
  const file = project.files.get(span.file);
  if (!file) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { start: file.lines.positionAt(span.start), end: file.lines.positionAt(span.end) };
}
