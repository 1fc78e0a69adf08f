// The CLI's exit status can be trusted: a crash or a run that ends without a result exits 2, not 1 or 0,
// and the text it prints carries no terminal control sequences from the compose file.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const OUT = path.resolve(__dirname, '../../src');
const CLI = path.join(OUT, 'cli/main.js');

function run(args: string[], cwd: string, preload?: string) {
  const r = spawnSync(process.execPath, [...(preload ? ['--require', preload] : []), CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('compose-net exit status and terminal output', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-net-process-'));
    fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  "web\\e[2K\\e]0;owned\\a":\n    image: web\n    networks: [missing]\n');
    // Fault injection: a crash in a callback while lint runs, and an engine that never answers with nothing left to wait on.
    fs.writeFileSync(path.join(dir, 'crash.js'), "setImmediate(() => { throw new Error('boom in a callback\\nsecond line'); });\n");
    fs.writeFileSync(path.join(dir, 'reject.js'), "setImmediate(() => { Promise.reject(new Error('nobody caught me')); });\n");
    fs.writeFileSync(
      path.join(dir, 'drain.js'),
      `const engine = require(${JSON.stringify(path.join(OUT, 'engine/dockerodeClient.js'))});\n` +
        'engine.createEngineClient = () => ({ snapshot: () => new Promise(() => {}) });\n',
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('an uncaught exception anywhere exits 2 with one line on stderr (Node would exit 1: "errors found")', () => {
    const r = run(['lint', '-f', 'compose.yaml'], dir, path.join(dir, 'crash.js'));
    assert.strictEqual(r.code, 2, r.err);
    assert.strictEqual(r.err, 'compose-net: internal error: boom in a callback\n');
  });

  it('an unhandled rejection exits 2', () => {
    const r = run(['lint', '-f', 'compose.yaml'], dir, path.join(dir, 'reject.js'));
    assert.strictEqual(r.code, 2, r.err);
    assert.match(r.err, /^compose-net: internal error: nobody caught me\n$/);
  });

  it('an event loop that drains before the command has a result exits 2, not 0', () => {
    const r = run(['lint', '--engine', '-f', 'compose.yaml'], dir, path.join(dir, 'drain.js'));
    assert.strictEqual(r.code, 2, r.err);
    assert.strictEqual(r.out, '');
    assert.match(r.err, /^compose-net: internal error: the command stopped before it had a result/);
  });

  it('a normal run keeps its own status (1: errors found)', () => {
    assert.strictEqual(run(['lint', '-f', 'compose.yaml'], dir).code, 1);
  });

  it('lint text shows ANSI escapes from a service name as visible text, never as control characters', () => {
    const r = run(['lint', '-f', 'compose.yaml'], dir);
    assert.ok(!/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(r.out), JSON.stringify(r.out));
    assert.match(r.out, /service "web\\x1b\[2K\\x1b\]0;owned\\x07" refers to undefined network "missing"/);
  });
});
