// duplicate-key walks the document with its own stack and compares small mappings' keys pairwise (issue 14: yaml's
// visit() built a frozen path array per node, and a Map per mapping was allocated; together ~20% of a 1,000-service
// analysis). The fast path must give exactly what the straightforward visit()-and-Map check gives: pinned here on the
// corpus and on random documents with duplicates in small and large, block and flow, nested and key-position mappings.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { isMap, isScalar, visit, type Node, type Pair } from 'yaml';
import { duplicateKey } from '../../../src/compose/rules/syntax';
import type { Finding } from '../../../src/compose/types';
import { CORPUS, needCorpus } from '../../support/corpus';
import { rng } from '../../fuzz/generate';
import { lint } from './helpers';

/** The check as it was written before issue 14: visit() every mapping, a Map of first keys per mapping. */
function reference(l: ReturnType<typeof lint>): Array<Pick<Finding, 'span' | 'message'> & { earlier: number }> {
  const out: Array<Pick<Finding, 'span' | 'message'> & { earlier: number }> = [];
  for (const file of l.project.files.values()) {
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
          const line = file.lines.positionAt((earlier.key as Node).range![0]).line + 1;
          const message = `key "${k}" is already defined at line ${line} of this mapping; Compose refuses the file (mapping key "${k}" already defined)`;
          out.push({ span: { file: file.path, start: keyNode.range![0], end: keyNode.range![1] }, message, earlier: (earlier.key as Node).range![0] });
        }
      },
    });
  }
  return out;
}

function fast(l: ReturnType<typeof lint>): Array<Pick<Finding, 'span' | 'message'> & { earlier: number }> {
  return duplicateKey({ project: l.project, topology: l.topology }).map((f) => ({ span: f.span, message: f.message, earlier: f.related[0].span.start }));
}

/** A document of nested mappings (block and flow, some 1-3 keys, some 9-20) drawn from few key names, so keys repeat. */
function randomDocument(seed: number): string {
  const rnd = rng(seed); // mulberry32, deterministic from the seed
  const pick = (n: number) => Math.floor(rnd() * n);
  const key = () => (rnd() < 0.05 ? '<<' : rnd() < 0.05 ? '"k1"' : rnd() < 0.03 ? 'null' : rnd() < 0.03 ? '1' : `k${pick(6)}`);
  const flow = (depth: number): string => {
    const n = pick(rnd() < 0.2 ? 12 : 4);
    return `{${Array.from({ length: n }, () => `${key()}: ${depth < 2 && rnd() < 0.3 ? flow(depth + 1) : rnd() < 0.2 ? `[${flow(depth + 1)}]` : 'v'}`).join(', ')}}`;
  };
  const lines: string[] = ['x-anchor: &a {k0: 1, k1: 2}'];
  const block = (indent: string, depth: number) => {
    const n = 1 + pick(rnd() < 0.25 ? 20 : 4);
    for (let i = 0; i < n; i++) {
      const k = key() === '<<' ? '<<' : key();
      if (k === '<<') {
        lines.push(`${indent}<<: *a`);
        continue;
      }
      const r = rnd();
      if (depth < 3 && r < 0.3) {
        lines.push(`${indent}${k}:`);
        block(indent + '  ', depth + 1);
      } else if (r < 0.45) lines.push(`${indent}${k}: ${flow(0)}`);
      else if (r < 0.5) lines.push(`${indent}? ${flow(1)}`, `${indent}: v`);
      else if (r < 0.6) lines.push(`${indent}${k}:`, `${indent}  - ${flow(0)}`, `${indent}  - k${pick(6)}: v`, `${indent}    k${pick(6)}: w`);
      else lines.push(`${indent}${k}: v${pick(3)}`);
    }
  };
  block('', 0);
  return lines.join('\n') + '\n';
}

describe('duplicate-key: the fast walk equals the visit()-and-Map check', () => {
  it('on 300 random documents (small and large mappings, flow, sequences, complex keys, merge keys)', () => {
    let found = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const l = lint(randomDocument(seed));
      const expected = reference(l);
      assert.deepStrictEqual(fast(l), expected, `seed ${seed}`);
      found += expected.length;
    }
    assert.ok(found > 300, `the documents exercise the rule (${found} duplicates)`);
  });

  it('on every corpus file', function () {
    needCorpus(this);
    for (const f of fs.readdirSync(CORPUS).filter((n) => /\.ya?ml$/.test(n))) {
      const l = lint(fs.readFileSync(path.join(CORPUS, f), 'utf8'));
      assert.deepStrictEqual(fast(l), reference(l), f);
    }
  });
});
