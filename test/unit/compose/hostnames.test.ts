// Host names inside values: URL hosts, host:port, [host]:port; IPv6 literals are not host names.
import * as assert from 'assert';
import { hostTokens } from '../../../src/compose/hostnames';

const tokens = (value: string, key?: string) =>
  hostTokens({ ...(key !== undefined ? { key } : {}), value: { value, span: { file: 'f', start: 0, end: value.length } } }).map((t) => `${t.host}@${t.offset}`).sort();

describe('host references in values', () => {
  it('reads URL hosts, host:port pairs and whole *HOST* values', () => {
    assert.deepStrictEqual(tokens('postgres://user:pw@db:5432/app'), ['db@19']);
    assert.deepStrictEqual(tokens('redis:6379'), ['redis@0']);
    assert.deepStrictEqual(tokens('cache', 'CACHE_HOST'), ['cache@0']);
  });

  it('reads the bracketed [host]:port form', () => {
    assert.deepStrictEqual(tokens('[db]:5432'), ['db@1']);
    assert.deepStrictEqual(tokens('--upstream=[api]:8080'), ['api@12']);
  });

  it('takes no host name out of IPv6 literals, bracketed or not', () => {
    assert.deepStrictEqual(tokens('fd12:3456:789a::1'), []);
    assert.deepStrictEqual(tokens('abcd:1234::1'), []);
    assert.deepStrictEqual(tokens('[fd00::1]:80'), []);
    assert.deepStrictEqual(tokens('http://[fd00::5]:8080/x'), []);
    assert.deepStrictEqual(tokens('fd00::5', 'DB_HOST'), []);
  });
});
