// A real 3-node Swarm (scripts/engines/engines.sh swarm: three dockerds in their own network namespaces, VXLAN between
// them); the main engine's Swarm state is never touched. What the Networks view shows comes from client.swarm().
// This kernel has no IPVS: service VIPs resolve but carry no traffic, so no test sends traffic to a VIP.
import * as assert from 'assert';
import type Docker from 'dockerode';
import { createEngineClient } from '../../../src/engine/dockerodeClient';
import { EngineError } from '../../../src/engine/errors';
import type { OverlayNetwork, SwarmView } from '../../../src/engine/swarm';
import { TEST_IMAGE, TEST_LABEL, TEST_RUN } from '../../support/engine';
import { until } from '../../support/until';
import { startEngines, type Engines } from './engines';

const OVERLAY = 'dn-ov';
const SUBNET = '10.10.0.0/24';

async function createService(manager: Docker, name: string, endpointMode: 'vip' | 'dnsrr'): Promise<void> {
  await manager.createService({
    Name: name,
    Labels: { [TEST_LABEL]: TEST_RUN, 'com.docker.stack.namespace': 'dnstack' },
    TaskTemplate: {
      ContainerSpec: { Image: TEST_IMAGE, Command: ['sleep', '3600'] },
      Networks: [{ Target: OVERLAY }],
      Placement: { MaxReplicas: 1 },
    },
    Mode: { Replicated: { Replicas: 3 } },
    EndpointSpec: { Mode: endpointMode },
  } as Docker.CreateServiceOptions);
}

describe('Swarm: a 3-node Swarm in network namespaces, seen through the client', function () {
  this.timeout(180_000);
  let engines: Engines;
  let managerSock: string;
  let view: SwarmView & { role: 'manager' };
  let overlay: OverlayNetwork;

  before(async function () {
    this.timeout(400_000);
    engines = await startEngines('s', ['swarm']);
    const info = engines.info<{ manager: string; workers: string[] }>('swarm');
    managerSock = info.manager;
    const manager = engines.node(1);
    await manager.createNetwork({ Name: OVERLAY, Driver: 'overlay', Attachable: true, CheckDuplicate: true, IPAM: { Driver: 'default', Config: [{ Subnet: SUBNET }] }, Labels: { [TEST_LABEL]: TEST_RUN } });
    await createService(manager, 'web', 'vip');
    await createService(manager, 'dnsweb', 'dnsrr');
    // standalone containers on two nodes, joined to the attachable overlay
    for (const n of [1, 2]) {
      const c = await engines.node(n).createContainer({ name: `c${n}`, Image: TEST_IMAGE, Cmd: ['sleep', '3600'], HostConfig: { NetworkMode: OVERLAY }, Labels: { [TEST_LABEL]: TEST_RUN } });
      await c.start();
    }
    const client = createEngineClient(managerSock, {});
    const runningOnOverlay = (v: SwarmView) => (v.role === 'manager' ? (v.overlays.find((x) => x.name === OVERLAY)?.services ?? []) : []).flatMap((s) => s.tasks.filter((t) => t.state === 'running')).length;
    // one look a second (five API calls each) until the six tasks run
    const v = await until('6 running tasks on the overlay', async () => {
      await new Promise((r) => setTimeout(r, 1000));
      return client.swarm!();
    }, (x) => runningOnOverlay(x) === 6, 150_000);
    view = v as SwarmView & { role: 'manager' };
    overlay = view.overlays.find((x) => x.name === OVERLAY)!;
    console.log(`      (3-node Swarm up in ${engines.upSeconds.toFixed(1)} s)`);
  });
  after(async function () {
    this.timeout(120_000);
    await engines?.down();
  });

  it('the manager lists the three nodes: hostname, role, availability, state, address', () => {
    assert.strictEqual(view.role, 'manager');
    assert.deepStrictEqual(
      view.nodes.map((n) => [n.hostname, n.role, n.availability, n.state, n.address, n.self]),
      [
        ['node1', 'manager', 'active', 'ready', '10.99.0.1', true],
        ['node2', 'worker', 'active', 'ready', '10.99.0.2', false],
        ['node3', 'worker', 'active', 'ready', '10.99.0.3', false],
      ],
    );
    assert.ok(view.nodes[0].leader);
  });

  it('each overlay network has its scope, subnet, VXLAN ID and flags; ingress is listed last', () => {
    assert.deepStrictEqual([overlay.scope, overlay.subnets, overlay.attachable, overlay.encrypted, overlay.ingress], ['swarm', [SUBNET], true, false, false]);
    assert.ok(overlay.vxlanIds.length === 1 && Number(overlay.vxlanIds[0]) >= 4096, `VXLAN ID ${overlay.vxlanIds.join(',')}`);
    const ingress = view.overlays.at(-1)!;
    assert.deepStrictEqual([ingress.name, ingress.ingress], ['ingress', true]);
  });

  it('services on the overlay: the VIP service has a VIP in the subnet, the dnsrr one none; tasks on three nodes with addresses', () => {
    assert.deepStrictEqual(overlay.services.map((s) => [s.name, s.endpointMode, s.mode, s.replicas, s.stack]), [
      ['dnsweb', 'dnsrr', 'replicated', 3, 'dnstack'],
      ['web', 'vip', 'replicated', 3, 'dnstack'],
    ]);
    const web = overlay.services.find((s) => s.name === 'web')!;
    assert.match(web.vip ?? '', /^10\.10\.0\.\d+\/24$/);
    assert.strictEqual(overlay.services.find((s) => s.name === 'dnsweb')!.vip, undefined);
    for (const s of overlay.services) {
      const running = s.tasks.filter((t) => t.state === 'running');
      assert.deepStrictEqual(running.map((t) => t.node).sort(), ['node1', 'node2', 'node3'], `${s.name}: one task per node`);
      for (const t of running) assert.match(t.address ?? '', /^10\.10\.0\.\d+\/24$/, `${t.name} address`);
    }
  });

  it('containers on different nodes reach each other over the overlay (VXLAN), probed through the client', async () => {
    const client = createEngineClient(managerSock, {});
    const r = await client.probe('c1', ['ping', '-c', '2', '-W', '3', 'c2'], { probeImage: TEST_IMAGE });
    assert.strictEqual(r.exitCode, 0, r.output);
    assert.match(r.output, /from 10\.10\.0\.\d+/);
  });

  it("a worker says what it sees (its overlays) and why not more, naming the manager's address", async () => {
    const worker = createEngineClient(engines.info<{ workers: string[] }>('swarm').workers[0], {});
    const v = await worker.swarm!();
    assert.strictEqual(v.role, 'worker');
    if (v.role !== 'worker') return;
    assert.match(v.why, /only managers can list nodes, services and tasks/);
    assert.deepStrictEqual(v.managers, ['10.99.0.1:2377']);
    assert.ok(v.overlays.some((o) => o.name === OVERLAY), 'the worker sees the overlay its container uses');
  });

  it('creating an overlay on a worker is refused with what to do; on the manager it takes encrypted and MTU options', async () => {
    const worker = createEngineClient(engines.info<{ workers: string[] }>('swarm').workers[0], {});
    await assert.rejects(worker.createNetwork({ name: 'dn-ov-worker', driver: 'overlay', attachable: true }), (e: unknown) => {
      assert.ok(e instanceof EngineError);
      assert.match(e.problem.reason, /not a Swarm manager/);
      assert.match(e.problem.hint, /is a Swarm worker: only a manager can create overlay networks\. Point the extension at a manager \(10\.99\.0\.1:2377\)/);
      return true;
    });
    const manager = createEngineClient(managerSock, {});
    // created only: this kernel has no ESP, so encrypted overlay traffic would be dropped (not tested)
    await manager.createNetwork({ name: 'dn-ov-enc', driver: 'overlay', attachable: true, encrypted: true, mtu: 1400, subnet: '10.11.0.0/24', labels: { [TEST_LABEL]: TEST_RUN } });
    const v = await manager.swarm!();
    const enc = v.role === 'manager' ? v.overlays.find((o) => o.name === 'dn-ov-enc') : undefined;
    assert.deepStrictEqual([enc?.encrypted, enc?.mtu, enc?.subnets], [true, '1400', ['10.11.0.0/24']]);
  });

  it('the main engine (never joined to a Swarm by any test) says it is not part of one and what that means', async () => {
    const v = await createEngineClient('unix:///var/run/docker.sock', {}).swarm!();
    assert.strictEqual(v.role, 'none');
    if (v.role === 'none') assert.match(v.why, /not part of a Swarm/);
  });
});
