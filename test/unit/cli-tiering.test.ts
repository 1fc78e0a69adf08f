// The CLI runs with V8's optimizing compiler off until it has read enough compose text (src/cli/tiering.ts): checked
// in child processes (V8's flags are per process), through V8's own report of whether a hot function was optimized.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const TIERING = path.resolve(__dirname, '../../src/cli/tiering.js');

/** Runs `body` in a fresh node with natives syntax; its last output line, parsed as JSON. */
function inChild(body: string, env: NodeJS.ProcessEnv = {}): Record<string, unknown> {
  const script = `const t = require(${JSON.stringify(TIERING)});
function warm(f) { let acc = 0; for (let i = 0; i < 300000; i++) acc += f(i); return acc; }
const optimized = (f) => (%GetOptimizationStatus(f) & 16) !== 0;
${body}`;
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', script], { encoding: 'utf8', env: { ...process.env, COMPOSE_NET_V8_OPT: '', ...env } });
  assert.strictEqual(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

describe('CLI: V8 optimizing compiler off until the input earns it (cli/tiering.ts)', () => {
  it('starts lean only for lint over many projects: -r, a glob, several paths (a value of -f or --format is not one)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startsLean } = require(TIERING) as typeof import('../../src/cli/tiering');
    const lean = [['lint', '-r'], ['lint', '--recursive', 'a'], ['lint', 'services/*'], ['lint', 'a', 'b'], ['lint', '--', 'a', 'b'], ['lint', '--format', 'json', 'x', 'y'], ['lint', '--', '**/compose.yaml']];
    const notLean = [[], ['lint'], ['lint', 'a'], ['lint', '-f', 'a.yaml', '-f', 'b.yaml'], ['lint', '--format', 'json', 'x'], ['lint', '--file', 'a', 'dir'], ['lint', '--', 'a'], ['config', 'a', 'b'], ['verify', '-r'], ['diagram', '*']];
    for (const argv of lean) assert.strictEqual(startsLean(argv), true, argv.join(' '));
    for (const argv of notLean) assert.strictEqual(startsLean(argv), false, argv.join(' '));
  });

  it("the options startsLean skips a value after are exactly lint's options that take one, as --help lists them", async () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { LINT_OPTIONS_WITH_VALUE } = require(path.resolve(__dirname, '../../src/cli/lintSyntax.js')) as typeof import('../../src/cli/lintSyntax');
    const { parseLintArgs } = require(path.resolve(__dirname, '../../src/cli/lint.js')) as typeof import('../../src/cli/lint');
    const { main } = require(path.resolve(__dirname, '../../src/cli/main.js')) as typeof import('../../src/cli/main');
    /* eslint-enable @typescript-eslint/no-require-imports */
    let help = '';
    await main(['--help'], { write: (t: string) => ((help += t), true) } as unknown as NodeJS.WriteStream);
    // The options on lint's usage line, and their other spellings from the option list (`-f, --file FILE`).
    const usageLine = help.split('\n')[0];
    assert.match(usageLine, /compose-net lint /);
    const options = new Set([...usageLine.matchAll(/\[(-[\w-]+)/g)].map((m) => m[1]));
    for (const m of help.matchAll(/^ {2}(-\w), (--[\w-]+)/gm)) if (options.has(m[1]) || options.has(m[2])) [m[1], m[2]].forEach((o) => options.add(o));
    assert.ok(options.has('--file') && options.has('-r') && options.has('--stack'), [...options].join(' '));
    for (const option of options) {
      let needsValue = false;
      try {
        parseLintArgs([option]);
      } catch (err) {
        needsValue = /needs a value/.test((err as Error).message);
      }
      assert.strictEqual(LINT_OPTIONS_WITH_VALUE.has(option), needsValue, option);
    }
    assert.deepStrictEqual([...LINT_OPTIONS_WITH_VALUE].filter((o) => !options.has(o)), [], 'every listed option is one of lint\'s');
  });

  it('lean from the start: a hot function stays unoptimized while less than OPTIMIZE_AFTER_CHARS was read', () => {
    const r = inChild(`t.startLean();
t.noteInputRead(t.OPTIMIZE_AFTER_CHARS);
function hot(x) { let s = 0; for (let i = 0; i < 100; i++) s += (x * i) % 7; return s; }
warm(hot);
console.log(JSON.stringify({ lean: t.isLean(), optimized: optimized(hot) }));`);
    assert.deepStrictEqual(r, { lean: true, optimized: false });
  });

  it('past OPTIMIZE_AFTER_CHARS of compose text the optimizing compiler is on again', () => {
    const r = inChild(`t.startLean();
t.noteInputRead(t.OPTIMIZE_AFTER_CHARS);
t.noteInputRead(1);
function hot(x) { let s = 0; for (let i = 0; i < 100; i++) s += (x * i) % 7; return s; }
warm(hot);
console.log(JSON.stringify({ lean: t.isLean(), optimized: optimized(hot) }));`);
    assert.deepStrictEqual(r, { lean: false, optimized: true });
  });

  it("the CLI's file host counts what it reads: a compose file larger than OPTIMIZE_AFTER_CHARS turns the compiler back on", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiering-'));
    try {
      fs.writeFileSync(path.join(dir, 'small.yaml'), 'services: {}\n');
      fs.writeFileSync(path.join(dir, 'big.yaml'), `services:\n  web:\n    image: "${'x'.repeat(600 * 1024)}"\n`);
      const r = inChild(`const { createFileHost } = require(${JSON.stringify(path.resolve(__dirname, '../../src/cli/fileHost.js'))});
t.startLean();
const host = createFileHost();
host.readFile(${JSON.stringify(path.join(dir, 'small.yaml'))});
const afterSmall = t.isLean();
host.readFile(${JSON.stringify(path.join(dir, 'big.yaml'))});
console.log(JSON.stringify({ afterSmall, afterBig: t.isLean() }));`);
      assert.deepStrictEqual(r, { afterSmall: true, afterBig: false });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('COMPOSE_NET_V8_OPT=1 keeps V8 as it is; without startLean (the extension) nothing changes', () => {
    const kept = inChild(`t.startLean();
function hot(x) { let s = 0; for (let i = 0; i < 100; i++) s += (x * i) % 7; return s; }
warm(hot);
console.log(JSON.stringify({ lean: t.isLean(), optimized: optimized(hot) }));`, { COMPOSE_NET_V8_OPT: '1' });
    assert.deepStrictEqual(kept, { lean: false, optimized: true });
    const untouched = inChild(`t.noteInputRead(10 * t.OPTIMIZE_AFTER_CHARS);
console.log(JSON.stringify({ lean: t.isLean() }));`);
    assert.deepStrictEqual(untouched, { lean: false });
  });
});
