// The code-cache loader (src/bootstrap/codeCache.ts) behind dist/cli.js and dist/extension.js: a cache is used only
// for the very bundle file it was written for, by its owner; a changed bundle always runs its new code.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const LOADER = path.resolve(__dirname, '../../../src/bootstrap/codeCache.js');

/** Loads `bundle` in a fresh process (as dist/cli.js does): what the bundle computed and what the cache did. */
function load(bundle: string, env: NodeJS.ProcessEnv = {}): { value: unknown; cache: string } {
  const script = `const r = require(${JSON.stringify(LOADER)}).loadWithCodeCache(${JSON.stringify(bundle)});
process.stdout.write(JSON.stringify({ value: r.exports.value(), cache: r.cache }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, ...env } });
  assert.strictEqual(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { value: unknown; cache: string };
}

/** A bundle whose one function is compiled lazily (called after loading), with `__dirname` and `require` used. */
const bundleText = (answer: string) =>
  `const path = require('path');\nexports.value = function () { return [${answer}, path.basename(__dirname), typeof module.exports]; };\n`;

describe('bootstrap: loading a bundle through V8 code cache', function () {
  this.timeout(60_000);
  let dir: string;
  let bundle: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h14-codecache-'));
    bundle = path.join(dir, 'main.js');
    fs.writeFileSync(bundle, bundleText("'one'"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the first run writes the cache at exit, the next runs take it; the module sees its own __dirname and module', () => {
    assert.deepStrictEqual(load(bundle), { value: ['one', path.basename(dir), 'object'], cache: 'miss' });
    assert.ok(fs.existsSync(`${bundle}.cache`));
    assert.deepStrictEqual(load(bundle), { value: ['one', path.basename(dir), 'object'], cache: 'hit' });
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['main.js', 'main.js.cache'], 'no temporary file left');
  });

  it('a bundle rebuilt with the same length runs its new code (V8 alone would take the old cache)', () => {
    load(bundle);
    assert.strictEqual(load(bundle).cache, 'hit');
    fs.writeFileSync(bundle, bundleText("'two'"));
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(bundle, later, later);
    assert.deepStrictEqual(load(bundle), { value: ['two', path.basename(dir), 'object'], cache: 'miss' });
    assert.strictEqual(load(bundle).cache, 'hit');
  });

  it('a cache that is garbage, truncated or from another owner is not used, and the code still runs', () => {
    load(bundle);
    const good = fs.readFileSync(`${bundle}.cache`);
    fs.writeFileSync(`${bundle}.cache`, good.subarray(0, good.indexOf(10) + 1 + 20));
    assert.deepStrictEqual(load(bundle).value, ['one', path.basename(dir), 'object']);
    fs.writeFileSync(`${bundle}.cache`, Buffer.from('not a cache at all'));
    assert.strictEqual(load(bundle).cache, 'miss');
    if (process.getuid?.() === 0) {
      load(bundle); // rewritten
      fs.chownSync(`${bundle}.cache`, 12345, 12345);
      assert.strictEqual(load(bundle).cache, 'miss', 'a cache owned by someone else is ignored');
    }
  });

  it('a bundle loaded twice in one process is one module, run once (as require does): its classes and state stay one', () => {
    fs.writeFileSync(bundle, "globalThis.runs = (globalThis.runs ?? 0) + 1;\nexports.Thing = class Thing {};\n");
    const script = `const { loadWithCodeCache } = require(${JSON.stringify(LOADER)});
const a = loadWithCodeCache(${JSON.stringify(bundle)}); const b = loadWithCodeCache(${JSON.stringify(bundle)});
process.stdout.write(JSON.stringify({ runs: globalThis.runs, same: a.exports === b.exports, instance: new a.exports.Thing() instanceof b.exports.Thing, viaRequire: require(${JSON.stringify(bundle)}) === a.exports, second: b.cache }));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.deepStrictEqual(JSON.parse(r.stdout), { runs: 1, same: true, instance: true, viaRequire: true, second: 'loaded' });
  });

  it('COMPOSE_NET_CODE_CACHE=0 turns it off: nothing read, nothing written', () => {
    assert.deepStrictEqual(load(bundle, { COMPOSE_NET_CODE_CACHE: '0' }), { value: ['one', path.basename(dir), 'object'], cache: 'off' });
    assert.ok(!fs.existsSync(`${bundle}.cache`));
  });

  it('an error thrown by the bundle keeps its file and line in the stack', () => {
    fs.writeFileSync(bundle, "exports.value = () => 1;\n\nthrow new Error('boom');\n");
    const script = `try { require(${JSON.stringify(LOADER)}).loadWithCodeCache(${JSON.stringify(bundle)}); } catch (e) { process.stdout.write(e.stack); }`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.match(r.stdout, new RegExp(`${bundle.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:7`));
  });
});
