// Probe and verify commands in the real extension host, run with arguments against the real engine.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import type { VerifyReport } from '../../src/engine/verify';
import type { ProbeOutcome } from '../../src/vscode/commands/probeCommands';
import type { CommandResult } from '../../src/vscode/commands/run';
import { cleanupTestObjects, createTestNetwork, startTestContainer, uniqueName } from '../support/engine';

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
