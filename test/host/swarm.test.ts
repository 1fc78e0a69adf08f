// The Networks view on a real 3-node Swarm (three dockerds in network namespaces, scripts/engines/engines.sh), inside
// the extension host; and switching the window's docker context away from it and back.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { DockerNetworkingApi } from '../../src/vscode/extension';
import type { NetworksNode } from '../../src/vscode/networksTree';
import { startEngines, type Engines } from '../engine/multihost/engines';
import { TEST_IMAGE, TEST_LABEL, TEST_RUN } from '../support/engine';

async function api(): Promise<DockerNetworkingApi> {
  return vscode.extensions.getExtension<DockerNetworkingApi>('docker-networking-dev.docker-networking')!.activate();
}

/** Label and description of each node, as the view shows them. */
function rows(tree: DockerNetworkingApi['networksTree'], nodes: NetworksNode[]): Array<[string, string]> {
  return nodes.map((n) => {
    const item = tree.getTreeItem(n);
    return [String(typeof item.label === 'string' ? item.label : item.label?.label), String(item.description ?? '')];
  });
}

describe('Swarm in the Networks view (a real 3-node Swarm)', function () {
  this.timeout(240_000);
  let engines: Engines;
  let manager: string;
  const config = () => vscode.workspace.getConfiguration('dockerNetworking');

  before(async function () {
    this.timeout(400_000);
    engines = await startEngines('h', ['swarm']);
    manager = engines.info<{ manager: string }>('swarm').manager;
    const node1 = engines.node(1);
    await node1.createNetwork({ Name: 'dn-appnet', Driver: 'overlay', Attachable: true, IPAM: { Driver: 'default', Config: [{ Subnet: '10.10.0.0/24' }] }, Labels: { [TEST_LABEL]: TEST_RUN } });
    await node1.createService({
      Name: 'web',
      TaskTemplate: { ContainerSpec: { Image: TEST_IMAGE, Command: ['sleep', '3600'] }, Networks: [{ Target: 'dn-appnet' }] },
      Mode: { Replicated: { Replicas: 3 } },
    } as never);
    await config().update('dockerHost', manager, vscode.ConfigurationTarget.Global);
  });
  after(async function () {
    this.timeout(120_000);
    await vscode.commands.executeCommand('dockerNetworking.switchContext', '');
    await config().update('dockerHost', undefined, vscode.ConfigurationTarget.Global);
    await engines?.down();
  });

  it('shows the Swarm first: its nodes with role, availability, state and address, and the overlay with its service and VIP', async () => {
    const { networksTree } = await api();
    assert.strictEqual(networksTree.engine.endpoint.display, manager);
    networksTree.refresh();
    const roots = await networksTree.getChildren();
    assert.strictEqual(roots[0].kind, 'swarm');
    assert.deepStrictEqual(rows(networksTree, [roots[0]]), [['Swarm', 'manager · 3 nodes · 2 overlay networks']]);
    const [nodesSection, overlaysSection] = await networksTree.getChildren(roots[0]);
    assert.deepStrictEqual(rows(networksTree, await networksTree.getChildren(nodesSection)), [
      ['node1', 'leader · active · ready · 10.99.0.1 · this engine'],
      ['node2', 'worker · active · ready · 10.99.0.2'],
      ['node3', 'worker · active · ready · 10.99.0.3'],
    ]);
    const overlays = await networksTree.getChildren(overlaysSection);
    const [appnetLabel, appnetDescription] = rows(networksTree, overlays)[0];
    assert.strictEqual(appnetLabel, 'dn-appnet');
    assert.match(appnetDescription, /^swarm · 10\.10\.0\.0\/24 · VXLAN \d+ · attachable$/);
    const services = rows(networksTree, await networksTree.getChildren(overlays[0]));
    assert.strictEqual(services[0][0], 'web');
    assert.match(services[0][1], /^VIP 10\.10\.0\.\d+\/24 · [0-3]\/3$/);
  });

  it('switching this window to the "default" docker context shows the main engine, which is not in a Swarm; switching back restores it', async () => {
    await vscode.commands.executeCommand('dockerNetworking.switchContext', 'default');
    const { networksTree } = await api();
    let roots = await networksTree.getChildren();
    assert.match(networksTree.engine.endpoint.display, /\(context default\)$/);
    assert.deepStrictEqual(rows(networksTree, [roots[0]]), [['Swarm: not active', 'standalone engine']]);
    await vscode.commands.executeCommand('dockerNetworking.switchContext', '');
    assert.strictEqual(networksTree.engine.endpoint.display, manager);
    roots = await networksTree.getChildren();
    assert.strictEqual(rows(networksTree, [roots[0]])[0][0], 'Swarm');
  });
});
