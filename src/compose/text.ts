// Offsets <-> lines and columns, in one place for the CLI, the editor and the tests.

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based column, in UTF-16 code units like VS Code. */
  character: number;
}

export class LineIndex {
  #starts?: number[];

  constructor(readonly text: string) {}

  /** Where each line starts: found on first use (an analysis on each keystroke may never need a position). */
  private get starts(): number[] {
    if (this.#starts) return this.#starts;
    const starts = [0];
    const text = this.text;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return (this.#starts = starts);
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.starts[lo] };
  }

  offsetAt(position: Position): number {
    const start = this.starts[Math.min(position.line, this.starts.length - 1)] ?? 0;
    return Math.min(start + position.character, this.text.length);
  }

  lineStart(offset: number): number {
    return this.starts[this.positionAt(offset).line];
  }

  /** Offset just past the end of the line holding `offset` (after its newline, if any). */
  lineEndInclusive(offset: number): number {
    const line = this.positionAt(offset).line;
    return line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
  }

  /** The indentation (spaces) of the line holding `offset`. */
  indentAt(offset: number): number {
    const start = this.lineStart(offset);
    let i = start;
    while (this.text[i] === ' ') i++;
    return i - start;
  }
}

// Bounded text for findings: a message or a list of related locations never grows with the square of the project.

/** How many names a message lists before "… and N more". */
export const MAX_LISTED = 10;
/** The longest message a finding carries (a message quotes names and values from the file). */
export const MAX_MESSAGE = 1000;
/** How many related locations a finding carries. */
export const MAX_RELATED = 5;

/** `text`, cut to `max` characters with an ellipsis (values from a file can be megabytes long). */
export function clipText(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `[a, b, c]`, or `[a, b, …, j, … and 212 more]` past `max` names; each name clipped too. */
export function listText(names: readonly string[], max = MAX_LISTED): string {
  // Most lists are short lists of short names: written as they are (messages are built per finding).
  if (names.length <= max && names.every((n) => n.length <= 100)) return `[${names.join(', ')}]`;
  const shown = names.slice(0, max).map((n) => clipText(n, 100));
  const more = names.length - shown.length;
  return `[${shown.join(', ')}${more > 0 ? `, … and ${more} more` : ''}]`;
}

/** The first `max` items of `items` that pass `keep`, without visiting the rest (related locations). */
export function firstItems<T>(items: Iterable<T>, max: number, keep: (item: T) => boolean = () => true): T[] {
  const out: T[] = [];
  if (max <= 0) return out;
  for (const item of items) {
    if (!keep(item)) continue;
    out.push(item);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * A compose file's bytes as text: UTF-8 (a BOM is dropped), or UTF-16 LE/BE when it starts with that BOM,
 * as Compose reads them. Pure, so the CLI (fs) and the extension (workspace.fs) decode alike.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = new Uint8Array(bytes.length - 2 - (bytes.length % 2));
    for (let i = 0; i + 1 < swapped.length; i += 2) {
      swapped[i] = bytes[i + 3];
      swapped[i + 1] = bytes[i + 2];
    }
    return new TextDecoder('utf-16le').decode(swapped);
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  return new TextDecoder('utf-8').decode(bytes);
}
