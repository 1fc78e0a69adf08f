// Runs inside the real extension host: asserts through the `vscode` API only.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { DockerNetworkingApi } from '../../src/vscode/extension';
import type { NetworksNode } from '../../src/vscode/networksTree';
import { TEST_LABEL, cleanupTestObjects, rawDocker, uniqueName, TEST_RUN } from '../support/engine';

const EXTENSION_ID = 'docker-networking-dev.docker-networking';

async function api(): Promise<DockerNetworkingApi> {
  const ext = vscode.extensions.getExtension<DockerNetworkingApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

/** The network names under the view's groups. */
async function networkNames(tree: DockerNetworkingApi['networksTree'], roots: NetworksNode[]): Promise<string[]> {
  const children = await Promise.all(roots.map((g) => tree.getChildren(g)));
  return children.flat().flatMap((n) => (n.kind === 'network' ? [n.network.name] : []));
}

describe('Docker Networking in the extension host', () => {
  after(() => cleanupTestObjects());

  it('activates', async () => {
    await api();
    assert.strictEqual(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });

  it('registers every command it contributes', async () => {
    await api();
    const contributed: Array<{ command: string }> = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands;
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const { command } of contributed) assert.ok(registered.has(command), `${command} not registered`);
  });

  it("lists the engine's networks in the Networks view, including one created by this test", async () => {
    const name = uniqueName('dn-host');
    await rawDocker().createNetwork({ Name: name, Labels: { [TEST_LABEL]: TEST_RUN } });
    const { networksTree } = await api();
    networksTree.refresh();
    const roots = await networksTree.getChildren();
    const names = await networkNames(networksTree, roots);
    for (const expected of ['bridge', 'host', 'none', name]) assert.ok(names.includes(expected), `${expected} missing from ${names.join(', ')}`);
    const user = roots.find((g) => g.kind === 'group' && g.group.id === 'user')!;
    const item = networksTree.getTreeItem((await networksTree.getChildren(user)).find((n) => n.kind === 'network' && n.network.name === name)!);
    assert.strictEqual(item.label, name);
    assert.match(String(item.description), /^bridge · \d+\.\d+\.\d+\.\d+\/\d+$/, 'driver and the subnet the engine chose');
    assert.strictEqual(item.contextValue, 'customNetwork;connect;aliases;subnet');
  });

  it('shows one actionable item naming the endpoint when the engine cannot be reached', async () => {
    const config = vscode.workspace.getConfiguration('dockerNetworking');
    await config.update('dockerHost', 'unix:///tmp/no-engine-here.sock', vscode.ConfigurationTarget.Global);
    try {
      const { networksTree } = await api();
      const roots = await networksTree.getChildren();
      assert.strictEqual(roots.length, 1);
      const item = networksTree.getTreeItem(roots[0]);
      assert.strictEqual(item.description, 'unix:///tmp/no-engine-here.sock');
      assert.match((item.tooltip as vscode.MarkdownString).value, /ENOENT[\s\S]*Start the Docker daemon/);
      const actions = (await networksTree.getChildren(roots[0])).map((n) => networksTree.getTreeItem(n).label);
      assert.deepStrictEqual(actions, ['Retry', 'Open Settings']);
    } finally {
      await config.update('dockerHost', undefined, vscode.ConfigurationTarget.Global);
    }
    const { networksTree } = await api();
    const names = await networkNames(networksTree, await networksTree.getChildren());
    assert.ok(names.includes('bridge'), 'the view recovers once the setting is cleared');
  });
});
