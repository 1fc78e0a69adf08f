// Traffic in the real extension host: live rates in the Networks view while it is visible, and
// "Capture Traffic…" writing a .pcap with a summary that names the containers.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DockerNetworkingApi } from '../../src/vscode/extension';
import type { CaptureValue } from '../../src/vscode/commands/captureCommand';
import type { CommandResult } from '../../src/vscode/commands/run';
import { cleanupTestObjects, createTestNetwork, rawDocker, startTestContainer, uniqueName } from '../support/engine';
import { until } from '../support/until';

const CAPTURE_IMAGE = process.env.DOCKER_NET_CAPTURE_IMAGE || 'docker-net-tcpdump:latest';

function api(): Thenable<DockerNetworkingApi> {
  return vscode.extensions.getExtension<DockerNetworkingApi>('docker-networking-dev.docker-networking')!.activate();
}

describe('traffic (real engine)', function () {
  this.timeout(120_000);
  const a = uniqueName('dn-ta');
  const b = uniqueName('dn-tb');
  let network = '';

  before(async () => {
    network = await createTestNetwork();
    await startTestContainer({ name: a, HostConfig: { NetworkMode: network } });
    await startTestContainer({ name: b, HostConfig: { NetworkMode: network } });
    await vscode.workspace.getConfiguration('dockerNetworking').update('captureImage', CAPTURE_IMAGE, vscode.ConfigurationTarget.Global);
  });
  after(() => cleanupTestObjects());

  it('live rates: one stats request per running container per interval while the view is visible, rates on the network', async () => {
    const ext = await api();
    await vscode.commands.executeCommand('dockerNetworking.networks.focus');
    ext.networksTree.refresh();
    const id = (await rawDocker().getContainer(a).inspect()).Id;
    // Keep traffic flowing from b to a while the view samples.
    const exec = await rawDocker().getContainer(b).exec({ Cmd: ['ping', '-c', '40', '-i', '0.2', '-s', '1200', a], AttachStdout: false, AttachStderr: false });
    await exec.start({ Detach: true });
    const rate = await until('a rate for the pinged container', () => ext.liveRates.rateOf(id, network), (r) => r !== undefined && r.rx > 1000, 40_000);
    assert.ok(rate!.rx > 1000, JSON.stringify(rate));
    assert.ok(ext.liveRates.networkRate(network)!.rx >= rate!.rx, 'the network sums its containers');
  });

  it('Capture Traffic… on a container writes a .pcap and a summary that names both containers', async () => {
    const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dn-cap-')), 'ping.pcap');
    const pinger = rawDocker().getContainer(b).exec({ Cmd: ['ping', '-c', '8', '-i', '0.5', a], AttachStdout: false, AttachStderr: false }).then((e) => e.start({ Detach: true }));
    const r = await vscode.commands.executeCommand<CommandResult<CaptureValue>>('dockerNetworking.captureTraffic', undefined, { container: a, duration: '4s', filter: 'icmp', output, quiet: true });
    await pinger;
    assert.ok(r.ok, r.message);
    assert.ok(fs.statSync(output).size > 24, 'a pcap with packets');
    assert.ok(r.value!.packets >= 2, r.value!.summary);
    assert.match(r.value!.summary, new RegExp(`${b} \\(on ${network}\\) -> ${a} \\(on ${network}\\): ICMP echo request`));
    await until('capture container removed', async () => (await rawDocker().listContainers({ all: true, filters: JSON.stringify({ label: ['dev.docker-networking.capture'] }) })).length, (n) => n === 0, 10_000);
  });

  it('the Host node lists each published port as bound, marking every-interface bindings', async () => {
    const web = uniqueName('dn-tweb');
    await startTestContainer({ name: web, Cmd: ['httpd', '-f', '-p', '80'], ExposedPorts: { '80/tcp': {} }, HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '0' }] } } });
    const { networksTree } = await api();
    networksTree.refresh();
    const host = (await networksTree.getChildren()).find((n) => n.kind === 'host');
    assert.ok(host, 'a Host node');
    const items = (await networksTree.getChildren(host)).map((n) => networksTree.getTreeItem(n));
    const mine = items.find((i) => String(i.description).includes(`${web}:80`));
    assert.ok(mine, items.map((i) => `${i.label} ${i.description}`).join('; '));
    assert.match(String(mine!.label), /^0\.0\.0\.0:\d+\/tcp$/);
    assert.match(String(mine!.description), /every interface/);
    assert.match((mine!.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' '), /bypass host firewalls/);
  });

  it('refuses a filter that is not pcap syntax before anything reaches the engine', async () => {
    const r = await vscode.commands.executeCommand<CommandResult>('dockerNetworking.captureTraffic', undefined, { container: a, duration: '2s', filter: 'icmp; rm -rf /', output: path.join(os.tmpdir(), 'never.pcap'), quiet: true });
    assert.strictEqual(r.ok, false);
    assert.match(r.message, /invalid filter/);
  });
});

describe('record flows of the sample project (real engine)', function () {
  this.timeout(180_000);

  it('records the running sample project and compares with its file', async () => {
    const { spawnSync } = await import('child_process');
    const ROOT = path.resolve(__dirname, '../../..');
    const up = spawnSync('bash', [path.join(ROOT, 'scripts/sample-stack.sh'), 'up'], { encoding: 'utf8' });
    assert.strictEqual(up.status, 0, up.stderr);
    await vscode.workspace.getConfiguration('dockerNetworking').update('captureImage', CAPTURE_IMAGE, vscode.ConfigurationTarget.Global);
    const r = await vscode.commands.executeCommand<CommandResult<{ report: string; comparison: { unexpected: unknown[] } }>>('dockerNetworking.recordFlows', vscode.Uri.file(path.join(ROOT, 'sample/compose.yaml')), { duration: '3s', quiet: true });
    assert.ok(r.ok, r.message);
    assert.match(r.value!.report, /Flows observed in project "shop" over 3 s/);
    assert.match(r.value!.report, /Possible, unused/);
    assert.deepStrictEqual(r.value!.comparison.unexpected, []);
  });
});
