// Reading values the model does not carry (dns, logging.options, ipam items as written) straight from a
// service's or network's YAML, with aliases and merge keys followed. Values that use `${...}` are unknown here
// (the rules have no environment): rules skip them rather than guess.
import type { ComposeProject, Entry, ProjectFile } from '../model';
import { FileReader } from '../read';
import type { Located } from '../types';

const readers = new WeakMap<ProjectFile, FileReader>();

export function readerFor(project: ComposeProject, file: string): FileReader | undefined {
  const f = project.files.get(file);
  if (!f) return undefined;
  let r = readers.get(f);
  if (!r) {
    r = new FileReader(f, {});
    readers.set(f, r);
  }
  return r;
}

/** A value as written, and where its characters start in the file when the source spells it exactly. */
export interface RawValue {
  loc: Located;
  textStart?: number;
}

function known(r: FileReader, loc: Located): RawValue | undefined {
  const src = r.file.text.slice(loc.span.start, loc.span.end);
  if (loc.unknown || src.includes('$')) return undefined;
  const start = r.textStart(loc);
  return { loc, ...(start !== undefined ? { textStart: start } : {}) };
}

/** The scalars of an entry's value (a list, or one scalar), skipping interpolated ones. */
export function rawScalars(project: ComposeProject, entry: Entry | undefined): RawValue[] {
  if (!entry) return [];
  const r = readerFor(project, entry.keySpan.file);
  if (!r) return [];
  return r.scalars(entry.pair.value).flatMap((l) => [known(r, l)].filter((x): x is RawValue => !!x));
}

/** The scalar values of `key` inside the mapping of an entry (e.g. `options` of `logging`), skipping interpolated ones. */
export function rawMapValues(project: ComposeProject, entry: Entry | undefined, key: string): Array<RawValue & { key: string }> {
  if (!entry) return [];
  const r = readerFor(project, entry.keySpan.file);
  if (!r) return [];
  const inner = r.entryMap(entry.pair.value).get(key)?.value;
  return r.entries(inner).flatMap((e) => {
    const s = r.scalar(e.value);
    const v = s && known(r, s);
    return v ? [{ ...v, key: e.key.value }] : [];
  });
}
