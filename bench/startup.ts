// Start-up and monorepo figures (issue 14): whole processes timed side by side (A B A B ...), ratios taken pair by
// pair in the same run, so they hold on a loaded machine. The bundles are built here as they ship (minified), and
// once more as before issue 14 (the engine client inside the one bundle) for the side-by-side column.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deflateRawSync } from 'zlib';
import { parseDocument } from 'yaml';
import { analyze } from '../src/compose/analyze';
import { generatedProject } from './analyzer';
import { fmt, median, medianMs } from './measure';

const ROOT = path.resolve(__dirname, '../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');

interface BundleOptions {
  outfile?: string;
  plugins?: Array<{ name: string }>;
  [k: string]: unknown;
}

/** Builds cli.js, extension.js and dockerode.js as shipped into `dir`, and the pre-issue-14 single bundles as *-monolith.js. */
async function buildBundles(dir: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { bundles } = require(path.join(ROOT, 'esbuild.js')) as { bundles: BundleOptions[] };
  for (const b of bundles.filter((x) => ['dist/cli.js', 'dist/extension.js', 'dist/dockerode.js'].includes(x.outfile!))) {
    const name = path.basename(b.outfile!);
    const shipped = { ...b, absWorkingDir: ROOT, minify: true, sourcemap: false, logLevel: 'silent' as const };
    await esbuild.build({ ...shipped, outfile: path.join(dir, name) } as import('esbuild').BuildOptions);
    if (name !== 'dockerode.js') {
      const monolith = { ...shipped, plugins: (b.plugins ?? []).filter((p) => p.name !== 'dockerode-outside'), outfile: path.join(dir, name.replace('.js', '-monolith.js')) };
      await esbuild.build(monolith as import('esbuild').BuildOptions);
    }
  }
}

/** Wall time of one process, ms. */
function wall(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): { ms: number; out: string; code: number | null } {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: env ?? process.env, maxBuffer: 64 * 1024 * 1024 });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, out: r.stdout, code: r.status };
}

/** Runs A and B in turn `runs` times after `warmup` rounds: medians of each and of the pairwise ratio A/B. */
function sideBySide(a: () => number, b: () => number, runs: number, warmup = 2): { a: number; b: number; ratio: number } {
  for (let i = 0; i < warmup; i++) {
    a();
    b();
  }
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const x = a();
    const y = b();
    as.push(x);
    bs.push(y);
    ratios.push(x / y);
  }
  return { a: median(as), b: median(bs), ratio: median(ratios) };
}

/** A `node -r <stub>` preload making `require('vscode')` answer anything (enough for module top-level code). */
function vscodeStub(dir: string): string {
  const stub = path.join(dir, 'vscode-stub.js');
  fs.writeFileSync(
    stub,
    `const Module = require('module');
const make = () => new Proxy(function () {}, { get: (t, p) => (p === Symbol.toPrimitive ? () => '' : p === 'then' ? undefined : make()), apply: () => make(), construct: () => make() });
const vscode = Object.create(make());
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
`,
  );
  return stub;
}

/** Require time of `file` in a fresh process (vscode stubbed), ms, and whether dockerode.js got loaded. */
function requireTime(file: string, stub: string): { ms: number; engineLoaded: boolean } {
  const script = `const t = process.hrtime.bigint(); require(${JSON.stringify(file)}); const ms = Number(process.hrtime.bigint() - t) / 1e6;
process.stdout.write(JSON.stringify({ ms, engineLoaded: Object.keys(require.cache).some((f) => f.endsWith('dockerode.js')) }));`;
  return JSON.parse(execFileSync(process.execPath, ['-r', stub, '-e', script], { encoding: 'utf8' })) as { ms: number; engineLoaded: boolean };
}

function ensureDclint(): string {
  const benchDir = path.join(ROOT, 'bench');
  const dclint = path.join(benchDir, 'node_modules/.bin/dclint');
  if (!fs.existsSync(dclint)) execFileSync('npm', ['install', '--silent', '--no-fund', '--no-audit'], { cwd: benchDir, stdio: 'ignore' });
  return dclint;
}

/** The corpus laid out as a monorepo: one folder per file, the file as its compose.yaml. */
function corpusMonorepo(dir: string): string[] {
  const files = fs.readdirSync(CORPUS).filter((f) => /\.ya?ml$/.test(f)).sort();
  for (const f of files) {
    const d = path.join(dir, f.replace(/\.ya?ml$/, ''));
    fs.mkdirSync(d, { recursive: true });
    fs.copyFileSync(path.join(CORPUS, f), path.join(d, 'compose.yaml'));
  }
  return files.map((f) => path.join(dir, f.replace(/\.ya?ml$/, ''), 'compose.yaml'));
}

function vsixSize(dir: string): number | undefined {
  const out = path.join(dir, 'docker-networking.vsix');
  const vsce = path.join(ROOT, 'node_modules/.bin/vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', out], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 && fs.existsSync(out) ? fs.statSync(out).size : undefined;
}

const ok = (pass: boolean) => (pass ? 'met' : '**not met**');

export async function startupBench(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-bench-startup-'));
  try {
    await buildBundles(dir);
    const size = (f: string) => `${(fs.statSync(path.join(dir, f)).size / 1024).toFixed(0)} KiB`;
    // What the bundles weigh inside a .vsix (deflate, as in the zip): one copy of the engine client instead of two.
    const packed = (files: string[]) => files.reduce((n, f) => n + deflateRawSync(fs.readFileSync(path.join(dir, f)), { level: 9 }).length, 0) / 1024;
    const packedBefore = packed(['cli-monolith.js', 'extension-monolith.js']);
    const packedNow = packed(['cli.js', 'extension.js', 'dockerode.js']);
    const project = path.join(dir, 'small');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n    networks: [front]\n  api:\n    image: api\n    networks: [front, back]\nnetworks:\n  front: {}\n  back: {internal: true}\n');
    const node = () => wall(process.execPath, ['-e', '0'], project).ms;
    const cli = (file: string) => () => wall(process.execPath, [path.join(dir, file), 'lint'], project).ms;
    const now = sideBySide(cli('cli.js'), node, 21);
    const before = sideBySide(cli('cli-monolith.js'), node, 21);

    const stub = vscodeStub(dir);
    const req = (file: string) => Array.from({ length: 15 }, () => requireTime(path.join(dir, file), stub));
    const extNow = req('extension.js');
    const extBefore = req('extension-monolith.js');
    const engineLoads = req('dockerode.js').map((r) => r.ms);

    const mono = path.join(dir, 'mono');
    const files = corpusMonorepo(mono);
    const dclint = ensureDclint();
    const lintAll = () => wall(process.execPath, [path.join(dir, 'cli.js'), 'lint', '--recursive', mono], dir).ms;
    const dclintAll = () => wall(dclint, files, dir).ms;
    const mono5 = sideBySide(lintAll, dclintAll, 5, 1);
    const projects = (wall(process.execPath, [path.join(dir, 'cli.js'), 'lint', '-r', mono], dir).out.match(/^project /gm) ?? []).length;

    const text = generatedProject(1000, 100);
    const OUR_PARSE = { merge: true, uniqueKeys: false, prettyErrors: false, strict: false } as const;
    const parse = medianMs(() => parseDocument(text, OUR_PARSE));
    const full = medianMs(() => analyze({ dir: '/bench', files: ['c.yaml'], env: {} }, { readFile: () => text }));

    const vsix = vsixSize(dir);
    return [
      '## Start-up, monorepo mode, extension load (issue 14)',
      '',
      'Whole processes timed side by side (A, B, A, B, ...; medians, and the median of the pairwise ratios). Bundles built as shipped',
      '(minified). "Before" is the same code bundled as before issue 14: the engine client (dockerode, ssh2, gRPC, protobufjs) inside',
      `the one bundle; now it is dist/dockerode.js (${size('dockerode.js')}), required only by \`verify\`, \`--engine\` and the extension's first engine call.`,
      '',
      '| what | before | now | target | |',
      '|---|---|---|---|---|',
      `| \`compose-net lint\` on one small file / \`node -e 0\` (21 pairs) | ${before.ratio.toFixed(2)}x (${fmt(before.a)} / ${fmt(before.b)} ms) | **${now.ratio.toFixed(2)}x** (${fmt(now.a)} / ${fmt(now.b)} ms) | at most 1.25x | ${ok(now.ratio <= 1.25)} |`,
      `| CLI bundle size | ${size('cli-monolith.js')} | ${size('cli.js')} | | |`,
      `| \`require('dist/extension.js')\`, vscode stubbed (median of 15 processes) | ${fmt(median(extBefore.map((r) => r.ms)))} ms | **${fmt(median(extNow.map((r) => r.ms)))} ms**, engine client loaded: ${extNow.some((r) => r.engineLoaded) ? 'yes' : 'no'} | at most 30 ms, engine lazy | ${ok(median(extNow.map((r) => r.ms)) <= 30 && !extNow.some((r) => r.engineLoaded))} |`,
      `| extension bundle size | ${size('extension-monolith.js')} | ${size('extension.js')} | | |`,
      `| the engine client's own require (first engine call) | (in the above) | ${fmt(median(engineLoads))} ms | | |`,
      `| CLI + extension + engine client bundles, deflated as in the .vsix | ${packedBefore.toFixed(0)} KiB | **${packedNow.toFixed(0)} KiB** | smaller | ${ok(packedNow < packedBefore)} |`,
      `| whole .vsix (since issue 16 it also carries the README's screenshots, about 1 MiB of PNG) | 675 KiB (issue 14, before the screenshots) | ${vsix ? `${(vsix / 1024).toFixed(0)} KiB` : 'vsce failed'} | smaller | ${vsix ? ok(vsix / 1024 < 675) : ''} |`,
      `| the ${files.length}-file corpus as ${projects} projects: \`lint --recursive\` (one process) vs dclint 3.1.0 on the same files (one process), 5 pairs | dclint ${fmt(mono5.b)} ms | ours ${fmt(mono5.a)} ms: **${(1 / mono5.ratio).toFixed(1)}x** faster | at least 20x | ${ok(1 / mono5.ratio >= 20)} |`,
      `| analysis of 1,000 services on 100 networks / our own parse of the text (medians of 7) | 1.70x (BENCHMARKS.md of 2026-11-22) | **${(full / parse).toFixed(2)}x** (${fmt(full)} / ${fmt(parse)} ms) | at most 1.3x | ${ok(full / parse <= 1.3)} |`,
      '',
      'Quick-fix text is built when a fix is shown or applied (resolveCodeAction, `lint --fix`), no longer during analysis;',
      '`overlapping-subnets` is O(n log n). Node\'s compile cache (`module.enableCompileCache`) needs Node 22.1: not on this Node.',
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
