// The analysis reads big projects with fewer objects (issue 14): a mapping entry is one MapEntry that is also the
// model's Entry, a service's entries are the reader's map, valueOf reads a plain mapping in place, textStart compares
// in place, hostTokens loops with exec, LineIndex finds line starts on first use. Each fast path must give exactly
// what the straightforward code gave: pinned here against that code, on random input and on the corpus.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { isMap, isScalar, isSeq, visit, type Node, type Pair, type YAMLMap } from 'yaml';
import { readFileContribution } from '../../../src/compose/build';
import { hostTokens } from '../../../src/compose/hostnames';
import type { HostReference } from '../../../src/compose/model';
import { parseProjectFile } from '../../../src/compose/project';
import { FileReader, MapEntry } from '../../../src/compose/read';
import { LineIndex } from '../../../src/compose/text';
import type { Located } from '../../../src/compose/types';
import { CORPUS, needCorpus } from '../../support/corpus';
import { rng } from '../../fuzz/generate';

/** Mappings with repeated, null, numeric and quoted keys, merge keys (one and a list), aliases as values. */
function randomDocument(seed: number): string {
  const rnd = rng(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const key = () => (rnd() < 0.05 ? 'null' : rnd() < 0.05 ? '1' : rnd() < 0.05 ? '"k1"' : `k${pick(5)}`);
  const lines = ['x-a: &a {k0: a0, k3: a3}', 'x-b: &b', '  k1: b1', '  k4: *a', 'x-s: &s scalar', 'items:'];
  for (let i = 0; i < 30; i++) {
    lines.push(`  m${i}:`);
    for (let j = 0; j < 1 + pick(5); j++) {
      const r = rnd();
      if (r < 0.08) lines.push('    <<: *a');
      else if (r < 0.12) lines.push('    <<: [*b, *a]');
      else if (r < 0.2) lines.push(`    ${key()}: *s`);
      else if (r < 0.28) lines.push(`    ${key()}: *a`);
      else if (r < 0.35) lines.push(`    ${key()}:`);
      else if (r < 0.45) lines.push(`    ${key()}: {k0: f${i}, k2: [x, y]}`);
      else lines.push(`    ${key()}: v${i}_${j}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** valueOf as it was: the last entry with the key among the mapping's entries (merges expanded). */
function valueOfByEntries(r: FileReader, node: unknown, key: string): Node | null | undefined {
  const entries = r.entries(node);
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i].key.value === key) return entries[i].value;
  return undefined;
}

function everyMapping(doc: ReturnType<typeof parseProjectFile>['doc']): YAMLMap[] {
  const out: YAMLMap[] = [];
  visit(doc, { Map: (_k, m) => void (isMap(m) && out.push(m)) });
  return out;
}

/** textStart as it was: the source sliced out and compared, bare or in quotes. */
function textStartBySlice(text: string, loc: Located): number | undefined {
  const src = text.slice(loc.span.start, loc.span.end);
  if (src === loc.value) return loc.span.start;
  const q = src[0];
  if ((q === '"' || q === "'") && src.slice(1, -1) === loc.value) return loc.span.start + 1;
  return undefined;
}

/** hostTokens as it was: matchAll per pattern into a Map by offset. */
function hostTokensByMatchAll(ref: HostReference): Array<{ host: string; offset: number }> {
  const value = ref.value.value;
  const found = new Map<number, string>();
  for (const m of value.matchAll(/\b[a-z][a-z0-9+.-]{0,31}:\/\/(?:[^@/\s?#]*@)?([A-Za-z0-9][A-Za-z0-9_.-]*)/gi)) found.set(m.index! + m[0].length - m[1].length, m[1]);
  for (const m of value.matchAll(/(^|[\s=,;"'(@/])([A-Za-z][A-Za-z0-9_.-]*):(\d{1,5})(?![\d.:])/g)) found.set(m.index! + m[1].length, m[2]);
  for (const m of value.matchAll(/\[([A-Za-z][A-Za-z0-9_.-]*)\]:\d{1,5}(?![\d.:])/g)) found.set(m.index! + 1, m[1]);
  if (ref.key !== undefined && /HOST|URL|ADDR/i.test(ref.key) && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(value.trim())) found.set(value.indexOf(value.trim()), value.trim());
  return [...found].map(([offset, host]) => ({ host, offset }));
}

describe('the reader\'s fast paths equal the straightforward code', () => {
  it('valueOf reads a mapping in place as its entries would (merges, aliases, duplicate/null/number keys; 200 documents)', () => {
    let compared = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const file = parseProjectFile('/p/compose.yaml', randomDocument(seed));
      const fast = new FileReader(file, {});
      const slow = new FileReader(file, {});
      for (const map of everyMapping(file.doc)) {
        for (const key of ['k0', 'k1', 'k2', 'k3', 'k4', '', '1', 'absent']) {
          assert.strictEqual(fast.valueOf(map, key), valueOfByEntries(slow, map, key), `seed ${seed} key ${key}`);
          compared++;
        }
      }
      assert.deepStrictEqual(fast.findings, slow.findings, `seed ${seed}: the same problems reported`);
    }
    assert.ok(compared > 10_000, `${compared} lookups`);
  });

  it('textStart compares in place as slicing did (corpus scalars, quoted and escaped values, spans past the text)', function () {
    needCorpus(this);
    const texts = fs.readdirSync(CORPUS).filter((n) => /\.ya?ml$/.test(n)).map((n) => fs.readFileSync(path.join(CORPUS, n), 'utf8'));
    texts.push('a: "x\\ty"\nb: \'it\'\'s\'\nc: ""\nd: \'\'\ne: "q"\nf: plain\ng: ${VAR:-d}\n');
    let compared = 0;
    for (const text of texts) {
      const file = parseProjectFile('/p/compose.yaml', text);
      const r = new FileReader(file, { VAR: 'v' });
      visit(file.doc, {
        Scalar: (_k, node) => {
          const loc = r.scalar(node);
          if (!loc) return;
          assert.strictEqual(r.textStart(loc), textStartBySlice(text, loc), JSON.stringify(loc));
          compared++;
        },
      });
      // Values whose span runs past the text, or is empty, or is one quote.
      for (const [start, end, value] of [[text.length - 1, text.length + 5, text.slice(-1)], [3, 3, ''], [0, 1, ''], [text.length + 2, text.length + 4, '']] as const) {
        const loc = { value, span: { file: '/p/compose.yaml', start, end } };
        assert.strictEqual(r.textStart(loc), textStartBySlice(text, loc), JSON.stringify(loc));
      }
    }
    assert.ok(compared > 1000, `${compared} scalars`);
  });

  it('hostTokens with exec loops finds what matchAll found (500 random values, some with hundreds of hosts)', () => {
    const rnd = rng(14);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    const parts = ['http://db:5432/x', 'db:5432', '[api]:80', 'redis://u:p@cache', ' ', '=', ',', 'fd12:3456::1', 'host', ':', 'a.b.c:99', 'x://', '[fd00::1]:80', 'svc_1:8080/', '"q:1"', 'ftp://h'];
    for (let i = 0; i < 500; i++) {
      const n = i % 50 === 0 ? 600 : 1 + Math.floor(rnd() * 8);
      const value = Array.from({ length: n }, () => pick(parts)).join('');
      const ref: HostReference = { ...(rnd() < 0.5 ? { key: pick(['DB_HOST', 'URL', 'X', 'PEER_ADDR']) } : {}), value: { value, span: { file: 'f', start: 0, end: value.length } } };
      assert.deepStrictEqual(hostTokens(ref), hostTokensByMatchAll(ref), value);
    }
  });

  it('LineIndex finds line starts on first use as the eager scan did (positions, offsets, line ends, indents)', () => {
    const rnd = rng(7);
    for (let i = 0; i < 100; i++) {
      const text = Array.from({ length: Math.floor(rnd() * 40) }, () => ['a', ' ', '\n', '\r\n', 'é', '  x: 1\n'][Math.floor(rnd() * 6)]).join('');
      const starts = [0];
      for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) starts.push(k + 1);
      const lines = new LineIndex(text);
      for (let off = -1; off <= text.length + 1; off++) {
        const clamped = Math.max(0, Math.min(off, text.length));
        let line = 0;
        while (line + 1 < starts.length && starts[line + 1] <= clamped) line++;
        assert.deepStrictEqual(lines.positionAt(off), { line, character: clamped - starts[line] }, `${JSON.stringify(text)} @${off}`);
        assert.strictEqual(lines.lineStart(off), starts[line]);
        assert.strictEqual(lines.lineEndInclusive(off), line + 1 < starts.length ? starts[line + 1] : text.length);
      }
      for (let l = 0; l <= starts.length; l++) assert.strictEqual(lines.offsetAt({ line: l, character: 2 }), Math.min((starts[Math.min(l, starts.length - 1)] ?? 0) + 2, text.length));
    }
  });

  it('a service\'s entries are the reader\'s map of its keys (no copy per service); an entry spans its key to its value\'s end', () => {
    const text = 'services:\n  web:\n    image: x\n    networks: [a, b]\n    ports:\n      - "80:80"\n  db: {image: y}\n';
    const file = parseProjectFile('/p/compose.yaml', text);
    const r = new FileReader(file, {});
    const c = readFileContribution(r);
    const servicesNode = r.entryMap(file.doc.contents).get('services')!.value;
    for (const name of ['web', 'db']) {
      const svc = c.services.get(name)!;
      assert.strictEqual(svc.entries, r.entryMap(r.entryMap(servicesNode).get(name)!.value), `${name}: the reader's map itself`);
      for (const [key, entry] of svc.entries) {
        assert.ok(entry instanceof MapEntry);
        assert.strictEqual(text.slice(entry.keySpan.start, entry.keySpan.end), key);
        const valueEnd = ((entry.pair as Pair<Node, Node>).value?.range ?? [0, 0, 0])[1];
        assert.deepStrictEqual(entry.span, { file: '/p/compose.yaml', start: entry.keySpan.start, end: valueEnd });
        assert.strictEqual(entry.span, entry.span, 'made once');
      }
    }
    assert.strictEqual(text.slice(c.services.get('web')!.entries.get('ports')!.span.start, c.services.get('web')!.entries.get('ports')!.span.end), 'ports:\n      - "80:80"\n');
    // What an entry prints as: its key, value and pair (the span's end is private).
    assert.deepStrictEqual(Object.keys(c.services.get('db')!.entries.get('image')!).sort(), ['key', 'pair', 'value']);
    assert.ok(isScalar(c.services.get('db')!.entries.get('image')!.pair.value) && !isSeq(c.services.get('db')!.entries.get('image')!.pair.value));
  });
});
