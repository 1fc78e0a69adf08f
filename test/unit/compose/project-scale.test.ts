// The loader on generated worst cases: an include DAG where each of 17 files includes the next one 4 times, and
// a 1,000-long extends chain. The loads run in a worker thread under a watchdog (a generous deadline that only a
// runaway loader exceeds: the old loader walked 4^16 include paths), and the costs are pinned as deterministic
// counts (host reads, extends resolutions, include loads), never as timings.
import * as assert from 'assert';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { loadProject } from '../../../src/compose/project';

const DIR = '/scale';
const WATCHDOG_MS = 60_000;

function includeDag(levels: number, fanOut: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < levels; i++) {
    const include = i + 1 < levels ? `include:\n${Array.from({ length: fanOut }, () => `  - f${i + 1}.yaml\n`).join('')}` : '';
    files[i === 0 ? 'compose.yaml' : `f${i}.yaml`] = `${include}services:\n  s${i}: {image: x, networks: [n${i}]}\nnetworks:\n  n${i}: {}\n`;
  }
  return files;
}

function extendsChain(length: number): Record<string, string> {
  const lines = ['services:', '  s0: {image: base, networks: {n: {aliases: [a0]}}}'];
  for (let i = 1; i < length; i++) lines.push(`  s${i}: {extends: s${i - 1}, networks: {n: {aliases: [a${i}]}}}`);
  return { 'compose.yaml': lines.join('\n') + '\nnetworks: {n: {}}\n' };
}

/** Loads in a worker: a loader that never returns is terminated at the deadline and the test fails. */
function loadInWorker(files: Record<string, string>): Promise<{ services: number; stats: Record<string, number>; findings: string[]; aliases: number }> {
  const projectModule = path.resolve(__dirname, '../../../src/compose/project.js');
  const code = `
    const { parentPort, workerData } = require('worker_threads');
    const path = require('path');
    const { loadProject } = require(workerData.projectModule);
    const host = { readFile: (p) => workerData.files[path.relative(workerData.dir, p)] };
    const r = loadProject({ dir: workerData.dir, env: {} }, host);
    const last = [...r.project.services.values()].pop();
    const aliases = last && last.networks ? [...last.networks.values()][0].aliases.length : 0;
    parentPort.postMessage({ services: r.project.services.size, stats: r.stats || {}, findings: r.findings.map((f) => f.rule), aliases });
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { files, dir: DIR, projectModule } });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`watchdog: the loader did not finish within ${WATCHDOG_MS / 1000} s`));
    }, WATCHDOG_MS);
    worker.once('message', (m) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(m);
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

describe('loader on generated worst cases', function () {
  this.timeout(WATCHDOG_MS + 10_000);

  it('an include DAG (17 files, each including the next 4 times) reads each file once and loads each include once', async () => {
    const files = includeDag(17, 4);
    const r = await loadInWorker(files);
    assert.strictEqual(r.services, 17);
    assert.deepStrictEqual(r.findings, []);
    // Each file read from the host once (plus one `.env` probe per project directory: here all share /scale).
    assert.ok(r.stats.fileReads <= 17 + 1, `host reads: ${r.stats.fileReads}`);
    assert.strictEqual(r.stats.includeLoads, 16);
  });

  it('a 1,000-long extends chain resolves each service once and keeps every level\'s aliases', async () => {
    const r = await loadInWorker(extendsChain(1000));
    assert.strictEqual(r.services, 1000);
    assert.deepStrictEqual(r.findings, []);
    assert.strictEqual(r.stats.extendsResolutions, 1000);
    assert.strictEqual(r.aliases, 1000, 'the last service carries the aliases of the whole chain');
  });

  it('reports extends cycles (self, and through another file) instead of looping', () => {
    const files: Record<string, string> = {
      'compose.yaml': 'services:\n  a: {image: a, extends: b}\n  b: {extends: c}\n  c: {extends: a}\n  self: {image: s, extends: self}\n  far: {extends: {file: other.yaml, service: back}}\n',
      'other.yaml': 'services:\n  back: {extends: {file: compose.yaml, service: far}}\n',
    };
    const r = loadProject({ dir: DIR, env: {} }, { readFile: (p) => files[path.relative(DIR, p)] });
    const cycles = r.findings.filter((f) => f.rule === 'compose-load-error').map((f) => f.message);
    assert.ok(cycles.some((m) => /extends cycle: a -> b -> c -> a/.test(m)), cycles.join('\n'));
    assert.ok(cycles.some((m) => /extends cycle: self -> self/.test(m)), cycles.join('\n'));
    assert.ok(cycles.some((m) => /extends cycle: far -> back -> far/.test(m)), cycles.join('\n'));
    assert.deepStrictEqual([...r.project.services.keys()].sort(), ['a', 'b', 'c', 'far', 'self']);
  });

  it('reports include cycles at the include entry', () => {
    const files: Record<string, string> = { 'compose.yaml': 'include: [a.yaml]\nservices: {}\n', 'a.yaml': 'include: [b.yaml]\nservices: {}\n', 'b.yaml': 'include: [a.yaml]\nservices: {}\n' };
    const r = loadProject({ dir: DIR, env: {} }, { readFile: (p) => files[path.relative(DIR, p)] });
    assert.deepStrictEqual(
      r.findings.map((f) => `${path.basename(f.span.file)}: ${f.message}`),
      ['b.yaml: include cycle: a.yaml -> b.yaml -> a.yaml (Compose rejects it)'],
    );
  });
});
