import * as assert from 'assert';
import { resolveEndpoint, EndpointError } from '../../../src/engine/endpoint';
import { describeConnectionError } from '../../../src/engine/errors';

describe('resolveEndpoint', () => {
  it('prefers the setting over DOCKER_HOST', () => {
    const e = resolveEndpoint('unix:///tmp/a.sock', { DOCKER_HOST: 'tcp://1.2.3.4:2375' });
    assert.deepStrictEqual([e.source, e.options], ['setting', { socketPath: '/tmp/a.sock' }]);
  });

  it('uses DOCKER_HOST, then the default socket', () => {
    assert.deepStrictEqual(resolveEndpoint('', { DOCKER_HOST: 'tcp://127.0.0.1:2375' }).options, { protocol: 'http', host: '127.0.0.1', port: 2375 });
    const d = resolveEndpoint(undefined, {});
    assert.deepStrictEqual([d.source, d.display], ['default', 'unix:///var/run/docker.sock']);
  });

  it('rejects what it cannot use, saying where the value came from', () => {
    assert.throws(() => resolveEndpoint('ftp://x', {}), (e: Error) => e instanceof EndpointError && /from setting/.test(e.message));
    assert.throws(() => resolveEndpoint('unix://relative.sock', {}), EndpointError);
  });
});

describe('describeConnectionError', () => {
  const endpoint = { display: 'unix:///nope.sock', source: 'setting' as const };
  it('names the endpoint and says what to do for a missing socket', () => {
    const p = describeConnectionError(endpoint, Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' }));
    assert.match(p.reason, /unix:\/\/\/nope\.sock/);
    assert.match(p.hint, /Start the Docker daemon/);
  });
  it('keeps the engine message for API errors', () => {
    const p = describeConnectionError(endpoint, Object.assign(new Error('x'), { statusCode: 500, json: { message: 'boom' } }));
    assert.strictEqual(p.reason, 'boom');
  });
});
