// Verify on the real engine: a project whose images lack ping and a shell, a service without NET_RAW, a container
// connected by hand, an engine that freezes or disappears mid-run (a socket proxy, never the shared dockerd),
// probe containers left by a killed run, and a probe image that is missing (never pulled without consent).
import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyze } from '../../src/compose/analyze';
import { createEngineClient } from '../../src/engine/dockerodeClient';
import { ANSWER_DIR_PREFIX, ANSWER_DIRS, PROBE_LABEL, ProbeImageMissing } from '../../src/engine/exec';
import { LISTEN_ARGV, parseListening } from '../../src/engine/probes/layers';
import { exitStatus, verifyProject, type VerifyReport } from '../../src/engine/verify';
import { TEST_IMAGE, TEST_LABEL, TEST_RUN, cleanupTestObjects, rawDocker, startTestContainer } from '../support/engine';
import { startSocketProxy } from '../support/socketProxy';
import { until } from '../support/until';

const NOPING_IMAGE = 'docker-net-noping:latest';
const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'out/src/cli/main.js');
const engine = createEngineClient('', {});
const disk = { readFile: (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) };

describe('verify: three layers, never a silent pass, nothing left behind (real engine)', function () {
  this.timeout(300_000);
  const project = `dnv${process.pid}${Math.random().toString(36).slice(2, 6)}`;
  const noShellImage = `docker-net-noshell-test:${project}`;
  // The folder's name is the project's, as Compose names it.
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dnv-')), project);
  const compose = (...args: string[]) => spawnSync('docker-compose', ['-p', project, ...args], { cwd: dir, encoding: 'utf8', timeout: 240_000 });
  const analysis = () => analyze({ dir, env: {} }, disk);
  const probeContainers = async () => (await rawDocker().listContainers({ all: true, filters: JSON.stringify({ label: [`${PROBE_LABEL}=${project}`] }) })).length;
  // A generous probe deadline here: these tests are about verdicts on a machine other runs load heavily; the deadline
  // itself is what the frozen-engine test below exercises (2 s).
  const verify = (options: Partial<Parameters<typeof verifyProject>[2]> = {}) => verifyProject(analysis(), engine, { probeImage: TEST_IMAGE, probeDeadlineMs: 30_000, ...options });
  const mismatched = (r: VerifyReport) => r.pairs.filter((p) => p.mismatch).map((p) => `${p.from}->${p.to}`).sort();

  before(async function () {
    if (spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status !== 0) {
      console.log('      !!! SKIPPED: needs docker-compose (scripts/provision.sh installs it)');
      this.skip();
    }
    // An image with neither a shell nor cat, ping, nslookup or nc: the local no-ping image with its shell removed.
    fs.mkdirSync(dir);
    const docker = rawDocker();
    const strip = await docker.createContainer({ Image: NOPING_IMAGE, Cmd: ['/bin/busybox', 'rm', '-f', '/bin/sh', '/bin/cat', '/bin/echo'], Labels: { [TEST_LABEL]: TEST_RUN } });
    await strip.start();
    await strip.wait();
    await strip.commit({ repo: 'docker-net-noshell-test', tag: project });
    await strip.remove({ force: true });
    const labels = `{ ${TEST_LABEL}: "${TEST_RUN}" }`;
    fs.writeFileSync(
      path.join(dir, 'compose.yaml'),
      `services:
  lb:
    image: ${TEST_IMAGE}
    command: ["httpd", "-f", "-p", "80", "-h", "/tmp"]
    labels: ${labels}
    networks: [dmz, app-tier]
  api:
    image: ${TEST_IMAGE}
    command: ["httpd", "-f", "-p", "3000", "-h", "/tmp"]
    labels: ${labels}
    networks:
      app-tier:
        aliases: [backend]
      data-tier: {}
  db:
    image: ${noShellImage}
    command: ["sleep", "3600"]
    labels: ${labels}
    networks:
      data-tier:
        aliases: [database]
  cache:
    image: ${TEST_IMAGE}
    command: ["httpd", "-f", "-p", "6379", "-h", "/tmp"]
    cap_drop: [NET_RAW]
    labels: ${labels}
    networks: [data-tier]
networks:
  dmz: { labels: ${labels} }
  app-tier: { internal: true, labels: ${labels} }
  data-tier: { internal: true, labels: ${labels} }
`,
    );
    const up = compose('up', '-d');
    assert.strictEqual(up.status, 0, `docker-compose up: ${up.stderr}`);
    // The image really lacks the tools: an exec of sh or cat cannot start.
    const db = (await engine.listContainers()).find((c) => c.composeProject === project && c.composeService === 'db')!;
    const sh = await engine.probe(db.id, ['sh', '-c', 'true'], { probeImage: TEST_IMAGE, fallback: false });
    assert.ok(sh.exitCode === 126 || sh.exitCode === 127, `sh in the no-shell image exited ${sh.exitCode}`);
  });

  after(async () => {
    compose('down', '--remove-orphans', '--timeout', '1');
    await cleanupTestObjects();
    await rawDocker().getImage(noShellImage).remove({ force: true }).catch(() => undefined);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('verifies images without ping or a shell and a service without NET_RAW, sweeps a killed run\'s leftovers, leaves none', async () => {
    // What a killed run leaves: an exited probe container that was not auto-removed.
    const leftover = await rawDocker().createContainer({ Image: TEST_IMAGE, Cmd: ['true'], Labels: { [PROBE_LABEL]: project } });
    await leftover.start();
    await leftover.wait();
    assert.strictEqual(await probeContainers(), 1);

    const r = await verify();
    assert.ok(r.swept >= 1, `swept ${r.swept}`);
    assert.strictEqual(r.incomplete, undefined);
    assert.strictEqual(r.errors, 0, JSON.stringify(r.pairs.filter((p) => p.actual === 'error').map((p) => p.detail)));
    assert.deepStrictEqual(mismatched(r), []);
    assert.strictEqual(r.pairs.length, 12);
    assert.strictEqual(exitStatus(r), 0);
    const pair = (from: string, to: string) => r.pairs.find((p) => p.from === from && p.to === to)!;
    assert.deepStrictEqual(pair('lb', 'api').reachedBy, ['name', 'address', 'port']);
    assert.ok(pair('lb', 'api').checks.some((c) => c.layer === 'name' && c.target === 'backend' && c.actual === true));
    // db has no tools at all: it is probed from a probe container in its namespace, and reached by address (no listener: refused).
    assert.deepStrictEqual(pair('db', 'cache').reachedBy, ['name', 'address', 'port']);
    assert.deepStrictEqual(pair('api', 'db').reachedBy, ['name', 'address']);
    // cache cannot ping (no NET_RAW): TCP and DNS still answer.
    assert.deepStrictEqual(pair('cache', 'api').reachedBy, ['name', 'address', 'port']);
    assert.strictEqual(pair('cache', 'lb').actual, 'isolated');
    assert.strictEqual(pair('lb', 'db').actual, 'isolated');
    await until('probe containers removed', probeContainers, (n) => n === 0, 20_000);
  });

  it('reads listening ports from this machine\'s /proc when the engine runs here (no exec), as `cat` in the container reads them; an engine elsewhere execs and gets the same verdicts', async () => {
    const containers = (await engine.listContainers()).filter((c) => c.composeProject === project);
    const expectedPort: Record<string, number> = { lb: 80, api: 3000, cache: 6379 };
    for (const c of containers) {
      const here = await engine.socketTablesHere!(c.id);
      assert.ok(here !== undefined, `${c.composeService}: not read from this machine's /proc`);
      // With the PID its facts carry (verify's way, no second inspect): the same tables; a PID of another process: none.
      const { pid } = await engine.containerFacts(c.id);
      assert.ok(pid && pid > 1, `${c.composeService}: facts carry the PID`);
      assert.deepStrictEqual(parseListening((await engine.socketTablesHere!(c.id, pid))!), parseListening(here)); // timers of other sockets move
      assert.strictEqual(await engine.socketTablesHere!(c.id, process.pid), undefined, 'a PID that is not that container\'s process is refused');
      const ports = parseListening(here).map((l) => l.port);
      if (c.composeService === 'db') assert.deepStrictEqual(ports, []);
      else {
        const cat = await engine.probe(c.id, LISTEN_ARGV, { probeImage: TEST_IMAGE, fallback: false, deadlineMs: 20_000 });
        assert.deepStrictEqual(parseListening(here), parseListening(cat.output), c.composeService);
        assert.deepStrictEqual(ports, [expectedPort[c.composeService!]]);
      }
    }
    // The same engine as if it ran elsewhere: no /proc to read, so each target's sockets are read by exec.
    const elsewhere = Object.assign(Object.create(engine) as typeof engine, { socketTablesHere: undefined });
    const byExec = await verifyProject(analysis(), elsewhere, { probeImage: TEST_IMAGE, probeDeadlineMs: 30_000 });
    const byProc = await verify();
    const verdicts = (r: VerifyReport) => r.pairs.map((p) => `${p.from}->${p.to}: ${p.actual} by ${p.reachedBy?.join(',') ?? '-'}`).sort();
    assert.deepStrictEqual(verdicts(byProc), verdicts(byExec));
    assert.strictEqual(byProc.errors + byExec.errors, 0);
  });

  it('catches a container connected by hand without an alias by address, in both directions', async () => {
    const db = (await engine.listContainers()).find((c) => c.composeProject === project && c.composeService === 'db')!;
    const dmz = (await engine.listNetworks()).find((n) => n.name === `${project}_dmz`)!;
    await engine.connect(dmz.id, db.id);
    try {
      const r = await verify();
      assert.strictEqual(r.errors, 0);
      assert.deepStrictEqual(mismatched(r), ['db->lb', 'lb->db']);
      for (const [from, to] of [['lb', 'db'], ['db', 'lb']]) {
        const p = r.pairs.find((x) => x.from === from && x.to === to)!;
        assert.strictEqual(p.expected, 'isolated');
        assert.strictEqual(p.actual, 'reachable');
        assert.ok(p.reachedBy.includes('address'), `${from}->${to}: ${p.reachedBy.join(',')}`);
        assert.ok(p.checks.some((c) => c.layer === 'address' && c.network === `${project}_dmz` && c.actual === true && !c.expected));
        assert.match(p.detail, new RegExp(`not in the compose file: .*address \\S+ on ${project}_dmz`));
        // The fix the panel offers: undo the attachment the file does not have.
        assert.deepStrictEqual(p.stray, [{ container: db.name, network: `${project}_dmz` }]);
      }
      assert.strictEqual(exitStatus(r), 1);
    } finally {
      await engine.disconnect(dmz.id, db.id, true);
    }
  });

  it('with --include-foreign, a container that is not a service but sits on a project network is probed and flagged', async () => {
    const name = `dnv-foreign-${process.pid}`;
    await startTestContainer({ name, Cmd: ['httpd', '-f', '-p', '8080', '-h', '/tmp'], HostConfig: { NetworkMode: `${project}_dmz` } });
    try {
      const r = await verify({ includeForeign: true });
      assert.strictEqual(r.errors, 0);
      const pair = r.pairs.find((p) => p.from === 'lb' && p.to === name)!;
      assert.ok(pair?.foreign, 'the foreign container is in the report');
      assert.strictEqual(pair.expected, 'isolated', 'the file does not put it on the project-owned network');
      assert.deepStrictEqual(pair.reachedBy, ['name', 'address', 'port']);
      assert.deepStrictEqual(mismatched(r), [`${name}->lb`, `lb->${name}`]);
    } finally {
      await rawDocker().getContainer(name).remove({ force: true });
    }
  });

  it('never pulls a missing probe image without consent: the run stops with what to do, exit 2', async () => {
    await assert.rejects(verify({ probeImage: 'docker-net-no-such-image:h13' }), (err: Error) => err instanceof ProbeImageMissing && /not on the engine: allow a pull \(CLI: --pull\)/.test(err.message));
    await assert.rejects(rawDocker().getImage('docker-net-no-such-image:h13').inspect());
  });

  /** Runs the CLI against a proxy of the engine; `arm` decides what the proxy does to it. */
  async function cliThroughProxy(arm: (proxy: Awaited<ReturnType<typeof startSocketProxy>>) => void): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
    const proxy = await startSocketProxy(path.join(os.tmpdir(), `${project}-${Math.random().toString(36).slice(2, 6)}.sock`));
    arm(proxy);
    const started = Date.now();
    try {
      const child = spawn(process.execPath, [CLI, 'verify', '-p', project, '--probe-timeout', '2', '--format', 'json', dir], {
        env: { ...process.env, DOCKER_HOST: `unix://${proxy.path}`, DOCKER_NET_PROBE_IMAGE: TEST_IMAGE },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
        child.on('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      return { code, stdout, stderr, ms: Date.now() - started };
    } finally {
      await proxy.close();
    }
  }

  it('a cancelled verify stops what it started inside the containers: no probe script, nc, nslookup or ping keeps running', async () => {
    const containers = (await engine.listContainers()).filter((c) => c.composeProject === project);
    const byService = (s: string) => containers.find((c) => c.composeService === s)!;
    const ps = async (id: string) => (await engine.probe(id, ['ps'], { probeImage: TEST_IMAGE, fallback: false, deadlineMs: 20_000 })).output;
    // An egress target that accepts the connection and never answers or closes it: lb's `nc -w 3` to it waits until
    // the job's own `timeout` (the probe deadline) unless the cancel kills it.
    const sink = await startTestContainer({ name: `dnv-sink-${process.pid}`, Cmd: ['nc', '-l', '-p', '9999', '-e', 'sleep', '600'], HostConfig: { NetworkMode: `${project}_dmz` } });
    try {
      const sinkAddress = (await sink.inspect()).NetworkSettings.Networks[`${project}_dmz`].IPAddress;
      const stop = new AbortController();
      const run = verify({ signal: stop.signal, egressTarget: `${sinkAddress}:9999` });
      run.catch(() => undefined);
      await until('lb runs its probes', () => ps(byService('lb').id), (out) => out.includes(`nc -w 3 ${sinkAddress} 9999`), 90_000);
      stop.abort();
      await assert.rejects(run, /verification cancelled/);
      for (const service of ['lb', 'api', 'cache']) {
        const out = await ps(byService(service).id);
        assert.doesNotMatch(out, /dn-probes|nc -w|nslookup|ping -c|timeout \d/, `${service} still runs probes after the cancel:\n${out}`);
        // The answers the killed script kept in its private directory go with it.
        const left = (await engine.probe(byService(service).id, ['ls', '-a', ...ANSWER_DIRS], { probeImage: TEST_IMAGE, fallback: false, deadlineMs: 20_000 })).output;
        assert.doesNotMatch(left, new RegExp(ANSWER_DIR_PREFIX.replace('.', '\\.')), `${service} keeps a cancelled probe's answers:\n${left}`);
      }
    } finally {
      await sink.remove({ force: true });
    }
    await until('probe containers removed', probeContainers, (n) => n === 0, 30_000);
  });

  it('a SIGKILLed verify: the probe sidecar it left running is swept by the next run', async () => {
    const child = spawn(process.execPath, [CLI, 'verify', '-p', project, '--format', 'json', dir], { env: { ...process.env, DOCKER_NET_PROBE_IMAGE: TEST_IMAGE }, stdio: 'ignore' });
    const running = async () => (await rawDocker().listContainers({ filters: JSON.stringify({ label: [`${PROBE_LABEL}=${project}`] }) })).length;
    try {
      await until('the CLI started a probe sidecar (db has no tools)', running, (n) => n > 0, 90_000);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.on('exit', r));
    assert.ok((await running()) > 0, 'the killed run left its sidecar running');
    const r = await verify();
    assert.ok(r.swept >= 1, `swept ${r.swept}`);
    await until('no probe containers left', probeContainers, (n) => n === 0, 30_000);
  });

  it('an engine that freezes mid-exec: exit 2 with the reason, within the probe deadline, no mismatch counted', async () => {
    const r = await cliThroughProxy((proxy) => proxy.when(/\/exec\b/, () => proxy.freeze()));
    console.log(`      (frozen engine: the CLI ended in ${(r.ms / 1000).toFixed(1)} s with exit ${r.code})`);
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, /verify did not finish: the engine at unix:\/\/\S+ stopped answering|lost the engine/);
    const json = JSON.parse(r.stdout) as { status: string; exitCode: number; mismatches: number; incomplete: string };
    assert.strictEqual(json.status, 'error');
    assert.strictEqual(json.exitCode, 2);
    assert.strictEqual(json.mismatches, 0);
    // Probe deadline 2 s, then one bounded look at the engine: the process ends well within a single API timeout (10 s).
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
  });

  it('an engine lost mid-run (its socket closed): exit 2 with the reason, never 0, never mismatches', async () => {
    const r = await cliThroughProxy((proxy) => proxy.when(/\/exec\b/, () => proxy.kill()));
    console.log(`      (lost engine: the CLI ended in ${(r.ms / 1000).toFixed(1)} s with exit ${r.code})`);
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, /did not finish|lost the engine|could not be probed|Docker Engine at/);
    if (r.stdout.trim()) {
      const json = JSON.parse(r.stdout) as { status: string; mismatches: number };
      assert.strictEqual(json.status, 'error');
      assert.strictEqual(json.mismatches, 0);
    }
    // Whatever the cut-off run started is gone, or removed by the next sweep.
    await engine.sweepProbes();
    await until('no probe containers of the cut-off run', probeContainers, (n) => n === 0, 30_000);
  });
});
