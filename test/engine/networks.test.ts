// What each network command does on the real engine, including its failures, and the tree's content after each.
import * as assert from 'assert';
import { createEngineClient } from '../../src/engine/dockerodeClient';
import { EngineError } from '../../src/engine/errors';
import type { NetworkSummary } from '../../src/engine/model';
import { validateAddressIn, validateNetworkSpec } from '../../src/engine/validate';
import { attachmentsOf, groupNetworks } from '../../src/engine/view';
import { TEST_LABEL, cleanupTestObjects, startTestContainer, uniqueName, TEST_RUN, TEST_LABEL_FILTER } from '../support/engine';

const engine = createEngineClient('', {});

async function tree() {
  const [networks, containers] = await Promise.all([engine.listNetworks(), engine.listContainers()]);
  return { networks, containers, groups: groupNetworks(networks) };
}

async function networkNamed(name: string): Promise<NetworkSummary | undefined> {
  return (await engine.listNetworks()).find((n) => n.name === name);
}

describe('network commands on the real engine', () => {
  const name = uniqueName('dn-cmd');
  const subnet = '10.231.40.0/24';
  let containerId: string;

  after(() => cleanupTestObjects());

  it('creates a network with subnet, gateway, range and flags; the tree lists it among user-defined networks', async () => {
    const spec = { name, driver: 'bridge' as const, subnet, gateway: '10.231.40.1', ipRange: '10.231.40.128/25', internal: true, labels: { [TEST_LABEL]: TEST_RUN } };
    assert.deepStrictEqual(validateNetworkSpec(spec, await engine.listNetworks()), []);
    await engine.createNetwork(spec);
    const { groups } = await tree();
    const user = groups.find((g) => g.id === 'user')!;
    const net = user.networks.find((n) => n.name === name)!;
    assert.deepStrictEqual([net.internal, net.subnets], [true, [{ subnet, gateway: '10.231.40.1', ipRange: '10.231.40.128/25' }]]);
  });

  it('refuses a subnet that overlaps another network, before and at the engine', async () => {
    const overlapping = { name: uniqueName('dn-overlap'), driver: 'bridge' as const, subnet: '10.231.40.128/25', labels: { [TEST_LABEL]: TEST_RUN } };
    assert.match(validateNetworkSpec(overlapping, await engine.listNetworks()).join(' '), new RegExp(`overlaps ${subnet} of network "${name}"`));
    await assert.rejects(engine.createNetwork(overlapping), (e: unknown) => e instanceof EngineError && /overlap/i.test(e.problem.reason));
    assert.strictEqual(await networkNamed(overlapping.name), undefined);
  });

  it('connects a container with an alias and a static address; the tree shows it with both', async () => {
    const c = await startTestContainer({ name: uniqueName('dn-app') });
    containerId = c.id;
    await engine.connect((await networkNamed(name))!.id, containerId, { aliases: ['api'], ipv4: '10.231.40.10' });
    const { networks, containers } = await tree();
    const [a] = attachmentsOf(networks.find((n) => n.name === name)!, containers);
    assert.strictEqual(a.container.id, containerId);
    assert.strictEqual(a.endpoint.ipv4, '10.231.40.10');
    assert.deepStrictEqual((await engine.aliasesOf(containerId))[name], ['api']);
  });

  it('refuses an address outside the subnet, before and at the engine', async () => {
    assert.strictEqual(validateAddressIn('10.231.41.5', subnet, 'address'), `address 10.231.41.5 is outside subnet ${subnet}.`);
    const other = await startTestContainer({ name: uniqueName('dn-other') });
    await assert.rejects(engine.connect((await networkNamed(name))!.id, other.id, { ipv4: '10.231.41.5' }), (e: unknown) => e instanceof EngineError && /no configured subnet|not in|outside|Invalid address/i.test(e.problem.reason));
    const { networks, containers } = await tree();
    assert.deepStrictEqual(attachmentsOf(networks.find((n) => n.name === name)!, containers).map((a) => a.container.id), [containerId]);
  });

  it('refuses to remove a network in use, and says by whom', async () => {
    const net = (await networkNamed(name))!;
    await assert.rejects(engine.removeNetwork(net.id), (e: unknown) => e instanceof EngineError && /active endpoints/.test(e.problem.reason));
    const users = await engine.networkContainers(net.id);
    assert.strictEqual(users.length, 1);
    assert.ok(await networkNamed(name), 'still there');
  });

  it('disconnects, then removes; the tree no longer lists it', async () => {
    const net = (await networkNamed(name))!;
    await engine.disconnect(net.id, containerId, false);
    assert.deepStrictEqual(attachmentsOf(net, (await tree()).containers), []);
    await engine.removeNetwork(net.id);
    assert.strictEqual(await networkNamed(name), undefined);
  });

  it('prunes unused networks and says which it removed', async () => {
    const unused = uniqueName('dn-unused');
    await engine.createNetwork({ name: unused, driver: 'bridge', labels: { [TEST_LABEL]: TEST_RUN } });
    const removed = await engine.pruneNetworks(TEST_LABEL_FILTER); // only ours: never prune a developer's engine
    assert.ok(removed.includes(unused), removed.join(', '));
    assert.strictEqual(await networkNamed(unused), undefined);
    for (const builtIn of ['bridge', 'host', 'none']) assert.ok(await networkNamed(builtIn));
  });

  it('inspects a network as the engine reports it', async () => {
    const raw = (await engine.inspectNetwork('bridge')) as { Name: string; IPAM: unknown };
    assert.strictEqual(raw.Name, 'bridge');
    assert.ok(raw.IPAM);
  });
});
