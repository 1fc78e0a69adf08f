// Traffic on the tier diagram in the real extension host: live rates on the service-to-network attachments
// (sampled while the diagram is visible, even with the Networks view hidden), and a recording's observed flows.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DockerNetworkingApi } from '../../src/vscode/extension';
import type { CommandResult } from '../../src/vscode/commands/run';
import type { FlowComparison } from '../../src/traffic/flowsVsModel';
import { rawDocker } from '../support/engine';
import { until } from '../support/until';

const CAPTURE_IMAGE = process.env.DOCKER_NET_CAPTURE_IMAGE || 'docker-net-tcpdump:latest';
const ROOT = path.resolve(__dirname, '../../..');
const SAMPLE = path.join(ROOT, 'sample/compose.yaml');

async function serviceContainer(service: string): Promise<string> {
  const [c] = await rawDocker().listContainers({ filters: { label: ['com.docker.compose.project=shop', `com.docker.compose.service=${service}`] } });
  assert.ok(c, `a running ${service} container of the sample stack`);
  return c.Id;
}

describe('traffic on the tier diagram (real engine)', function () {
  this.timeout(180_000);

  it('draws live rates on the attachments while only the diagram is visible, and the observed flows of a recording', async () => {
    const up = spawnSync('bash', [path.join(ROOT, 'scripts/sample-stack.sh'), 'up'], { encoding: 'utf8' });
    assert.strictEqual(up.status, 0, up.stderr);
    await vscode.workspace.getConfiguration('dockerNetworking').update('captureImage', CAPTURE_IMAGE, vscode.ConfigurationTarget.Global);
    const ext = await vscode.extensions.getExtension<DockerNetworkingApi>('docker-networking-dev.docker-networking')!.activate();
    // Hide the Networks view: the rates must now be sampled for the diagram alone.
    await vscode.commands.executeCommand('workbench.view.explorer');
    await until('the Networks view hidden', () => ext.networksView.visible, (v) => !v, 10_000);

    // Traffic from lb to api on app-tier during the whole test.
    const lb = await serviceContainer('lb');
    const ping = async (count: number) => {
      const exec = await rawDocker().getContainer(lb).exec({ Cmd: ['ping', '-c', String(count), '-i', '0.2', '-s', '1200', 'api'], AttachStdout: false, AttachStderr: false });
      await exec.start({ Detach: true });
    };
    await ping(300);

    const overlays: Array<{ live: number; rated?: number; exposed?: number }> = [];
    const flows: Array<{ edges: number; warnings: number }> = [];
    const subs = [ext.diagram.onDidOverlay((m) => overlays.push(m)), ext.diagram.onDidShowFlows((m) => flows.push(m))];
    try {
      const doc = await vscode.workspace.openTextDocument(SAMPLE);
      await vscode.window.showTextDocument(doc);
      const requestsBefore = ext.liveRates.requests;
      const shown = await vscode.commands.executeCommand<CommandResult>('dockerNetworking.showDiagram', doc.uri);
      assert.ok(shown.ok, shown.message);
      // Two samples are needed for a rate; then every running service's attachments carry one (lb: dmz, app-tier; api: app-tier, data-tier; db; cache).
      const withRates = await until('an overlay with rates on the attachments', () => overlays.find((o) => (o.rated ?? 0) >= 4), (o) => o !== undefined, 60_000);
      assert.ok(withRates!.live >= 4, JSON.stringify(withRates));
      // The Host card shows how the engine bound the sample's 8080: on every interface (0.0.0.0), marked as such.
      assert.ok(withRates!.exposed === 1, `Host card lines marked every interface: ${JSON.stringify(withRates)}`);
      assert.ok(ext.liveRates.requests > requestsBefore, 'the diagram keeps the counters sampling');
      const api = await serviceContainer('api');
      const network = (await rawDocker().getContainer(api).inspect()).NetworkSettings.Networks;
      assert.ok(Object.keys(network).includes('shop_app-tier'));
      const rate = await until('api receiving on app-tier', () => ext.liveRates.rateOf(api, 'shop_app-tier'), (r) => r !== undefined && r.rx > 1000, 40_000);
      assert.ok(rate!.rx > 1000, JSON.stringify(rate));

      // A recording of the running project: the open diagram draws its service-to-service flows (lb -> api at least).
      await ping(40); // traffic during the recording, however long the wait above took
      const sentBefore = flows.length; // redraws re-send earlier recordings: only what comes after this one counts
      const r = await vscode.commands.executeCommand<CommandResult<{ comparison: FlowComparison }>>('dockerNetworking.recordFlows', vscode.Uri.file(SAMPLE), { duration: '4s', quiet: true });
      assert.ok(r.ok, r.message);
      const pairs = new Set([...r.value!.comparison.expected, ...r.value!.comparison.unexpected].map((f) => `${f.from}>${f.to}`));
      assert.ok(pairs.has('lb>api'), `service flows: ${[...pairs].join(', ') || 'none'}`);
      const expected = { type: 'flowsShown', edges: pairs.size, warnings: new Set(r.value!.comparison.unexpected.map((f) => `${f.from}>${f.to}`)).size };
      const drawn = await until('the observed flows drawn', () => flows.slice(sentBefore), (f) => f.some((x) => x.edges === expected.edges), 20_000);
      assert.deepStrictEqual(drawn.find((x) => x.edges === expected.edges), expected);

      // A flow the file keeps apart (lb and db share no network) is drawn as a warning.
      const count = flows.length;
      const flow = { from: 'lb', to: 'db', protocol: 'tcp', port: 5432, packets: 6, bytes: 400, firstSeen: 0, lastSeen: 1 };
      ext.diagram.showFlows('shop', { expected: [{ ...flow, from: 'lb', to: 'api', port: 3000 }], unexpected: [flow], unused: [], other: [] }, 3);
      const warned = await until('the hand-made flow drawn', () => flows.slice(count)[0], (f) => f !== undefined, 20_000);
      assert.deepStrictEqual(warned, { type: 'flowsShown', edges: 2, warnings: 1 });
    } finally {
      subs.forEach((s) => s.dispose());
    }
  });
});
