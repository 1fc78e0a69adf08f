// Analysis against bare yaml.parseDocument on the same texts, and the CLI against dclint.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { analyze } from '../src/compose/analyze';
import { fmt, median, medianMs, processEnv, timeMs } from './measure';

const ROOT = path.resolve(__dirname, '../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');

/** Our parse options (no duplicate-key check, merge keys on); the check is quadratic in yaml 2. */
const OUR_PARSE = { merge: true, uniqueKeys: false, prettyErrors: false, strict: false } as const;

export function generatedProject(services: number, networks: number): string {
  const lines = ['services:'];
  for (let i = 0; i < services; i++) {
    lines.push(`  svc${i}:`, `    image: app:${i}`, '    environment:', `      UPSTREAM_URL: http://svc${(i + 1) % services}:8080/`, '    networks:', `      net${i % networks}:`, `        aliases: [a${i}]`, `      net${(i + 7) % networks}: {}`);
  }
  lines.push('networks:');
  for (let n = 0; n < networks; n++) lines.push(`  net${n}:`, `    ipam: {config: [{subnet: 10.${n}.0.0/16}]}`);
  return lines.join('\n') + '\n';
}

function compare(label: string, texts: string[]): string[] {
  const bare = medianMs(() => texts.forEach((t) => parseDocument(t)));
  const ours = medianMs(() => texts.forEach((t) => parseDocument(t, OUR_PARSE)));
  // Only c.yaml exists (answering every path with the text would also read it as /bench/.env).
  const full = medianMs(() => texts.forEach((t) => analyze({ dir: '/bench', files: ['c.yaml'], env: {} }, { readFile: (p) => (p === '/bench/c.yaml' ? t : undefined) })));
  return [
    `| ${label} | ${fmt(bare)} | ${fmt(ours)} | ${fmt(full)} | **${(full / bare).toFixed(2)}x** | ${(full / ours).toFixed(2)}x |`,
  ];
}

function cliVersusDclint(): string[] {
  const files = fs.readdirSync(CORPUS).filter((f) => /\.ya?ml$/.test(f)).sort();
  const cli = path.join(ROOT, 'dist/cli.js');
  if (!fs.existsSync(cli)) execFileSync(process.execPath, [path.join(ROOT, 'esbuild.js')], { cwd: ROOT });
  const benchDir = path.join(ROOT, 'bench');
  const dclint = path.join(benchDir, 'node_modules/.bin/dclint');
  if (!fs.existsSync(dclint)) execFileSync('npm', ['install', '--silent', '--no-fund', '--no-audit'], { cwd: benchDir, stdio: 'ignore' });
  const runAll = (argv: (f: string) => [string, string[]]) =>
    timeMs(() => {
      for (const f of files) {
        const [cmd, args] = argv(path.join(CORPUS, f));
        spawnSync(cmd, args, { stdio: 'ignore', env: processEnv() });
      }
    });
  const ours = Math.min(runAll((f) => [process.execPath, [cli, 'lint', '-f', f]]), runAll((f) => [process.execPath, [cli, 'lint', '-f', f]]));
  const theirs = Math.min(runAll((f) => [dclint, [f]]), runAll((f) => [dclint, [f]]));
  const oneProcess = timeMs(() => spawnSync(dclint, files.map((f) => path.join(CORPUS, f)), { stdio: 'ignore', env: processEnv() }));
  return [
    `| compose-net lint, one process per file | ${files.length} | ${fmt(ours)} | ${fmt(ours / files.length)} |`,
    `| dclint 3.1.0, one process per file | ${files.length} | ${fmt(theirs)} | ${fmt(theirs / files.length)} |`,
    `| dclint 3.1.0, one process for all files | ${files.length} | ${fmt(oneProcess)} | ${fmt(oneProcess / files.length)} |`,
    '',
    `compose-net is **${(theirs / ours).toFixed(1)}x** faster per file than dclint (dclint checks other things: it has no network rules).`,
  ];
}

export function analyzerBench(): string[] {
  const corpus = fs.readdirSync(CORPUS).filter((f) => /\.ya?ml$/.test(f)).map((f) => fs.readFileSync(path.join(CORPUS, f), 'utf8'));
  return [
    '## Analyzer against bare parsing (issue 3)',
    '',
    'Median of 7 runs after 2 warm-ups, in one process. "bare" is `yaml.parseDocument(text)` with its defaults;',
    '"parse (our options)" turns off the duplicate-key check, which is quadratic in the number of keys of one mapping.',
    'The analysis column includes its own parse. Target: analysis at most 2x the bare parse.',
    '',
    '| texts | bare parse ms | parse (our options) ms | whole analysis ms | analysis / bare | analysis / our parse |',
    '|---|---|---|---|---|---|',
    ...compare(`the 54 corpus files (${(corpus.join('').length / 1024).toFixed(0)} KiB)`, corpus),
    ...compare('generated: 1,000 services on 100 networks', [generatedProject(1000, 100)]),
    '',
    '## compose-net CLI against dclint on the corpus (issue 3)',
    '',
    '| command | files | total ms | ms per file |',
    '|---|---|---|---|',
    ...cliVersusDclint(),
  ];
}

/** CPU time (user + system) of `fn` in this process, in ms. */
function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

/**
 * Issue 14's analysis target: analysis of 1,000 services at most 1.3x our own parse of the same text. CPU time (steadier
 * than wall time on a shared machine), rounds of parses and analyses interleaved so both see the same load; medians.
 */
export function analysisVersusParse(rounds = 5): { parseMs: number; analysisMs: number; ratio: number } {
  const text = generatedProject(1000, 100);
  const host = { readFile: (p: string) => (p === '/bench/c.yaml' ? text : undefined) };
  const parses: number[] = [];
  const analyses: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < 5; i++) {
      const ms = cpuMs(() => parseDocument(text, OUR_PARSE));
      if (i > 0) parses.push(ms);
    }
    for (let i = 0; i < 5; i++) {
      const ms = cpuMs(() => analyze({ dir: '/bench', files: ['c.yaml'], env: {} }, host));
      if (i > 0) analyses.push(ms);
    }
  }
  const parseMs = median(parses);
  const analysisMs = median(analyses);
  return { parseMs, analysisMs, ratio: analysisMs / parseMs };
}

/**
 * Issue 14's monorepo target: the corpus as one project per folder, `compose-net lint --recursive` in one process
 * against dclint on the same files in one process; side by side, wall and each process's own CPU time (a preload
 * writes it at exit). dclint is 3.1.0 from bench/package.json.
 */
export function corpusRecursiveVersusDclint(pairs = 5): { ours: { wall: number; cpu: number }; dclint: { wall: number; cpu: number }; wallRatio: number; cpuRatio: number; projects: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-bench-mono-'));
  try {
    const mono = path.join(dir, 'mono');
    const files = fs.readdirSync(CORPUS).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => {
      const d = path.join(mono, f.replace(/\.ya?ml$/, ''));
      fs.mkdirSync(d, { recursive: true });
      fs.copyFileSync(path.join(CORPUS, f), path.join(d, 'compose.yaml'));
      return path.join(d, 'compose.yaml');
    });
    const cli = path.join(ROOT, 'dist/cli.js');
    if (!fs.existsSync(cli)) execFileSync(process.execPath, [path.join(ROOT, 'esbuild.js')], { cwd: ROOT });
    const benchDir = path.join(ROOT, 'bench');
    if (!fs.existsSync(path.join(benchDir, 'node_modules/dclint'))) execFileSync('npm', ['install', '--silent', '--no-fund', '--no-audit'], { cwd: benchDir, stdio: 'ignore' });
    const dclint = fs.realpathSync(path.join(benchDir, 'node_modules/.bin/dclint'));
    const hook = path.join(dir, 'cpu-hook.js');
    fs.writeFileSync(hook, "process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeFileSync(process.env.CPU_OUT, String((u.user + u.system) / 1000)); });\n");
    const cpuOut = path.join(dir, 'cpu.txt');
    const run = (args: string[]) => {
      fs.rmSync(cpuOut, { force: true });
      const t = process.hrtime.bigint();
      const r = spawnSync(process.execPath, ['-r', hook, ...args], { cwd: dir, encoding: 'utf8', env: processEnv({ CPU_OUT: cpuOut }), maxBuffer: 64 * 1024 * 1024 });
      const wall = Number(process.hrtime.bigint() - t) / 1e6;
      return { wall, cpu: Number(fs.readFileSync(cpuOut, 'utf8')), out: r.stdout };
    };
    const ourArgs = [cli, 'lint', '--recursive', mono];
    const projects = (run(ourArgs).out.match(/^project /gm) ?? []).length;
    run([dclint, ...files]);
    const ours: Array<{ wall: number; cpu: number }> = [];
    const theirs: Array<{ wall: number; cpu: number }> = [];
    for (let i = 0; i < pairs; i++) {
      ours.push(run(ourArgs));
      theirs.push(run([dclint, ...files]));
    }
    const med = (xs: Array<{ wall: number; cpu: number }>) => ({ wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)) });
    return {
      ours: med(ours),
      dclint: med(theirs),
      wallRatio: median(ours.map((o, i) => theirs[i].wall / o.wall)),
      cpuRatio: median(ours.map((o, i) => theirs[i].cpu / o.cpu)),
      projects,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
