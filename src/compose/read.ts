// Reading YAML nodes into located values: one file at a time, with interpolation.
import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { interpolate, type Environment } from './interpolate';
import type { Entry, ProjectFile } from './model';
import type { Located, Span } from './types';

export class FileReader {
  constructor(
    readonly file: ProjectFile,
    private readonly env: Environment,
  ) {}

  span(node: { range?: [number, number, number] | null } | null | undefined, fallback?: Span): Span {
    const r = node?.range;
    if (!r) return fallback ?? { file: this.file.path, start: 0, end: 0 };
    return { file: this.file.path, start: r[0], end: r[1] };
  }

  /** Resolves aliases so anchors (`*x`) read like the node they point to. */
  deref(node: unknown): Node | null {
    let n = node as Node | null;
    for (let i = 0; i < 10 && n && isAlias(n); i++) n = (n.resolve(this.file.doc) as Node | undefined) ?? null;
    return n ?? null;
  }

  /** A scalar's text, interpolated; undefined for anything that is not a scalar. */
  scalar(node: unknown): Located | undefined {
    const n = this.deref(node);
    if (!n || !isScalar(n) || n.value === null || n.value === undefined) return undefined;
    const raw = typeof n.value === 'string' ? n.value : String(n.value);
    const { value, unknown } = interpolate(raw, this.env);
    return { value, span: this.span(n), ...(unknown ? { unknown: true } : {}) };
  }

  /** Mapping entries in order, with `<<: *anchor` merges expanded (explicit keys win). */
  entries(node: unknown): Array<{ key: Located; value: Node | null; entry: Entry }> {
    const n = this.deref(node);
    if (!n || !isMap(n)) return [];
    const own: Array<{ key: Located; value: Node | null; entry: Entry }> = [];
    const merged: Array<{ key: Located; value: Node | null; entry: Entry }> = [];
    for (const pair of (n as YAMLMap).items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      if (pair.key.source === '<<' || pair.key.value === '<<') {
        const sources = isSeq(this.deref(pair.value)) ? (this.deref(pair.value) as { items: unknown[] }).items : [pair.value];
        for (const s of sources) merged.push(...this.entries(s));
        continue;
      }
      const keyText = pair.key.value === null ? '' : String(pair.key.value);
      const keySpan = this.span(pair.key);
      const valueNode = this.deref(pair.value);
      const end = (pair.value as Node | null)?.range?.[1] ?? keySpan.end;
      own.push({
        key: { value: keyText, span: keySpan },
        value: valueNode,
        entry: { keySpan, span: { file: this.file.path, start: keySpan.start, end }, pair: pair as Pair },
      });
    }
    const ownKeys = new Set(own.map((e) => e.key.value));
    return [...merged.filter((e) => !ownKeys.has(e.key.value)), ...own];
  }

  entryMap(node: unknown): Map<string, { key: Located; value: Node | null; entry: Entry }> {
    return new Map(this.entries(node).map((e) => [e.key.value, e]));
  }

  items(node: unknown): Node[] {
    const n = this.deref(node);
    return n && isSeq(n) ? (n.items as Node[]) : [];
  }

  /** A list of scalars, or a single scalar read as a one-item list. */
  scalars(node: unknown): Located[] {
    const n = this.deref(node);
    if (n && isScalar(n)) return [this.scalar(n)].filter((x): x is Located => !!x);
    return this.items(n).flatMap((i) => [this.scalar(i)].filter((x): x is Located => !!x));
  }

  bool(node: unknown): boolean | undefined {
    const s = this.scalar(node);
    if (!s || s.unknown) return undefined;
    if (/^(true|yes|on)$/i.test(s.value)) return true;
    if (/^(false|no|off)$/i.test(s.value)) return false;
    return undefined;
  }

  isMap(node: unknown): boolean {
    return isMap(this.deref(node));
  }

  /** Where the scalar's characters start in the file, when the source spells the value exactly (no escapes, no interpolation). */
  textStart(loc: Located): number | undefined {
    const src = this.file.text.slice(loc.span.start, loc.span.end);
    if (src === loc.value) return loc.span.start;
    const q = src[0];
    if ((q === '"' || q === "'") && src.slice(1, -1) === loc.value) return loc.span.start + 1;
    return undefined;
  }
}
