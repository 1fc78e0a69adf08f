// The analysis worker: files read off the extension host's thread (a FIFO or an oversized file becomes a finding,
// never a wait), the editor's unsaved text first, and a newer request superseding an older one.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalysisClient } from '../../../src/worker/client';
import type { AnalysisRequest, AnalysisResponse } from '../../../src/worker/protocol';

const WORKER = path.resolve(__dirname, '../../../src/worker/analysisWorker.js');
const MB = 1024 * 1024;

function ok(r: AnalysisResponse | undefined): Extract<AnalysisResponse, { ok: true }> {
  assert.ok(r, 'the request was superseded');
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r;
}

describe('analysis worker', () => {
  let dir: string;
  let client: AnalysisClient;
  const request = (files: string[], extra: Partial<AnalysisRequest> = {}) => ({ dir, files: files.map((f) => path.join(dir, f)), open: {}, maxFileBytes: 8 * MB, ...extra });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analysis-worker-'));
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    fs.writeFileSync(path.join(dir, 'compose.yaml'), 'include:\n  - pipe.yaml\nservices:\n  web:\n    image: web\n    networks: [front]\nnetworks:\n  front: {}\n');
    fs.writeFileSync(path.join(dir, 'big.yaml'), `services:\n  web:\n    image: web\n    environment:\n      A: "${'x'.repeat(2 * MB)}"\n`);
    fs.writeFileSync(path.join(dir, 'net.yaml'), 'networks:\n  back: {}\n');
    fs.writeFileSync(path.join(dir, 'app.yaml'), 'include: [net.yaml]\nservices:\n  api:\n    image: api\n    networks: [back]\n');
  });
  beforeEach(() => (client = new AnalysisClient(WORKER, { deadlineMs: 60_000 })));
  afterEach(() => client.dispose());
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('an include that names a FIFO is refused at once, with a finding at the reference that names the file', async () => {
    const r = ok(await client.analyze('fifo', request(['compose.yaml'])));
    const fifo = path.join(dir, 'pipe.yaml');
    assert.deepStrictEqual(r.reads[fifo]?.kind, 'refused');
    const finding = r.findings.find((f) => f.message.includes('pipe.yaml'));
    assert.ok(finding, JSON.stringify(r.findings));
    assert.strictEqual(finding.file, path.join(dir, 'compose.yaml'));
    assert.strictEqual(finding.range.start.line, 1, 'at the include entry');
    assert.ok(r.projectFiles.includes(path.join(dir, 'compose.yaml')));
  });

  it('a file over the size cap is refused, not read', async () => {
    const r = ok(await client.analyze('big', request(['big.yaml'], { maxFileBytes: 1 * MB })));
    const read = r.reads[path.join(dir, 'big.yaml')];
    assert.strictEqual(read?.kind, 'refused');
    assert.match(read.kind === 'refused' ? read.message : '', /limit/);
    assert.ok(r.findings.some((f) => f.message.includes('big.yaml')), JSON.stringify(r.findings));
  });

  it("an open editor's text over the cap is not analysed either", async () => {
    const app = path.join(dir, 'app.yaml');
    const r = ok(await client.analyze('huge-open', request(['app.yaml'], { maxFileBytes: 1000, open: { [app]: `services:\n  a:\n    image: "${'y'.repeat(2000)}"\n` } })));
    assert.ok(r.findings.some((f) => /app\.yaml.*limit/.test(f.message)), JSON.stringify(r.findings));
  });

  it("reads the editor's unsaved text first, the disk for the rest, and reports what it read", async () => {
    const app = path.join(dir, 'app.yaml');
    const r = ok(await client.analyze('open', request(['app.yaml'], { open: { [app]: 'include: [net.yaml]\nservices:\n  api:\n    image: api\n    networks: [nowhere]\n' } })));
    assert.deepStrictEqual(r.reads, { [path.join(dir, '.env')]: { kind: 'missing' }, [path.join(dir, 'net.yaml')]: { kind: 'text', text: 'networks:\n  back: {}\n' } });
    assert.deepStrictEqual(r.projectFiles.sort(), [app, path.join(dir, 'net.yaml')].sort());
    const undefinedNet = r.findings.find((f) => f.rule === 'undefined-network');
    assert.ok(undefinedNet && undefinedNet.message.includes('nowhere'), JSON.stringify(r.findings));
    assert.deepStrictEqual(undefinedNet.range, { start: { line: 4, character: 15 }, end: { line: 4, character: 22 } });
  });

  it("with the editor's file, answers its code lenses, its quick fixes by title and what fix-all fixes: the editor's thread need not analyse", async () => {
    const app = path.join(dir, 'app.yaml');
    const text = 'include: [net.yaml]\nservices:\n  api:\n    image: api\n    networks: [bak, front]\n  db:\n    image: db\n    networks: [back]\nnetworks:\n  front: {}\n';
    const r = ok(await client.analyze('editor', request(['app.yaml'], { open: { [app]: text }, editorFile: app })));
    const typo = r.findings.find((f) => f.rule === 'undefined-network');
    assert.deepStrictEqual(typo?.fixes, [{ title: 'Change to "back"', preferred: true }, { title: 'Declare network "bak"', preferred: false }], JSON.stringify(r.findings));
    assert.ok(r.editor, 'details for the editor file');
    assert.strictEqual(r.editor.file, app);
    assert.strictEqual(r.editor.fixAllCount, r.findings.filter((f) => f.file === app && f.fixes.some((x) => x.preferred)).length);
    const titles = r.editor.lenses.map((l) => `${l.kind} ${l.range.start.line}: ${l.title ?? ''}`);
    assert.ok(titles.includes('network-services 9: 1 service: api'), titles.join(' | '));
    assert.ok(titles.includes('service-reach 2: networks: bak, front · reaches no service by name'), titles.join(' | '));
    assert.ok(titles.includes('service-reach 5: networks: back · reaches no service by name'), titles.join(' | '));
    assert.ok(!r.editor.lenses.some((l) => l.kind === 'network-services' && l.network === 'back'), 'back is declared in net.yaml, not in the file asked');
    const plain = ok(await client.analyze('editor', request(['app.yaml'], { open: { [app]: text } })));
    assert.strictEqual(plain.editor, undefined, 'no details unless an editor asks');
  });

  it('an identical request (diagnostics and a hover at once) shares the answer instead of superseding it', async () => {
    const [a, b] = await Promise.all([client.analyze('same', request(['app.yaml'])), client.analyze('same', request(['app.yaml']))]);
    assert.strictEqual(ok(a), ok(b));
    assert.strictEqual(client.started, 1);
  });

  it('a newer request for the same project supersedes the older one; other projects are not affected', async () => {
    const first = client.analyze('p', request(['app.yaml']));
    const other = client.analyze('q', request(['net.yaml']));
    const second = client.analyze('p', request(['app.yaml'], { open: { [path.join(dir, 'app.yaml')]: 'services: {}\n' } }));
    assert.strictEqual(await first, undefined);
    assert.deepStrictEqual(ok(await second).projectFiles, [path.join(dir, 'app.yaml')]);
    assert.ok(ok(await other).projectFiles.includes(path.join(dir, 'net.yaml')));
  });
});

describe('analysis client: runs that never end', () => {
  let dir: string;
  let script: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analysis-client-'));
    // A stand-in worker: answers at once, or spins forever when asked about "spin" (like a pathological input).
    script = path.join(dir, 'worker.js');
    fs.writeFileSync(
      script,
      "const { parentPort } = require('worker_threads');\n" +
        "parentPort.on('message', (r) => { if (r.dir === 'spin') for (;;) {} parentPort.postMessage({ id: r.id, ok: true, projectFiles: [r.dir], findings: [], reads: {}, size: 0 }); });\n",
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const req = (d: string) => ({ dir: d, files: [], open: {}, maxFileBytes: MB });

  it('a run past its deadline is stopped and reported; the next request gets a fresh worker', async () => {
    const client = new AnalysisClient(script, { deadlineMs: 3000 }); // time to start a worker on a busy machine, then stop it
    try {
      const r = await client.analyze('a', req('spin'));
      assert.ok(r && !r.ok && /did not finish/.test(r.message), JSON.stringify(r));
      assert.deepStrictEqual(ok(await client.analyze('a', req('fine'))).projectFiles, ['fine']);
      assert.strictEqual(client.started, 2);
    } finally {
      client.dispose();
    }
  });

  it('an edit during a long run supersedes it: the stuck run is stopped and the new one answers', async () => {
    const client = new AnalysisClient(script, { deadlineMs: 600_000, abandonAfterMs: 100 });
    try {
      ok(await client.analyze('a', req('warm-up'))); // a worker still starting is never stopped: this one has answered
      const stuck = client.analyze('a', req('spin'));
      await new Promise((r) => setTimeout(r, 300)); // the stuck run has been going longer than abandonAfterMs
      const edited = client.analyze('a', req('edited'));
      assert.strictEqual(await stuck, undefined);
      assert.deepStrictEqual(ok(await edited).projectFiles, ['edited']);
      assert.strictEqual(client.started, 2);
    } finally {
      client.dispose();
    }
  });

  it('a worker still starting is not stopped by a newer request: both run in the one worker', async () => {
    const client = new AnalysisClient(script, { deadlineMs: 600_000, abandonAfterMs: 0 });
    try {
      const first = client.analyze('a', req('first'));
      const second = client.analyze('a', req('second'));
      assert.strictEqual(await first, undefined, 'superseded');
      assert.deepStrictEqual(ok(await second).projectFiles, ['second']);
      assert.strictEqual(client.started, 1);
    } finally {
      client.dispose();
    }
  });
});
