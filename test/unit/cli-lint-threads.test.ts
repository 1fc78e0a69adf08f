// `compose-net lint` over many projects on several threads (src/cli/threads.ts, dist/cli-worker.js): the same report,
// exit status and errors as on one thread, whatever the workers do; no worker for a few projects.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BuildOptions } from 'esbuild';
import { computeAcrossThreads } from '../../src/cli/threads';
import { CORPUS, needCorpus } from '../support/corpus';

const ROOT = path.resolve(__dirname, '../../..');
const THREADS_JS = path.resolve(__dirname, '../../src/cli/threads.js');

/** Busy for `ms`: an item slow enough that a worker gets to take some. */
function spin(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

describe('computeAcrossThreads', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-threads-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A worker script: `body` runs with serveItems, workerData and parentPort in scope. */
  function workerScript(name: string, body: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `const { serveItems } = require(${JSON.stringify(THREADS_JS)});\nconst { workerData, parentPort } = require('worker_threads');\n${body}\n`);
    return file;
  }

  it('returns every item once, in order, some computed by the worker', async () => {
    const script = workerScript('ok.js', "serveItems(workerData, parentPort, (i) => { const end = Date.now() + 5; while (Date.now() < end); return 'worker ' + i; });");
    const out = await computeAcrossThreads(200, (i) => (spin(5), `main ${i}`), { script, workers: 1, data: null });
    assert.deepStrictEqual(out.map((s) => Number(s.split(' ')[1])), [...Array(200).keys()]);
    assert.ok(out.some((s) => s.startsWith('worker')), 'the worker took none in 1 s');
    assert.ok(out.some((s) => s.startsWith('main')));
  });

  it('a worker that dies holding an item: the item is computed on this thread', async () => {
    // Takes one item, then throws before delivering it.
    const script = workerScript('dies.js', 'Atomics.add(new Int32Array(workerData.counter), 0, 1);\nthrow new Error("worker died");');
    const out = await computeAcrossThreads(100, (i) => (spin(5), `main ${i}`), { script, workers: 1, data: null });
    assert.deepStrictEqual(out, [...Array(100).keys()].map((i) => `main ${i}`));
  });

  it('an error in an item surfaces as it would on one thread, whichever thread met it first', async () => {
    const script = workerScript('throws.js', "serveItems(workerData, parentPort, (i) => { if (i === 150) throw new Error('bad item'); return i; });");
    const compute = (i: number) => {
      spin(2);
      if (i === 150) throw new Error('bad item');
      return i;
    };
    await assert.rejects(computeAcrossThreads(200, compute, { script, workers: 1, data: null }), /bad item/);
  });

  it('a worker that cannot start costs nothing but the attempt', async () => {
    const out = await computeAcrossThreads(50, (i) => i * 2, { script: path.join(dir, 'missing.js'), workers: 2, data: null });
    assert.deepStrictEqual(out, [...Array(50).keys()].map((i) => i * 2));
  });
});

describe('compose-net lint on several threads (the built CLI)', function () {
  this.timeout(180_000);
  let dist: string;
  let mono: string;
  let log: string;

  before(async function () {
    needCorpus(this);
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-lint-threads-'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildRuntimeInto } = require(path.join(ROOT, 'esbuild.js')) as { buildRuntimeInto(dir: string, o: BuildOptions): Promise<unknown> };
    await buildRuntimeInto(dist, { sourcemap: false, minify: false });
    // The worker as built, wrapped to log each project it sends back (and, with DIE_AFTER_CLAIM, to die holding one).
    fs.renameSync(path.join(dist, 'cli-worker.js'), path.join(dist, 'cli-worker-real.js'));
    log = path.join(dist, 'worker.log');
    fs.writeFileSync(
      path.join(dist, 'cli-worker.js'),
      `const fs = require('fs');
const { parentPort, workerData } = require('worker_threads');
fs.appendFileSync(${JSON.stringify(log)}, 'started\\n');
if (process.env.DIE_AFTER_CLAIM) { Atomics.add(new Int32Array(workerData.counter), 0, 1); throw new Error('worker died'); }
const post = parentPort.postMessage.bind(parentPort);
parentPort.postMessage = (m) => { if (!m.done) fs.appendFileSync(${JSON.stringify(log)}, 'item ' + m.item + '\\n'); post(m); };
require('./cli-worker-real.js');
`,
    );
    mono = path.join(dist, 'mono');
    for (const f of fs.readdirSync(CORPUS).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      fs.mkdirSync(path.join(mono, f.replace(/\.ya?ml$/, '')), { recursive: true });
      fs.copyFileSync(path.join(CORPUS, f), path.join(mono, f.replace(/\.ya?ml$/, ''), 'compose.yaml'));
    }
    for (const copy of ['mono2', 'mono3', 'mono4']) fs.cpSync(mono, path.join(dist, copy), { recursive: true });
  });
  after(() => dist && fs.rmSync(dist, { recursive: true, force: true }));

  function lint(args: string[], env: Record<string, string> = {}) {
    fs.rmSync(log, { force: true });
    const r = spawnSync(process.execPath, [path.join(dist, 'cli.js'), 'lint', ...args], { cwd: dist, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 120_000 });
    const worker = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
    return { code: r.status, out: r.stdout, err: r.stderr, started: worker.includes('started'), items: (worker.match(/^item /gm) ?? []).length };
  }

  for (const format of ['text', 'json', 'sarif']) {
    it(`the corpus as 54 projects: the same ${format} report and exit status on 1, 2 and 3 threads`, () => {
      const one = lint(['-r', 'mono', '--format', format], { COMPOSE_NET_LINT_THREADS: '1' });
      assert.strictEqual(one.started, false);
      assert.strictEqual(one.code, 1, one.err);
      for (const threads of ['2', '3']) {
        // Whether a worker got to lint any of them depends on timing: the next test shows that it does.
        const many = lint(['-r', 'mono', '--format', format], { COMPOSE_NET_LINT_THREADS: threads });
        assert.deepStrictEqual({ code: many.code, out: many.out, err: many.err }, { code: one.code, out: one.out, err: one.err }, `${threads} threads`);
      }
    });
  }

  const ALL = ['-r', 'mono', 'mono2', 'mono3', 'mono4'];

  it('a worker does lint projects of the run (216 projects: it is up long before the end)', () => {
    const r = lint(ALL, { COMPOSE_NET_LINT_THREADS: '2' });
    assert.ok(r.items > 0, 'the worker linted no project');
    assert.ok(r.items < 216, 'the main thread linted none');
    assert.deepStrictEqual({ code: r.code, out: r.out }, (({ code, out }) => ({ code, out }))(lint(ALL, { COMPOSE_NET_LINT_THREADS: '1' })));
  });

  it('a worker that dies holding a project: the same report, that project linted on the main thread', () => {
    const one = lint(ALL, { COMPOSE_NET_LINT_THREADS: '1' });
    const died = lint(ALL, { COMPOSE_NET_LINT_THREADS: '2', DIE_AFTER_CLAIM: '1' });
    assert.strictEqual(died.started, true);
    assert.deepStrictEqual({ code: died.code, out: died.out }, { code: one.code, out: one.out });
  });

  it('by default: no worker below 128 projects (the corpus); for four copies of it (216), one if there is a spare core', () => {
    const few = lint(['mono/*traefik*', 'mono/*wordpress*', 'mono/*plex*'], {});
    assert.ok(few.out.includes('3 project(s)'), few.err);
    assert.strictEqual(few.started, false);
    assert.strictEqual(lint(['-r', 'mono'], {}).started, false);
    const four = lint(['mono', 'mono2', 'mono3', 'mono4'], { COMPOSE_NET_LINT_THREADS: '' });
    assert.strictEqual(four.started, false, 'four folders without --recursive are 4 projects');
    const big = lint(ALL, {});
    assert.ok(big.out.includes('216 project(s)'), big.err);
    assert.strictEqual(big.started, os.availableParallelism() > 1);
  });

  it('dist/cli-worker.js run as a command says what it is and exits 2', () => {
    const r = spawnSync(process.execPath, [path.join(dist, 'cli-worker-real.js')], { encoding: 'utf8', timeout: 30_000 });
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /is a thread of `compose-net lint`, not a command/);
  });

  it('a COMPOSE_NET_LINT_THREADS that is not a number from 1 to 64 is refused with exit 2', () => {
    for (const bad of ['0', 'two', '1.5', '65']) {
      const r = lint(['-r', 'mono'], { COMPOSE_NET_LINT_THREADS: bad });
      assert.strictEqual(r.code, 2, bad);
      assert.match(r.err, /COMPOSE_NET_LINT_THREADS must be a whole number from 1 to 64/);
    }
  });
});
