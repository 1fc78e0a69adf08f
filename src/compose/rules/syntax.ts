// What Compose refuses while reading a file, before any network is looked at.
import { isCollection, isMap, isPair, isScalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { deleteSpan, entrySpan } from '../edits';
import type { ProjectFile } from '../model';
import type { Finding } from '../types';
import { finding, type Rule } from './context';

/** Mappings up to this size are checked by comparing keys pairwise (no Map to allocate): most have a handful. */
const SMALL_MAPPING = 8;

/**
 * The same key twice in one mapping. Compose v2 (go-yaml v3) refuses the file: `mapping key "x" already defined
 * at line N`. The YAML parser here keeps both (uniqueKeys: false) so the rest of the file is still analyzed.
 */
export const duplicateKey: Rule = ({ project }) => {
  const out: Finding[] = [];
  for (const file of project.files.values()) {
    // A file that does not parse has keys made of its debris: yaml-syntax already says what is wrong.
    if (file.doc.errors.length > 0) continue;
    forEachMapping(file.doc.contents as Node | null, (map) => duplicatesIn(map, (pair, earlier, k) => out.push(duplicateFinding(project, file, pair, earlier, k))));
  }
  return out;
};

/**
 * Every mapping of the document in pre-order (keys before values), walked with a stack: no recursion, no paths built.
 * Only collections enter the stack (scalars, most of the nodes, cannot hold a mapping).
 */
function forEachMapping(root: Node | null, onMap: (map: YAMLMap) => void): void {
  const stack: unknown[] = isCollection(root) ? [root] : [];
  while (stack.length) {
    const node = stack.pop();
    const items = (node as YAMLMap | YAMLSeq).items as unknown[];
    if (isMap(node)) onMap(node);
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (isPair(item)) {
        if (isCollection(item.value)) stack.push(item.value);
        if (isCollection(item.key)) stack.push(item.key);
      } else if (isCollection(item)) stack.push(item);
    }
  }
}

/** The key of a pair as the check compares it; undefined for keys it skips (non-scalars and `<<`). */
function keyText(pair: Pair): string | undefined {
  return !isScalar(pair.key) || pair.key.value === '<<' ? undefined : String(pair.key.value);
}

/** Calls `found` for each pair whose key an earlier pair of the mapping already has, with that first pair. */
function duplicatesIn(map: YAMLMap, found: (pair: Pair, earlier: Pair, key: string) => void): void {
  const items = map.items as Pair[];
  if (items.length < 2) return;
  if (items.length <= SMALL_MAPPING) {
    for (let i = 1; i < items.length; i++) {
      const k = keyText(items[i]);
      if (k === undefined) continue;
      for (let j = 0; j < i; j++) {
        if (keyText(items[j]) === k) {
          found(items[i], items[j], k);
          break;
        }
      }
    }
    return;
  }
  const first = new Map<string, Pair>();
  for (const pair of items) {
    const k = keyText(pair);
    if (k === undefined) continue;
    const earlier = first.get(k);
    if (earlier) found(pair, earlier, k);
    else first.set(k, pair);
  }
}

function duplicateFinding(project: Parameters<Rule>[0]['project'], file: ProjectFile, pair: Pair, earlier: Pair, k: string): Finding {
  const keyNode = pair.key as Node;
  const earlierKey = earlier.key as Node;
  const line = file.lines.positionAt(earlierKey.range![0]).line + 1;
  return finding('duplicate-key', { file: file.path, start: keyNode.range![0], end: keyNode.range![1] }, `key "${k}" is already defined at line ${line} of this mapping; Compose refuses the file (mapping key "${k}" already defined)`, {
    related: [{ span: { file: file.path, start: earlierKey.range![0], end: earlierKey.range![1] }, message: `"${k}" is first defined here` }],
    fixes: [{ title: `Delete this "${k}"`, edits: [deleteSpan(project, entrySpan(file.path, pair))] }],
  });
}
