// The CLI's file reader: only regular files, bounded in size, never blocking; UTF-16 and BOMs read like UTF-8.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createFileHost, DEFAULT_MAX_FILE_BYTES, readRegularFile } from '../../src/cli/fileHost';
import { FileReadError } from '../../src/compose/project';
import { decodeText } from '../../src/compose/text';

const CLI = path.resolve(__dirname, '../../src/cli/main.js');

describe('file reading for the CLI (issue 12)', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h12a-files-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, content: string | Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  it('reads a regular file, and undefined for one that does not exist', () => {
    assert.strictEqual(readRegularFile(file('a.yaml', 'services: {}\n')), 'services: {}\n');
    assert.strictEqual(readRegularFile(path.join(dir, 'missing.yaml')), undefined);
    assert.strictEqual(readRegularFile(path.join(dir, 'a.yaml', 'below')), undefined);
  });

  it('decodes UTF-16 LE and BE with a BOM and drops a UTF-8 BOM (issue 11, item 12)', () => {
    const text = 'services:\n  wéb: {image: "x"}\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    for (let i = 0; i < be.length; i += 2) [be[i], be[i + 1]] = [le[i + 1], le[i]];
    assert.strictEqual(readRegularFile(file('le.yaml', le)), text);
    assert.strictEqual(readRegularFile(file('be.yaml', be)), text);
    assert.strictEqual(readRegularFile(file('bom8.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))), text);
    assert.strictEqual(decodeText(new Uint8Array(Buffer.from(text))), text);
  });

  it('refuses a FIFO at once instead of blocking in open()', () => {
    const fifo = path.join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    assert.throws(() => readRegularFile(fifo), (e: unknown) => e instanceof FileReadError && /named pipe/.test((e as Error).message));
    assert.strictEqual(createFileHost().exists!(fifo), true, 'it exists: the loader reports it as unreadable, not as missing');
  });

  it('refuses a directory, and files under /dev, /proc and /sys, also through symlinks', () => {
    fs.mkdirSync(path.join(dir, 'sub.yaml'));
    assert.throws(() => readRegularFile(path.join(dir, 'sub.yaml')), /directory/);
    for (const [name, target] of [['zero.env', '/dev/zero'], ['environ.env', '/proc/self/environ'], ['sys.yaml', '/sys/kernel/mm'], ['stdin.yaml', '/dev/stdin']]) {
      fs.symlinkSync(target, path.join(dir, name));
      assert.throws(() => readRegularFile(path.join(dir, name)), FileReadError, `${name} -> ${target}`);
    }
    assert.throws(() => readRegularFile('/proc/self/environ'), /under \/proc/);
  });

  it('refuses a file past the size cap (8 MiB by default, configurable), sparse or not', () => {
    const big = path.join(dir, 'big.yaml');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, DEFAULT_MAX_FILE_BYTES + 1);
    assert.throws(() => readRegularFile(big), /8388608-byte limit/);
    const small = file('small.yaml', 'x'.repeat(2000));
    assert.throws(() => readRegularFile(small, { maxBytes: 1000 }), /1000-byte limit/);
    assert.strictEqual(readRegularFile(small, { maxBytes: 2000 })!.length, 2000);
  });

  it('compose-net lint reports an include that is a FIFO and a .env that is /dev/zero, and exits (it used to block forever)', () => {
    const project = path.join(dir, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'compose.yaml'), 'include:\n  - pipe.yaml\nservices:\n  web:\n    image: "${TAG:-x}"\n');
    execFileSync('mkfifo', [path.join(project, 'pipe.yaml')]);
    fs.symlinkSync('/dev/zero', path.join(project, '.env'));
    const r = spawnSync(process.execPath, [CLI, 'lint', '--format', 'json'], { cwd: project, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
    assert.strictEqual(r.signal, null, 'the CLI was killed at the 30 s deadline: it blocked on the FIFO or /dev/zero');
    assert.strictEqual(r.status, 1, r.stderr);
    const findings = JSON.parse(r.stdout) as Array<{ file: string; message: string; severity: string }>;
    assert.ok(findings.some((f) => f.severity === 'error' && /pipe\.yaml/.test(f.message) && /pipe/.test(f.message)), r.stdout);
    assert.ok(findings.some((f) => /\.env/.test(f.message)), r.stdout);
  });
});
