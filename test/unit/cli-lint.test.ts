// compose-net lint over many projects (--recursive, paths, globs) and --fix, as CI runs it: a separate process.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyze } from '../../src/compose/analyze';
import { fixProject } from '../../src/cli/fix';
import { chooseFixes } from '../../src/compose/fixes';
import { expandGlob, findProjectDirs, parseLintArgs, resolveProjects } from '../../src/cli/lint';

const CLI = path.resolve(__dirname, '../../src/cli/main.js');
import { CORPUS, needCorpus } from '../support/corpus';
const disk = { readFile: (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined), exists: (p: string) => fs.existsSync(p) };

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

/** Every file under `dir` with its text, by relative path. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true }).map(String).sort()) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) out[f] = fs.readFileSync(p, 'utf8');
  }
  return out;
}

const BROKEN = 'services:\n  web:\n    image: web\n    networks: [frontend]\nnetworks:\n  front-end: {}\n';
const CLEAN = 'services:\n  db:\n    image: db\n';

describe('compose-net lint over many projects', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-net-mono-'));
    write(root, {
      'shop/compose.yaml': 'services:\n  web:\n    image: web\n',
      // The override is merged into its project: its undefined network is a finding of "shop".
      'shop/compose.override.yaml': 'services:\n  web:\n    networks: [backend]\n',
      'shop/billing/docker-compose.yml': CLEAN,
      'api/compose.yml': BROKEN,
      'docs/mkdocs.yml': 'site_name: not a compose file\n',
      'node_modules/dep/compose.yaml': BROKEN,
      '.git/compose.yaml': BROKEN,
    });
    fs.symlinkSync(root, path.join(root, 'shop', 'loop')); // a symlink loop is not followed
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('finds one project per folder with a compose file; skips node_modules, hidden folders and symlinks', () => {
    assert.deepStrictEqual(
      findProjectDirs(root).map((d) => path.relative(root, d)),
      ['api', 'shop', path.join('shop', 'billing')],
    );
  });

  it('expands globs: *, ?, [..], {a,b} and ** (hidden names only when asked)', () => {
    const rel = (pattern: string) => expandGlob(pattern, root).map((p) => path.relative(root, p));
    assert.deepStrictEqual(rel('*/compose.y*ml'), ['api/compose.yml', 'shop/compose.yaml']);
    assert.deepStrictEqual(rel('**/*compose.yml'), ['api/compose.yml', 'shop/billing/docker-compose.yml']);
    assert.deepStrictEqual(rel('{api,docs}'), ['api', 'docs']);
    assert.deepStrictEqual(rel('[a-d]??'), ['api']);
    assert.deepStrictEqual(rel('.git/*'), ['.git/compose.yaml']);
    assert.deepStrictEqual(rel('nothing-*'), []);
  });

  it('resolves paths, files and globs into projects, each once', () => {
    const specs = resolveProjects(parseLintArgs(['-r', 'shop', 'api', 'shop/billing']), root);
    assert.deepStrictEqual(specs.map((s) => [s.label, s.files]), [['shop', []], [path.join('shop', 'billing'), []], ['api', []]]);
    const files = resolveProjects(parseLintArgs(['*/compose.y*ml']), root);
    assert.deepStrictEqual(files.map((s) => s.label), [path.join('api', 'compose.yml'), path.join('shop', 'compose.yaml')]);
    assert.throws(() => parseLintArgs(['-f', 'a.yaml', '-r']), /-f names the files of one project/);
  });

  it('--recursive: a text report per project, a total, and exit 1 when any project has an error', () => {
    const r = run(['lint', '--recursive'], root);
    assert.strictEqual(r.code, 1, r.err);
    const sections = r.out.split(/^project /m).slice(1).map((s) => s.split('\n')[0]);
    assert.deepStrictEqual(sections, ['api', 'shop', 'shop/billing']);
    assert.match(r.out, /^shop\/compose\.override\.yaml:3:\d+: error service "web" refers to undefined network "backend" \[undefined-network\]$/m);
    assert.match(r.out, /^3 project\(s\): 3 finding\(s\): 2 error\(s\), 0 warning\(s\), 1 info$/m);
  });

  it('--recursive --format json: every finding names its project', () => {
    const r = run(['lint', '-r', '--format', 'json', root], os.tmpdir());
    const findings = JSON.parse(r.out) as Array<{ project: string; file: string; rule: string }>;
    const rel = (p: string) => path.relative(os.tmpdir(), path.join(root, p));
    assert.deepStrictEqual(
      findings.map((f) => [f.project, f.rule]),
      [
        [rel('api'), 'undefined-network'],
        [rel('api'), 'unused-network'],
        [rel('shop'), 'undefined-network'],
      ],
    );
    assert.ok(findings.every((f) => f.file.startsWith(f.project + path.sep)));
  });

  it('--recursive --format sarif: one run holding every project\'s results, each tagged with its project', () => {
    const r = run(['lint', '-r', '--format=sarif'], root);
    const sarif = JSON.parse(r.out);
    assert.strictEqual(sarif.runs.length, 1);
    const results = sarif.runs[0].results as Array<{ ruleId: string; properties: { project: string } }>;
    assert.deepStrictEqual([...new Set(results.map((x) => x.properties.project))], ['api', 'shop']);
    assert.strictEqual(r.code, 1);
  });

  it('exits 0 when every project is clean, 2 when a path has no project', () => {
    assert.strictEqual(run(['lint', '-r', 'shop/billing'], root).code, 0);
    const none = run(['lint', '-r', 'docs'], root);
    assert.strictEqual(none.code, 2);
    assert.match(none.err, /no compose project found under docs/);
    assert.strictEqual(run(['lint', 'no-such-dir'], root).code, 2);
  });
});

describe('compose-net lint --fix', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-net-fix-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('applies the preferred fixes to the files, reports what is left, and a second run changes nothing', () => {
    write(dir, {
      'compose.yaml': 'services:\n  web:\n    image: web\n    networks: [frontend]\n    network_mode: host\n    ports: ["80:80"]\nnetworks:\n  front-end: {}\n',
    });
    const first = run(['lint', '--fix'], dir);
    assert.match(first.err, /applied \d+ fix\(es\) to 1 file\(s\)/);
    const fixed = fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8');
    assert.match(fixed, /networks: \[front-end\]/, 'the misspelt network renamed to the declared one');
    const second = run(['lint', '--fix'], dir);
    assert.match(second.err, /applied 0 fix\(es\) to 0 file\(s\)/);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), fixed, 'idempotent');
    assert.strictEqual(second.out, run(['lint'], dir).out, 'what is left is what lint reports');
  });

  it('writes the exact text expected: a declared network, the sequence kept in its style', () => {
    write(dir, { 'compose.yaml': 'services:\n  web:\n    image: web\n    networks:\n      - backend\n' });
    assert.strictEqual(run(['lint', '--fix'], dir).code, 0);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), 'services:\n  web:\n    image: web\n    networks:\n      - backend\n\nnetworks:\n  backend: {}\n');
  });

  it('on every corpus project: the fixed files parse as Compose, no fix is left to apply, and fixing again changes nothing', function () {
    needCorpus(this);
    const mono = path.join(dir, 'corpus');
    for (const name of fs.readdirSync(CORPUS).filter((f) => /\.ya?ml$/.test(f))) write(mono, { [path.join(name.replace(/\.ya?ml$/, ''), 'compose.yaml')]: fs.readFileSync(path.join(CORPUS, name), 'utf8') });
    const before = snapshot(mono);
    const r = run(['lint', '-r', '--fix', '--format', 'json'], mono);
    assert.ok(r.code === 0 || r.code === 1, r.err);
    const after = snapshot(mono);
    const changed = Object.keys(after).filter((f) => after[f] !== before[f]);
    assert.ok(changed.length >= 5, `some corpus files have fixes: ${changed.join(', ')}`);
    for (const rel of Object.keys(after)) {
      const projectDir = path.join(mono, path.dirname(rel));
      const was = analyze({ dir: projectDir, files: [path.join(mono, rel)], env: {} }, { readFile: () => before[rel] });
      const now = analyze({ dir: projectDir, files: [path.join(mono, rel)], env: {} }, disk);
      assert.deepStrictEqual(now.findings.filter((f) => f.rule === 'yaml-syntax'), [], `${rel} still parses`);
      assert.deepStrictEqual([...now.project.services.keys()], [...was.project.services.keys()], `${rel}: same services`);
      assert.deepStrictEqual(chooseFixes(now).map((c) => `${c.rule}: ${c.fix.title}`), [], `${rel}: every preferred fix applied`);
      const fixedRules = new Set(was.findings.filter((f) => f.fixes.some((x) => x.preferred)).map((f) => f.rule));
      // Lints clean of every fixed rule, except findings that never had a preferred fix.
      for (const f of now.findings) assert.ok(!fixedRules.has(f.rule) || !f.fixes.some((x) => x.preferred), `${rel}: ${f.rule} left`);
    }
    run(['lint', '-r', '--fix'], mono);
    assert.deepStrictEqual(snapshot(mono), after, 'idempotent over the corpus');
  });

  it('never writes a result that no longer parses (the files stay as they were)', () => {
    const file = path.join(dir, 'compose.yaml');
    write(dir, { 'compose.yaml': BROKEN });
    const writes: string[] = [];
    // An analyzer whose fixes break the YAML: fixProject must refuse to write them.
    const breaking: typeof analyze = (...args) => {
      const a = analyze(...args);
      for (const f of a.findings) for (const x of f.fixes) x.edits = x.edits.map((e) => ({ ...e, newText: ': [\n' }));
      return a;
    };
    const r = fixProject({ dir, files: [file], env: {} }, disk, undefined, { write: (f) => writes.push(f), analyze: breaking });
    assert.match(r.refused ?? '', /would not parse; nothing was written/);
    assert.deepStrictEqual(writes, []);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), BROKEN);
    assert.deepStrictEqual(r.analysis.findings.map((f) => f.rule), ['undefined-network', 'unused-network']);
  });
});
