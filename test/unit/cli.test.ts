// The CLI as CI pipelines run it: a separate process, its output formats and exit codes.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const CLI = path.resolve(__dirname, '../../src/cli/main.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('compose-net lint', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-net-'));
    fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: web\n    networks: [frontend]\nnetworks:\n  front-end: {}\n');
    fs.writeFileSync(path.join(dir, 'clean.yml'), 'services:\n  web: {image: web}\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('discovers the project and prints JSON with 1-based positions; exit 1 on errors', () => {
    const r = run(['lint', '--format', 'json'], dir);
    assert.strictEqual(r.code, 1, r.err);
    const findings = JSON.parse(r.out);
    assert.deepStrictEqual(findings[0], {
      file: 'compose.yaml', line: 4, column: 16, endLine: 4, endColumn: 24,
      rule: 'undefined-network', severity: 'error', message: 'service "web" refers to undefined network "frontend"',
    });
    assert.deepStrictEqual(findings.map((f: { rule: string }) => f.rule), ['undefined-network', 'unused-network']);
  });

  it('prints SARIF 2.1.0 with rules and regions', () => {
    const r = run(['lint', '--format=sarif', dir], os.tmpdir());
    const sarif = JSON.parse(r.out);
    assert.strictEqual(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    assert.strictEqual(run0.tool.driver.name, 'compose-net');
    const result = run0.results[0];
    assert.strictEqual(run0.tool.driver.rules[result.ruleIndex].id, result.ruleId);
    assert.strictEqual(result.level, 'error');
    assert.deepStrictEqual(result.locations[0].physicalLocation.region, { startLine: 4, startColumn: 16, endLine: 4, endColumn: 24 });
    assert.match(result.locations[0].physicalLocation.artifactLocation.uri, /compose\.yaml$/);
    assert.strictEqual(run0.results[1].level, 'note');
  });

  it('prints text for people: file:line:col, severity, message, rule id', () => {
    const r = run(['lint', '-f', 'compose.yaml'], dir);
    assert.match(r.out, /^compose\.yaml:4:16: error service "web" refers to undefined network "frontend" \[undefined-network\]$/m);
    assert.match(r.out, /2 finding\(s\): 1 error\(s\), 0 warning\(s\), 1 info, in 1 file\(s\)/);
  });

  it('exits 0 on a clean file and 2 on bad usage or no project', () => {
    assert.strictEqual(run(['lint', '-f', 'clean.yml'], dir).code, 0);
    const bad = run(['lint', '--format', 'xml'], dir);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.err, /unknown format "xml"/);
    const empty = run(['lint', os.tmpdir()], dir);
    assert.strictEqual(empty.code, 2);
    assert.match(empty.err, /no compose file found/);
  });
});

describe('compose-net diagram', () => {
  it('writes the tier diagram as SVG to stdout or to -o', () => {
    const sample = path.resolve(__dirname, '../../../sample');
    const r = run(['diagram', sample], os.tmpdir());
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.out, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(r.out, /data-network="data-tier" data-tier="3"/);
    const out = path.join(os.tmpdir(), `diagram-${process.pid}.svg`);
    assert.strictEqual(run(['diagram', '-o', out, sample], os.tmpdir()).code, 0);
    assert.strictEqual(fs.readFileSync(out, 'utf8'), r.out);
    fs.rmSync(out);
  });
});
