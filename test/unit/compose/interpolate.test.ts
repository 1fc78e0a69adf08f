import * as assert from 'assert';
import { parseDotEnv } from '../../../src/compose/dotenv';
import { interpolate } from '../../../src/compose/interpolate';

describe('interpolate', () => {
  const env = { SET: 'v', EMPTY: '' };
  const cases: Array<[string, string, boolean]> = [
    ['plain', 'plain', false],
    ['$SET/${SET}', 'v/v', false],
    ['${UNSET:-d}|${EMPTY:-d}|${EMPTY-d}|${UNSET-d}', 'd|d||d', false],
    ['${SET:+r}|${EMPTY:+r}|${EMPTY+r}', 'r||r', false],
    ['${UNSET:-${SET}}', 'v', false],
    ['$$SET costs $$5', '$SET costs $5', false],
    ['${UNSET}', '', true],
    ['${UNSET:?must be set}', '', true],
    ['${EMPTY:?must be set}', '', true],
    ['${EMPTY?ok when empty}', '', false],
    ['${unterminated', '${unterminated', true],
  ];
  for (const [input, value, unknown] of cases) {
    it(`${input} -> ${JSON.stringify(value)}${unknown ? ' (unknown)' : ''}`, () => {
      assert.deepStrictEqual(interpolate(input, env), { value, unknown });
    });
  }
});

describe('parseDotEnv', () => {
  it('reads the usual forms', () => {
    const text = '# comment\nA=1\nexport B = two\nC="quoted # not a comment"\nD=x # comment\nE=\'single\'\n\nbad line\n';
    assert.deepStrictEqual({ ...parseDotEnv(text) }, { A: '1', B: 'two', C: 'quoted # not a comment', D: 'x', E: 'single' });
  });
});
