// Verify isolation in the editor (issue 13): from the sample stack's project node in the Networks view, one
// Isolation panel per project reused on the next run, and a mismatch's fixes run from the panel's own links.
// The sample stack `shop` (sample/compose.yaml with sample/.env naming it) runs on the engine.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import type { VerifyReport } from '../../src/engine/verify';
import type { CommandResult } from '../../src/vscode/commands/run';
import type { DockerNetworkingApi } from '../../src/vscode/extension';
import type { NetworksNode } from '../../src/vscode/networksTree';
import { fixesFor, verifyHtml } from '../../src/vscode/verifyPanel';
import { rawDocker } from '../support/engine';
import { until } from '../support/until';
import { evaluateWhen } from '../support/whenClause';

const EXTENSION_ID = 'docker-networking-dev.docker-networking';
const ROOT = path.resolve(__dirname, '../../..');
const SAMPLE = path.join(ROOT, 'sample/compose.yaml');

async function api(): Promise<DockerNetworkingApi> {
  return vscode.extensions.getExtension<DockerNetworkingApi>(EXTENSION_ID)!.activate();
}

const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<CommandResult<T>>(`dockerNetworking.${command}`, ...args);
/** Verdicts, not deadlines, are what these tests are about: probes get 30 s on a machine other runs load heavily. */
const SLOW = { probeDeadlineMs: 30_000 };

/** The Isolation panels open in the window (webview tabs of the verify view type). */
function isolationTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('dockerNetworking.verify'));
}

/** The project node of `shop` in the Networks view, as the view shows it. */
async function shopNode(): Promise<NetworksNode> {
  const { networksTree } = await api();
  networksTree.refresh();
  const node = (await networksTree.getChildren()).find((n) => n.kind === 'group' && n.group.id === 'project:shop');
  assert.ok(node, 'the Networks view shows the compose project shop');
  return node;
}

/** The engine networks a container is attached to. */
async function networksOf(container: string): Promise<string[]> {
  return Object.keys((await rawDocker().getContainer(container).inspect()).NetworkSettings.Networks).sort();
}

/** Decodes a panel link `command:ID?ARGS` into the command and its arguments. */
function decode(href: string): { command: string; args: unknown[] } {
  const m = /^command:([\w.]+)\?(.*)$/.exec(href);
  assert.ok(m, `a command link: ${href}`);
  return { command: m[1], args: JSON.parse(decodeURIComponent(m[2])) as unknown[] };
}

/** The href of the panel's anchor with exactly this text (the HTML the panel shows, from the same function). */
function anchor(html: string, text: string): string | undefined {
  for (const m of html.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)) if (m[2] === text) return m[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  return undefined;
}

describe('verify isolation in the editor (issue 13, real engine)', function () {
  this.timeout(240_000);

  before(async () => {
    const up = spawnSync('bash', [path.join(ROOT, 'scripts/sample-stack.sh'), 'up'], { encoding: 'utf8' });
    assert.strictEqual(up.status, 0, up.stderr);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("the project node's Verify action verifies the running project named by its .env, not after its folder", async () => {
    const node = await shopNode();
    const { networksTree } = await api();
    const menus = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus['view/item/context'] as Array<{ command: string; when: string }>;
    const context = { view: 'dockerNetworking.networks', viewItem: networksTree.getTreeItem(node).contextValue };
    assert.ok(menus.some((m) => m.command === 'dockerNetworking.verifyIsolation' && evaluateWhen(m.when, context)), `Verify is in the context menu of ${JSON.stringify(context)}`);
    // No compose file is open: the node alone says which project (sample/compose.yaml, named "shop" by sample/.env).
    const r = await run<VerifyReport>('verifyIsolation', node, SLOW);
    assert.ok(r.ok, r.message);
    assert.strictEqual(r.value!.project, 'shop');
    assert.strictEqual(r.value!.errors, 0, r.message);
    assert.strictEqual(r.value!.pairs.length, 12);
    // The workbench adds the tab after the panel is created: wait for it.
    const tabs = await until('the Isolation panel', () => isolationTabs().map((t) => t.label), (l) => l.length > 0);
    assert.deepStrictEqual(tabs, ['Isolation: shop']);
  });

  it('a second run refreshes the same Isolation panel instead of opening another tab', async () => {
    const [panel] = await until('the Isolation panel of the first run', isolationTabs, (t) => t.length === 1);
    // Cover the panel with the compose file, so the next run's panel is seen when it becomes the active tab again.
    const column = vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.label === panel.label))!.viewColumn;
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(SAMPLE), { viewColumn: column, preview: false });
    await until('the compose file over the panel', () => isolationTabs().some((t) => t.isActive), (active) => !active);
    const r = await run<VerifyReport>('verifyIsolation', vscode.Uri.file(SAMPLE), SLOW);
    assert.ok(r.ok, r.message);
    assert.strictEqual(r.value!.project, 'shop');
    await until('an Isolation panel shown by the second run', () => isolationTabs().some((t) => t.isActive), (active) => active);
    const tabs = isolationTabs();
    assert.deepStrictEqual(tabs.map((t) => t.label), ['Isolation: shop'], 'one panel, reused');
    assert.strictEqual(vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.label === tabs[0].label))!.viewColumn, column, 'revealed where it was');
  });

  describe('a container connected by hand, fixed from the panel', () => {
    const original = vscode.window.showWarningMessage;

    after(async () => {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
      // Whatever the test reached: shop_db_1 leaves shop_dmz (the sample stack as its compose file says).
      if ((await networksOf('shop_db_1')).includes('shop_dmz')) await rawDocker().getNetwork('shop_dmz').disconnect({ Container: 'shop_db_1', Force: true });
      assert.deepStrictEqual(await networksOf('shop_db_1'), ['shop_data-tier']);
    });

    it('flags lb and db by address both ways and offers "Disconnect shop_db_1 from shop_dmz", which asks first and disconnects', async () => {
      // As a user would: `docker network connect shop_dmz shop_db_1`, no alias.
      await rawDocker().getNetwork('shop_dmz').connect({ Container: 'shop_db_1' });
      assert.ok((await networksOf('shop_db_1')).includes('shop_dmz'));

      const r = await run<VerifyReport>('verifyIsolation', await shopNode(), SLOW);
      assert.strictEqual(r.value?.project, 'shop', r.message);
      const report = r.value!;
      assert.strictEqual(report.errors, 0, JSON.stringify(report.pairs.filter((p) => p.actual === 'error').map((p) => `${p.from}->${p.to}: ${p.detail}`)));
      const bad = report.pairs.filter((p) => p.mismatch);
      assert.deepStrictEqual(bad.map((p) => `${p.from}->${p.to}`).sort(), ['db->lb', 'lb->db']);
      for (const p of bad) {
        assert.strictEqual(p.actual, 'reachable');
        assert.ok(p.reachedBy.includes('address'), `${p.from}->${p.to} reached by ${p.reachedBy.join(', ')}`);
        assert.ok(p.checks.some((c) => c.layer === 'address' && c.network === 'shop_dmz' && c.actual === true && !c.expected));
      }
      assert.strictEqual(isolationTabs().length, 1, 'still one Isolation panel');

      // The link the panel shows for the fix, decoded and run as the workbench would on a click.
      const { projects } = await api();
      const analysis = await projects.analysisReady(await vscode.workspace.openTextDocument(SAMPLE), 30_000);
      const html = verifyHtml(report, analysis, 'vscode-resource:');
      const href = anchor(html, 'Disconnect shop_db_1 from shop_dmz');
      assert.ok(href, 'the panel offers the fix');
      const { command, args } = decode(href);
      assert.strictEqual(command, 'dockerNetworking.disconnectContainer');

      const asked: Array<{ message: string; modal: boolean }> = [];
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = (message: string, options: vscode.MessageOptions | string, ...items: string[]) => {
        asked.push({ message, modal: typeof options === 'object' && options.modal === true });
        return Promise.resolve(items.find((i) => i === 'Disconnect'));
      };
      const fixed = await vscode.commands.executeCommand<CommandResult>(command, ...args);
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
      assert.ok(fixed.ok, fixed.message);
      assert.deepStrictEqual(asked, [{ message: 'Disconnect "shop_db_1" from "shop_dmz"? It loses its address and names there.', modal: true }]);
      await until('shop_db_1 to leave shop_dmz', () => networksOf('shop_db_1'), (n) => !n.includes('shop_dmz'));
      assert.deepStrictEqual(await networksOf('shop_db_1'), ['shop_data-tier']);
    });

    it('offers "Open the line that connects them" where the file connects the pair, and the link opens that line', async () => {
      const { projects } = await api();
      const analysis = await projects.analysisReady(await vscode.workspace.openTextDocument(SAMPLE), 30_000);
      assert.strictEqual(analysis.project.name, 'shop');
      // api -> db as if the engine had lost their data-tier link: the file connects them there.
      const pair = { from: 'api', to: 'db', expected: 'reachable' as const, actual: 'isolated' as const, reachedBy: [], expectedBy: ['name' as const, 'address' as const], mismatch: true, checks: [], detail: 'promised by the compose file but not found' };
      const fixes = fixesFor(pair, analysis);
      assert.deepStrictEqual(fixes.map((f) => f.label), ['Open the line that connects them']);
      // Not for lb -> db: the file puts them on no common network (their only fix is a disconnect).
      assert.deepStrictEqual(fixesFor({ ...pair, from: 'lb', expected: 'isolated', actual: 'isolated' }, analysis), []);
      const { command, args } = decode(fixes[0].href);
      const opened = await vscode.commands.executeCommand<CommandResult<string>>(command, ...args);
      assert.ok(opened.ok, opened.message);
      const editor = vscode.window.activeTextEditor!;
      assert.strictEqual(editor.document.uri.fsPath, SAMPLE);
      assert.strictEqual(editor.document.lineAt(editor.selection.start.line).text.trim(), 'data-tier: {}');
    });
  });
});
