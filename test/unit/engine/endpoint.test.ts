import * as assert from 'assert';
import { createHash } from 'crypto';
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

describe('resolveEndpoint: contexts, TLS, ssh, Podman', () => {
  const home = '/home/u';
  const files = (map: Record<string, string>, sockets: string[] = []) => ({ home, readFile: (p: string) => map[p], exists: (p: string) => p in map || sockets.includes(p) });
  // sha256("remote") names the context's folder, as the docker CLI does.
  const id = createHash('sha256').update('remote').digest('hex');

  it('uses the current context of ~/.docker/config.json, with its TLS material', () => {
    const f = files({
      [`${home}/.docker/config.json`]: JSON.stringify({ currentContext: 'remote' }),
      [`${home}/.docker/contexts/meta/${id}/meta.json`]: JSON.stringify({ Endpoints: { docker: { Host: 'tcp://10.0.0.5:2376' } } }),
      [`${home}/.docker/contexts/tls/${id}/docker/ca.pem`]: 'CA',
      [`${home}/.docker/contexts/tls/${id}/docker/cert.pem`]: 'CERT',
      [`${home}/.docker/contexts/tls/${id}/docker/key.pem`]: 'KEY',
    });
    const e = resolveEndpoint('', {}, f);
    assert.strictEqual(e.display, 'tcp://10.0.0.5:2376 (context remote)');
    assert.deepStrictEqual(e.options, { protocol: 'https', host: '10.0.0.5', port: 2376, ca: 'CA', cert: 'CERT', key: 'KEY' });
  });

  it('lets DOCKER_CONTEXT pick the context, and says when it has no metadata', () => {
    assert.throws(() => resolveEndpoint('', { DOCKER_CONTEXT: 'remote' }, files({})), /docker context "remote" has no metadata/);
    assert.strictEqual(resolveEndpoint('', { DOCKER_CONTEXT: 'default' }, files({})).source, 'default');
  });

  it('turns on TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', () => {
    const f = files({ '/certs/ca.pem': 'A', '/certs/cert.pem': 'B', '/certs/key.pem': 'C' });
    const e = resolveEndpoint('', { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, f);
    assert.deepStrictEqual(e.options, { protocol: 'https', host: 'h', port: 2376, ca: 'A', cert: 'B', key: 'C' });
    assert.throws(() => resolveEndpoint('', { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/none' }, f), /ca\.pem, cert\.pem and key\.pem/);
  });

  it('reads ssh:// hosts, leaving port and user to ~/.ssh/config when the URL has none', () => {
    assert.deepStrictEqual(resolveEndpoint('ssh://me@build-box:2222', {}).options, { ssh: { host: 'build-box', port: 2222, user: 'me' } });
    assert.deepStrictEqual(resolveEndpoint('ssh://build-box', {}).options, { ssh: { host: 'build-box' } });
    assert.deepStrictEqual(resolveEndpoint('', { DOCKER_HOST: 'ssh://[fd00::5]:22' }).options, { ssh: { host: '[fd00::5]', port: 22 } });
  });

  it('refuses ssh:// values that would reach ssh as options or are not endpoints', () => {
    assert.throws(() => resolveEndpoint('ssh://-oProxyCommand=touch%20x', {}), /from setting/);
    assert.throws(() => resolveEndpoint('ssh://-me@host', {}), /not a user name/);
    assert.throws(() => resolveEndpoint('ssh://host/path', {}), /ssh:\/\/\[user@\]host\[:port\]/);
    assert.throws(() => resolveEndpoint('ssh://host:70000', {}), /out of range/);
  });

  it('lets a context picked for the window win over the setting and DOCKER_HOST', () => {
    const f = files({ [`${home}/.docker/contexts/meta/${id}/meta.json`]: JSON.stringify({ Name: 'remote', Endpoints: { docker: { Host: 'ssh://ops@remote-box' } } }) });
    const e = resolveEndpoint('unix:///tmp/a.sock', { DOCKER_HOST: 'tcp://1.2.3.4:2375' }, f, { context: 'remote' });
    assert.deepStrictEqual([e.source, e.display, e.options], ['context', 'ssh://ops@remote-box (context remote)', { ssh: { host: 'remote-box', user: 'ops' } }]);
    const d = resolveEndpoint('unix:///tmp/a.sock', { DOCKER_HOST: 'tcp://1.2.3.4:2375' }, f, { context: 'default' });
    assert.strictEqual(d.display, 'tcp://1.2.3.4:2375 (context default)', '"default" is DOCKER_HOST, as for the docker CLI');
    assert.throws(() => resolveEndpoint('', {}, f, { context: 'gone' }), /docker context "gone" has no metadata/);
  });

  it("uses a context's TLS material piece by piece: a CA alone verifies the engine without a client certificate", () => {
    const f = files({
      [`${home}/.docker/contexts/meta/${id}/meta.json`]: JSON.stringify({ Endpoints: { docker: { Host: 'tcp://10.0.0.5:2376' } } }),
      [`${home}/.docker/contexts/tls/${id}/docker/ca.pem`]: 'CA',
    });
    assert.deepStrictEqual(resolveEndpoint('', { DOCKER_CONTEXT: 'remote' }, f).options, { protocol: 'https', host: '10.0.0.5', port: 2376, ca: 'CA' });
  });

  it('says which TLS files are missing from DOCKER_CERT_PATH', () => {
    const f = files({ '/certs/ca.pem': 'A' });
    assert.throws(() => resolveEndpoint('', { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, f), /cert\.pem, key\.pem were not found in \/certs/);
  });

  it("falls back to rootless Docker's socket in XDG_RUNTIME_DIR when the system socket is absent", () => {
    const e = resolveEndpoint('', { XDG_RUNTIME_DIR: '/run/user/1000' }, files({}, ['/run/user/1000/docker.sock', '/run/user/1000/podman/podman.sock']));
    assert.strictEqual(e.display, 'unix:///run/user/1000/docker.sock');
  });

  it("falls back to Podman's Docker-compatible socket when only it exists", () => {
    const e = resolveEndpoint('', { XDG_RUNTIME_DIR: '/run/user/1000' }, files({}, ['/run/user/1000/podman/podman.sock']));
    assert.strictEqual(e.display, 'unix:///run/user/1000/podman/podman.sock');
    assert.strictEqual(resolveEndpoint('', {}, files({}, ['/var/run/docker.sock', '/run/podman/podman.sock'])).display, 'unix:///var/run/docker.sock');
  });
});
