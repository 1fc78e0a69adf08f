import * as assert from 'assert';
import { buildSwarmOverlays, nodeFromRaw, overlayDescription, serviceDescription, taskDescription, type RawService, type RawSwarmNetwork, type RawTask } from '../../../src/engine/swarm';
import { listContexts } from '../../../src/engine/contexts';
import { createHash } from 'crypto';

describe('swarm view (pure joins of API records)', () => {
  const nodes = [
    nodeFromRaw({ ID: 'n1', Description: { Hostname: 'node1' }, Spec: { Role: 'manager', Availability: 'active' }, Status: { State: 'ready', Addr: '0.0.0.0' }, ManagerStatus: { Leader: true, Addr: '10.0.0.1:2377' } }, 'n1'),
    nodeFromRaw({ ID: 'n2', Description: { Hostname: 'node2' }, Spec: { Role: 'worker', Availability: 'drain' }, Status: { State: 'ready', Addr: '10.0.0.2' } }, 'n1'),
  ];
  const networks: RawSwarmNetwork[] = [
    { Id: 'ing', Name: 'ingress', Driver: 'overlay', Scope: 'swarm', Ingress: true, IPAM: { Config: [{ Subnet: '10.0.0.0/24' }] }, Options: { 'com.docker.network.driver.overlay.vxlanid_list': '4096' } },
    { Id: 'ov', Name: 'app', Driver: 'overlay', Scope: 'swarm', Attachable: true, IPAM: { Config: [{ Subnet: '10.10.0.0/24' }] }, Options: { 'com.docker.network.driver.overlay.vxlanid_list': '4097', encrypted: '', 'com.docker.network.driver.mtu': '1400' }, Labels: { 'com.docker.stack.namespace': 'st' } },
    { Id: 'br', Name: 'bridge', Driver: 'bridge' },
  ];
  const services: RawService[] = [
    { ID: 's1', Spec: { Name: 'st_web', Mode: { Replicated: { Replicas: 2 } }, TaskTemplate: { Networks: [{ Target: 'ov' }] } }, Endpoint: { VirtualIPs: [{ NetworkID: 'ov', Addr: '10.10.0.2/24' }, { NetworkID: 'ing', Addr: '10.0.0.5/24' }], Ports: [{ PublishedPort: 8080, TargetPort: 80, Protocol: 'tcp', PublishMode: 'ingress' }] } },
    { ID: 's2', Spec: { Name: 'st_db', Mode: { Global: {} }, EndpointSpec: { Mode: 'dnsrr' }, TaskTemplate: { Networks: [{ Target: 'ov' }] } } },
  ];
  const tasks: RawTask[] = [
    { ID: 't1', ServiceID: 's1', NodeID: 'n1', Slot: 1, DesiredState: 'running', Status: { State: 'running' }, NetworksAttachments: [{ Network: { ID: 'ov' }, Addresses: ['10.10.0.3/24'] }, { Network: { ID: 'ing' }, Addresses: ['10.0.0.6/24'] }] },
    { ID: 't2', ServiceID: 's1', NodeID: 'n2', Slot: 2, DesiredState: 'running', Status: { State: 'pending' } },
    { ID: 't0', ServiceID: 's1', NodeID: 'n2', Slot: 2, DesiredState: 'shutdown', Status: { State: 'failed', Err: 'no suitable node' } },
    { ID: 't3', ServiceID: 's2', NodeID: 'n1', DesiredState: 'running', Status: { State: 'running' }, NetworksAttachments: [{ Network: { ID: 'ov' }, Addresses: ['10.10.0.9/24'] }] },
  ];

  it('node address falls back to the manager address when the status says 0.0.0.0', () => {
    assert.deepStrictEqual([nodes[0].address, nodes[0].self, nodes[0].leader, nodes[1].address], ['10.0.0.1', true, true, '10.0.0.2']);
  });

  it('joins services to each overlay with their VIP there, and tasks with node hostname and address on that network', () => {
    const overlays = buildSwarmOverlays(networks, services, tasks, nodes);
    assert.deepStrictEqual(overlays.map((o) => o.name), ['app', 'ingress'], 'only overlays; ingress last');
    const app = overlays[0];
    assert.deepStrictEqual([app.vxlanIds, app.encrypted, app.mtu, app.stack, app.attachable], [['4097'], true, '1400', 'st', true]);
    assert.deepStrictEqual(app.services.map((s) => [s.name, s.endpointMode, s.vip, s.mode]), [['st_db', 'dnsrr', undefined, 'global'], ['st_web', 'vip', '10.10.0.2/24', 'replicated']]);
    const web = app.services[1];
    assert.deepStrictEqual(web.tasks.map((t) => [t.name, t.node, t.state, t.address, t.error]), [
      ['st_web.1', 'node1', 'running', '10.10.0.3/24', undefined],
      ['st_web.2', 'node2', 'pending', undefined, undefined],
      ['st_web.2', 'node2', 'failed', undefined, 'no suitable node'],
    ]);
    assert.strictEqual(overlays[1].services[0].vip, '10.0.0.5/24', 'the ingress VIP is listed on the ingress network');
    assert.strictEqual(overlayDescription(app), 'swarm · 10.10.0.0/24 · VXLAN 4097 · attachable · encrypted');
    assert.strictEqual(serviceDescription(web), 'VIP 10.10.0.2/24 · 1/2 · 8080:80/tcp (ingress)');
    assert.strictEqual(taskDescription(web.tasks[2]), 'node2 · failed → shutdown');
  });
});

describe('listContexts', () => {
  it('lists "default" first, then the stored contexts, marking the current one', () => {
    const home = '/h';
    const id = createHash('sha256').update('prod').digest('hex');
    const map: Record<string, string> = {
      '/h/.docker/config.json': JSON.stringify({ currentContext: 'prod' }),
      [`/h/.docker/contexts/meta/${id}/meta.json`]: JSON.stringify({ Name: 'prod', Metadata: { Description: 'the cluster' }, Endpoints: { docker: { Host: 'ssh://ops@prod' } } }),
      '/h/.docker/contexts/meta/broken/meta.json': '{',
    };
    const files = { home, readFile: (p: string) => map[p], exists: (p: string) => p in map, list: (d: string) => (d === '/h/.docker/contexts/meta' ? [id, 'broken'] : []) };
    const list = listContexts({}, files);
    assert.deepStrictEqual(list.map((c) => [c.name, c.host, c.current, !!c.problem]), [
      ['default', 'unix:///var/run/docker.sock', false, false],
      ['(broken)', '', false, true],
      ['prod', 'ssh://ops@prod', true, false],
    ]);
    assert.strictEqual(listContexts({ DOCKER_CONTEXT: 'default', DOCKER_HOST: 'tcp://x:2375' }, files)[0].current, true);
  });
});
