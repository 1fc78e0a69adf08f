// Every kind of endpoint against a real engine started for this file (scripts/engines/engines.sh): ssh:// through
// the user's own ssh (key, agent, ~/.ssh/config alias, ProxyJump, and its failures), TLS from DOCKER_TLS_VERIFY /
// DOCKER_CERT_PATH and from a docker context, Podman's Docker-compatible API, the rootless socket path.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createHash } from 'crypto';
import { listContexts } from '../../../src/engine/contexts';
import { createEngineClient, localEndpointFiles } from '../../../src/engine/dockerodeClient';
import type { EndpointFiles } from '../../../src/engine/endpoint';
import { EngineError } from '../../../src/engine/errors';
import { attachmentDescription, attachmentsOf, indexAttachments, networkDescription } from '../../../src/engine/view';
import { TEST_IMAGE, TEST_LABEL, TEST_RUN, uniqueName } from '../../support/engine';
import { startEngines, type Engines } from './engines';

interface SshInfo {
  endpoint: string;
  port: number;
  agentSock: string;
  path: { key: string; agent: string; unknownHost: string; noKey: string };
}

/** The environment a user's shell would give: their ssh first on PATH, their agent, nothing of DOCKER_* unless set. */
function userEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return { ...env, ...extra, PATH: extra.PATH ? `${extra.PATH}:${process.env.PATH}` : process.env.PATH };
}

/** Creates a labelled network through `client` and checks, on the engine's own socket, that it landed there. */
async function landsOn(engines: Engines, node: number, client: ReturnType<typeof createEngineClient>): Promise<void> {
  const name = uniqueName('dn-ep');
  await client.createNetwork({ name, driver: 'bridge', labels: { [TEST_LABEL]: TEST_RUN } });
  const there = await engines.node(node).listNetworks({ filters: JSON.stringify({ name: [name] }) });
  assert.strictEqual(there.length, 1, `${name} should exist on node${node}`);
  const listed = (await client.listNetworks()).map((n) => n.name);
  assert.ok(listed.includes(name), `${name} listed through ${client.endpoint.display}`);
  await client.removeNetwork(name);
}

/** A running container on node N, for probes through the endpoint under test. */
async function containerOn(engines: Engines, node: number): Promise<string> {
  const c = await engines.node(node).createContainer({ Image: TEST_IMAGE, Cmd: ['sleep', '600'], Labels: { [TEST_LABEL]: TEST_RUN } });
  await c.start();
  return c.id;
}

function rejectsWith(promise: Promise<unknown>, check: (e: EngineError) => void): Promise<void> {
  return assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof EngineError, `expected an EngineError, got ${String(e)}`);
    check(e);
    return true;
  });
}

describe('endpoints against real engines: ssh, TLS, contexts, Podman, rootless socket path', function () {
  this.timeout(180_000);
  let engines: Engines;

  before(async function () {
    this.timeout(300_000);
    engines = await startEngines('e', ['ssh', 'tls', 'podman', 'socket']);
    console.log(`      (ssh, TLS, Podman and socket engines up in ${engines.upSeconds.toFixed(1)} s)`);
  });
  after(async function () {
    this.timeout(120_000);
    await engines?.down();
  });

  describe('ssh://', () => {
    let ssh: SshInfo;
    before(() => (ssh = engines.info<SshInfo>('ssh')));

    it('DOCKER_HOST=ssh://… lists networks, creates one on the remote engine and runs a probe there (exec over ssh)', async () => {
      const client = createEngineClient('', userEnv({ DOCKER_HOST: ssh.endpoint, PATH: ssh.path.key }));
      assert.strictEqual(client.endpoint.display, ssh.endpoint);
      const names = (await client.listNetworks()).map((n) => n.name);
      for (const n of ['bridge', 'host', 'none']) assert.ok(names.includes(n), n);
      await landsOn(engines, 9, client);
      const id = await containerOn(engines, 9);
      const r = await client.probe(id, ['ping', '-c', '1', '-W', '2', '127.0.0.1'], { probeImage: TEST_IMAGE });
      assert.strictEqual(r.exitCode, 0, r.output);
      assert.match(r.output, /1 packets received/);
    });

    it('the "dockerNetworking.dockerHost" setting with ssh:// authenticates through the agent (no IdentityFile)', async () => {
      const client = createEngineClient(ssh.endpoint, userEnv({ PATH: ssh.path.agent, SSH_AUTH_SOCK: ssh.agentSock }));
      assert.strictEqual(client.endpoint.source, 'setting');
      await landsOn(engines, 9, client);
    });

    it("uses the user's ~/.ssh/config: a Host alias, and a ProxyJump through it", async () => {
      for (const host of ['ssh://dn-alias', 'ssh://dn-jumped']) {
        const client = createEngineClient(host, userEnv({ PATH: ssh.path.key }));
        const names = (await client.listNetworks()).map((n) => n.name);
        assert.ok(names.includes('bridge'), host);
      }
    });

    it('an unknown host key is an error naming the endpoint, the step and what to do (ssh never prompts)', async () => {
      const client = createEngineClient(ssh.endpoint, userEnv({ PATH: ssh.path.unknownHost }));
      await rejectsWith(client.listNetworks(), (e) => {
        assert.strictEqual(e.problem.endpoint.display, ssh.endpoint);
        assert.match(e.problem.reason, /^ssh host key failed: Host key verification failed/);
        assert.match(e.problem.hint, new RegExp(`ssh -p ${ssh.port} root@127\\.0\\.0\\.1`));
      });
    });

    it('a key the server refuses is an authentication error that says to load a key, not "socket hang up"', async () => {
      const client = createEngineClient(ssh.endpoint, userEnv({ PATH: ssh.path.noKey }));
      await rejectsWith(client.listNetworks(), (e) => {
        assert.match(e.problem.reason, /^ssh authentication failed: .*Permission denied \(publickey\)/);
        assert.match(e.problem.hint, /ssh-add/);
      });
    });

    it('no sshd on the port is a connection error', async () => {
      const client = createEngineClient('ssh://root@127.0.0.1:1', userEnv({ PATH: ssh.path.key }));
      await rejectsWith(client.listNetworks(), (e) => assert.match(e.problem.reason, /^ssh connection failed: .*Connection refused/));
    });
  });

  describe('TLS', () => {
    let tls: { endpoint: string; certPath: string; otherCertPath: string };
    before(() => (tls = engines.info('tls')));

    it('DOCKER_HOST + DOCKER_TLS_VERIFY + DOCKER_CERT_PATH: lists networks, creates one there and runs a probe', async () => {
      const client = createEngineClient('', userEnv({ DOCKER_HOST: tls.endpoint, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tls.certPath }));
      await landsOn(engines, 4, client);
      const id = await containerOn(engines, 4);
      const r = await client.probe(id, ['nslookup', 'localhost', '127.0.0.1'], { probeImage: TEST_IMAGE });
      assert.ok(r.output.length > 0);
    });

    it('a CA that did not sign the engine certificate fails the TLS handshake, and says so', async () => {
      const client = createEngineClient('', userEnv({ DOCKER_HOST: tls.endpoint, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tls.otherCertPath }));
      await rejectsWith(client.listNetworks(), (e) => {
        assert.match(e.problem.reason, /^TLS handshake failed/);
        assert.match(e.problem.hint, /CA that signed it/);
      });
    });

    it('plain HTTP to the TLS port says to turn TLS on', async () => {
      const client = createEngineClient(tls.endpoint, userEnv({}));
      await rejectsWith(client.listNetworks(), (e) => assert.match(e.problem.hint, /DOCKER_TLS_VERIFY=1/));
    });

    it("a docker context with TLS material (the docker CLI's layout), current or picked for the window", async () => {
      const config = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-ctx-'));
      try {
        const id = createHash('sha256').update('tls-box').digest('hex');
        fs.mkdirSync(path.join(config, 'contexts/meta', id), { recursive: true });
        fs.writeFileSync(path.join(config, 'contexts/meta', id, 'meta.json'), JSON.stringify({ Name: 'tls-box', Metadata: { Description: 'test' }, Endpoints: { docker: { Host: tls.endpoint, SkipTLSVerify: false } } }));
        const tlsDir = path.join(config, 'contexts/tls', id, 'docker');
        fs.mkdirSync(tlsDir, { recursive: true });
        for (const f of ['ca.pem', 'cert.pem', 'key.pem']) fs.copyFileSync(path.join(tls.certPath, f), path.join(tlsDir, f));
        fs.writeFileSync(path.join(config, 'config.json'), JSON.stringify({ currentContext: 'tls-box' }));
        const env = userEnv({ DOCKER_CONFIG: config });
        const current = createEngineClient('', env);
        assert.strictEqual(current.endpoint.display, `${tls.endpoint} (context tls-box)`);
        await landsOn(engines, 4, current);
        const contexts = listContexts(env, localEndpointFiles());
        assert.deepStrictEqual(contexts.map((c) => [c.name, c.current]), [['default', false], ['tls-box', true]]);
        // picked for this window while the setting points elsewhere: the pick wins, like `docker --context`
        const picked = createEngineClient('unix:///tmp/no-engine.sock', userEnv({ DOCKER_CONFIG: config }), { context: 'tls-box' });
        assert.ok((await picked.listNetworks()).some((n) => n.name === 'bridge'));
      } finally {
        fs.rmSync(config, { recursive: true, force: true });
      }
    });
  });

  it("Podman's Docker-compatible API: lists its networks, creates and removes one", async () => {
    const { endpoint } = engines.info<{ endpoint: string }>('podman');
    const client = createEngineClient(endpoint, userEnv({}));
    const names = (await client.listNetworks()).map((n) => n.name);
    // Podman's compatible API shows its default network "podman" under Docker's name for it
    assert.ok(names.includes('bridge'), `the default network in ${names.join(', ')}`);
    assert.ok((await client.snapshot()).networkNames.includes('bridge'));
    const name = uniqueName('dn-podman');
    await client.createNetwork({ name, driver: 'bridge', subnet: '10.232.9.0/24', labels: { [TEST_LABEL]: TEST_RUN } });
    const ours = (await client.listNetworks()).find((n) => n.name === name);
    assert.deepStrictEqual(ours?.subnets.map((s) => s.subnet), ['10.232.9.0/24']);
    await client.removeNetwork(name);
  });

  it('a macvlan network (parent eth0 of the engine host) and an IPv6 network, listed with their containers and addresses as the tree shows them', async () => {
    const sock = engines.info<{ endpoint: string }>('socket');
    const raw = engines.node(6); // its host is network namespace ID-n6, eth0 10.99.0.6/24
    await raw.createNetwork({ Name: 'dn-mac', Driver: 'macvlan', Options: { parent: 'eth0' }, IPAM: { Driver: 'default', Config: [{ Subnet: '10.99.0.0/24', IPRange: '10.99.0.128/25', Gateway: '10.99.0.254' }] }, Labels: { [TEST_LABEL]: TEST_RUN } });
    await raw.createNetwork({ Name: 'dn-v6', EnableIPv6: true, IPAM: { Driver: 'default', Config: [{ Subnet: '10.98.0.0/24' }, { Subnet: 'fd00:98::/64' }] }, Labels: { [TEST_LABEL]: TEST_RUN } });
    for (const [name, net] of [['on-mac', 'dn-mac'], ['on-v6', 'dn-v6']]) {
      const c = await raw.createContainer({ name, Image: TEST_IMAGE, Cmd: ['sleep', '600'], HostConfig: { NetworkMode: net }, Labels: { [TEST_LABEL]: TEST_RUN } });
      await c.start();
    }
    const client = createEngineClient(sock.endpoint, userEnv({}));
    const [networks, containers] = await Promise.all([client.listNetworks(), client.listContainers()]);
    const index = indexAttachments(containers);
    const mac = networks.find((n) => n.name === 'dn-mac')!;
    const v6 = networks.find((n) => n.name === 'dn-v6')!;
    assert.strictEqual(networkDescription(mac, index), 'macvlan · 10.99.0.0/24');
    assert.strictEqual(networkDescription(v6, index), 'bridge · 10.98.0.0/24 · fd00:98::/64 · IPv6');
    const [onMac] = attachmentsOf(mac, index);
    assert.match(attachmentDescription(onMac), /^running · 10\.99\.0\.(1[2-9]\d|2[0-4]\d|25[0-3])$/, 'an address from the ip_range');
    const [onV6] = attachmentsOf(v6, index);
    assert.match(attachmentDescription(onV6), /^running · 10\.98\.0\.\d+ · fd00:98::[0-9a-f:]+$/);
  });

  it("rootless Docker's socket path: found in XDG_RUNTIME_DIR without the system socket, and through a context like the rootless setup tool makes", async () => {
    const sock = engines.info<{ xdgRuntimeDir: string; endpoint: string }>('socket');
    // This machine has /var/run/docker.sock: hide only that one file from the resolver to see the fallback.
    const real = localEndpointFiles();
    const noSystemSocket: EndpointFiles = { ...real, exists: (p) => p !== '/var/run/docker.sock' && real.exists(p) };
    const client = createEngineClient('', userEnv({ XDG_RUNTIME_DIR: sock.xdgRuntimeDir, DOCKER_CONFIG: '/nonexistent' }), { files: noSystemSocket });
    assert.strictEqual(client.endpoint.display, sock.endpoint);
    await landsOn(engines, 6, client);
    const config = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-ctx-'));
    try {
      const id = createHash('sha256').update('rootless').digest('hex');
      fs.mkdirSync(path.join(config, 'contexts/meta', id), { recursive: true });
      fs.writeFileSync(path.join(config, 'contexts/meta', id, 'meta.json'), JSON.stringify({ Name: 'rootless', Metadata: { Description: 'Rootless mode' }, Endpoints: { docker: { Host: sock.endpoint, SkipTLSVerify: false } } }));
      const viaContext = createEngineClient('', userEnv({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'rootless' }));
      assert.strictEqual(viaContext.endpoint.display, `${sock.endpoint} (context rootless)`);
      await landsOn(engines, 6, viaContext);
    } finally {
      fs.rmSync(config, { recursive: true, force: true });
    }
  });
});
