// The shipped bundles keep the engine client (dockerode, docker-modem, ssh2) out of the start-up path: it is its own
// file, dist/dockerode.js, required only when a command first needs the engine; BuildKit's gRPC session is left out.
// dist/cli.js and dist/extension.js are small loaders of dist/cli-main.js and dist/extension-main.js (V8's code cache).
// Built here with esbuild.js's own options into a temporary directory, then loaded as users load them.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BuildOptions, Metafile } from 'esbuild';
import { writeVscodeStub } from '../support/vscodeStub';

const ROOT = path.resolve(__dirname, '../../..');
const ENGINE_PACKAGES = /(^|\/)node_modules\/(dockerode|docker-modem|ssh2|@grpc|protobufjs|@balena|tar-fs)\//;

/** Writes a script that, at exit, saves the files the process required (require.cache) as JSON to `out`. */
function loadedModulesHook(dir: string): string {
  const hook = path.join(dir, 'loaded-hook.js');
  fs.writeFileSync(hook, "process.on('exit', () => require('fs').writeFileSync(process.env.LOADED_OUT, JSON.stringify(Object.keys(require.cache))));\n");
  return hook;
}

describe('bundles: the engine client is loaded only when needed', function () {
  this.timeout(120_000);
  let dir: string;
  const meta = new Map<string, Metafile>();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h14-bundles-'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildRuntimeInto } = require(path.join(ROOT, 'esbuild.js')) as { buildRuntimeInto(dir: string, o: BuildOptions): Promise<Record<string, Metafile>> };
    for (const [name, m] of Object.entries(await buildRuntimeInto(dir, { sourcemap: false, minify: false }))) meta.set(name, m);
    fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: web\n    networks: [front]\nnetworks:\n  front: {}\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const inputs = (name: string) => Object.keys(meta.get(name)!.inputs);

  it('the CLI and extension bundles contain no engine-client package; dist/dockerode.js does', () => {
    for (const name of ['cli-main.js', 'cli-engine.js', 'extension-main.js']) assert.deepStrictEqual(inputs(name).filter((i) => ENGINE_PACKAGES.test(i)), [], name);
    for (const name of ['cli-engine.js', 'extension-main.js']) assert.ok(inputs(name).includes('src/engine/dockerodeClient.ts'), `${name} still has our client code`);
    assert.ok(inputs('dockerode.js').some((i) => /(^|\/)node_modules\/docker-modem\//.test(i)));
  });

  it('every bundle that runs in Node ships in the .vsix (.vscodeignore lists it)', () => {
    const shipped = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const name of meta.keys()) assert.ok(shipped.includes(`!dist/${name}`), `.vscodeignore lacks !dist/${name}`);
    // The bundles' own package scope (esbuild.js writeScope): Node stops its "type" lookup there, not at the manifest.
    assert.ok(shipped.includes('!dist/package.json'));
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')), { type: 'commonjs' });
  });

  it('the analysis worker parses with dist/yaml.js, the extension\'s copy, and bundles none of its own', () => {
    assert.deepStrictEqual(inputs('analysisWorker.js').filter((i) => /node_modules\/yaml\//.test(i)), []);
    // It analyses as it did with a copy of its own: an open file's finding comes back.
    const request = { id: 1, dir: '/p', files: ['/p/compose.yaml'], open: { '/p/compose.yaml': 'services:\n  web:\n    image: web\n    networks: [nope]\n' }, maxFileBytes: 1 << 20 };
    const script = `const w = new (require('worker_threads').Worker)(${JSON.stringify(path.join(dir, 'analysisWorker.js'))});
w.on('error', (e) => { console.error(e); process.exit(3); });
w.on('message', (m) => { process.stdout.write(JSON.stringify(m.findings.map((f) => f.rule))); w.terminate(); });
w.postMessage(${JSON.stringify(request)});`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.ok((JSON.parse(r.stdout) as string[]).length > 0, r.stdout);
  });

  it('dist/cli.js writes its code cache on the first run and gives the same answers with it', () => {
    fs.rmSync(path.join(dir, 'cli-main.js.cache'), { force: true });
    const first = spawnSync(process.execPath, [path.join(dir, 'cli.js'), 'lint', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    assert.ok(fs.existsSync(path.join(dir, 'cli-main.js.cache')), 'cache written');
    const second = spawnSync(process.execPath, [path.join(dir, 'cli.js'), 'lint', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    assert.strictEqual(first.status, 0, first.stderr);
    assert.deepStrictEqual([second.status, second.stdout, second.stderr], [first.status, first.stdout, first.stderr]);
    assert.ok(Array.isArray(JSON.parse(second.stdout)) || typeof JSON.parse(second.stdout) === 'object');
  });

  it("a one-project lint keeps V8's flags (Node's v8 module never loaded); a lint over many projects starts lean; each has its own code cache, taken on the next run", () => {
    const hook = path.join(dir, 'v8-hook.js');
    fs.writeFileSync(hook, "process.on('exit', () => require('fs').writeFileSync(process.env.V8_OUT, String(process.moduleLoadList.includes('NativeModule v8'))));\n");
    const run = (args: string[]) => {
      const out = path.join(dir, 'v8.out');
      const r = spawnSync(process.execPath, ['--require', hook, path.join(dir, 'cli.js'), 'lint', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, V8_OUT: out, COMPOSE_NET_V8_OPT: '' } });
      return { code: r.status, out: r.stdout, v8: fs.readFileSync(out, 'utf8') === 'true' };
    };
    for (const f of ['cli-main.js.cache', 'cli-main.js.lean.cache']) fs.rmSync(path.join(dir, f), { force: true });
    const one = run(['-f', 'compose.yaml']);
    assert.deepStrictEqual([one.code, one.v8], [0, false]);
    assert.ok(fs.existsSync(path.join(dir, 'cli-main.js.cache')) && !fs.existsSync(path.join(dir, 'cli-main.js.lean.cache')));
    const many = run(['-r', '.']);
    assert.deepStrictEqual([many.code, many.v8], [0, true]);
    assert.ok(fs.existsSync(path.join(dir, 'cli-main.js.lean.cache')));
    // Both caches stay: neither kind of run rewrites (V8 would refuse the other's, and each rewrite is a cache miss).
    const stamps = () => ['cli-main.js.cache', 'cli-main.js.lean.cache'].map((f) => fs.statSync(path.join(dir, f)).mtimeMs);
    const before = stamps();
    assert.deepStrictEqual([run(['-f', 'compose.yaml']).out, run(['-r', '.']).out], [one.out, many.out]);
    assert.deepStrictEqual(stamps(), before);
  });

  it("dockerode's BuildKit session (gRPC, protobuf) is left out, and calling it says so", () => {
    assert.deepStrictEqual(inputs('dockerode.js').filter((i) => /(^|\/)node_modules\/(@grpc|protobufjs|@protobufjs)\//.test(i)), []);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Docker = require(path.join(dir, 'dockerode.js')) as new (o: object) => { followProgress(): void };
    assert.throws(() => new Docker({ socketPath: '/nonexistent' }).followProgress(), /BuildKit sessions are not part of this build/);
  });

  it('the bundled dockerode still talks HTTP over a socket (an absent socket fails with ENOENT)', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Docker = require(path.join(dir, 'dockerode.js')) as new (o: object) => { listNetworks(): Promise<unknown> };
    await assert.rejects(new Docker({ socketPath: path.join(dir, 'no.sock') }).listNetworks(), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
  });

  function cliLoads(args: string[]): { code: number | null; err: string; loaded: string[] } {
    const out = path.join(dir, `loaded-${args.join('_').replace(/\W/g, '')}.json`);
    const r = spawnSync(process.execPath, ['--require', loadedModulesHook(dir), path.join(dir, 'cli.js'), ...args], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, LOADED_OUT: out, DOCKER_HOST: `unix://${path.join(dir, 'no-engine.sock')}` },
    });
    return { code: r.status, err: r.stderr, loaded: (JSON.parse(fs.readFileSync(out, 'utf8')) as string[]).map((f) => path.basename(f)) };
  }

  it('compose-net lint never loads dist/dockerode.js nor dist/cli-engine.js; lint --engine loads both (and reports the missing engine)', () => {
    const plain = cliLoads(['lint', '-f', 'compose.yaml']);
    assert.strictEqual(plain.code, 0, plain.err);
    assert.deepStrictEqual(plain.loaded.filter((f) => f !== 'loaded-hook.js'), ['cli.js', 'cli-main.js']);
    const engine = cliLoads(['lint', '--engine', '-f', 'compose.yaml']);
    assert.strictEqual(engine.code, 2, engine.err);
    assert.match(engine.err, /no-engine\.sock/);
    assert.ok(engine.loaded.includes('dockerode.js') && engine.loaded.includes('cli-engine.js'), engine.loaded.join());
  });

  it('diagram and config are in dist/cli-commands.js, loaded when they run (lint never reads it)', () => {
    for (const [command, answer] of [['diagram', /^<svg[\s\S]*front/], ['config', /^name: [\s\S]*networks:\n {2}front:/]] as const) {
      const out = path.join(dir, `${command}.out`);
      const r = cliLoads([command, '-f', 'compose.yaml', ...(command === 'diagram' ? ['-o', out] : [])]);
      assert.strictEqual(r.code, 0, r.err);
      assert.ok(r.loaded.includes('cli-commands.js') && !r.loaded.includes('cli-engine.js'), r.loaded.join());
      if (command === 'diagram') assert.match(fs.readFileSync(out, 'utf8'), answer);
    }
    const config = spawnSync(process.execPath, [path.join(dir, 'cli.js'), 'config', '-f', 'compose.yaml'], { cwd: dir, encoding: 'utf8' });
    assert.match(config.stdout, /^name: [\s\S]*networks:\n {2}front:/);
  });

  it('the CLI\'s engine side (src/engine/**) is only in dist/cli-engine.js, once, and the CLI\'s instanceof checks hold across the two files', () => {
    // cli-main.js reaches each engine module through a stub of getters onto cli-engine.js (esbuild.js engineOutside).
    // (cli-commands.js: the CLI's code only other commands than lint run, esbuild.js lazyBundles.)
    for (const name of ['cli-main.js', 'cli-commands.js']) assert.deepStrictEqual(inputs(name).filter((i) => /^src\/engine\//.test(i)), [], name);
    const stubs = [...inputs('cli-main.js'), ...inputs('cli-commands.js')].filter((i) => i.startsWith('engine-outside:')).map((i) => path.relative(ROOT, i.slice('engine-outside:'.length)).split(path.sep).join('/'));
    assert.ok(stubs.includes('src/engine/errors.ts') && stubs.includes('src/engine/verify.ts'), stubs.join());
    for (const s of stubs) assert.ok(inputs('cli-engine.js').includes(s), `${s} not in cli-engine.js`);
    // An unreachable engine is an EngineError thrown in cli-engine.js and recognised by verify (cli-main.js): a message
    // and exit 2, not an internal error. cli-engine.js is loaded through the code cache (written at exit, used after).
    fs.rmSync(path.join(dir, 'cli-engine.js.cache'), { force: true });
    for (let run = 0; run < 2; run++) {
      const r = cliLoads(['verify', '-f', 'compose.yaml']);
      assert.strictEqual(r.code, 2, r.err);
      assert.match(r.err, /^compose-net: Docker Engine at unix:\/\/.*no-engine\.sock/, r.err);
      assert.doesNotMatch(r.err, /internal error/);
      assert.ok(r.loaded.includes('cli-engine.js'), r.loaded.join());
      assert.ok(fs.existsSync(path.join(dir, 'cli-engine.js.cache')), 'cli-engine.js.cache written');
    }
  });

  it('requiring the extension (vscode stubbed) does not load dist/dockerode.js', () => {
    const out = path.join(dir, 'loaded-extension.json');
    // Any property of the stub is a stub, callable and constructible: enough for module top-level code.
    const stub = writeVscodeStub(dir);
    const r = spawnSync(process.execPath, ['--require', stub, '--require', loadedModulesHook(dir), '-e', `const ext = require(${JSON.stringify(path.join(dir, 'extension.js'))}); if (typeof ext.activate !== 'function') process.exit(3);`], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, LOADED_OUT: out },
    });
    assert.strictEqual(r.status, 0, r.stderr);
    const loaded = (JSON.parse(fs.readFileSync(out, 'utf8')) as string[]).map((f) => path.basename(f));
    assert.ok(loaded.includes('extension.js') && loaded.includes('extension-main.js'), loaded.join());
    assert.ok(!loaded.includes('dockerode.js'), loaded.join());
    // Code only a command or the first engine call runs is in files of its own (esbuild.js lazyBundles).
    assert.ok(!loaded.includes('extension-commands.js'), loaded.join());
    // Node modules only a command or the worker uses are loaded on first use (esbuild.js lazyBuiltins). The list is
    // taken before process.stdout is touched: creating it (a pipe here) loads stream and net itself.
    const builtins = spawnSync(process.execPath, ['--require', stub, '-e', `const before = new Set(process.moduleLoadList); require(${JSON.stringify(path.join(dir, 'extension.js'))}); const added = process.moduleLoadList.filter((m) => !before.has(m)); process.stdout.write(JSON.stringify(added))`], { encoding: 'utf8' });
    const newModules = JSON.parse(builtins.stdout) as string[];
    for (const m of ['child_process', 'worker_threads', 'crypto', 'dgram', 'http', 'os', 'stream', 'net']) assert.ok(!newModules.includes(`NativeModule ${m}`), `${m} loaded by require: ${newModules.join(' ')}`);
    // yaml is its own file, required when a compose file is first read (esbuild.js lazyPackages).
    assert.ok(!loaded.includes('yaml.js'), loaded.join());
    assert.deepStrictEqual(inputs('extension-main.js').filter((i) => /(^|\/)node_modules\/yaml\//.test(i)), []);
    assert.ok(inputs('yaml.js').some((i) => /(^|\/)node_modules\/yaml\//.test(i)));
  });

  it("the extension's command code is in a file loaded on first use, each module in exactly one file (esbuild.js lazyBundles)", () => {
    const files = ['extension-main.js', 'extension-commands.js'];
    const owners = new Map<string, string[]>();
    for (const f of files) for (const i of inputs(f).filter((x) => !/^[\w-]+:/.test(x))) owners.set(i, [...(owners.get(i) ?? []), f]);
    assert.deepStrictEqual([...owners].filter(([, f]) => f.length > 1), [], 'a module in two files would be two modules at run time');
    const main = inputs('extension-main.js');
    for (const m of ['src/vscode/commands/verifyCommand.ts', 'src/vscode/commands/captureCommand.ts', 'src/engine/verify.ts', 'src/diagram/svg.ts']) assert.ok(!main.includes(m), `${m} is in extension-main.js`);
    for (const m of ['src/vscode/extension.ts', 'src/vscode/diagnostics.ts', 'src/compose/analyze.ts', 'src/engine/errors.ts', 'src/engine/dockerodeClient.ts']) assert.ok(main.includes(m), `${m} is not in extension-main.js`);
    assert.ok(inputs('extension-commands.js').includes('src/vscode/commands/verifyCommand.ts'));
  });

  it('the files V8 reads at start-up are ASCII (one byte per character in memory: a non-ASCII character, e.g. in a regular expression esbuild does not escape, doubles the string and slows its compile)', () => {
    for (const name of ['extension.js', 'extension-main.js', 'cli.js', 'cli-main.js', 'yaml.js']) {
      const text = fs.readFileSync(path.join(dir, name), 'latin1');
      const at = text.search(/[^\x00-\x7f]/);
      assert.strictEqual(at, -1, `${name}: non-ASCII near ${JSON.stringify(text.slice(Math.max(0, at - 60), at + 20))}`);
    }
  });

  it('lazy bundles: a group is read on first use, once, through the code cache; classes, state and default exports stay one across files', async () => {
    const src = path.join(dir, 'lazy-bundles-src');
    fs.mkdirSync(src, { recursive: true });
    const write = (name: string, text: string) => fs.writeFileSync(path.join(src, name), text);
    write('shared.ts', 'export class Shape {}\nlet n = 0;\nexport const bump = () => ++n;\nexport const count = () => n;\n');
    write('extra.ts', "import { Shape, bump } from './shared';\nexport class Circle extends Shape {}\nexport function makeCircle() { bump(); return new Circle(); }\n");
    write('named.ts', "export default function named() { return 'default export'; }\n");
    write('dyn.ts', "import { makeCircle } from './extra';\nexport const value = 42;\nexport const shape = () => makeCircle();\n");
    write(
      'main.ts',
      `import { Shape, count } from './shared';
import { Circle, makeCircle } from './extra';
import named from './named';
const lazyFiles = () => Object.keys(require.cache).map((f) => f.split('/').pop()).filter((f) => /^lazy-(extra|dyn)\\.js$/.test(f!)).sort();
export const loadedAtStart = lazyFiles();
export async function use() {
  const c = makeCircle();
  const d = await import('./dyn');
  return { isShape: c instanceof Shape, isCircle: c instanceof Circle, count: count(), named: named(), value: d.value, dynIsCircle: d.shape() instanceof Circle, countAfter: count(), loaded: lazyFiles() };
}`,
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { lazyBundles } = require(path.join(ROOT, 'esbuild.js')) as { lazyBundles(o: object): { plugin(file: string): import('esbuild').Plugin } };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    const options = { bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent' } as const;
    const split = lazyBundles({ entry: path.join(src, 'main.ts'), options, groups: { 'lazy-extra.js': { roots: [path.relative(ROOT, path.join(src, 'extra.ts')), path.relative(ROOT, path.join(src, 'named.ts'))] }, 'lazy-dyn.js': { dynamicImports: true } } });
    const out = path.join(dir, 'lazy-bundles');
    for (const file of ['lazy-main.js', 'lazy-extra.js', 'lazy-dyn.js']) {
      const r = await esbuild.build({ ...options, absWorkingDir: ROOT, entryPoints: [path.join(src, 'main.ts')], outfile: path.join(out, file), plugins: [split.plugin(file === 'lazy-main.js' ? 'main' : file)], metafile: true });
      const own = Object.keys(r.metafile.inputs).filter((i) => !/^[\w-]+:/.test(i)).map((i) => path.basename(i)).sort();
      assert.deepStrictEqual(own, { 'lazy-main.js': ['codeCache.ts', 'main.ts', 'shared.ts'], 'lazy-extra.js': ['extra.ts', 'named.ts'], 'lazy-dyn.js': ['dyn.ts'] }[file], file);
    }
    const run = () => spawnSync(process.execPath, ['-e', `const m = require(${JSON.stringify(path.join(out, 'lazy-main.js'))}); m.use().then((r) => process.stdout.write(JSON.stringify([m.loadedAtStart, r])))`], { encoding: 'utf8' });
    const expected = [[], { isShape: true, isCircle: true, count: 1, named: 'default export', value: 42, dynIsCircle: true, countAfter: 2, loaded: ['lazy-dyn.js', 'lazy-extra.js'] }];
    const first = run();
    assert.strictEqual(first.status, 0, first.stderr);
    assert.deepStrictEqual(JSON.parse(first.stdout), expected);
    assert.ok(fs.existsSync(path.join(out, 'lazy-extra.js.cache')) && fs.existsSync(path.join(out, 'lazy-dyn.js.cache')), 'the groups\' code caches are written');
    const second = run();
    assert.strictEqual(second.status, 0, second.stderr);
    assert.deepStrictEqual(JSON.parse(second.stdout), expected);
  });

  it('fs, path and vscode are copied into one namespace per bundle, not one per importing module (esbuild.js sharedExternals)', () => {
    for (const name of ['extension-main.js', 'cli-main.js', 'analysisWorker.js']) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      for (const m of ['fs', 'path', 'vscode']) {
        const requires = text.split(`require("${m}")`).length - 1;
        assert.ok(requires <= 2, `${name}: require("${m}") ${requires} times`);
      }
    }
  });

  it('a lazy package runs on first use of an export and then is the package itself (yaml)', async () => {
    const entry = path.join(dir, 'lazy-package-entry.ts');
    fs.writeFileSync(
      entry,
      `import { parseDocument, isMap } from 'yaml';
import * as Y from 'yaml';
export const loadedAtStart = Object.keys(require.cache).filter((f) => f.endsWith('yaml.js'));
export function use() {
  const doc = parseDocument('a: {b: 1}');
  return { map: isMap(doc.contents), value: doc.toJS().a.b, names: Object.keys(Y).includes('stringify'), same: Y.isMap === isMap, loaded: Object.keys(require.cache).filter((f) => f.endsWith('yaml.js')).length };
}`,
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { lazyPackages } = require(path.join(ROOT, 'esbuild.js')) as { lazyPackages: import('esbuild').Plugin };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: path.join(dir, 'lazy-package.js'), plugins: [lazyPackages], logLevel: 'silent' });
    const r = spawnSync(process.execPath, ['-e', `const m = require(${JSON.stringify(path.join(dir, 'lazy-package.js'))}); process.stdout.write(JSON.stringify([m.loadedAtStart, m.use()]))`], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.deepStrictEqual(JSON.parse(r.stdout), [[], { map: true, value: 1, names: true, same: true, loaded: 1 }]);
  });

  it('a lazily required Node module behaves as the module itself once used (functions, classes, namespace imports)', async () => {
    const entry = path.join(dir, 'lazy-entry.ts');
    fs.writeFileSync(
      entry,
      `import * as cp from 'child_process';
import { Worker } from 'worker_threads';
import { randomBytes } from 'node:crypto';
import os from 'os';
export const loadedAtStart = ['child_process', 'worker_threads', 'crypto'].filter((m) => process.moduleLoadList.includes('NativeModule ' + m));
export function use() {
  return { status: cp.spawnSync(process.execPath, ['-e', '0']).status, hasSpawn: 'spawn' in cp && Object.keys(cp).includes('spawn'), worker: typeof Worker === 'function' && Worker.name, bytes: randomBytes(4).length, eol: os.EOL };
}`,
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { lazyBuiltins } = require(path.join(ROOT, 'esbuild.js')) as { lazyBuiltins: import('esbuild').Plugin };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: path.join(dir, 'lazy.js'), plugins: [lazyBuiltins], logLevel: 'silent' });
    const r = spawnSync(process.execPath, ['-e', `const m = require(${JSON.stringify(path.join(dir, 'lazy.js'))}); process.stdout.write(JSON.stringify([m.loadedAtStart, m.use()]))`], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.deepStrictEqual(JSON.parse(r.stdout), [[], { status: 0, hasSpawn: true, worker: 'Worker', bytes: 4, eol: '\n' }]);
  });
});
