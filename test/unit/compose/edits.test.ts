// Fix text is built when a fix is read (the editor resolving a code action, `lint --fix`), never during analysis:
// yaml.stringify, most of the slowest rules' time, is not called until then.
import * as assert from 'assert';
import { analyze } from '../../../src/compose/analyze';
import { lazyEdit, replaceSpan } from '../../../src/compose/edits';

const TEXT = [
  'services:',
  '  web:',
  '    image: web',
  '    networks: [frontend, back]', // a misspelt network: rename, or declare it
  '    network_mode: "service:dbb"', // an unknown service: quoted replacements
  '  db:',
  '    image: db',
  '    networks:',
  '      - data', // undeclared: declare it (a new top-level mapping entry)
  '  cache:',
  '    image: cache',
  '    links: [db]', // no shared network: attach it
  'networks:',
  '  front-end: {}',
  '  back: {}',
  '',
].join('\n');

// The module object itself (not an import wrapper): what the compiled analyzer calls `stringify` on.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('yaml') as { stringify: typeof import('yaml').stringify };

describe('fix edits are computed on demand', () => {
  const real = yaml.stringify;
  let calls = 0;
  beforeEach(() => {
    calls = 0;
    yaml.stringify = ((...args: Parameters<typeof yaml.stringify>) => {
      calls++;
      return real(...args);
    }) as typeof yaml.stringify;
  });
  afterEach(() => (yaml.stringify = real));

  it('analysis builds no fix text; reading it builds it once, and it is what the eager builders wrote', () => {
    const a = analyze({ dir: '/p', files: ['/p/compose.yaml'], env: {} }, { readFile: () => TEXT });
    const edits = a.findings.flatMap((f) => f.fixes.flatMap((x) => x.edits));
    assert.ok(edits.length >= 5, `fixes offered: ${a.findings.map((f) => f.rule).join(', ')}`);
    assert.strictEqual(calls, 0, 'no yaml.stringify while analysing');
    const texts = edits.map((e) => e.newText);
    assert.ok(calls > 0, 'the text is built when read');
    const after = calls;
    assert.deepStrictEqual(
      edits.map((e) => e.newText),
      texts,
    );
    assert.strictEqual(calls, after, 'built once, then remembered');
    assert.ok(texts.includes('front-end'), texts.join(' | '));
    assert.ok(texts.some((t) => /^\n?\nnetworks:\n {2}data: \{\}\n$|^ {2}data: \{\}\n$/.test(t)), texts.join(' | '));
    assert.ok(texts.includes('service:db'), texts.join(' | '));
  });

  it('a lazy edit reads, spreads and serialises like a plain one', () => {
    let made = 0;
    const e = lazyEdit('/f', 1, 2, () => (made++, 'x: 1'));
    assert.strictEqual(made, 0);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(e)), { file: '/f', start: 1, end: 2, newText: 'x: 1' });
    assert.deepStrictEqual({ ...e }, { file: '/f', start: 1, end: 2, newText: 'x: 1' });
    assert.strictEqual(made, 1);
  });

  it('replaceSpan quotes only when YAML needs it, and only when read', () => {
    const span = { file: '/f', start: 0, end: 3 };
    const plain = replaceSpan(span, 'service:db', { quote: true });
    const quoted = replaceSpan(span, 'yes: no', { quote: true });
    assert.strictEqual(calls, 0);
    assert.strictEqual(plain.newText, 'service:db');
    assert.strictEqual(quoted.newText, '"yes: no"');
    assert.strictEqual(replaceSpan(span, 'as-is').newText, 'as-is');
  });
});
