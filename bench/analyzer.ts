// Analysis against bare yaml.parseDocument on the same texts, and the CLI against dclint.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { analyze } from '../src/compose/analyze';
import { fmt, medianMs, timeMs } from './measure';

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
        spawnSync(cmd, args, { stdio: 'ignore' });
      }
    });
  const ours = Math.min(runAll((f) => [process.execPath, [cli, 'lint', '-f', f]]), runAll((f) => [process.execPath, [cli, 'lint', '-f', f]]));
  const theirs = Math.min(runAll((f) => [dclint, [f]]), runAll((f) => [dclint, [f]]));
  const oneProcess = timeMs(() => spawnSync(dclint, files.map((f) => path.join(CORPUS, f)), { stdio: 'ignore' }));
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
