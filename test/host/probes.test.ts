// Probe and verify commands in the real extension host, run with arguments against the real engine.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import type { VerifyReport } from '../../src/engine/verify';
import type { DockerNetworkingApi } from '../../src/vscode/extension';
import type { NetworksNode } from '../../src/vscode/networksTree';
import type { ProbeOutcome } from '../../src/vscode/commands/probeCommands';
import type { CommandResult } from '../../src/vscode/commands/run';
import { cleanupTestObjects, createTestNetwork, rawDocker, startTestContainer, uniqueName } from '../support/engine';
import { until } from '../support/until';

const ROOT = path.resolve(__dirname, '../../..');
const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<CommandResult<T>>(`dockerNetworking.${command}`, ...args);

describe('probe commands (real engine)', function () {
  this.timeout(120_000);
  const a = uniqueName('dn-pa');
  const b = uniqueName('dn-pb');

  before(async () => {
    const network = await createTestNetwork();
    await startTestContainer({ name: a, HostConfig: { NetworkMode: network } });
    await startTestContainer({ name: b, Cmd: ['httpd', '-f', '-p', '80', '-h', '/tmp'], HostConfig: { NetworkMode: network }, NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: ['web'] } } } });
  });
  after(() => cleanupTestObjects());

  it('pings by name and by alias, with a summary', async () => {
    for (const to of [b, 'web']) {
      const r = await run<ProbeOutcome>('ping', { from: a, to, count: 2 });
      assert.ok(r.ok && r.value!.ok, r.message);
      assert.match(r.value!.summary, /^2 sent, 2 received, 0% loss, avg [\d.]+ ms$/);
    }
    const ghost = await run<ProbeOutcome>('ping', { from: a, to: 'no-such-host', count: 1 });
    assert.strictEqual(ghost.value!.ok, false);
    assert.match(ghost.value!.summary, /does not resolve/);
  });

  it('looks names up, saying which resolver answered', async () => {
    const r = await run<ProbeOutcome>('dnsLookup', { from: a, to: 'web' });
    assert.ok(r.value!.ok, r.message);
    assert.match(r.value!.summary, /^web → \d+\.\d+\.\d+\.\d+ \(from Docker's embedded DNS \(127\.0\.0\.11\)\)$/);
  });

  it('checks a TCP port and an HTTP URL', async () => {
    assert.strictEqual((await run<ProbeOutcome>('checkPort', { from: a, to: 'web', port: 80 })).value!.ok, true);
    assert.strictEqual((await run<ProbeOutcome>('checkPort', { from: a, to: 'web', port: 81 })).value!.ok, false);
    const http = await run<ProbeOutcome>('checkHttp', { from: a, url: 'http://web/' });
    assert.match(http.value!.summary, /answered HTTP 404/, 'busybox httpd with no index page');
  });

  it('refuses a target that is not a host name or an address, before the engine', async () => {
    const r = await run<ProbeOutcome>('ping', { from: a, to: 'web; rm -rf /' });
    assert.strictEqual(r.ok, false);
    assert.match(r.message, /not a host name or an IP address/);
  });
});

describe('verify isolation command (real engine)', function () {
  this.timeout(180_000);

  it('verifies the running sample project and opens the matrix', async () => {
    const up = spawnSync('bash', [path.join(ROOT, 'scripts/sample-stack.sh'), 'up'], { encoding: 'utf8' });
    assert.strictEqual(up.status, 0, up.stderr);
    const file = vscode.Uri.file(path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'shop/compose.yaml'));
    const r = await run<VerifyReport>('verifyIsolation', file, {});
    assert.ok(r.ok, r.message);
    assert.strictEqual(r.value!.project, 'shop');
    assert.strictEqual(r.value!.mismatches, 0, JSON.stringify(r.value!.pairs.filter((p) => p.actual !== p.expected)));
    assert.strictEqual(r.value!.pairs.length, 12);
  });
});

/** The sample stack's container of a service (Compose v1 or v2 names). */
async function shopContainer(service: string): Promise<string> {
  const [c] = await rawDocker().listContainers({ filters: JSON.stringify({ label: ['com.docker.compose.project=shop', `com.docker.compose.service=${service}`] }) });
  assert.ok(c, `the sample stack's ${service} is running`);
  return c.Names[0].replace(/^\//, '');
}

describe('probe targets and failures in terms of the topology (sample stack)', function () {
  this.timeout(180_000);
  const names: Record<string, string> = {};

  before(async () => {
    const up = spawnSync('bash', [path.join(ROOT, 'scripts/sample-stack.sh'), 'up'], { encoding: 'utf8' });
    assert.strictEqual(up.status, 0, up.stderr);
    for (const s of ['lb', 'api', 'db', 'cache']) names[s] = await shopContainer(s);
  });

  it('an HTTP check takes a bare name: lb means http://lb/, lb:80 means http://lb:80/', async () => {
    const bare = await run<ProbeOutcome>('checkHttp', { from: names.api, url: 'lb' });
    assert.match(bare.value?.summary ?? bare.message, /^✘ http:\/\/lb\/ answered HTTP 404$/, 'busybox httpd with no index page');
    const port = await run<ProbeOutcome>('checkHttp', { from: names.api, url: 'lb:80' });
    assert.match(port.value?.summary ?? port.message, /http:\/\/lb:80\/ answered HTTP 404$/);
  });

  it('a failed probe says why: no shared network; an alias that lives on another network', async () => {
    const db = await run<ProbeOutcome>('ping', { from: names.lb, to: 'db', count: 1 });
    assert.strictEqual(db.value!.ok, false);
    assert.strictEqual(db.value!.why, `db (${names.db}) is not on any network lb (${names.lb}) is on; shared networks: none (${names.lb}: shop_app-tier, shop_dmz; ${names.db}: shop_data-tier).`);
    assert.match(db.message, /: db \(.*shared networks: none/);
    // api answers to "backend" only on app-tier; cache shares data-tier with it.
    const alias = await run<ProbeOutcome>('checkPort', { from: names.cache, to: 'backend', port: 3000 });
    assert.strictEqual(alias.value!.ok, false);
    assert.match(alias.value!.why!, new RegExp(`^"backend" is a name of ${names.api} only on shop_app-tier, which cache \\(${names.cache}\\) is not on; on the shared network shop_data-tier it answers to ${names.api}, api`));
    const refused = await run<ProbeOutcome>('checkPort', { from: names.api, to: 'db', port: 81 });
    assert.match(refused.value!.why!, new RegExp(`share shop_data-tier, so the network lets it through: is ${names.db} listening on 81 \\(it listens on or exposes 5432\\)\\?`));
  });

  it('suggests the names lb resolves and the ports the target listens on, and probes what was picked', async () => {
    const ext = await vscode.extensions.getExtension<DockerNetworkingApi>('docker-networking-dev.docker-networking')!.activate();
    const tree = ext.networksTree;
    tree.refresh();
    let lbRow: NetworksNode | undefined;
    for (const group of await tree.getChildren()) {
      for (const n of await tree.getChildren(group)) {
        if (n.kind !== 'network' || n.network.name !== 'shop_app-tier') continue;
        lbRow = (await tree.getChildren(n)).find((a) => a.kind === 'attachment' && a.attachment.container.name === names.lb);
      }
    }
    assert.ok(lbRow, 'lb under shop_app-tier');
    const picks: Array<vscode.QuickPick<vscode.QuickPickItem>> = [];
    const window = vscode.window as { createQuickPick: unknown };
    const original = vscode.window.createQuickPick;
    window.createQuickPick = () => {
      const qp = original.call(vscode.window);
      picks.push(qp);
      return qp;
    };
    const choose = async (n: number, label: string) => {
      const qp = await until(`quick pick ${n}`, () => picks[n], (p) => !!p && p.items.length > 0, 30_000);
      const item = qp.items.find((i) => i.label === label);
      assert.ok(item, `${label} offered in ${JSON.stringify(qp.items.map((i) => i.label))}`);
      const offered = qp.items;
      // Typing the label leaves it the only match, active; then Enter.
      qp.value = label;
      await until(`${label} active`, () => qp.activeItems[0]?.label, (l) => l === label, 10_000);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return offered;
    };
    try {
      const result = run<ProbeOutcome>('checkPort', lbRow);
      const targets = (await choose(0, 'backend')).map((i) => i.label);
      for (const name of ['api', 'backend', names.api]) assert.ok(targets.includes(name), `${name} in ${targets.join(', ')}`);
      for (const name of ['db', 'database', names.db, 'redis']) assert.ok(!targets.includes(name), `${name} is not resolvable from lb`);
      const ports = await choose(1, '3000');
      assert.match(ports.find((i) => i.label === '3000')!.description!, /listening/);
      const r = await result;
      assert.strictEqual(r.value?.summary, '✔ backend:3000 accepts connections', r.message);
    } finally {
      window.createQuickPick = original;
    }
  });
});
