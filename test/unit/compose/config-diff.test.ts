// Differential test: `compose-net config` against docker-compose 1.29's own `config` (Debian's docker-compose,
// installed by scripts/provision.sh) on the shared corpus. For every file 1.29 accepts, each service's networks,
// aliases and static addresses (and network_mode) must be the same. Differences that come from Compose v1 vs v2
// (our reference is v2) are listed in V1_V2 with the reason. 1.29 runs once per file in before(), under a deadline:
// its `config` entry point is called for each file inside one Python interpreter (the imports cost about a second;
// each file then takes milliseconds), or, when docker-compose is not a Python script, as one process per file.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { toComposeConfig, type ConfigServiceNetwork } from '../../../src/compose/config';
import { loadProject } from '../../../src/compose/project';

/** The shared corpus, read in place next to the repository (../shared/corpus), never copied. */
const CORPUS = path.resolve(__dirname, '../../../../../shared/corpus');

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
    sys.argv = ['docker-compose', '-f', path, 'config']
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

async function compose129(files: string[], deadline: number): Promise<Map<string, Result>> {
  const bin = onPath('docker-compose')!;
  const shebang = /^#!\s*(\S*python[\d.]*)/.exec(fs.readFileSync(bin, 'utf8').slice(0, 200))?.[1];
  const out = new Map<string, Result>();
  if (shebang) {
    const r = await run(shebang, ['-c', DRIVER, ...files.map((f) => path.join(CORPUS, f))], deadline);
    if (r.code !== 0) throw new Error(`docker-compose 1.29 driver failed: ${r.stderr.slice(-500)}`);
    const parsed = JSON.parse(r.stdout) as Record<string, Result>;
    for (const f of files) out.set(f, parsed[path.join(CORPUS, f)]);
  } else {
    for (const f of files) out.set(f, await run(bin, ['-f', path.join(CORPUS, f), 'config'], deadline));
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

  before(async function () {
    if (!onPath('docker-compose')) {
      if (REQUIRED) throw new Error('docker-compose (1.29) is not on PATH: scripts/provision.sh installs Debian\'s docker-compose package');
      this.skip();
    }
    results = await compose129(files, Date.now() + DEADLINE_MS);
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

  it('every listed v1/v2 difference still shows somewhere (no stale excuses)', () => {
    assert.deepStrictEqual(Object.keys(V1_V2).filter((k) => !applied.has(k)), []);
  });
});
