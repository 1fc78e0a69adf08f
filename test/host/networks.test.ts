// The Networks view and its commands in the real extension host, run with arguments against the real engine.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { CommandResult } from '../../src/vscode/commands/run';
import type { DockerNetworkingApi } from '../../src/vscode/extension';
import type { NetworksNode } from '../../src/vscode/networksTree';
import { TEST_LABEL, cleanupTestObjects, startTestContainer, uniqueName, TEST_RUN, TEST_LABEL_FILTER } from '../support/engine';

async function api(): Promise<DockerNetworkingApi> {
  return vscode.extensions.getExtension<DockerNetworkingApi>('docker-networking-dev.docker-networking')!.activate();
}

const run = <T = unknown>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<CommandResult<T>>(`dockerNetworking.${command}`, ...args);

async function findNetworkNode(name: string): Promise<(NetworksNode & { kind: 'network' }) | undefined> {
  const { networksTree } = await api();
  for (const group of await networksTree.getChildren()) {
    for (const n of await networksTree.getChildren(group)) if (n.kind === 'network' && n.network.name === name) return n;
  }
  return undefined;
}

describe('Networks view and commands (real engine)', () => {
  const name = uniqueName('dn-hostcmd');
  let container: string;

  before(async () => {
    container = uniqueName('dn-hostapp');
    await startTestContainer({ name: container });
  });
  after(() => cleanupTestObjects());

  it('groups networks: compose projects, user-defined, built-in', async () => {
    const { networksTree } = await api();
    networksTree.refresh();
    const groups = (await networksTree.getChildren()).map((g) => networksTree.getTreeItem(g).label);
    assert.strictEqual(groups[groups.length - 1], 'Built-in networks');
    const builtIn = await networksTree.getChildren((await networksTree.getChildren()).at(-1));
    assert.deepStrictEqual(builtIn.map((n) => networksTree.getTreeItem(n).label), ['bridge', 'host', 'none']);
  });

  it('creates a network from a spec argument and shows it with its subnet and flags', async () => {
    const r = await run<string>('createNetwork', { name, driver: 'bridge', subnet: '10.231.50.0/24', gateway: '10.231.50.1', internal: true, labels: { [TEST_LABEL]: TEST_RUN } });
    assert.ok(r.ok, r.message);
    const node = await findNetworkNode(name);
    assert.ok(node, 'listed');
    const item = (await api()).networksTree.getTreeItem(node);
    assert.strictEqual(item.description, 'bridge · 10.231.50.0/24 · internal');
    assert.strictEqual(item.contextValue, 'customNetwork;connect;aliases;subnet');
    assert.match((item.tooltip as vscode.MarkdownString).value, /subnet `10\.231\.50\.0\/24`, gateway `10\.231\.50\.1`/);
  });

  it('refuses an overlapping subnet with a clear message', async () => {
    const r = await run('createNetwork', { name: uniqueName('dn-overlap'), driver: 'bridge', subnet: '10.231.50.0/25', labels: { [TEST_LABEL]: TEST_RUN } });
    assert.strictEqual(r.ok, false);
    assert.match(r.message, new RegExp(`overlaps 10\\.231\\.50\\.0/24 of network "${name}"`));
  });

  it('connects a container with an alias and a static address; the network node lists it', async () => {
    const r = await run('connectContainer', name, { container, aliases: ['api'], ipv4: '10.231.50.10' });
    assert.ok(r.ok, r.message);
    const { networksTree } = await api();
    const children = await networksTree.getChildren(await findNetworkNode(name));
    assert.deepStrictEqual(children.map((c) => [networksTree.getTreeItem(c).label, networksTree.getTreeItem(c).description]), [[container, 'running · 10.231.50.10 · aliases api']]);
  });

  it('refuses an address outside the subnet', async () => {
    const other = uniqueName('dn-hostother');
    await startTestContainer({ name: other });
    const r = await run('connectContainer', name, { container: other, ipv4: '10.231.51.5' });
    assert.strictEqual(r.ok, false);
    assert.match(r.message, /address 10\.231\.51\.5 is outside subnet 10\.231\.50\.0\/24/);
  });

  it('refuses to remove a network in use and names the container', async () => {
    const r = await run('removeNetwork', name, { confirmed: true });
    assert.strictEqual(r.ok, false);
    assert.match(r.message, new RegExp(`in use by ${container}`));
    assert.ok(await findNetworkNode(name));
  });

  it('refuses to remove a built-in network', async () => {
    const r = await run('removeNetwork', 'bridge', { confirmed: true });
    assert.strictEqual(r.ok, false);
    assert.match(r.message, /built-in/);
  });

  it('inspects a network into a read-only JSON document', async () => {
    const r = await run<string>('inspectNetwork', name);
    assert.ok(r.ok, r.message);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === r.value)!;
    assert.strictEqual(JSON.parse(doc.getText()).Name, name);
    assert.strictEqual(doc.languageId, 'json');
  });

  it('copies a network name', async () => {
    const r = await run('copyName', await findNetworkNode(name));
    assert.ok(r.ok);
    assert.strictEqual(await vscode.env.clipboard.readText(), name);
  });

  it('disconnects (from the container node), removes, and prunes', async () => {
    const { networksTree } = await api();
    const [attachment] = await networksTree.getChildren(await findNetworkNode(name));
    assert.ok((await run('disconnectContainer', attachment, { confirmed: true })).ok);
    assert.deepStrictEqual(await networksTree.getChildren(await findNetworkNode(name)), []);
    assert.ok((await run('removeNetwork', name, { confirmed: true })).ok);
    assert.strictEqual(await findNetworkNode(name), undefined);
    const unused = uniqueName('dn-hostunused');
    assert.ok((await run('createNetwork', { name: unused, driver: 'bridge', labels: { [TEST_LABEL]: TEST_RUN } })).ok);
    // Only our own networks: a test must not prune a developer's engine.
    const pruned = await run<string[]>('pruneNetworks', { confirmed: true, label: TEST_LABEL_FILTER });
    assert.ok(pruned.ok && pruned.value!.includes(unused), pruned.message);
    assert.strictEqual(await findNetworkNode(unused), undefined);
  });
});
