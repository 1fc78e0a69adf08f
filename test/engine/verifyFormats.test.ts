// compose-net verify's CI formats on the real engine (issue 13): JUnit with one test case per ordered pair, SARIF
// results located in the compose file (the source declaration for a pair it connects nowhere). The bundled CLI (dist/cli.js, what the package ships)
// runs against a small labelled project this test starts, with mismatches made by hand.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TEST_IMAGE, TEST_LABEL, TEST_RUN, cleanupTestObjects, rawDocker } from '../support/engine';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
}

describe('verify --format junit|sarif (real engine, bundled CLI)', function () {
  this.timeout(300_000);
  const project = `dnvf${process.pid}${Math.random().toString(36).slice(2, 6)}`;
  // The folder's name is the project's, as Compose names it.
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dnvf-')), project);
  const compose = (...args: string[]) => spawnSync('docker-compose', ['-p', project, ...args], { cwd: dir, encoding: 'utf8', timeout: 240_000 });
  const labels = `{ ${TEST_LABEL}: "${TEST_RUN}" }`;
  const FILE = `services:
  web:
    image: ${TEST_IMAGE}
    command: ["httpd", "-f", "-p", "80", "-h", "/tmp"]
    labels: ${labels}
    networks: [front]
  app:
    image: ${TEST_IMAGE}
    command: ["httpd", "-f", "-p", "3000", "-h", "/tmp"]
    labels: ${labels}
    networks:
      front: {}
      back: {}
  db:
    image: ${TEST_IMAGE}
    command: ["httpd", "-f", "-p", "5432", "-h", "/tmp"]
    labels: ${labels}
    networks: [back]
networks:
  front: { labels: ${labels} }
  back: { internal: true, labels: ${labels} }
`;
  /** The 1-based line of the file whose text (trimmed) is `text`. */
  const lineOf = (text: string) => FILE.split('\n').findIndex((l) => l.trim() === text) + 1;
  const verify = (format: string) => {
    const r = spawnSync(process.execPath, [CLI, 'verify', '--probe-timeout', '30', '--format', format], { cwd: dir, encoding: 'utf8', timeout: 240_000, env: { ...process.env, DOCKER_NET_PROBE_IMAGE: TEST_IMAGE } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const containerOf = (service: string) => `${project}_${service}_1`;
  const network = (key: string) => rawDocker().getNetwork(`${project}_${key}`);

  before(function () {
    if (spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status !== 0) {
      console.log('      !!! SKIPPED: needs docker-compose (scripts/provision.sh installs it)');
      this.skip();
    }
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is built (node esbuild.js)');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'compose.yaml'), FILE);
    const up = compose('up', '-d');
    assert.strictEqual(up.status, 0, `docker-compose up: ${up.stderr}`);
  });

  after(async () => {
    compose('down', '--remove-orphans', '--timeout', '1');
    await cleanupTestObjects();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('JUnit: one test case per ordered pair, failures for the pairs a hand-made attachment opened; SARIF at the source declaration there', async () => {
    // db connected to front by hand (no alias): web and db reach each other by address (the file connects them
    // nowhere), and app reaches db on front too (the file connects them on back only).
    await network('front').connect({ Container: containerOf('db') });
    try {
      const junit = verify('junit');
      assert.strictEqual(junit.code, 1, junit.stderr);
      const cases = [...junit.stdout.matchAll(/<testcase classname="([^"]*)" name="([^"]*)">(.*?)<\/testcase>/g)];
      assert.deepStrictEqual(cases.map((c) => c[2].replace(/&gt;/g, '>')).sort(), ['app -> db', 'app -> web', 'db -> app', 'db -> web', 'web -> app', 'web -> db']);
      assert.ok(cases.every((c) => c[1] === `verify.${project}`));
      assert.deepStrictEqual(cases.filter((c) => c[3].includes('<failure')).map((c) => c[2].replace(/&gt;/g, '>')).sort(), ['app -> db', 'db -> app', 'db -> web', 'web -> db']);
      assert.ok(cases.every((c) => !c[3].includes('<error')), junit.stdout);
      assert.match(junit.stdout, /<testsuite name="[^"]*" tests="6" failures="4" errors="0">/);
      assert.match(cases.find((c) => c[2] === 'web -&gt; db')![3], /<failure message="expected isolated, found reachable by [^"]*address/);

      const sarif = verify('sarif');
      assert.strictEqual(sarif.code, 1, sarif.stderr);
      const results = (JSON.parse(sarif.stdout) as { runs: Array<{ results: SarifResult[] }> }).runs[0].results;
      const at = (from: string, to: string) => results.find((r) => r.message.text.startsWith(`${from} -> ${to}:`));
      assert.deepStrictEqual(results.map((r) => r.ruleId), Array(4).fill('verify-mismatch'));
      // Nothing in the file connects them: the source's declaration is the line that decides the pair.
      for (const [from, to] of [['web', 'db'], ['db', 'web']]) {
        const loc = at(from, to)?.locations[0]?.physicalLocation;
        assert.ok(loc, `${from} -> ${to} has a location: ${JSON.stringify(at(from, to))}`);
        assert.strictEqual(loc.artifactLocation.uri, 'compose.yaml');
        assert.strictEqual(loc.region.startLine, lineOf(`${from}:`), `${from} -> ${to}`);
      }
    } finally {
      await network('front').disconnect({ Container: containerOf('db'), Force: true });
    }
  });
});
