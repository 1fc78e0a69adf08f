// Traffic on the real engine: per-network counters, packet capture with a named summary, flows against the
// file, what is exposed on the host, and no capture container left behind after a cancel.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { analyze, analyzeProject } from '../../src/compose/analyze';
import { loadProject } from '../../src/compose/project';
import { CAPTURE_LABEL } from '../../src/engine/capture';
import { captureSites, networkSites, resolveCaptureTarget } from '../../src/engine/captureTargets';
import { createEngineClient } from '../../src/engine/dockerodeClient';
import { recordProjectFlows } from '../../src/engine/flowRecording';
import { compareFlows } from '../../src/traffic/flowsVsModel';
import { exposureReport } from '../../src/traffic/exposure';
import { readPcap } from '../../src/traffic/pcap';
import { parseProcNetSockets } from '../../src/traffic/sockets';
import { aggregateFlows, decodeCapture, summarize, summaryText } from '../../src/traffic/summary';
import { startSocketProxy } from '../support/socketProxy';
import { until } from '../support/until';
import { TEST_IMAGE, cleanupTestObjects, createTestNetwork, rawDocker, startTestContainer, uniqueName } from '../support/engine';

const ROOT = path.resolve(__dirname, '../../..');
const CAPTURE_IMAGE = process.env.DOCKER_NET_CAPTURE_IMAGE || 'docker-net-tcpdump:latest';
const engine = createEngineClient('', {});

async function captureContainers(): Promise<number> {
  return (await rawDocker().listContainers({ all: true, filters: JSON.stringify({ label: [CAPTURE_LABEL] }) })).length;
}

/** Auto-removal follows a container's exit asynchronously: poll for it, with a deadline. */
function removedWithin(ms: number): Promise<number> {
  return until('no capture container left', captureContainers, (n) => n === 0, ms);
}

/** Runs argv in a container to its end, under the probes' own deadline (never a hang). */
async function exec(container: string, argv: string[]): Promise<string> {
  const id = (await rawDocker().getContainer(container).inspect()).Id;
  return (await engine.probe(id, argv, { probeImage: TEST_IMAGE, fallback: false, deadlineMs: 15_000 })).output;
}

/** Two services of a fake compose project `project`, on a shared network; `a` also on a second one. */
async function twoServices(project: string): Promise<{ front: string; back: string; a: string; b: string }> {
  const front = await createTestNetwork();
  const back = await createTestNetwork();
  const a = uniqueName('dn-web');
  const b = uniqueName('dn-api');
  const labels = (service: string) => ({ 'com.docker.compose.project': project, 'com.docker.compose.service': service });
  await startTestContainer({ name: a, Labels: labels('web'), HostConfig: { NetworkMode: front } });
  await rawDocker().getNetwork(back).connect({ Container: a });
  await startTestContainer({ name: b, Labels: labels('api'), HostConfig: { NetworkMode: front } });
  return { front, back, a, b };
}

describe('traffic on the real engine', function () {
  this.timeout(120_000);
  after(() => cleanupTestObjects());

  it('counters move on the interface of the network that carried the traffic, not on the other', async () => {
    const { front, back, a, b } = await twoServices(uniqueName('cnt'));
    const container = (await engine.listContainers()).find((c) => c.name === a)!;
    const before = await (await engine.traffic!()).counters(container);
    const byNetwork = (s: typeof before, net: string) => s.interfaces.find((i) => i.network === net);
    assert.ok(byNetwork(before, front) && byNetwork(before, back), `both networks mapped to interfaces: ${JSON.stringify(before.interfaces)}`);
    await exec(b, ['ping', '-c', '5', '-s', '1000', '-W', '2', a]);
    const after = await (await engine.traffic!()).counters(container);
    const grew = (net: string) => byNetwork(after, net)!.rxBytes - byNetwork(before, net)!.rxBytes;
    // Observed on Engine 20.10: ~5 x 1042 bytes of echo requests arrive on the front interface; the back one stays quiet.
    assert.ok(grew(front) >= 5000, `front grew by ${grew(front)}`);
    assert.ok(grew(back) < 1000, `back grew by ${grew(back)}`);
  });

  it('a capture of a ping between two services holds the request and the reply, and the summary names both', async () => {
    const project = uniqueName('cap');
    const { a, b } = await twoServices(project);
    const resolved = await resolveCaptureTarget(engine, { service: 'web', project });
    let generated: Promise<string> | undefined;
    const run = await captureSites(engine, resolved.sites, {
      image: CAPTURE_IMAGE,
      durationMs: 3000,
      filter: 'icmp',
      onReady: () => (generated = exec(b, ['ping', '-c', '2', '-W', '2', a])),
    });
    await generated;
    const pcap = readPcap(run.pcap);
    assert.strictEqual(pcap.error, undefined);
    const packets = decodeCapture(pcap);
    assert.ok(packets.some((p) => p.icmp === 'echo request'), 'echo request captured');
    assert.ok(packets.some((p) => p.icmp === 'echo reply'), 'echo reply captured');
    const text = summaryText(summarize(pcap, resolved.book), resolved.label);
    assert.match(text, /api \(.*\) -> web \(.*\): ICMP echo request/);
    assert.match(text, /web \(.*\) -> api \(.*\): ICMP echo reply/);
    await removedWithin(10_000);
  });

  it('a bridge network is captured once on its host interface; flows name services and a hand connection shows as unexpected', async () => {
    const project = uniqueName('flw');
    const { front, a, b } = await twoServices(project);
    const net = (await engine.listNetworks()).find((n) => n.name === front)!;
    const running = (await engine.listContainers()).filter((c) => c.state === 'running');
    const sites = networkSites(net, running);
    assert.strictEqual(sites.length, 1);
    assert.match(sites[0].what, /br-/);
    let generated: Promise<string> | undefined;
    const run = await captureSites(engine, sites, { image: CAPTURE_IMAGE, durationMs: 3000, onReady: () => (generated = exec(b, ['ping', '-c', '2', '-W', '2', a])) });
    await generated;
    const { book } = await resolveCaptureTarget(engine, { network: front });
    const flows = aggregateFlows(decodeCapture(readPcap(run.pcap)), book);
    const ping = flows.find((f) => f.protocol === 'ICMP');
    assert.deepStrictEqual([ping?.from, ping?.to], ['api', 'web']);
    // The file keeps api and web apart (different networks): the observed ping is a flow the file does not allow.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-flows-'));
    fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: x\n    networks: [front]\n  api:\n    image: x\n    networks: [back]\nnetworks:\n  front: {}\n  back: {}\n');
    const { project: model } = loadProject({ dir }, { readFile: (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined) });
    const { topology } = analyzeProject(model);
    const comparison = compareFlows(flows, { services: [...model.services.keys()], canReach: (x, y) => topology.canReach(x, y) });
    assert.deepStrictEqual(comparison.unexpected.map((f) => `${f.from}->${f.to}`), ['api->web']);
  });

  it('flows of the sample stack: lb->api and api->db as the file allows; a hand connection shows as unexpected', async () => {
    const up = spawnSync('bash', [path.join(ROOT, 'scripts/sample-stack.sh'), 'up'], { encoding: 'utf8' });
    assert.strictEqual(up.status, 0, `sample stack: ${up.stderr}`);
    const analysis = analyze({ dir: path.join(ROOT, 'sample'), env: {} }, { readFile: (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined) });
    const model = { services: [...analysis.project.services.keys()], canReach: (x: string, y: string) => analysis.topology.canReach(x, y) };
    // Compose v1 names containers shop_lb_1, v2 shop-lb-1: find them by their labels.
    const named = async (service: string) => (await engine.listContainers()).find((c) => c.composeProject === 'shop' && c.composeService === service && c.state === 'running')!.name;
    const lb = await named('lb');
    const api = await named('api');
    const generate = async () => {
      await exec(lb, ['nc', '-w', '2', 'api', '3000']).catch(() => '');
      await exec(api, ['nc', '-w', '2', 'db', '5432']).catch(() => '');
    };
    let traffic: Promise<void> | undefined;
    const clean = await recordProjectFlows(engine, 'shop', { image: CAPTURE_IMAGE, durationMs: 6000, onReady: () => (traffic = generate()) });
    await traffic;
    const seen = (c: { flows: Array<{ from: string; to: string; protocol: string; port?: number }> }) => c.flows.map((f) => `${f.from}->${f.to}:${f.protocol}:${f.port ?? ''}`);
    assert.ok(seen(clean).includes('lb->api:TCP:3000'), seen(clean).join(', '));
    assert.ok(seen(clean).includes('api->db:TCP:5432'), seen(clean).join(', '));
    assert.deepStrictEqual(compareFlows(clean.flows, model).unexpected, []);
    // By hand, lb joins the data tier: lb can now open db, which the file keeps apart.
    await rawDocker().getNetwork('shop_data-tier').connect({ Container: lb });
    try {
      const handTraffic = () => exec(lb, ['nc', '-w', '2', 'database', '5432']).catch(() => '');
      let pending: Promise<unknown> | undefined;
      const dirty = await recordProjectFlows(engine, 'shop', { image: CAPTURE_IMAGE, durationMs: 6000, onReady: () => (pending = handTraffic()) });
      await pending;
      assert.deepStrictEqual(compareFlows(dirty.flows, model).unexpected.map((f) => `${f.from}->${f.to}:${f.port}`), ['lb->db:5432']);
    } finally {
      await rawDocker().getNetwork('shop_data-tier').disconnect({ Container: lb, Force: true }).catch(() => undefined);
    }
  });

  it('a cancelled capture keeps what it had, and leaves no capture container behind', async () => {
    const { a } = await twoServices(uniqueName('cnl'));
    const resolved = await resolveCaptureTarget(engine, { container: a });
    const controller = new AbortController();
    const run = await captureSites(engine, resolved.sites, { image: CAPTURE_IMAGE, durationMs: 60_000, signal: controller.signal, onReady: () => controller.abort() });
    assert.strictEqual(run.cancelled, true);
    assert.strictEqual(readPcap(run.pcap).error, undefined, 'a valid pcap, even when cancelled');
    await removedWithin(10_000);
  });

  it('a capture whose client vanishes ends by itself inside the engine (timeout in the container) and is auto-removed', async () => {
    const { a } = await twoServices(uniqueName('lost'));
    const id = (await rawDocker().getContainer(a).inspect()).Id;
    // What a crashed client leaves: a capture container started, never stopped nor removed by anyone.
    const { tcpdumpArgv } = await import('../../src/engine/capture');
    const orphan = await rawDocker().createContainer({
      Image: CAPTURE_IMAGE,
      Entrypoint: ['timeout', '-s', 'INT', '2', 'tcpdump'], // what selfLimitSeconds gives, shortened for the test
      Cmd: tcpdumpArgv({ containerId: id }, {}),
      Labels: { [CAPTURE_LABEL]: 'test-orphan' },
      HostConfig: { NetworkMode: `container:${id}`, AutoRemove: true, CapAdd: ['NET_RAW', 'NET_ADMIN'] },
    });
    await orphan.start();
    await removedWithin(15_000);
  });

  it('an engine lost mid-capture fails the capture with a reason, and the capture container still goes away', async () => {
    const { a } = await twoServices(uniqueName('gone'));
    const proxy = await startSocketProxy(path.join(os.tmpdir(), `dn-cap-${process.pid}-${Math.random().toString(36).slice(2, 6)}.sock`));
    try {
      const viaProxy = createEngineClient(`unix://${proxy.path}`, {});
      const resolved = await resolveCaptureTarget(viaProxy, { container: a });
      const started = Date.now();
      await assert.rejects(captureSites(viaProxy, resolved.sites, { image: CAPTURE_IMAGE, durationMs: 5000, onReady: () => proxy.kill() }), /engine|ECONNREFUSED|socket hang up/);
      assert.ok(Date.now() - started < 30_000, 'the capture gave up promptly');
      // Nobody can remove it through the dead link: the timeout inside the container ends it, auto-removal follows.
      await removedWithin(60_000);
    } finally {
      await proxy.close();
    }
  });

  it('a bad filter is refused by tcpdump with its own message, and nothing is left behind', async () => {
    const { a } = await twoServices(uniqueName('flt'));
    const resolved = await resolveCaptureTarget(engine, { container: a });
    await assert.rejects(captureSites(engine, resolved.sites, { image: CAPTURE_IMAGE, durationMs: 2000, filter: 'tcp port bogus' }), /tcpdump refused to start.*(syntax|unknown|port)/i);
    await removedWithin(10_000);
  });

  it('exposure: a port published on every interface is listed as bound, listening, and declared', async () => {
    const project = uniqueName('exp');
    const name = uniqueName('dn-lb');
    await startTestContainer({
      name,
      Image: TEST_IMAGE,
      Cmd: ['httpd', '-f', '-p', '80'],
      Labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': 'lb' },
      ExposedPorts: { '80/tcp': {} },
      HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '0' }] } },
    });
    const container = (await engine.listContainers()).find((c) => c.name === name)!;
    const published = container.published ?? [];
    assert.ok(published.length >= 1, `published ports listed: ${JSON.stringify(container)}`);
    const port = published[0].hostPort;
    const tables = await (await engine.traffic!()).hostSocketTables(TEST_IMAGE);
    const sockets = parseProcNetSockets(tables);
    assert.ok(sockets.some((s) => s.protocol === 'tcp' && s.port === port), `docker-proxy listens on ${port} in the host namespace`);
    const entries = exposureReport(
      published.map((p) => ({ service: 'lb', container: name, hostIp: p.hostIp, hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol })),
      [{ service: 'lb', text: '80', target: '80' }],
      sockets,
    );
    const v4 = entries.find((e) => e.family === 4)!;
    assert.deepStrictEqual({ all: v4.all_interfaces, declared: v4.declared, listening: v4.listening, host_ip: v4.host_ip }, { all: true, declared: '80', listening: true, host_ip: '0.0.0.0' });
  });
});
