// Reading YAML nodes into located values: one file at a time, with interpolation.
// Bounded on hostile input: anchors are indexed once per file, each mapping's merged entries are computed
// once (merge bombs cost the number of distinct keys, not the number of paths), merge cycles are cut.
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Node, type Pair, type YAMLMap } from 'yaml';
import { interpolate, MAX_INTERPOLATION_DEPTH, type Environment } from './interpolate';
import type { Entry, ProjectFile } from './model';
import { clipText } from './text';
import type { Finding, Located, Span } from './types';

/**
 * One entry of a mapping as read: its key, its value (aliases resolved) and, being the model's Entry itself, where
 * it is written. One object per entry (with the key's Located and span): a service's `entries` is the reader's map
 * of these, and the whole entry's span is made only when asked (most never are).
 */
export class MapEntry implements Entry {
  // Native private fields: not enumerable, so an entry reads (and prints) as its key, value and pair.
  readonly #end: number;
  #span?: Span;

  constructor(
    readonly key: Located,
    readonly value: Node | null,
    readonly pair: Pair,
    /** Where the value ends (the key's end when there is none). */
    end: number,
  ) {
    this.#end = end;
  }

  get keySpan(): Span {
    return this.key.span;
  }

  /** From the key to the end of the value: what deleting the entry removes. */
  get span(): Span {
    return (this.#span ??= { file: this.key.span.file, start: this.key.span.start, end: this.#end });
  }

  /** The model's Entry (this object). */
  get entry(): Entry {
    return this;
  }
}

/** Scalars longer than this are not analyzed (no expression runs on them): they read as unknown values. */
export const MAX_SCALAR_LENGTH = 64 * 1024;
/** Merge chains (`<<: *a` where a merges b, which merges c...) deeper than this are cut; real files use two or three. */
export const MAX_MERGE_DEPTH = 200;

export class FileReader {
  /** Problems met while reading this file (merge cycles, nesting or sizes past the limits); the loader reports them. */
  readonly findings: Finding[] = [];
  /** How many times an alias was looked up (tests pin that each lookup is O(1) after one pass over the file). */
  aliasLookups = 0;
  private anchorIndex?: Map<Node, Node | null>;
  private readonly expanded = new Map<YAMLMap, MapEntry[]>();
  private readonly keyed = new Map<YAMLMap, ReadonlyMap<string, MapEntry>>();
  /** The mappings whose merge keys are being expanded (a mapping without `<<` never recurses, so never enters). */
  private readonly expanding = new Set<YAMLMap>();
  private readonly reported = new Set<string>();

  constructor(
    readonly file: ProjectFile,
    private readonly env: Environment,
  ) {}

  span(node: { range?: [number, number, number] | null } | null | undefined, fallback?: Span): Span {
    const r = node?.range;
    if (!r) return fallback ?? { file: this.file.path, start: 0, end: 0 };
    return { file: this.file.path, start: r[0], end: r[1] };
  }

  /**
   * What each alias points to, found in one pre-order pass: the latest node carrying the anchor before the
   * alias, as YAML (and the yaml library's Alias.resolve, which walks the whole document per call) defines it.
   */
  private aliases(): Map<Node, Node | null> {
    if (this.anchorIndex) return this.anchorIndex;
    const index = new Map<Node, Node | null>();
    const latest = new Map<string, Node>();
    this.anchorIndex = index;
    try {
      visit(this.file.doc, {
        Node: (_key, node) => {
          if (isAlias(node)) index.set(node, latest.get(node.source) ?? null);
          else if (node.anchor) latest.set(node.anchor, node);
        },
      });
    } catch (err) {
      // visit recurses per nesting level; past what the stack holds, the aliases not reached stay unresolved.
      if (!(err instanceof RangeError)) throw err;
      this.limit({ file: this.file.path, start: 0, end: 0 }, 'the file nests too deep to resolve all of its aliases (*name): those not reached are not analyzed');
    }
    return index;
  }

  /** Resolves aliases so anchors (`*x`) read like the node they point to. */
  deref(node: unknown): Node | null {
    const n = node as Node | null | undefined;
    if (!n || !isAlias(n)) return n ?? null;
    this.aliasLookups++;
    const target = this.aliases().get(n) ?? null;
    return target && !isAlias(target) ? target : null; // an anchor cannot sit on an alias; be safe anyway
  }

  /** A scalar's text, interpolated; undefined for anything that is not a scalar. */
  scalar(node: unknown): Located | undefined {
    const n = this.deref(node);
    if (!n || !isScalar(n) || n.value === null || n.value === undefined) return undefined;
    const raw = typeof n.value === 'string' ? n.value : String(n.value);
    const span = this.span(n);
    if (raw.length > MAX_SCALAR_LENGTH) {
      this.limit(span, `a value of ${raw.length} characters is longer than the ${MAX_SCALAR_LENGTH} the analyzer reads: it is not analyzed`);
      return { value: '', span, unknown: true };
    }
    if (!raw.includes('$')) return { value: raw, span }; // nothing to interpolate (most values)
    const { value, unknown, tooDeep } = interpolate(raw, this.env);
    if (tooDeep) this.limit(span, `\${...} nested deeper than ${MAX_INTERPOLATION_DEPTH} levels is not expanded: the value is not analyzed`);
    return unknown ? { value, span, unknown: true } : { value, span };
  }

  /**
   * Mapping entries in order, with `<<` merges expanded as YAML 1.1 defines them: the mapping's own keys win
   * over merged ones, and among `<<: [*a, *b]` the earlier mapping wins (checked with docker-compose 1.29
   * `config`, PyYAML's flatten_mapping, and go-yaml v3's decoder used by compose-go). Each mapping is expanded
   * once and remembered; a mapping that merges itself (directly or through others) contributes nothing the
   * second time, and that is reported.
   */
  entries(node: unknown): readonly MapEntry[] {
    const n = this.deref(node);
    if (!n || !isMap(n)) return NO_ENTRIES;
    const map = n as YAMLMap;
    const done = this.expanded.get(map);
    if (done) return done;
    if (this.expanding.has(map)) return NO_ENTRIES;
    if (this.expanding.size >= MAX_MERGE_DEPTH) {
      this.limit(this.span(map), `merge keys chained deeper than ${MAX_MERGE_DEPTH} mappings are not expanded`);
      return NO_ENTRIES;
    }
    const own: MapEntry[] = [];
    let merged: Map<string, MapEntry> | undefined;
    for (const pair of map.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      if (isMergeKey(pair.key)) {
        if (!merged) {
          merged = new Map<string, MapEntry>();
          this.expanding.add(map);
        }
        for (const source of this.mergeSources(pair.value)) {
          if (this.expanding.has(source)) {
            this.cycle(pair.value as Node);
            continue;
          }
          for (const e of this.entries(source)) if (!merged.has(e.key.value)) merged.set(e.key.value, e);
        }
        continue;
      }
      const keyText = pair.key.value === null ? '' : String(pair.key.value);
      const keySpan = this.span(pair.key);
      const end = (pair.value as Node | null)?.range?.[1] ?? keySpan.end;
      own.push(new MapEntry({ value: keyText, span: keySpan }, this.deref(pair.value), pair as Pair, end));
    }
    let result = own; // most mappings merge nothing: no copy
    if (merged) {
      if (merged.size > 0) {
        const ownKeys = new Set(own.map((e) => e.key.value));
        result = [...[...merged.values()].filter((e) => !ownKeys.has(e.key.value)), ...own];
      }
      this.expanding.delete(map);
    }
    this.expanded.set(map, result);
    return result;
  }

  /**
   * Each entry of a mapping in the order entries() lists them, as its key's text, its value (aliases resolved) and its
   * pair. A mapping without merge keys is read in place (nothing kept for it: most are read once, like a service's
   * `environment` or `networks`); one with merge keys through entries().
   */
  eachEntry(node: unknown, each: (key: string, value: Node | null, pair: Pair) => void): void {
    const n = this.deref(node);
    if (!n || !isMap(n)) return;
    const map = n as YAMLMap;
    if (!hasMergeKey(map)) {
      for (const pair of map.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        each(pair.key.value === null ? '' : String(pair.key.value), this.deref(pair.value), pair as Pair);
      }
      return;
    }
    for (const e of this.entries(map)) each(e.key.value, e.value, e.pair);
  }

  /** The mappings a `<<` value names: one mapping (or alias), or a sequence of them. */
  private mergeSources(value: unknown): YAMLMap[] {
    const v = this.deref(value);
    const items = v && isSeq(v) ? (v.items as unknown[]) : [v];
    const out: YAMLMap[] = [];
    for (const item of items) {
      const m = this.deref(item);
      if (m && isMap(m)) out.push(m as YAMLMap);
    }
    return out;
  }

  /** The entries by key (the last of a duplicated key wins), built once per mapping: read-only, callers share it. */
  entryMap(node: unknown): ReadonlyMap<string, MapEntry> {
    const n = this.deref(node);
    if (!n || !isMap(n)) return NO_KEYS;
    const map = n as YAMLMap;
    let keyed = this.keyed.get(map);
    if (!keyed) {
      // A loop, not new Map(entries.map(...)): no array of pairs per mapping (one per service on big projects).
      const byKey = new Map<string, MapEntry>();
      for (const e of this.entries(map)) byKey.set(e.key.value, e);
      this.keyed.set(map, (keyed = byKey));
    }
    return keyed;
  }

  /**
   * One key's value (the last of a duplicated key, as entryMap gives it), found without building a map. A mapping
   * with neither merge keys nor aliases among its values (most: `deploy`, a service's entry for one network) is read
   * in place, without its entries: the same value, and nothing that reading its entries would do (resolve an alias,
   * expand a merge) is skipped.
   */
  valueOf(node: unknown, key: string): Node | null | undefined {
    const n = this.deref(node);
    if (!n || !isMap(n)) return undefined;
    let found: Node | null | undefined;
    for (const pair of (n as YAMLMap).items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      if (isMergeKey(pair.key) || isAlias(pair.value)) return this.valueOfEntry(n, key);
      if ((pair.key.value === null ? '' : String(pair.key.value)) === key) found = (pair.value as Node | null | undefined) ?? null;
    }
    return found;
  }

  private valueOfEntry(node: Node, key: string): Node | null | undefined {
    const entries = this.entries(node);
    for (let i = entries.length - 1; i >= 0; i--) if (entries[i].key.value === key) return entries[i].value;
    return undefined;
  }

  items(node: unknown): readonly Node[] {
    const n = this.deref(node);
    return n && isSeq(n) ? (n.items as Node[]) : NO_ITEMS;
  }

  /** A list of scalars, or a single scalar read as a one-item list. */
  scalars(node: unknown): Located[] {
    const n = this.deref(node);
    const out: Located[] = [];
    if (n && isScalar(n)) {
      const s = this.scalar(n);
      if (s) out.push(s);
      return out;
    }
    for (const i of this.items(n)) {
      const s = this.scalar(i);
      if (s) out.push(s);
    }
    return out;
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
    // Compared in place (no copy of the source per value): the source is `value`, or `value` in quotes.
    const text = this.file.text;
    const start = Math.min(loc.span.start, text.length);
    const length = Math.max(0, Math.min(loc.span.end, text.length) - start);
    const value = loc.value;
    if (length === value.length && text.startsWith(value, start)) return loc.span.start;
    const q = length > 0 ? text[start] : undefined;
    if ((q === '"' || q === "'") && Math.max(0, length - 2) === value.length && text.startsWith(value, start + 1)) return loc.span.start + 1;
    return undefined;
  }

  private cycle(node: Node): void {
    const span = this.span(node);
    this.report(span, {
      rule: 'yaml-syntax',
      severity: 'error',
      message: `merge key refers to the mapping that contains it (${clipText(this.file.text.slice(span.start, span.end), 40)}): Compose rejects an anchor whose value contains itself`,
      span,
      related: [],
      fixes: [],
    });
  }

  private limit(span: Span, message: string): void {
    this.report(span, { rule: 'analysis-limit', severity: 'info', message, span, related: [], fixes: [] });
  }

  private report(span: Span, f: Finding): void {
    const key = `${f.rule}@${span.start}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.findings.push(f);
  }
}

const NO_KEYS: ReadonlyMap<string, MapEntry> = new Map();
/** What a value that is not a mapping (or a sequence) reads as: one shared empty list, not one per read. */
const NO_ENTRIES: readonly MapEntry[] = Object.freeze([]);
const NO_ITEMS: readonly Node[] = Object.freeze([]);

function hasMergeKey(map: YAMLMap): boolean {
  for (const pair of map.items) if (isPair(pair) && isScalar(pair.key) && isMergeKey(pair.key)) return true;
  return false;
}

/** A plain `<<` key (the yaml library gives it a symbol value when merge keys are on). */
function isMergeKey(key: { value: unknown; type?: string }): boolean {
  if (typeof key.value === 'symbol') return key.value.description === '<<';
  return key.value === '<<' && (key.type === undefined || key.type === 'PLAIN');
}
