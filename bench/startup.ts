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
import { fmt, median, medianMs, processEnv } from './measure';
import { writeVscodeStub } from '../test/support/vscodeStub';

const ROOT = path.resolve(__dirname, '../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');

interface BundleOptions {
  outfile?: string;
  plugins?: Array<{ name: string }>;
  [k: string]: unknown;
}

/**
 * Builds the Node bundles as shipped (minified) into `dir` (esbuild.js's buildRuntimeInto: cli.js and extension.js load
 * cli-main.js and extension-main.js through V8's code cache), and the pre-issue-14 single bundles as *-monolith.js.
 */
async function buildBundles(dir: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { bundles, buildRuntimeInto } = require(path.join(ROOT, 'esbuild.js')) as { bundles: BundleOptions[]; buildRuntimeInto(dir: string, o: object): Promise<unknown> };
  await buildRuntimeInto(dir, { minify: true, sourcemap: false, metafile: false });
  for (const b of bundles.filter((x) => ['dist/cli-main.js', 'dist/extension-main.js'].includes(x.outfile!))) {
    const name = path.basename(b.outfile!).replace('-main.js', '-monolith.js');
    const monolith = { ...b, absWorkingDir: ROOT, minify: true, sourcemap: false, logLevel: 'silent', plugins: (b.plugins ?? []).filter((p) => !['dockerode-outside', 'engine-outside', 'lazy-bundles'].includes(p.name)), outfile: path.join(dir, name) };
    await esbuild.build(monolith as import('esbuild').BuildOptions);
  }
}

/**
 * A `node -r <hook>` preload that appends the process's own CPU time (user + system, all threads) at exit to $CPU_OUT:
 * on a shared, loaded machine CPU time moves much less than wall time.
 */
function cpuHook(dir: string): string {
  const hook = path.join(dir, 'cpu-hook.js');
  fs.writeFileSync(hook, "process.on('exit', () => { const u = process.cpuUsage(); require('fs').appendFileSync(process.env.CPU_OUT, (u.user + u.system) / 1000 + '\\n'); });\n");
  return hook;
}

/** One process: wall time and its own CPU time, ms. */
function wall(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv, hook?: string): { ms: number; cpu: number; out: string; code: number | null } {
  const cpuOut = path.join(os.tmpdir(), `dn-bench-cpu-${process.pid}.txt`);
  fs.rmSync(cpuOut, { force: true });
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, hook ? ['-r', hook, ...args] : args, { cwd, encoding: 'utf8', env: { ...(env ?? processEnv()), CPU_OUT: cpuOut }, maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const cpu = hook && fs.existsSync(cpuOut) ? Number(fs.readFileSync(cpuOut, 'utf8').trim()) : NaN;
  fs.rmSync(cpuOut, { force: true });
  return { ms, cpu, out: r.stdout, code: r.status };
}

interface Pair {
  a: number;
  b: number;
  ratio: number;
}

/** Runs A and B in turn `runs` times after `warmup` rounds: medians of each and of the pairwise ratio A/B, wall and CPU. */
function sideBySide(a: () => { ms: number; cpu: number }, b: () => { ms: number; cpu: number }, runs: number, warmup = 2): { wall: Pair; cpu: Pair } {
  for (let i = 0; i < warmup; i++) {
    a();
    b();
  }
  const xs: Array<{ ms: number; cpu: number }> = [];
  const ys: Array<{ ms: number; cpu: number }> = [];
  for (let i = 0; i < runs; i++) {
    xs.push(a());
    ys.push(b());
  }
  const pair = (k: 'ms' | 'cpu'): Pair => ({ a: median(xs.map((x) => x[k])), b: median(ys.map((y) => y[k])), ratio: median(xs.map((x, n) => x[k] / ys[n][k])) });
  return { wall: pair('ms'), cpu: pair('cpu') };
}

/**
 * Require time of `file` in a fresh process (vscode stubbed): wall and the process's CPU time during the require, ms;
 * whether dockerode.js got loaded, and whether the file loaded on first use (extension-commands.js) got loaded.
 */
function requireTime(file: string, stub: string, env: NodeJS.ProcessEnv = processEnv()): { ms: number; cpu: number; engineLoaded: boolean; lazyLoaded: boolean } {
  const script = `const c = process.cpuUsage(); const t = process.hrtime.bigint(); require(${JSON.stringify(file)}); const ms = Number(process.hrtime.bigint() - t) / 1e6; const u = process.cpuUsage(c);
process.stdout.write(JSON.stringify({ ms, cpu: (u.user + u.system) / 1000, engineLoaded: Object.keys(require.cache).some((f) => f.endsWith('dockerode.js')), lazyLoaded: Object.keys(require.cache).some((f) => /extension-commands\.js$/.test(f)) }));`;
  return JSON.parse(execFileSync(process.execPath, ['-r', stub, '-e', script], { encoding: 'utf8', env })) as { ms: number; cpu: number; engineLoaded: boolean; lazyLoaded: boolean };
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

/** Why the last vsixSize() made no .vsix. */
let vsceError = '';

function vsixSize(dir: string): number | undefined {
  const out = path.join(dir, 'docker-networking.vsix');
  const vsce = path.join(ROOT, 'node_modules/.bin/vsce');
  // As `npm run package` makes it (its README is MARKETPLACE.md).
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--readme-path', 'MARKETPLACE.md', '--out', out], { cwd: ROOT, encoding: 'utf8' });
  if (r.status === 0 && fs.existsSync(out)) return fs.statSync(out).size;
  // Say why in the table (vsce runs vscode:prepublish, a full build, which a concurrent build can break).
  vsceError = `${r.stderr ?? ''}${r.error?.message ?? ''}`.trim().split('\n').pop()?.slice(0, 160) ?? `exit ${r.status}`;
  return undefined;
}

const ok = (pass: boolean) => (pass ? 'met' : '**not met**');

const x = (p: Pair) => `${p.ratio.toFixed(2)}x (${fmt(p.a)} / ${fmt(p.b)} ms)`;

export async function startupBench(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-bench-startup-'));
  try {
    await buildBundles(dir);
    const size = (f: string) => `${(fs.statSync(path.join(dir, f)).size / 1024).toFixed(0)} KiB`;
    // What the bundles weigh inside a .vsix (deflate, as in the zip): one copy of the engine client instead of two.
    const packed = (files: string[]) => files.reduce((n, f) => n + deflateRawSync(fs.readFileSync(path.join(dir, f)), { level: 9 }).length, 0) / 1024;
    const packedBefore = packed(['cli-monolith.js', 'extension-monolith.js']);
    const packedNow = packed(['cli.js', 'cli-main.js', 'cli-commands.js', 'cli-engine.js', 'extension.js', 'extension-main.js', 'extension-commands.js', 'dockerode.js']);
    const project = path.join(dir, 'small');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n    networks: [front]\n  api:\n    image: api\n    networks: [front, back]\nnetworks:\n  front: {}\n  back: {internal: true}\n');
    const hook = cpuHook(dir);
    const noCache = processEnv({ COMPOSE_NET_CODE_CACHE: '0' });
    const node = (env?: NodeJS.ProcessEnv) => () => wall(process.execPath, ['-e', '0'], project, env, hook);
    const cli = (file: string, env?: NodeJS.ProcessEnv) => () => wall(process.execPath, [path.join(dir, file), 'lint'], project, env, hook);
    // The first run of cli.js (a warm-up) writes dist/cli-main.js.cache, as a user's first run does.
    const now = sideBySide(cli('cli.js'), node(), 21);
    const cold = sideBySide(cli('cli.js', noCache), node(), 21);
    const before = sideBySide(cli('cli-monolith.js'), node(), 21);
    // Where Node is set up to read extra CA certificates (this machine is), both processes pay for it at start.
    const certs = process.env.NODE_EXTRA_CA_CERTS;
    const certsEnv = processEnv({ NODE_EXTRA_CA_CERTS: certs });
    const withCerts = certs ? sideBySide(cli('cli.js', certsEnv), node(certsEnv), 21) : undefined;

    const stub = writeVscodeStub(dir);
    const req = (file: string, env?: NodeJS.ProcessEnv) => Array.from({ length: 15 }, () => requireTime(path.join(dir, file), stub, env));
    const extNow = req('extension.js'); // the first process writes the code cache at exit
    const extCold = req('extension.js', noCache);
    const extBefore = req('extension-monolith.js');
    const engineLoads = req('dockerode.js').map((r) => r.ms);
    const ms = (rs: Array<{ ms: number }>) => median(rs.map((r) => r.ms));
    const cpu = (rs: Array<{ cpu: number }>) => median(rs.map((r) => r.cpu));

    const mono = path.join(dir, 'mono');
    const files = corpusMonorepo(mono);
    const dclint = ensureDclint();
    const lintAll = () => wall(process.execPath, [path.join(dir, 'cli.js'), 'lint', '--recursive', mono], dir);
    const dclintAll = () => wall(dclint, files, dir);
    const mono5 = sideBySide(lintAll, dclintAll, 5, 1).wall;
    const projects = (wall(process.execPath, [path.join(dir, 'cli.js'), 'lint', '-r', mono], dir).out.match(/^project /gm) ?? []).length;
    // Four copies of it (216 projects): past 128 projects `lint` also runs on worker threads (src/cli/threads.ts).
    const big = path.join(dir, 'mono4');
    for (let k = 1; k <= 4; k++) fs.cpSync(mono, path.join(big, `copy${k}`), { recursive: true });
    const lintBig = (threads?: string) => () => wall(process.execPath, [path.join(dir, 'cli.js'), 'lint', '--recursive', big], dir, processEnv(threads ? { COMPOSE_NET_LINT_THREADS: threads } : {}));
    const threaded = sideBySide(lintBig(), lintBig('1'), 7, 1).wall;

    const text = generatedProject(1000, 100);
    const OUR_PARSE = { merge: true, uniqueKeys: false, prettyErrors: false, strict: false } as const;
    const parse = medianMs(() => parseDocument(text, OUR_PARSE));
    // Only c.yaml exists (answering every path with the text would also read it as /bench/.env).
    const full = medianMs(() => analyze({ dir: '/bench', files: ['c.yaml'], env: {} }, { readFile: (p) => (p === '/bench/c.yaml' ? text : undefined) }));

    const vsix = vsixSize(dir);
    return [
      '## Start-up, monorepo mode, extension load (issue 14)',
      '',
      'Whole processes timed side by side (A, B, A, B, ...; medians, and the median of the pairwise ratios), wall time and each',
      "process's own CPU time (user + system, read at exit: steadier than wall time on a loaded machine). Bundles built as shipped",
      '(minified). "Before" is the same code bundled as before issue 14: the engine client (dockerode, ssh2, gRPC, protobufjs) inside',
      `the one bundle; now it is dist/dockerode.js (${size('dockerode.js')}), required only by \`verify\`, \`--engine\` and the extension's first engine call.`,
      'dist/cli.js and dist/extension.js load cli-main.js and extension-main.js through V8\'s code cache (src/bootstrap/codeCache.ts),',
      'written next to the bundle by the first run; "no cache" is COMPOSE_NET_CODE_CACHE=0. Processes run without NODE_EXTRA_CA_CERTS',
      '(bench/measure.ts processEnv: Node reads that bundle at every start, 60 ms of CPU here, which would hide our share).',
      '',
      '| what | before | now, no cache | now | target | |',
      '|---|---|---|---|---|---|',
      `| \`compose-net lint\` on one small file / \`node -e 0\`, wall (21 pairs) | ${x(before.wall)} | ${x(cold.wall)} | **${x(now.wall)}** | at most 1.25x | ${ok(now.wall.ratio <= 1.25)} |`,
      `| the same, CPU time | ${x(before.cpu)} | ${x(cold.cpu)} | **${x(now.cpu)}** | at most 1.25x | ${ok(now.cpu.ratio <= 1.25)} |`,
      ...(withCerts ? [`| the same with NODE_EXTRA_CA_CERTS as this machine sets it (both processes read the bundle at start), wall / CPU | | | ${x(withCerts.wall)} / ${x(withCerts.cpu)} | at most 1.25x | ${ok(withCerts.wall.ratio <= 1.25 && withCerts.cpu.ratio <= 1.25)} |`] : []),
      `| CLI bundle size | ${size('cli-monolith.js')} | ${size('cli-main.js')} (+ cli-commands.js ${size('cli-commands.js')}, read by the commands other than lint; cli-engine.js ${size('cli-engine.js')}, by the engine commands) | ${size('cli-main.js')} + cache ${size('cli-main.js.cache')} | | |`,
      `| \`require('dist/extension.js')\`, vscode stubbed (median of 15 processes), wall / CPU | ${fmt(ms(extBefore))} / ${fmt(cpu(extBefore))} ms | ${fmt(ms(extCold))} / ${fmt(cpu(extCold))} ms | **${fmt(ms(extNow))} / ${fmt(cpu(extNow))} ms**, engine client loaded: ${extNow.some((r) => r.engineLoaded) ? 'yes' : 'no'}, files loaded on first use: ${extNow.some((r) => r.lazyLoaded) ? 'yes' : 'no'} | at most 30 ms, engine lazy | ${ok(ms(extNow) <= 30 && !extNow.some((r) => r.engineLoaded))} |`,
      `| extension bundle size | ${size('extension-monolith.js')} | ${size('extension-main.js')} (+ yaml.js ${size('yaml.js')}, extension-commands.js ${size('extension-commands.js')}: each required on first use) | | | |`,
      `| the engine client's own require (first engine call) | (in the above) | | ${fmt(median(engineLoads))} ms | | |`,
      `| bundles, deflated as in the .vsix | ${packedBefore.toFixed(0)} KiB | | **${packedNow.toFixed(0)} KiB** | smaller | ${ok(packedNow < packedBefore)} |`,
      `| whole .vsix (\`npm run package\`; the walkthrough's screenshots as 800 px WebP, not the README's PNGs) | 675 KiB (issue 14, before the screenshots; 1502 KiB with them) | | ${vsix ? `${(vsix / 1024).toFixed(0)} KiB` : `vsce failed: ${vsceError.replace(/\|/g, '/')}`} | smaller | ${vsix ? ok(vsix / 1024 < 675) : ''} |`,
      `| the ${files.length}-file corpus as ${projects} projects: \`lint --recursive\` (one process) vs dclint 3.1.0 on the same files (one process), 5 pairs | dclint ${fmt(mono5.b)} ms | | ours ${fmt(mono5.a)} ms: **${(1 / mono5.ratio).toFixed(1)}x** faster | at least 20x | ${ok(1 / mono5.ratio >= 20)} |`,
      `| the same corpus 4 times (${4 * projects} projects), \`lint --recursive\` as it chooses its threads (${os.availableParallelism()} cores here) vs one thread (COMPOSE_NET_LINT_THREADS=1), 7 pairs | one thread ${fmt(threaded.b)} ms | | ${fmt(threaded.a)} ms: **${threaded.ratio.toFixed(2)}x** | | |`,
      `| analysis of 1,000 services on 100 networks / our own parse of the text (medians of 7) | 1.70x (BENCHMARKS.md of 2026-11-22) | | **${(full / parse).toFixed(2)}x** (${fmt(full)} / ${fmt(parse)} ms) | at most 1.3x | ${ok(full / parse <= 1.3)} |`,
      '',
      'Quick-fix text is built when a fix is shown or applied (resolveCodeAction, `lint --fix`), no longer during analysis;',
      '`overlapping-subnets` is O(n log n). Node\'s compile cache (`module.enableCompileCache`) needs Node 22.1: not on this Node.',
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
