// `.env` syntax as Compose v2 reads it. Reference: compose-go dotenv/parser.go and godotenv.go (read with the
// code search tools; behaviour learnt, not copied): where it differs from docker-compose 1.29 (Python), v2 wins.
import * as assert from 'assert';
import { parseDotEnv, parseDotEnvText } from '../../../src/compose/dotenv';

describe('.env syntax (compose-go dotenv parser)', () => {
  it('reads KEY=VALUE, `export`, comments, and skips blank lines', () => {
    const text = '# comment\nA=1\nexport B = two\n\n   # indented comment\nC=x # inline comment\nD=x#not-a-comment\n';
    assert.deepStrictEqual({ ...parseDotEnv(text) }, { A: '1', B: 'two', C: 'x', D: 'x#not-a-comment' });
  });

  it('keeps quoted text as written and allows a comment after the closing quote', () => {
    // parser.go: a quoted value ends at its closing quote; what follows is skipped as whitespace or a `#` comment.
    const text = 'A="quoted # not a comment" # a comment\nB=\'single # too\'   # another\nC="spaces  kept  "\n';
    assert.deepStrictEqual({ ...parseDotEnv(text) }, { A: 'quoted # not a comment', B: 'single # too', C: 'spaces  kept  ' });
  });

  it('expands escapes and variables in double quotes only', () => {
    // parser.go expandEscapes: \n \t \" \\ and \$ (a literal dollar) in double quotes; single quotes are raw.
    const text = 'HOST=db\nA="line1\\nline2\\t\\"q\\" \\\\ \\$HOST"\nB=\'${HOST} \\n raw\'\nC="${HOST}:5432"\nD=${HOST}.local\n';
    assert.deepStrictEqual({ ...parseDotEnv(text) }, { HOST: 'db', A: 'line1\nline2\t"q" \\ $HOST', B: '${HOST} \\n raw', C: 'db:5432', D: 'db.local' });
  });

  it('spans lines inside quotes', () => {
    const text = 'CERT="-----BEGIN-----\nabc\n-----END-----"\nNEXT=1\n';
    assert.deepStrictEqual({ ...parseDotEnv(text) }, { CERT: '-----BEGIN-----\nabc\n-----END-----', NEXT: '1' });
  });

  it('resolves ${VAR} from earlier lines first, then from the environment; a bare KEY line inherits from the environment', () => {
    // godotenv.go expandVariables: the file's own earlier values are looked up before the lookup function.
    const text = 'PREFIX=172.22\nNET=${PREFIX}.1\nFROM_ENV=${OUTER:-none}\nSHADOW=${PREFIX}\nINHERITED\nMISSING_INHERITED\n';
    const r = parseDotEnv(text, { OUTER: 'outer', PREFIX: 'ignored-env-value', INHERITED: 'from-env' });
    assert.deepStrictEqual({ ...r }, { PREFIX: '172.22', NET: '172.22.1', FROM_ENV: 'outer', SHADOW: '172.22', INHERITED: 'from-env' });
  });

  it('reads the YAML-like `KEY: value` form and keys with dots and dashes', () => {
    assert.deepStrictEqual({ ...parseDotEnv('a.b-c: 1\nX=2\n') }, { 'a.b-c': '1', X: '2' });
  });

  it('reports what Compose rejects (a space in a key, an unterminated quote) with the line', () => {
    const r = parseDotEnvText('OK=1\nbad line\nQ="never closed\n');
    assert.deepStrictEqual({ ...r.values }, { OK: '1' });
    assert.deepStrictEqual(
      r.errors.map((e) => e.line),
      [2, 3],
    );
  });

  it('treats prototype names as ordinary variables', () => {
    const r = parseDotEnv('A=${toString}-${constructor}\ntoString=x\n');
    assert.deepStrictEqual({ ...r }, { A: '-', toString: 'x' });
  });

  it('drops a UTF-8 byte order mark', () => {
    assert.deepStrictEqual({ ...parseDotEnv('\uFEFFA=1\n') }, { A: '1' });
  });
});
