// Differential test: `compose-net config` against docker-compose 1.29's own `config` (Debian's docker-compose,
// installed by scripts/provision.sh) on the shared corpus. For every file 1.29 accepts, each service's networks,
// aliases and static addresses (and network_mode) must be the same. Differences that come from Compose v1 vs v2
// (our reference is v2) are listed in V1_V2 with the reason. 1.29 runs once per file in before(), under a deadline:
// its `config` entry point is called for each file inside one Python interpreter (the imports cost about a second;
// each file then takes milliseconds), or, when docker-compose is not a Python script, as one process per file.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { toComposeConfig, type ConfigServiceNetwork } from '../../../src/compose/config';
import { loadProject } from '../../../src/compose/project';

import { CORPUS, needCorpus } from '../../support/corpus';

const DEADLINE_MS = 240_000;
const REQUIRED = process.env.REQUIRE_ENGINE === '1' || !!process.env.CI;

/** Known Compose v1 (1.29) vs v2 differences, by what they affect; each is applied where it shows, nowhere else. */
const V1_V2 = {
  legacyV1: 'the version 1 format (services at the top level, no `services:` key) is read by 1.29; Compose v2 no longer supports it, and we load no services from it',
  implicitDefault: 'v1 `config` omits `networks` for a service on the implicit default network; v2 normalizes it to {default: null} (compose-go normalize.go)',
};

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const DRIVER = `
import contextlib, io, json, sys
from compose.cli.main import main
results = {}
for path in sys.argv[1:]:
    out, err = io.StringIO(), io.StringIO()
    sys.argv = ['docker-compose'] + [a for f in path.split('|') for a in ('-f', f)] + ['config']
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except Exception as e:
            code = 99
            err.write(repr(e))
    results[path] = {'code': code, 'stdout': out.getvalue(), 'stderr': err.getvalue()}
json.dump(results, sys.__stdout__)
`;

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A clean environment: the same (empty) variables for 1.29 and for us. */
const CLEAN_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/nonexistent' };

function run(cmd: string, args: string[], deadline: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: CORPUS, env: CLEAN_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} did not finish before the deadline`));
    }, Math.max(1, deadline - Date.now()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/** Merge cases (override list form, alias union, multi-level extends across folders), written to a temporary folder. */
const MERGES: Record<string, Record<string, string>> = {
  'override-list-form': {
    'docker-compose.yml': 'services:\n  web:\n    image: web\n    networks:\n      front: {aliases: [a1, a2], ipv4_address: 10.5.0.5}\n      back:\nnetworks:\n  front: {ipam: {config: [{subnet: 10.5.0.0/24}]}}\n  back: {}\n',
    'docker-compose.override.yml': 'services:\n  web:\n    networks: [front, back]\n',
  },
  'alias-union': {
    'docker-compose.yml': 'services:\n  web:\n    image: web\n    networks:\n      front: {aliases: [a1, a2], ipv4_address: 10.5.0.5}\nnetworks:\n  front: {ipam: {config: [{subnet: 10.5.0.0/24}]}}\n',
    'docker-compose.override.yml': 'services:\n  web:\n    networks:\n      front: {aliases: [a3, a1], ipv4_address: 10.5.0.6}\n',
  },
  'extends-across-folders': {
    'docker-compose.yml': 'services:\n  api:\n    extends: {file: sub/base.yml, service: mid}\n    networks:\n      front: {aliases: [api2]}\nnetworks: {front: {}, mid: {}, deep: {}}\n',
    'sub/base.yml': 'services:\n  mid:\n    extends: {file: deeper/root.yml, service: root}\n    networks:\n      mid: {aliases: [m]}\n',
    'sub/deeper/root.yml': 'services:\n  root:\n    image: root\n    networks:\n      deep: {ipv4_address: 10.1.0.9}\n      front: {aliases: [r]}\n',
  },
};

function writeMerges(root: string): Map<string, string[]> {
  const cases = new Map<string, string[]>();
  for (const [name, files] of Object.entries(MERGES)) {
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, name, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, name, rel), text);
    }
    const main = ['docker-compose.yml', 'docker-compose.override.yml'].filter((f) => f in files).map((f) => path.join(root, name, f));
    cases.set(name, main);
  }
  return cases;
}

async function compose129(files: string[], deadline: number, merges: Map<string, string[]> = new Map()): Promise<Map<string, Result>> {
  const bin = onPath('docker-compose')!;
  const shebang = /^#!\s*(\S*python[\d.]*)/.exec(fs.readFileSync(bin, 'utf8').slice(0, 200))?.[1];
  const out = new Map<string, Result>();
  if (shebang) {
    const r = await run(shebang, ['-c', DRIVER, ...files.map((f) => path.join(CORPUS, f)), ...[...merges.values()].map((m) => m.join('|'))], deadline);
    if (r.code !== 0) throw new Error(`docker-compose 1.29 driver failed: ${r.stderr.slice(-500)}`);
    const parsed = JSON.parse(r.stdout) as Record<string, Result>;
    for (const f of files) out.set(f, parsed[path.join(CORPUS, f)]);
    for (const [name, m] of merges) out.set(name, parsed[m.join('|')]);
  } else {
    for (const f of files) out.set(f, await run(bin, ['-f', path.join(CORPUS, f), 'config'], deadline));
    for (const [name, m] of merges) out.set(name, await run(bin, [...m.flatMap((f) => ['-f', f]), 'config'], deadline));
  }
  return out;
}

type Nets = Record<string, ConfigServiceNetwork | null>;

/** What we compare of one service: network names, sorted aliases, addresses; or the network_mode. */
function shape(svc: { networks?: Nets | string[]; network_mode?: string }, implicitDefault: boolean): string {
  if (svc.network_mode) return `network_mode=${svc.network_mode}`;
  let nets: Nets = Array.isArray(svc.networks) ? Object.fromEntries(svc.networks.map((n) => [n, null])) : (svc.networks ?? {});
  if (!Object.keys(nets).length && implicitDefault) nets = { default: null };
  return Object.keys(nets)
    .sort()
    .map((n) => {
      const e = nets[n] ?? {};
      const parts = [n];
      if (e.aliases?.length) parts.push(`aliases=${[...new Set(e.aliases.map(String))].sort().join(',')}`);
      if (e.ipv4_address) parts.push(`ipv4=${e.ipv4_address}`);
      if (e.ipv6_address) parts.push(`ipv6=${e.ipv6_address}`);
      return parts.join(' ');
    })
    .join(' | ');
}

describe('compose-net config vs docker-compose 1.29 config (shared corpus)', function () {
  this.timeout(DEADLINE_MS + 30_000);
  const files = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
  let results = new Map<string, Result>();
  const applied = new Set<string>();
  const mergeRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-net-diff-'));
  const merges = writeMerges(mergeRoot);
  after(() => fs.rmSync(mergeRoot, { recursive: true, force: true }));

  before(async function () {
    needCorpus(this);
    if (!onPath('docker-compose')) {
      if (REQUIRED) throw new Error('docker-compose (1.29) is not on PATH: scripts/provision.sh installs Debian\'s docker-compose package');
      this.skip();
    }
    results = await compose129(files, Date.now() + DEADLINE_MS, merges);
  });

  it('has the corpus and 1.29 accepts most of it', () => {
    assert.ok(files.length >= 50, `corpus files: ${files.length}`);
    const accepted = [...results.values()].filter((r) => r.code === 0).length;
    assert.ok(accepted >= 30, `1.29 accepted ${accepted} files`);
  });

  it('resolves the same networks, aliases and addresses for every service of every file 1.29 accepts', () => {
    const mismatches: string[] = [];
    for (const f of files) {
      const r = results.get(f)!;
      if (r.code !== 0) continue;
      const theirs = (parse(r.stdout) ?? {}) as { services?: Record<string, { networks?: Nets | string[]; network_mode?: string }> };
      const loaded = loadProject({ dir: CORPUS, files: [path.join(CORPUS, f)], env: {} }, { readFile: (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) });
      const ours = toComposeConfig(loaded.project).services;
      const legacyV1 = !Object.prototype.hasOwnProperty.call(parse(fs.readFileSync(path.join(CORPUS, f), 'utf8')) ?? {}, 'services');
      for (const [name, svc] of Object.entries(theirs.services ?? {})) {
        if (!ours[name]) {
          if (legacyV1) {
            applied.add('legacyV1');
            continue;
          }
          mismatches.push(`${f}: service ${name} missing`);
          continue;
        }
        const expected = shape(svc, true);
        if (!svc.networks && !svc.network_mode) applied.add('implicitDefault');
        const actual = shape(ours[name], false);
        if (expected !== actual) mismatches.push(`${f}: ${name}\n    1.29: ${expected}\n    ours: ${actual}`);
      }
      for (const name of Object.keys(ours)) if (!theirs.services?.[name]) mismatches.push(`${f}: service ${name} is ours only`);
    }
    assert.deepStrictEqual(mismatches, []);
  });

  it('merges like 1.29: override in list form, alias union, multi-level extends across folders', () => {
    const mismatches: string[] = [];
    for (const [name, mainFiles] of merges) {
      const r = results.get(name)!;
      assert.strictEqual(r.code, 0, `${name}: 1.29 accepts it (${r.stderr.slice(-300)})`);
      const theirs = parse(r.stdout) as { services: Record<string, { networks?: Nets }> };
      const loaded = loadProject({ dir: path.dirname(mainFiles[0]), files: mainFiles, env: {} }, { readFile: (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) });
      assert.deepStrictEqual(loaded.findings, [], name);
      const ours = toComposeConfig(loaded.project).services;
      for (const [svc, def] of Object.entries(theirs.services)) {
        const expected = shape(def, true);
        const actual = shape(ours[svc] ?? {}, false);
        if (expected !== actual) mismatches.push(`${name}: ${svc}\n    1.29: ${expected}\n    ours: ${actual}`);
      }
    }
    assert.deepStrictEqual(mismatches, []);
  });

  it('every listed v1/v2 difference still shows somewhere (no stale excuses)', () => {
    assert.deepStrictEqual(Object.keys(V1_V2).filter((k) => !applied.has(k)), []);
  });
});
