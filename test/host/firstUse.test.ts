// What a new user met (issue 16): each defect, through the vscode API in the real extension host and engine.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CommandResult } from '../../src/vscode/commands/run';
import type { DockerNetworkingApi } from '../../src/vscode/extension';
import type { NetworksNode } from '../../src/vscode/networksTree';
import { locationLink } from '../../src/vscode/verifyPanel';
import { removalQuestion } from '../../src/vscode/commands/networkCommands';
import { TEST_LABEL, TEST_RUN, cleanupTestObjects, rawDocker, startTestContainer, uniqueName } from '../support/engine';
import { until } from '../support/until';
import { evaluateWhen } from '../support/whenClause';

const WORKSPACE = vscode.workspace.workspaceFolders![0].uri.fsPath;
const EXTENSION_ID = 'docker-networking-dev.docker-networking';

async function api(): Promise<DockerNetworkingApi> {
  return vscode.extensions.getExtension<DockerNetworkingApi>(EXTENSION_ID)!.activate();
}

const run = <T = unknown>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<CommandResult<T>>(`dockerNetworking.${command}`, ...args);

async function networkNode(name: string): Promise<NetworksNode & { kind: 'network' }> {
  const { networksTree } = await api();
  networksTree.refresh();
  for (const group of await networksTree.getChildren()) for (const n of await networksTree.getChildren(group)) if (n.kind === 'network' && n.network.name === name) return n;
  throw new Error(`network ${name} is not in the view`);
}

/** The commands a tree item's context menu offers, by evaluating the extension's own menus. */
async function menuOf(node: NetworksNode): Promise<string[]> {
  const { networksTree } = await api();
  const menus = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus['view/item/context'] as Array<{ command: string; when: string; group?: string }>;
  const context = { view: 'dockerNetworking.networks', viewItem: networksTree.getTreeItem(node).contextValue };
  // Only the commands these defects are about (other features add their own items).
  const ours = new Set(['inspectNetwork', 'connectContainer', 'removeNetwork', 'copyName', 'copyId', 'copyIp']);
  return [...new Set(menus.filter((m) => !m.group?.startsWith('inline') && evaluateWhen(m.when, context)).map((m) => m.command.replace('dockerNetworking.', '')))].filter((c) => ours.has(c)).sort();
}

describe('first use: the defects a new user met', () => {
  const custom = uniqueName('dn-first');
  let container: string;

  before(async () => {
    container = uniqueName('dn-firstapp');
    await startTestContainer({ name: container });
    assert.ok((await run('createNetwork', { name: custom, driver: 'bridge', subnet: '10.231.60.0/24', gateway: '10.231.60.1', labels: { [TEST_LABEL]: TEST_RUN } })).ok);
  });
  after(() => cleanupTestObjects());

  it('1. Show Network Tiers on a project started by Compose v1 (config_files relative to working_dir)', async () => {
    const project = uniqueName('dnv1').replace(/-/g, '');
    const docker = rawDocker();
    await docker.createNetwork({ Name: `${project}_dmz`, Labels: { [TEST_LABEL]: TEST_RUN, 'com.docker.compose.project': project, 'com.docker.compose.network': 'dmz' } });
    // What docker-compose 1.29 writes when run in the project folder: the file as typed, and the folder.
    await startTestContainer({
      name: `${project}_lb_1`,
      Labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': 'lb', 'com.docker.compose.project.config_files': 'compose.yaml', 'com.docker.compose.project.working_dir': path.join(WORKSPACE, 'shop') },
      HostConfig: { NetworkMode: `${project}_dmz` },
    });
    const { networksTree } = await api();
    networksTree.refresh();
    const group = (await networksTree.getChildren()).find((g) => g.kind === 'group' && g.group.id === `project:${project}`);
    assert.ok(group, 'the project has its group');
    const r = await run('showDiagram', group);
    assert.ok(r.ok, r.message);
    assert.match(r.message, /shop\/compose\.yaml/);
  });

  it('2. links in webviews name a path our command resolves, not a file: URI for vscode.open', async () => {
    const file = path.join(WORKSPACE, 'shop/compose.yaml');
    const href = locationLink(file, new vscode.Range(3, 2, 3, 4));
    const m = /^command:([\w.]+)\?(.*)$/.exec(href);
    assert.ok(m, href);
    assert.strictEqual(m[1], 'dockerNetworking.openLocation');
    assert.doesNotMatch(decodeURIComponent(m[2]), /file:/);
    // As the workbench runs a command link: the JSON arguments, spread.
    const r = await vscode.commands.executeCommand<CommandResult>(m[1], ...(JSON.parse(decodeURIComponent(m[2])) as unknown[]));
    assert.ok(r.ok, r.message);
    const editor = vscode.window.activeTextEditor!;
    assert.strictEqual(editor.document.fileName, file);
    assert.deepStrictEqual([editor.selection.start.line, editor.selection.start.character, editor.selection.end.character], [3, 2, 4]);
  });

  it('3. the diagram says the live overlay is unavailable when the engine cannot be reached', async () => {
    const { diagram } = await api();
    const doc = await vscode.workspace.openTextDocument(path.join(WORKSPACE, 'shop/compose.yaml'));
    await vscode.window.showTextDocument(doc);
    const overlays: Array<{ live: number; unavailable?: string }> = [];
    const sub = diagram.onDidOverlay((m) => overlays.push(m));
    const config = vscode.workspace.getConfiguration('dockerNetworking');
    try {
      assert.ok((await run('showDiagram', doc.uri)).ok);
      await until('the first overlay', () => overlays.length, (n) => n > 0, 30_000);
      await config.update('dockerHost', 'unix:///tmp/dn-first-no-engine.sock', vscode.ConfigurationTarget.Global);
      const gone = await until('an overlay marked unavailable', () => overlays.find((o) => o.unavailable), (o) => !!o, 30_000);
      assert.match(gone!.unavailable!, /Live state unavailable \(cannot reach unix:\/\/\/tmp\/dn-first-no-engine\.sock\)/);
      assert.strictEqual(gone!.live, 0, 'no card keeps a live line');
      await config.update('dockerHost', undefined, vscode.ConfigurationTarget.Global);
      await until('the overlay back', () => overlays.at(-1), (o) => !!o && !o.unavailable, 30_000);
    } finally {
      await config.update('dockerHost', undefined, vscode.ConfigurationTarget.Global);
      sub.dispose();
    }
  });

  it('4. menus follow the driver: no Connect on host/none, Remove only on user networks, Copy IP only with a subnet', async () => {
    const menus = async (name: string) => (await menuOf(await networkNode(name))).join(' ');
    assert.strictEqual(await menus('host'), 'copyId copyName inspectNetwork');
    assert.strictEqual(await menus('none'), 'copyId copyName inspectNetwork');
    assert.strictEqual(await menus('bridge'), 'connectContainer copyId copyIp copyName inspectNetwork');
    assert.strictEqual(await menus(custom), 'connectContainer copyId copyIp copyName inspectNetwork removeNetwork');
  });

  it('4. connect: host refused before the engine, no aliases or static address on the default bridge', async () => {
    const host = await run('connectContainer', 'host', { container });
    assert.strictEqual(host.ok, false);
    assert.match(host.message, /Docker refuses it: a container cannot be connected to the host network/);
    const elsewhere = uniqueName('dn-firstother');
    await startTestContainer({ name: elsewhere, HostConfig: { NetworkMode: custom } });
    const bridge = await run('connectContainer', 'bridge', { container: elsewhere, aliases: ['api'] });
    assert.strictEqual(bridge.ok, false);
    assert.match(bridge.message, /only on user-defined networks, not on the default bridge/);
  });

  it('6. validation matches Docker: the network address, the gateway, an alias with a space', async () => {
    const gw = await run('createNetwork', { name: uniqueName('dn-gw'), driver: 'bridge', subnet: '10.231.61.0/24', gateway: '10.231.61.0', labels: { [TEST_LABEL]: TEST_RUN } });
    assert.strictEqual(gw.ok, false);
    assert.match(gw.message, /gateway 10\.231\.61\.0 is the address of subnet 10\.231\.61\.0\/24 itself/);
    const ip = await run('connectContainer', custom, { container, ipv4: '10.231.60.1' });
    assert.strictEqual(ip.ok, false);
    assert.match(ip.message, /address 10\.231\.60\.1 is the gateway of 10\.231\.60\.0\/24/);
    const alias = await run('connectContainer', custom, { container, aliases: ['a b'] });
    assert.strictEqual(alias.ok, false);
    assert.match(alias.message, /"a b" cannot be an alias/);
    const labels = await run('createNetwork', { name: uniqueName('dn-lbl'), driver: 'bridge', labels: { [TEST_LABEL]: TEST_RUN, temp: '' } });
    assert.ok(labels.ok, labels.message);
  });

  it('7. Copy IP on host says the network has no subnet', async () => {
    const r = await run('copyIp', await networkNode('host'));
    assert.strictEqual(r.ok, false);
    assert.match(r.message, /Network "host" has no subnet/);
  });

  it('9. Remove: the question says who uses it and that Compose manages it; the refusal reads as sentences', async () => {
    assert.ok((await run('connectContainer', custom, { container })).ok);
    const { networksTree } = await api();
    networksTree.refresh();
    assert.match(await removalQuestion(networksTree, (await networkNode(custom)).network), new RegExp(`It is in use by [^:]*${container}[^:]*: Docker refuses to remove it`));
    const project = uniqueName('dnq').replace(/-/g, '');
    await rawDocker().createNetwork({ Name: `${project}_back`, Labels: { [TEST_LABEL]: TEST_RUN, 'com.docker.compose.project': project } });
    assert.match(await removalQuestion(networksTree, (await networkNode(`${project}_back`)).network), new RegExp(`No container uses it\\. It is managed by Compose project "${project}"`));
    const r = await run('removeNetwork', custom, { confirmed: true });
    assert.strictEqual(r.ok, false);
    assert.match(r.message, new RegExp(`active endpoints\\. It is in use by [^:]*${container}`));
  });

  it('10. a rule link in the Problems panel opens the rule\'s section of rules.md', async () => {
    const doc = await vscode.workspace.openTextDocument(path.join(WORKSPACE, 'fixes/compose.yaml'));
    await vscode.window.showTextDocument(doc);
    const diagnostic = await until('diagnostics', () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Docker Networking'), (ds) => ds.length > 0, 20_000);
    const code = diagnostic[0].code as { value: string; target: vscode.Uri };
    await vscode.commands.executeCommand('vscode.open', code.target);
    const editor = await until('rules.md in front', () => vscode.window.activeTextEditor, (e) => !!e && e.document.fileName.endsWith('rules.md'), 10_000);
    assert.strictEqual(editor!.document.lineAt(editor!.selection.active.line).text, `### ${code.value}`);
  });
});

describe('first use: the endpoint in use is visible', () => {
  it('8. the Networks view\'s message names the endpoint, and follows the setting', async () => {
    const { networksView } = await api();
    assert.match(networksView.message ?? '', /^Engine: \S+/);
    const config = vscode.workspace.getConfiguration('dockerNetworking');
    await config.update('dockerHost', 'tcp://127.0.0.1:1', vscode.ConfigurationTarget.Global);
    try {
      await until('the message to follow the setting', () => networksView.message, (m) => m === 'Engine: tcp://127.0.0.1:1', 10_000);
    } finally {
      await config.update('dockerHost', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

describe('first use: the walkthrough', () => {
  it('takes a new user through commands that exist, each step completed by the command it links to', async () => {
    const walkthroughs = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.walkthroughs as Array<{ steps: Array<{ id: string; description: string; completionEvents: string[] }> }>;
    const registered = new Set(await vscode.commands.getCommands(true));
    const steps = walkthroughs.flatMap((w) => w.steps);
    assert.deepStrictEqual(steps.map((s) => s.id), ['networks', 'diagnostics', 'diagram', 'probe', 'verify']);
    for (const step of steps) {
      const linked = [...step.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]);
      assert.ok(linked.length, `${step.id} links a command`);
      for (const id of linked) assert.ok(registered.has(id), `${step.id}: ${id} is a command`);
      for (const e of step.completionEvents.filter((c) => c.startsWith('onCommand:'))) assert.ok(registered.has(e.slice('onCommand:'.length)), `${step.id}: ${e}`);
    }
  });
});

describe('first use: the Networks view filter', () => {
  after(() => cleanupTestObjects());

  it('hides built-in networks and sorts by subnet from the settings the filter command writes', async () => {
    const { networksTree } = await api();
    const [high, low] = [uniqueName('dn-sort-a'), uniqueName('dn-sort-b')];
    await rawDocker().createNetwork({ Name: high, Labels: { [TEST_LABEL]: TEST_RUN }, IPAM: { Config: [{ Subnet: '10.231.64.0/24' }] } });
    await rawDocker().createNetwork({ Name: low, Labels: { [TEST_LABEL]: TEST_RUN }, IPAM: { Config: [{ Subnet: '10.231.63.0/24' }] } });
    const config = vscode.workspace.getConfiguration('dockerNetworking.networks');
    const labels = async () => {
      const roots = await networksTree.getChildren();
      return Promise.all(roots.filter((r) => r.kind === 'group').map(async (g) => [networksTree.getTreeItem(g).label, (await networksTree.getChildren(g)).map((n) => networksTree.getTreeItem(n).label)] as const));
    };
    networksTree.refresh();
    assert.ok((await labels()).some(([l]) => l === 'Built-in networks'));
    try {
      await config.update('showBuiltIn', false, vscode.ConfigurationTarget.Global);
      await until('the built-in group hidden', labels, (groups) => !groups.some(([l]) => l === 'Built-in networks'), 10_000);
      await config.update('showBuiltIn', undefined, vscode.ConfigurationTarget.Global);
      await config.update('sortBy', 'subnet', vscode.ConfigurationTarget.Global);
      await until('built-in networks back', labels, (groups) => groups.some(([l]) => l === 'Built-in networks'), 10_000);
      // By name "a" (10.231.64.0/24) comes before "b" (10.231.63.0/24); by subnet "b" comes first.
      const user = (await networksTree.getChildren()).find((g) => g.kind === 'group' && g.group.id === 'user')!;
      const order = (await networksTree.getChildren(user)).flatMap((n) => (n.kind === 'network' && (n.network.name === high || n.network.name === low) ? [n.network.name] : []));
      assert.deepStrictEqual(order, [low, high]);
    } finally {
      await config.update('showBuiltIn', undefined, vscode.ConfigurationTarget.Global);
      await config.update('sortBy', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
