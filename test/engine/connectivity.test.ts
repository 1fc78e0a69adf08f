// Probes and isolation verification on the real engine, with the local test images.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { analyze } from '../../src/compose/analyze';
import * as fs from 'fs';
import { createEngineClient } from '../../src/engine/dockerodeClient';
import { parseNslookup, parsePing } from '../../src/engine/probeOutput';
import { dnsArgv, pingArgv } from '../../src/engine/probes';
import { verifyProject } from '../../src/engine/verify';
import { TEST_IMAGE, cleanupTestObjects, createTestNetwork, rawDocker, startTestContainer, uniqueName } from '../support/engine';

const engine = createEngineClient('', {});
const probeImage = TEST_IMAGE;
const NOPING_IMAGE = 'docker-net-noping:latest';
const ROOT = path.resolve(__dirname, '../../..');

async function ipOn(container: string, network: string): Promise<string> {
  const info = await rawDocker().getContainer(container).inspect();
  return info.NetworkSettings.Networks[network].IPAddress;
}

/** Probe containers on the engine (they carry this label), running or not. */
async function containerCount(): Promise<number> {
  return (await rawDocker().listContainers({ all: true, filters: JSON.stringify({ label: ['dev.docker-networking.probe'] }) })).length;
}

describe('probes between containers (real engine)', () => {
  after(() => cleanupTestObjects());

  it('on a user-defined bridge, ping by name and by alias succeed, and DNS answers from the embedded server', async () => {
    const network = await createTestNetwork();
    const a = uniqueName('dn-a');
    const b = uniqueName('dn-b');
    const src = await startTestContainer({ name: a, HostConfig: { NetworkMode: network } });
    await startTestContainer({ name: b, HostConfig: { NetworkMode: network }, NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: ['bee'] } } } });
    for (const target of [b, 'bee']) {
      const r = await engine.probe(src.id, pingArgv(target, 2), { probeImage });
      assert.strictEqual(r.exitCode, 0, r.output);
      assert.deepStrictEqual(parsePing(r.output)?.received, 2);
    }
    const dns = parseNslookup((await engine.probe(src.id, dnsArgv('bee'), { probeImage })).output);
    assert.deepStrictEqual(dns, { server: '127.0.0.11', addresses: [await ipOn(b, network)] });
  });

  it('on the default bridge, the same name does not resolve while the address answers (the tutorials\' lesson)', async () => {
    const c = uniqueName('dn-c');
    const d = uniqueName('dn-d');
    const src = await startTestContainer({ name: c });
    await startTestContainer({ name: d });
    const byName = await engine.probe(src.id, pingArgv(d, 1), { probeImage });
    assert.notStrictEqual(byName.exitCode, 0);
    assert.match(byName.output, /bad address/);
    const byAddress = await engine.probe(src.id, pingArgv(await ipOn(d, 'bridge'), 1), { probeImage });
    assert.strictEqual(byAddress.exitCode, 0, byAddress.output);
  });

  it('falls back to a probe container when the image has no ping, and leaves no container behind, also after a cancel', async () => {
    const src = await startTestContainer({ Image: NOPING_IMAGE, name: uniqueName('dn-noping') });
    const before = await containerCount();
    const r = await engine.probe(src.id, pingArgv('127.0.0.1', 1), { probeImage });
    assert.strictEqual(r.via, 'probe-container');
    assert.strictEqual(r.exitCode, 0, r.output);
    assert.strictEqual(await containerCount(), before);
    const cancel = new AbortController();
    let output = '';
    const running = engine.probe(src.id, pingArgv('127.0.0.1', 30), { probeImage, signal: cancel.signal, onOutput: (s) => (output += s) });
    while (!/seq=1/.test(output)) await new Promise((res) => setTimeout(res, 50)); // wait for the stream, not a fixed time
    cancel.abort();
    const cancelled = await running;
    assert.strictEqual(cancelled.exitCode, 130);
    assert.strictEqual(await containerCount(), before, 'the probe container was removed after the cancel');
  });

  it('says which setting to change when the probe image is missing and cannot be pulled', async () => {
    const src = await startTestContainer({ Image: NOPING_IMAGE, name: uniqueName('dn-noping2') });
    await assert.rejects(engine.probe(src.id, pingArgv('127.0.0.1', 1), { probeImage: 'docker-net-no-such-image:1' }), /dockerNetworking\.probeImage/);
  });
});

describe('verify isolation of the sample stack (real engine)', function () {
  this.timeout(180_000);
  const OUTSIDE = '198.18.0.2';
  const canMakeNetns = process.getuid?.() === 0 && spawnSync('ip', ['-V']).status === 0;
  const disk = { readFile: (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) };

  before(function () {
    if (!canMakeNetns) {
      console.log('      !!! SKIPPED: needs root and iproute2 for the outside test host');
      this.skip();
    }
    // The outside test host: a network namespace on this machine, never anything beyond it.
    const ip = (...args: string[]) => spawnSync('ip', args, { encoding: 'utf8' });
    ip('netns', 'del', 'dnout');
    ip('link', 'del', 'dn-out-h');
    for (const cmd of [
      ['netns', 'add', 'dnout'],
      ['link', 'add', 'dn-out-h', 'type', 'veth', 'peer', 'name', 'dn-out-o'],
      ['link', 'set', 'dn-out-o', 'netns', 'dnout'],
      ['addr', 'add', '198.18.0.1/24', 'dev', 'dn-out-h'],
      ['link', 'set', 'dn-out-h', 'up'],
      ['netns', 'exec', 'dnout', 'ip', 'addr', 'add', `${OUTSIDE}/24`, 'dev', 'dn-out-o'],
      ['netns', 'exec', 'dnout', 'ip', 'link', 'set', 'dn-out-o', 'up'],
      ['netns', 'exec', 'dnout', 'ip', 'link', 'set', 'lo', 'up'],
      ['netns', 'exec', 'dnout', 'ip', 'route', 'add', 'default', 'via', '198.18.0.1'],
    ]) {
      const r = ip(...cmd);
      assert.strictEqual(r.status, 0, `ip ${cmd.join(' ')}: ${r.stderr}`);
    }
    const up = spawnSync('bash', [path.join(ROOT, 'scripts/sample-stack.sh'), 'up'], { encoding: 'utf8' });
    assert.strictEqual(up.status, 0, `sample stack: ${up.stderr}`);
  });

  after(() => {
    spawnSync('ip', ['netns', 'del', 'dnout']);
    spawnSync('ip', ['link', 'del', 'dn-out-h']);
  });

  const verify = () => verifyProject(analyze({ dir: path.join(ROOT, 'sample'), env: {} }, disk), engine, { probeImage, egressTarget: OUTSIDE });
  const mismatches = (r: Awaited<ReturnType<typeof verify>>) => [
    ...r.pairs.filter((p) => p.actual !== p.expected).map((p) => `${p.from}->${p.to}: ${p.actual}`),
    ...r.egress.filter((e) => e.actual !== e.expected).map((e) => `${e.service}->outside: ${e.actual}`),
  ];

  it('finds zero mismatches; egress from the public tier only', async () => {
    const r = await verify();
    assert.strictEqual(r.project, 'shop');
    assert.deepStrictEqual(mismatches(r), []);
    assert.strictEqual(r.pairs.length, 12);
    assert.deepStrictEqual(Object.fromEntries(r.egress.map((e) => [e.service, e.actual])), { api: 'none', cache: 'none', db: 'none', lb: 'allowed' });
  });

  it('reports exactly the new reachability after the database joins the public network, and none after it leaves', async () => {
    const db = (await engine.listContainers()).find((c) => c.composeProject === 'shop' && c.composeService === 'db')!;
    const dmz = (await engine.listNetworks()).find((n) => n.name === 'shop_dmz')!;
    await engine.connect(dmz.id, db.id, { aliases: ['db'] });
    try {
      const r = await verify();
      assert.deepStrictEqual(mismatches(r).sort(), ['db->lb: reachable', 'db->outside: allowed', 'lb->db: reachable']);
      assert.match(r.pairs.find((p) => p.from === 'lb' && p.to === 'db')!.detail, /not in the compose file: .*on shop_dmz/);
    } finally {
      await engine.disconnect(dmz.id, db.id, false);
    }
    assert.deepStrictEqual(mismatches(await verify()), []);
  });
});
