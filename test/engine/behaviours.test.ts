// The four behaviours the rule catalogue marks as unconfirmed, pinned on the real engine
// before our messages claim them. Observed on Debian's docker.io 20.10 with the busybox test image.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as net from 'net';
import { analyze } from '../../src/compose/analyze';
import { createEngineClient } from '../../src/engine/dockerodeClient';
import { cleanupTestObjects, createTestNetwork, rawDocker, runToExit, startTestContainer, TEST_LABEL, TEST_RUN, uniqueName } from '../support/engine';

/** A labelled bridge network with driver options (what `driver_opts` in a compose file sets). */
async function createBridgeWithOptions(options: Record<string, string>, internal = false): Promise<string> {
  const name = uniqueName('dn-opt');
  await rawDocker().createNetwork({ Name: name, Driver: 'bridge', Internal: internal, Options: options, Labels: { [TEST_LABEL]: TEST_RUN } });
  return name;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('engine behaviours behind our rule messages', () => {
  after(() => cleanupTestObjects());

  it('ports-on-internal-only: the binding is requested but never set up, and the host cannot connect', async () => {
    const internal = await createTestNetwork({ internal: true });
    const port = 20000 + Math.floor(Math.random() * 20000);
    const c = await startTestContainer({
      Cmd: ['httpd', '-f', '-p', '80', '-h', '/tmp'],
      ExposedPorts: { '80/tcp': {} },
      HostConfig: { NetworkMode: internal, PortBindings: { '80/tcp': [{ HostPort: String(port) }] } },
    });
    const info = await c.inspect();
    // Observed: HostConfig.PortBindings keeps the request; NetworkSettings.Ports is empty.
    assert.deepStrictEqual(info.HostConfig.PortBindings, { '80/tcp': [{ HostIp: '', HostPort: String(port) }] });
    assert.deepStrictEqual(Object.values(info.NetworkSettings.Ports ?? {}).filter((v) => v && v.length), []);
    assert.strictEqual(await canConnect(port), false);
  });

  it('duplicate-static-ip: the second container fails to start with "Address already in use"', async () => {
    const network = await createTestNetwork({ subnet: '10.231.9.0/24' });
    const endpoint = { EndpointsConfig: { [network]: { IPAMConfig: { IPv4Address: '10.231.9.10' } } } };
    await startTestContainer({ HostConfig: { NetworkMode: network }, NetworkingConfig: endpoint });
    await assert.rejects(startTestContainer({ HostConfig: { NetworkMode: network }, NetworkingConfig: endpoint }), /Address already in use/);
  });

  it('namespace-tenant-has-no-dns: a container sharing another one\'s namespace has no DNS name of its own', async () => {
    const network = await createTestNetwork();
    const ownerName = uniqueName('owner');
    const tenantName = uniqueName('tenant');
    const owner = await startTestContainer({ name: ownerName, HostConfig: { NetworkMode: network } });
    await startTestContainer({ name: tenantName, HostConfig: { NetworkMode: `container:${owner.id}` } });
    const toTenant = await runToExit({ Cmd: ['ping', '-c1', '-W2', tenantName], HostConfig: { NetworkMode: network } });
    assert.notStrictEqual(toTenant.code, 0);
    assert.match(toTenant.output, /bad address/);
    const toOwner = await runToExit({ Cmd: ['ping', '-c1', '-W2', ownerName], HostConfig: { NetworkMode: network } });
    assert.strictEqual(toOwner.code, 0, toOwner.output);
  });

  it('extra-hosts-shadows-service: an extra_hosts entry wins over Compose DNS for that name', async () => {
    const network = await createTestNetwork();
    const db = uniqueName('db');
    await startTestContainer({ name: db, HostConfig: { NetworkMode: network } });
    // A loopback address inside the probe: nothing leaves the machine.
    const probe = await runToExit({ Cmd: ['ping', '-c1', '-W2', db], HostConfig: { NetworkMode: network, ExtraHosts: [`${db}:127.0.0.2`] } });
    assert.match(probe.output, new RegExp(`PING ${db} \\(127\\.0\\.0\\.2\\)`));
    const plain = await runToExit({ Cmd: ['ping', '-c1', '-W2', db], HostConfig: { NetworkMode: network } });
    assert.doesNotMatch(plain.output, /127\.0\.0\.2/);
    assert.strictEqual(plain.code, 0, plain.output);
  });

  it('hostname: a container\'s hostname is a DNS name for its peers on a user-defined network', async () => {
    // Observed on 20.10 (API 1.41): the engine adds the hostname to the endpoint's Aliases; peers resolve and reach it.
    const network = await createTestNetwork();
    const host = uniqueName('dn-host');
    const target = await startTestContainer({ name: uniqueName('dn-named'), Hostname: host, HostConfig: { NetworkMode: network } });
    const aliases = (await target.inspect()).NetworkSettings.Networks[network].Aliases ?? [];
    assert.ok(aliases.includes(host), `aliases ${JSON.stringify(aliases)}`);
    const probe = await runToExit({ Cmd: ['ping', '-c1', '-W2', host], HostConfig: { NetworkMode: network } });
    assert.strictEqual(probe.code, 0, probe.output);
  });

  it('enable_icc "false": names still resolve, but containers on that bridge cannot connect to each other', async () => {
    const network = await createBridgeWithOptions({ 'com.docker.network.bridge.enable_icc': 'false' });
    const server = uniqueName('dn-icc');
    await startTestContainer({ name: server, Cmd: ['httpd', '-f', '-p', '80', '-h', '/tmp'], HostConfig: { NetworkMode: network } });
    const lookup = await runToExit({ Cmd: ['nslookup', server, '127.0.0.11'], HostConfig: { NetworkMode: network } });
    assert.match(lookup.output, /Address: 172\.|Address: 10\.|Address: 192\.168\./, lookup.output);
    const ping = await runToExit({ Cmd: ['ping', '-c1', '-W2', server], HostConfig: { NetworkMode: network } });
    assert.notStrictEqual(ping.code, 0, ping.output);
    const tcp = await runToExit({ Cmd: ['sh', '-c', `echo | nc -w 2 ${server} 80`], HostConfig: { NetworkMode: network } });
    assert.notStrictEqual(tcp.code, 0, tcp.output);
    // Near miss: the same two containers on a default bridge network connect.
    const open = await createTestNetwork();
    const server2 = uniqueName('dn-icc-on');
    await startTestContainer({ name: server2, Cmd: ['httpd', '-f', '-p', '80', '-h', '/tmp'], HostConfig: { NetworkMode: open } });
    const ok = await runToExit({ Cmd: ['ping', '-c1', '-W2', server2], HostConfig: { NetworkMode: open } });
    assert.strictEqual(ok.code, 0, ok.output);
  });

  it('static-ip-across-networks: a container cannot reach a static address on another bridge network', async () => {
    const a = await createTestNetwork({ subnet: '10.231.21.0/24' });
    const b = await createTestNetwork({ subnet: '10.231.22.0/24' });
    await startTestContainer({ HostConfig: { NetworkMode: b }, NetworkingConfig: { EndpointsConfig: { [b]: { IPAMConfig: { IPv4Address: '10.231.22.100' } } } } });
    const across = await runToExit({ Cmd: ['ping', '-c1', '-W2', '10.231.22.100'], HostConfig: { NetworkMode: a } });
    assert.notStrictEqual(across.code, 0, across.output);
    const same = await runToExit({ Cmd: ['ping', '-c1', '-W2', '10.231.22.100'], HostConfig: { NetworkMode: b } });
    assert.strictEqual(same.code, 0, same.output);
  });

  it('duplicate-host-port: a second container publishing the same host port fails with "port is already allocated"', async () => {
    const network = await createTestNetwork();
    const port = 20000 + Math.floor(Math.random() * 20000);
    const bind = { ExposedPorts: { '80/tcp': {} }, HostConfig: { NetworkMode: network, PortBindings: { '80/tcp': [{ HostPort: String(port) }] } } };
    await startTestContainer(bind);
    await assert.rejects(startTestContainer(bind), /port is already allocated|address already in use/);
  });

  it('host-docker-internal-unresolved: the name resolves only with extra_hosts host-gateway, and never for a logging driver', async () => {
    const network = await createTestNetwork();
    const without = await runToExit({ Cmd: ['nslookup', 'host.docker.internal'], HostConfig: { NetworkMode: network } });
    assert.doesNotMatch(without.output, /Name:\s+host\.docker\.internal/, without.output);
    const withGateway = await runToExit({ Cmd: ['cat', '/etc/hosts'], HostConfig: { NetworkMode: network, ExtraHosts: ['host.docker.internal:host-gateway'] } });
    assert.match(withGateway.output, /\d+\.\d+\.\d+\.\d+\s+host\.docker\.internal/);
    // The logging driver is the engine's: extra_hosts does not apply to it, the name is looked up on the host.
    await assert.rejects(
      startTestContainer({ HostConfig: { NetworkMode: network, ExtraHosts: ['host.docker.internal:host-gateway'], LogConfig: { Type: 'fluentd', Config: { 'fluentd-address': 'host.docker.internal:24224' } } } }),
      /host\.docker\.internal/,
    );
  });

  it('the engine snapshot feeds the engine-aware rules: an existing network\'s subnet, a taken host port', async () => {
    await createTestNetwork({ subnet: '10.231.30.0/24' });
    const port = 20000 + Math.floor(Math.random() * 20000);
    const holder = uniqueName('dn-holder');
    await startTestContainer({ name: holder, ExposedPorts: { '80/tcp': {} }, HostConfig: { PortBindings: { '80/tcp': [{ HostPort: String(port) }] } } });
    const snapshot = await createEngineClient(undefined).snapshot();
    assert.ok(snapshot.networks?.some((n) => n.subnets.includes('10.231.30.0/24')));
    assert.ok(snapshot.publishedPorts?.some((p) => p.port === port && p.container === holder));
    assert.ok(snapshot.hostRoutes, 'a local engine reports the host routes');
    const text = `services:\n  web:\n    image: web\n    ports: ["${port}:80"]\n    networks: [lab]\nnetworks:\n  lab:\n    ipam:\n      config:\n        - subnet: 10.231.30.128/25\n`;
    const a = analyze({ dir: '/p', files: ['compose.yaml'], env: {} }, { readFile: (f: string) => (f === '/p/compose.yaml' ? text : undefined) }, snapshot);
    assert.deepStrictEqual(a.findings.filter((f) => f.rule === 'subnet-overlaps-engine-network' || f.rule === 'duplicate-host-port').map((f) => f.rule).sort(), ['duplicate-host-port', 'subnet-overlaps-engine-network']);
  });

  describe('with links of this machine (an outside test host in a network namespace that knows no container subnet; a macvlan parent)', function () {
    const OUTSIDE = '198.18.211.2';
    const canMakeNetns = process.getuid?.() === 0 && spawnSync('ip', ['-V']).status === 0;
    const ip = (...args: string[]) => spawnSync('ip', args, { encoding: 'utf8' });
    before(function () {
      if (!canMakeNetns) {
        console.log('      !!! SKIPPED: needs root and iproute2 for the outside test host');
        this.skip();
      }
      ip('netns', 'del', 'h11bout');
      ip('link', 'del', 'h11b-out-h');
      ip('link', 'del', 'h11b-mv0');
      for (const cmd of [
        ['netns', 'add', 'h11bout'],
        ['link', 'add', 'h11b-out-h', 'type', 'veth', 'peer', 'name', 'h11b-out-o'],
        ['link', 'set', 'h11b-out-o', 'netns', 'h11bout'],
        ['addr', 'add', '198.18.211.1/24', 'dev', 'h11b-out-h'],
        ['link', 'set', 'h11b-out-h', 'up'],
        ['netns', 'exec', 'h11bout', 'ip', 'addr', 'add', `${OUTSIDE}/24`, 'dev', 'h11b-out-o'],
        ['netns', 'exec', 'h11bout', 'ip', 'link', 'set', 'h11b-out-o', 'up'],
        // A parent link for the macvlan test, in this machine only.
        ['link', 'add', 'h11b-mv0', 'type', 'veth', 'peer', 'name', 'h11b-mv1'],
        ['link', 'set', 'h11b-mv0', 'up'],
        // No route back to any container subnet, like a real upstream router: only masqueraded traffic gets answers.
      ]) {
        const r = ip(...cmd);
        assert.strictEqual(r.status, 0, `ip ${cmd.join(' ')}: ${r.stderr}`);
      }
    });
    after(async () => {
      await cleanupTestObjects(); // the macvlan network goes before its parent link
      ip('netns', 'del', 'h11bout');
      ip('link', 'del', 'h11b-out-h');
      ip('link', 'del', 'h11b-mv0');
    });

    it('ports-on-macvlan-only: a container whose only network is macvlan gets no port mapping', async () => {
      const name = uniqueName('dn-mv');
      // The parent is a veth of this test (this kernel has no dummy links for the engine's parent-less macvlan).
      await rawDocker().createNetwork({ Name: name, Driver: 'macvlan', Options: { parent: 'h11b-mv0' }, IPAM: { Config: [{ Subnet: '10.231.23.0/24' }] }, Labels: { [TEST_LABEL]: TEST_RUN } });
      const port = 20000 + Math.floor(Math.random() * 20000);
      const c = await startTestContainer({
        Cmd: ['httpd', '-f', '-p', '80', '-h', '/tmp'],
        ExposedPorts: { '80/tcp': {} },
        HostConfig: { NetworkMode: name, PortBindings: { '80/tcp': [{ HostPort: String(port) }] } },
      });
      const info = await c.inspect();
      assert.deepStrictEqual(Object.values(info.NetworkSettings.Ports ?? {}).filter((v) => v && v.length), []);
      assert.strictEqual(await canConnect(port), false);
    });

    it('a normal bridge network reaches the outside host (masqueraded)', async () => {
      const network = await createTestNetwork();
      const probe = await runToExit({ Cmd: ['ping', '-c1', '-W2', OUTSIDE], HostConfig: { NetworkMode: network } });
      assert.strictEqual(probe.code, 0, probe.output);
    });

    it('enable_ip_masquerade "false": no way out through that bridge', async () => {
      const network = await createBridgeWithOptions({ 'com.docker.network.bridge.enable_ip_masquerade': 'false' });
      const probe = await runToExit({ Cmd: ['ping', '-c1', '-W2', OUTSIDE], HostConfig: { NetworkMode: network } });
      assert.notStrictEqual(probe.code, 0, probe.output);
    });

    it('internal: no way out, while peers on the internal network still reach each other', async () => {
      const network = await createBridgeWithOptions({}, true);
      const peer = uniqueName('dn-int');
      await startTestContainer({ name: peer, HostConfig: { NetworkMode: network } });
      const out = await runToExit({ Cmd: ['ping', '-c1', '-W2', OUTSIDE], HostConfig: { NetworkMode: network } });
      assert.notStrictEqual(out.code, 0, out.output);
      const inside = await runToExit({ Cmd: ['ping', '-c1', '-W2', peer], HostConfig: { NetworkMode: network } });
      assert.strictEqual(inside.code, 0, inside.output);
    });
  });
});
