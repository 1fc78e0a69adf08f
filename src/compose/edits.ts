// Building text edits for fixes: YAML-aware insertions and deletions that keep the user's layout.
// Fix text is needed only when a fix is shown or applied (the editor's resolveCodeAction, `compose-net lint --fix`),
// never by the analysis: every builder computes where its edit goes now and its text (yaml.stringify) on first read.
import { isMap, isSeq, stringify, type Node, type Pair } from 'yaml';
import type { ComposeProject, ProjectFile } from './model';
import type { Span, TextEdit } from './types';

/** Formats a value as YAML lines indented by `indent` spaces (no trailing newline). */
function block(value: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  return stringify(value, { indent: 2, flowCollectionPadding: false })
    .trimEnd()
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

function fileOf(project: ComposeProject, span: Span): ProjectFile {
  const f = project.files.get(span.file);
  if (!f) throw new Error(`internal: ${span.file} is not part of the project`);
  return f;
}

/**
 * An edit whose text is computed when it is first read, once. `newText` is an own enumerable property (a getter), so
 * the edit reads, spreads and serialises like a plain TextEdit.
 */
export function lazyEdit(file: string, start: number, end: number, make: () => string): TextEdit {
  let text: string | undefined;
  return {
    file,
    start,
    end,
    get newText(): string {
      return (text ??= make());
    },
  };
}

/** Replaces a span by `newText`; with `quote`, by `newText` as a YAML scalar (quoted only when YAML needs it), lazily. */
export function replaceSpan(span: Span, newText: string, options: { quote?: boolean } = {}): TextEdit {
  if (options.quote) return lazyEdit(span.file, span.start, span.end, () => yamlScalar(newText));
  return { file: span.file, start: span.start, end: span.end, newText };
}

/** A scalar written plainly when YAML allows it, quoted otherwise. Costly (yaml.stringify): call it lazily. */
export function yamlScalar(text: string): string {
  return stringify(text).trimEnd();
}

/** Deletes a mapping entry or list item: its whole lines in block style, the item and a comma in flow style. */
export function deleteSpan(project: ComposeProject, span: Span): TextEdit {
  const { text, lines } = fileOf(project, span);
  const lineStart = lines.lineStart(span.start);
  const lineEnd = lines.lineEndInclusive(Math.max(span.start, span.end - 1));
  const before = text.slice(lineStart, span.start);
  const after = text.slice(span.end, lineEnd);
  if (/^\s*(-\s*)?$/.test(before) && /^\s*(#.*)?\r?\n?$/.test(after)) {
    return { file: span.file, start: lineStart, end: lineEnd, newText: '' };
  }
  const trailingComma = /^\s*,\s*/.exec(text.slice(span.end));
  if (trailingComma) return { file: span.file, start: span.start, end: span.end + trailingComma[0].length, newText: '' };
  const leadingComma = /,\s*$/.exec(text.slice(lineStart, span.start));
  const start = leadingComma ? lineStart + leadingComma.index : span.start;
  return { file: span.file, start, end: span.end, newText: '' };
}

/** A mapping entry as written in one file: the pair node, and the file it is in. */
export interface Holder {
  file: string;
  pair: Pair;
}

/** Adds `key: value` to the mapping held by the entry (the mapping may be empty, `{}`, or absent). */
export function addToMapping(project: ComposeProject, { file: path, pair }: Holder, key: string, value: unknown): TextEdit {
  const keyNode = pair.key as Node;
  const file = fileOf(project, { file: path, start: 0, end: 0 });
  const keyIndent = file.lines.indentAt(keyNode.range![0]);
  const node = pair.value as Node | null;
  const entry = { [key]: value };
  if (node && isMap(node) && !node.flow && node.items.length > 0) {
    const first = node.items[0].key as Node;
    const indent = file.lines.indentAt(first.range![0]);
    return insertAfterLastLine(file, node, () => block(entry, indent));
  }
  // Empty, null, or a flow mapping: rewrite the value as a block mapping.
  const start = node?.range ? node.range[0] : keyNode.range![1] + (file.text[keyNode.range![1]] === ':' ? 1 : 0);
  const end = node?.range ? node.range[1] : start;
  const colonAt = file.text.lastIndexOf(':', start - (node?.range ? 1 : 0));
  return lazyEdit(file.path, Math.max(colonAt + 1, keyNode.range![1]), end, () => {
    const existing = node && isMap(node) ? (node.toJSON() as Record<string, unknown>) : {};
    return '\n' + block({ ...existing, ...entry }, keyIndent + 2);
  });
}

/** Appends an item to the sequence held by `pair`, in the style it is written in. */
export function appendToSequence(project: ComposeProject, { file: path, pair }: Holder, item: string): TextEdit {
  const node = pair.value as Node | null;
  const keyNode = pair.key as Node;
  const file = fileOf(project, { file: path, start: 0, end: 0 });
  if (node && isSeq(node) && node.flow) {
    const close = file.text.lastIndexOf(']', node.range![1]);
    const sep = node.items.length ? ', ' : '';
    return lazyEdit(file.path, close, close, () => `${sep}${yamlScalar(item)}`);
  }
  if (node && isSeq(node) && node.items.length) {
    const firstItem = node.items[0] as Node;
    const dash = file.text.lastIndexOf('-', firstItem.range![0]);
    const indent = file.lines.indentAt(dash);
    return insertAfterLastLine(file, node, () => `${' '.repeat(indent)}- ${yamlScalar(item)}`);
  }
  return addToMappingLike(file, keyNode, node, [item]);
}

function addToMappingLike(file: ProjectFile, keyNode: Node, node: Node | null, value: unknown): TextEdit {
  const keyIndent = file.lines.indentAt(keyNode.range![0]);
  const start = keyNode.range![1] + 1;
  const end = node?.range ? node.range[1] : start;
  return lazyEdit(file.path, start, end, () => '\n' + block(value, keyIndent + 2));
}

/** Inserts `lines` on a new line right after the last line of `node`. */
function insertAfterLastLine(file: ProjectFile, node: Node, lines: () => string): TextEdit {
  const endOfContent = node.range![1];
  let at = file.lines.lineEndInclusive(Math.max(node.range![0], endOfContent - 1));
  let prefix = '';
  if (at === file.text.length && !file.text.endsWith('\n')) prefix = '\n';
  // Content ending mid-line (a trailing comment after the value): keep it on its line.
  if (at < endOfContent) at = endOfContent;
  return lazyEdit(file.path, at, at, () => `${prefix}${lines()}\n`);
}

/** Adds a top-level key with a block value to a file's root mapping (at the end of the file). */
export function addTopLevel(file: ProjectFile, key: string, value: unknown): TextEdit {
  const sep = file.text.length === 0 || file.text.endsWith('\n') ? '' : '\n';
  return lazyEdit(file.path, file.text.length, file.text.length, () => `${sep}\n${block({ [key]: value }, 0)}\n`);
}

/** The span of a whole mapping entry: from its key to the end of its value. */
export function entrySpan(file: string, pair: Pair): Span {
  const key = pair.key as Node;
  const value = pair.value as Node | null;
  return { file, start: key.range![0], end: value?.range?.[1] ?? key.range![1] };
}
