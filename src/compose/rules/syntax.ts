// What Compose refuses while reading a file, before any network is looked at.
import { isMap, isScalar, visit, type Node } from 'yaml';
import { deleteSpan, entrySpan } from '../edits';
import type { Pair } from 'yaml';
import type { Finding } from '../types';
import { finding, type Rule } from './context';

/**
 * The same key twice in one mapping. Compose v2 (go-yaml v3) refuses the file: `mapping key "x" already defined
 * at line N`. The YAML parser here keeps both (uniqueKeys: false) so the rest of the file is still analyzed.
 */
export const duplicateKey: Rule = ({ project }) => {
  const out: Finding[] = [];
  for (const file of project.files.values()) {
    // A file that does not parse has keys made of its debris: yaml-syntax already says what is wrong.
    if (file.doc.errors.length > 0) continue;
    visit(file.doc, {
      Map: (_key, map) => {
        if (!isMap(map)) return;
        const first = new Map<string, Pair>();
        for (const pair of map.items as Pair[]) {
          if (!isScalar(pair.key) || pair.key.value === '<<') continue;
          const k = String(pair.key.value);
          const earlier = first.get(k);
          if (!earlier) {
            first.set(k, pair);
            continue;
          }
          const keyNode = pair.key as Node;
          const earlierKey = earlier.key as Node;
          const line = file.lines.positionAt(earlierKey.range![0]).line + 1;
          out.push(finding('duplicate-key', { file: file.path, start: keyNode.range![0], end: keyNode.range![1] }, `key "${k}" is already defined at line ${line} of this mapping; Compose refuses the file (mapping key "${k}" already defined)`, {
            related: [{ span: { file: file.path, start: earlierKey.range![0], end: earlierKey.range![1] }, message: `"${k}" is first defined here` }],
            fixes: [{ title: `Delete this "${k}"`, edits: [deleteSpan(project, entrySpan(file.path, pair))] }],
          }));
        }
      },
    });
  }
  return out;
};
