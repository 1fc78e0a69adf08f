// The Networks view's filter and sort: built-in hidden, only this workspace's projects, by name, created or subnet.
import * as assert from 'assert';
import type { ContainerSummary, NetworkSummary } from '../../../src/engine/model';
import { filterGroups, filterNote, SHOW_ALL, sortNetworksBy } from '../../../src/engine/networkFilter';
import { groupNetworks } from '../../../src/engine/view';

const net = (name: string, over: Partial<NetworkSummary> = {}): NetworkSummary => ({ id: name, name, driver: 'bridge', scope: 'local', internal: false, attachable: false, ipv6: false, builtIn: false, subnets: [], labels: {}, options: {}, ...over });
const container = (project: string, file: string): ContainerSummary => ({ id: project, name: `${project}_x_1`, image: 'i', state: 'running', status: '', composeProject: project, composeFiles: [file], endpoints: [] });

describe('Networks view filter and sort', () => {
  const networks = [
    net('shop_dmz', { composeProject: 'shop', labels: { 'com.docker.compose.project': 'shop' }, subnets: [{ subnet: '172.30.0.0/24' }], created: '2026-01-02T00:00:00Z' }),
    net('other_default', { composeProject: 'other', labels: { 'com.docker.compose.project': 'other' }, subnets: [{ subnet: '10.0.0.0/24' }], created: '2026-01-03T00:00:00Z' }),
    net('mine', { subnets: [{ subnet: '172.9.0.0/16' }], created: '2026-01-01T00:00:00Z' }),
    net('bridge', { builtIn: true, subnets: [{ subnet: '172.17.0.0/16' }] }),
    net('host', { builtIn: true, driver: 'host' }),
    net('none', { builtIn: true, driver: 'null' }),
  ];
  const containers = [container('shop', '/ws/shop/compose.yaml'), container('other', '/elsewhere/compose.yaml')];
  const inWorkspace = (f: string) => f.startsWith('/ws/');
  const ids = (f = SHOW_ALL) => filterGroups(groupNetworks(networks), containers, f, inWorkspace).map((g) => `${g.id}: ${g.networks.map((n) => n.name).join(' ')}`);

  it('shows everything by default', () => {
    assert.strictEqual(ids().length, groupNetworks(networks).length);
  });

  it('hides the built-in networks', () => {
    assert.ok(!ids({ ...SHOW_ALL, showBuiltIn: false }).some((g) => g.startsWith('builtin')));
  });

  it('keeps only Compose projects started from the workspace (and every non-Compose group)', () => {
    const shown = ids({ ...SHOW_ALL, workspaceProjectsOnly: true });
    assert.ok(shown.some((g) => g.startsWith('project:shop')));
    assert.ok(!shown.some((g) => g.startsWith('project:other')));
    assert.ok(shown.some((g) => g.startsWith('builtin')));
  });

  it('sorts by name, newest first, or by subnet with subnet-less networks last', () => {
    const all = networks;
    assert.deepStrictEqual(sortNetworksBy(all, 'name').map((n) => n.name), ['bridge', 'host', 'mine', 'none', 'other_default', 'shop_dmz']);
    assert.deepStrictEqual(sortNetworksBy(all, 'created').map((n) => n.name).slice(0, 3), ['other_default', 'shop_dmz', 'mine']);
    assert.deepStrictEqual(sortNetworksBy(all, 'subnet').map((n) => n.name), ['other_default', 'mine', 'bridge', 'shop_dmz', 'host', 'none']);
  });

  it('says what the filter hides and how it sorts, for the view\'s message (nothing by default)', () => {
    assert.strictEqual(filterNote(SHOW_ALL), '');
    assert.strictEqual(filterNote({ showBuiltIn: false, workspaceProjectsOnly: true, sortBy: 'subnet' }), "built-in networks hidden, only this workspace's Compose projects, sorted by subnet");
    assert.strictEqual(filterNote({ ...SHOW_ALL, sortBy: 'created' }), 'sorted by newest');
  });
});
