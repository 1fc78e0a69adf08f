// The one place that turns analyzer spans and edits into VS Code ranges, locations and workspace edits.
import * as vscode from 'vscode';
import { rangeOf, type LineRange } from '../compose/locate';
import type { ComposeProject } from '../compose/model';
import type { Span, TextEdit } from '../compose/types';

export function toRange(project: ComposeProject, span: Span): vscode.Range {
  return fromWireRange(rangeOf(project, span));
}

/** A range in lines and columns, as the analysis worker sends them. */
export function fromWireRange(r: LineRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** A location as the analysis worker sends it (a file, a range in lines and columns); `uriOf` may reuse Uris. */
export function fromWireLocation(l: { file: string; range: LineRange }, uriOf: (file: string) => vscode.Uri = (f) => vscode.Uri.file(f)): vscode.Location {
  return new vscode.Location(uriOf(l.file), fromWireRange(l.range));
}

export function toLocation(project: ComposeProject, span: Span): vscode.Location {
  return new vscode.Location(vscode.Uri.file(span.file), toRange(project, span));
}

export function toWorkspaceEdit(project: ComposeProject, edits: TextEdit[], into = new vscode.WorkspaceEdit()): vscode.WorkspaceEdit {
  for (const e of edits) into.replace(vscode.Uri.file(e.file), toRange(project, e), e.newText);
  return into;
}

/** Is `offset` inside the span (inclusive of its end, where a cursor after the last character sits)? */
export function spanContains(span: Span, file: string, offset: number): boolean {
  return span.file === file && span.start <= offset && offset <= span.end;
}
