// The four behaviours the rule catalogue marks as unconfirmed, pinned on the real engine
// before our messages claim them. Observed on Debian's docker.io 20.10 with the busybox test image.
import * as assert from 'assert';
import * as net from 'net';
import { cleanupTestObjects, createTestNetwork, runToExit, startTestContainer, uniqueName } from '../support/engine';

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
});
