// The Networks view on a real 3-node Swarm (three dockerds in network namespaces, scripts/engines/engines.sh), inside
// the extension host; switching the window's docker context away from it and back; a service created on another node
// shown without a refresh (Swarm events); a deployed stack in the Stacks section, verified from there into the
// Isolation panel; and its compose project analysed as a stack because the engine has that stack.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { StackVerifyReport } from '../../src/engine/swarmVerify';
import type { CommandResult } from '../../src/vscode/commands/run';
import type { DockerNetworkingApi } from '../../src/vscode/extension';
import type { NetworksNode } from '../../src/vscode/networksTree';
import { verifyHtml } from '../../src/vscode/verifyPanel';
import { startEngines, type Engines } from '../engine/multihost/engines';
import { deployStack, stackFile, waitForStackTasks } from '../engine/multihost/swarmStack';
import { TEST_IMAGE, TEST_LABEL, TEST_RUN } from '../support/engine';
import { until } from '../support/until';
import { evaluateWhen } from '../support/whenClause';

const STACK = 'dnh';
/** Two services on two overlays, one shared; no Swarm-only deploy: key, so only the engine makes it a stack. */
const STACK_FILE = stackFile(TEST_IMAGE);

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
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('dockerNetworking.switchContext', '');
    await config().update('dockerHost', undefined, vscode.ConfigurationTarget.Global);
    await config().update('probeImage', undefined, vscode.ConfigurationTarget.Global);
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

  it('follows Swarm events: a service created on another node appears in its overlay, and its task running, without a refresh', async () => {
    const t0 = Date.now();
    const { networksTree } = await api();
    await vscode.commands.executeCommand('dockerNetworking.networks.focus'); // events are followed while the view shows
    const servicesOnAppnet = async () => {
      const [, overlaysSection] = await networksTree.getChildren((await networksTree.getChildren())[0]);
      const appnet = (await networksTree.getChildren(overlaysSection)).find((o) => o.kind === 'swarmOverlay' && o.overlay.name === 'dn-appnet');
      return appnet ? rows(networksTree, await networksTree.getChildren(appnet)) : [];
    };
    assert.ok(!(await servicesOnAppnet()).some(([name]) => name === 'dn-live'));
    // On node2 only: no container event reaches the manager's stream, only the service event.
    await engines.node(1).createService({
      Name: 'dn-live',
      Labels: { [TEST_LABEL]: TEST_RUN },
      TaskTemplate: { ContainerSpec: { Image: TEST_IMAGE, Command: ['sleep', '3600'] }, Networks: [{ Target: 'dn-appnet' }], Placement: { Constraints: ['node.hostname==node2'] } },
      Mode: { Replicated: { Replicas: 1 } },
    } as never);
    const seen = await until('dn-live in the view', servicesOnAppnet, (r) => r.some(([name]) => name === 'dn-live'), 30_000);
    const firstSeen = (Date.now() - t0) / 1000;
    // Its task starts on node2 a little later: the view reads the Swarm again while tasks converge.
    const running = await until('dn-live 1/1', servicesOnAppnet, (r) => r.some(([name, d]) => name === 'dn-live' && /· 1\/1$/.test(d)), 60_000);
    console.log(`      (dn-live shown ${firstSeen.toFixed(1)} s after its creation, first as ${JSON.stringify(seen.find(([n]) => n === 'dn-live')?.[1])}; running ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    assert.ok(running.length >= 2);
  });

  it('a deployed stack: in the Stacks section, analysed as a stack (the engine has it), and verified from its node into the Isolation panel with zero mismatches', async function () {
    this.timeout(420_000);
    const t0 = Date.now();
    const dir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, STACK);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'compose.yaml');
    fs.writeFileSync(file, STACK_FILE);
    const deployed = await deployStack(manager, file, STACK);
    assert.strictEqual(deployed.code, 0, deployed.stderr);
    await waitForStackTasks(engines.node(1), STACK, 4, 150_000);
    const deployedIn = (Date.now() - t0) / 1000;

    const { networksTree, projects } = await api();
    // Stack mode from the engine: the folder's project is named "dnh" like the stack, and has no Swarm-only deploy: key.
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('dockerNetworking.refresh'); // the engine facts now, not at the next 10 s poll
    const analysis = await until('the project analysed as a stack', () => projects.analysisReady(doc, 30_000), (a) => a.project.isStack, 30_000);
    assert.strictEqual(analysis.project.name, STACK);

    // The Stacks section, from the services' com.docker.stack.namespace label; its node offers Verify.
    networksTree.refresh();
    const sections = await networksTree.getChildren((await networksTree.getChildren())[0]);
    assert.deepStrictEqual(rows(networksTree, sections).map(([label]) => label), ['Nodes', 'Overlay networks', 'Stacks']);
    const stacks = await networksTree.getChildren(sections[2]);
    assert.deepStrictEqual(rows(networksTree, stacks), [[STACK, `2 services · 4/4 tasks running · ${STACK}_back, ${STACK}_front`]]);
    assert.deepStrictEqual(rows(networksTree, await networksTree.getChildren(stacks[0])), [
      [`${STACK}_api`, `2/2 · ${STACK}_back`],
      [`${STACK}_web`, `2/2 · ${STACK}_back · ${STACK}_front`],
    ]);
    const menus = vscode.extensions.getExtension('docker-networking-dev.docker-networking')!.packageJSON.contributes.menus['view/item/context'] as Array<{ command: string; when: string }>;
    const context = { view: 'dockerNetworking.networks', viewItem: networksTree.getTreeItem(stacks[0]).contextValue };
    assert.ok(menus.some((m) => m.command === 'dockerNetworking.verifyStack' && evaluateWhen(m.when, context)), `Verify is in the menu of ${JSON.stringify(context)}`);

    // The nodes have the test image, not busybox:latest: the probe services run it.
    await config().update('probeImage', TEST_IMAGE, vscode.ConfigurationTarget.Global);
    const t1 = Date.now();
    const r = (await vscode.commands.executeCommand('dockerNetworking.verifyStack', stacks[0], { file, deadlineMs: 240_000 })) as CommandResult<StackVerifyReport>;
    const verifiedIn = (Date.now() - t1) / 1000;
    assert.ok(r.ok, r.message);
    const report = r.value!;
    const unanswered = report.pairs.filter((p) => p.mismatch || p.actual === 'error');
    assert.deepStrictEqual([report.mismatches, report.errors, report.source, report.stack], [0, 0, 'the stack file', STACK], JSON.stringify(unanswered, null, 1).slice(0, 3000));
    assert.deepStrictEqual(report.nodes, ['node1', 'node2', 'node3']);
    assert.strictEqual(report.pairs.length, 2 * 3 * 2, 'each service on each node, towards both services');
    for (const n of report.nodes) assert.deepStrictEqual(report.pairs.find((p) => p.from === `web@${n}` && p.to === 'api')!.reachedBy, ['name', 'address', 'port']);
    assert.match(r.message, /^Stack "dnh" is isolated as expected from the stack file, on 3 node\(s\)\.$/);
    // The Isolation panel: one per stack, titled by the stack; its page says what the report says.
    const isolationTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('dockerNetworking.verify')).map((t) => t.label);
    // The workbench adds the tab after the panel is created: wait for it.
    assert.deepStrictEqual(await until('the Isolation panel', isolationTabs, (l) => l.length > 0), [`Isolation: stack ${STACK}`]);
    // A second run (by name, as a script or the palette's pick gives it) reuses that panel.
    const t2 = Date.now();
    const again = (await vscode.commands.executeCommand('dockerNetworking.verifyStack', STACK, { file, deadlineMs: 240_000 })) as CommandResult<StackVerifyReport>;
    const secondIn = (Date.now() - t2) / 1000;
    assert.ok(again.ok, again.message);
    const againOff = again.value!.pairs.filter((p) => p.mismatch || p.actual === 'error');
    assert.deepStrictEqual([again.value!.mismatches, again.value!.errors], [0, 0], `${again.message} ${JSON.stringify(againOff, null, 1).slice(0, 3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepStrictEqual(isolationTabs(), [`Isolation: stack ${STACK}`], 'one panel per stack, reused');
    const html = verifyHtml(report, analysis, 'vscode-resource:');
    assert.match(html, /<h1>Isolation of stack <code>dnh<\/code><\/h1>/);
    assert.match(html, /The stack's tasks are isolated exactly as expected from the stack file/);
    assert.match(html, /<th scope="row"><a [^>]+>web@node2<\/a><\/th>/, 'rows are positions, linked to the service in the stack file');
    // No IPVS in this kernel: each node's diagnosis is shown as such, never as isolation.
    assert.strictEqual(report.diagnoses.length, 3);
    assert.match(html, /<h2>Nodes<\/h2>/);
    console.log(`      (stack deployed and running in ${deployedIn.toFixed(1)} s; verify from the view ${verifiedIn.toFixed(1)} s, again by name ${secondIn.toFixed(1)} s)`);
  });
});
