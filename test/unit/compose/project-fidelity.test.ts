// The loader must resolve a project exactly as Compose does. Each test names the behaviour it pins and where it
// was confirmed: "1.29" = docker-compose 1.29.2 `config` run on this machine (Debian package), "compose-go" = the
// Compose v2 loader's source (compose-spec/compose-go, read with the code search tools).
import * as assert from 'assert';
import * as path from 'path';
import { analyze } from '../../../src/compose/analyze';
import type { ComposeProject } from '../../../src/compose/model';
import { defaultProjectFiles, FileReadError, loadProject, type LoadOptions } from '../../../src/compose/project';
import { DIR, yaml } from './helpers';

/** In-memory files under /project; a value of `null` is a file the host refuses (FileReadError). */
function memHost(files: Record<string, string | null>) {
  const reads: string[] = [];
  return {
    reads,
    readFile(p: string): string | undefined {
      reads.push(p);
      const rel = path.relative(DIR, p);
      if (!(rel in files)) return undefined;
      const text = files[rel];
      if (text === null) throw new FileReadError('not a regular file (FIFO)');
      return text;
    },
  };
}

function load(files: Record<string, string | null>, options: Partial<LoadOptions> = {}) {
  return loadProject({ dir: DIR, env: {}, ...options }, memHost(files));
}

/** service -> network -> {aliases, ipv4, ipv6, priority} as plain data. */
function nets(project: ComposeProject, service: string) {
  const svc = project.services.get(service);
  assert.ok(svc, `service ${service} exists`);
  if (!svc.networks) return undefined;
  return Object.fromEntries(
    [...svc.networks].map(([n, e]) => [
      n,
      {
        aliases: e.aliases.map((a) => a.value),
        ...(e.ipv4 ? { ipv4: e.ipv4.value } : {}),
        ...(e.ipv6 ? { ipv6: e.ipv6.value } : {}),
        ...(e.priority ? { priority: e.priority.value } : {}),
      },
    ]),
  );
}

const rules = (findings: Array<{ rule: string }>) => findings.map((f) => f.rule);

describe('merging a service network entry (compose-go override/merge.go mergeNetworks; 1.29 agrees)', () => {
  const base = yaml`
    services:
      web:
        image: web
        networks:
          front:
            aliases: [a1, a2]
            ipv4_address: 10.5.0.5
            priority: 100
          back:
    networks:
      front: {ipam: {config: [{subnet: 10.5.0.0/24}]}}
      back: {}
    `;

  it('an override listing the network in list form keeps the base address and aliases', () => {
    // 1.29: `-f base -f override` with `networks: [front, back]` prints front with aliases a1,a2 and 10.5.0.5.
    const r = load({ 'compose.yaml': base, 'compose.override.yaml': 'services:\n  web:\n    networks: [front, back]\n' });
    assert.deepStrictEqual(nets(r.project, 'web'), { front: { aliases: ['a1', 'a2'], ipv4: '10.5.0.5', priority: '100' }, back: { aliases: [] } });
  });

  it('aliases are unioned, addresses kept unless the later file sets them', () => {
    // 1.29 prints aliases a1, a2, a3 for an override with aliases [a3, a1]; compose-go appends then dedups (uncity).
    const r = load({ 'compose.yaml': base, 'compose.override.yaml': 'services:\n  web:\n    networks:\n      front: {aliases: [a3, a1]}\n      back: {ipv4_address: 10.6.0.2}\n' });
    assert.deepStrictEqual(nets(r.project, 'web'), { front: { aliases: ['a1', 'a2', 'a3'], ipv4: '10.5.0.5', priority: '100' }, back: { aliases: [], ipv4: '10.6.0.2' } });
    const moved = load({ 'compose.yaml': base, 'compose.override.yaml': 'services:\n  web:\n    networks:\n      front: {ipv4_address: 10.5.0.9}\n' });
    assert.strictEqual(nets(moved.project, 'web')!.front.ipv4, '10.5.0.9');
  });

  it('multi-level extends across folders merges entries at every level', () => {
    // 1.29: api extends sub/base.yml:mid which extends sub/deeper/root.yml:root (paths relative to each file).
    const r = load({
      'compose.yaml': yaml`
        services:
          api:
            extends: {file: sub/base.yml, service: mid}
            networks:
              front: {aliases: [api2]}
        networks: {front: {}, mid: {}, deep: {}}
        `,
      'sub/base.yml': 'services:\n  mid:\n    extends: {file: deeper/root.yml, service: root}\n    networks:\n      mid: {aliases: [m]}\n',
      'sub/deeper/root.yml': 'services:\n  root:\n    image: root\n    networks:\n      deep: {ipv4_address: 10.1.0.9}\n      front: {aliases: [r]}\n',
    });
    assert.deepStrictEqual(rules(r.findings), []);
    assert.deepStrictEqual(nets(r.project, 'api'), { deep: { aliases: [], ipv4: '10.1.0.9' }, front: { aliases: ['r', 'api2'] }, mid: { aliases: ['m'] } });
  });
});

describe('`!reset` and `!override` (compose-go loader/reset.go)', () => {
  const base = 'services:\n  web:\n    image: web\n    ports: ["80:80"]\n    networks:\n      front: {aliases: [a]}\n      back: {}\nnetworks: {front: {}, back: {}}\n';

  it('`!reset` removes what earlier files set; `!override` replaces instead of merging', () => {
    const reset = load({ 'compose.yaml': base, 'compose.override.yaml': 'services:\n  web:\n    ports: !reset []\n    networks:\n      back: !reset {}\n' });
    assert.deepStrictEqual(reset.project.services.get('web')!.ports, []);
    assert.deepStrictEqual(nets(reset.project, 'web'), { front: { aliases: ['a'] } });
    const override = load({ 'compose.yaml': base, 'compose.override.yaml': 'services:\n  web:\n    networks: !override\n      front: {aliases: [b]}\n' });
    assert.deepStrictEqual(nets(override.project, 'web'), { front: { aliases: ['b'] } });
    const entry = load({ 'compose.yaml': base, 'compose.override.yaml': 'services:\n  web:\n    networks:\n      front: !override {aliases: [b]}\n' });
    assert.deepStrictEqual(nets(entry.project, 'web'), { front: { aliases: ['b'] }, back: { aliases: [] } });
  });

  it('a whole service or network can be reset', () => {
    const r = load({ 'compose.yaml': base + 'services2: {}\n', 'compose.override.yaml': 'services:\n  web: !reset {}\n' });
    assert.deepStrictEqual([...r.project.services.keys()], []);
    const n = load({ 'compose.yaml': base, 'compose.override.yaml': 'networks:\n  back: !reset {}\n' });
    assert.deepStrictEqual([...n.project.networks.keys()], ['front']);
  });
});

describe('`networks:` values (compose-go normalize.go sets `default` when a service has no networks)', () => {
  it('`networks: {}` means the default network, like no `networks:` at all', () => {
    const r = load({ 'compose.yaml': 'services:\n  a: {image: a, networks: {}}\n  b: {image: b}\n' });
    assert.strictEqual(r.project.services.get('a')!.networks, undefined);
    assert.deepStrictEqual(rules(analyze({ dir: DIR, env: {} }, memHost({ 'compose.yaml': 'services:\n  a: {image: a, networks: {}}\n  b: {image: b}\n' })).findings), []);
  });

  it('`networks:` with no value is an error Compose reports', () => {
    const r = load({ 'compose.yaml': 'services:\n  a:\n    image: a\n    networks:\n' });
    assert.deepStrictEqual(rules(r.findings), ['compose-load-error']);
    assert.match(r.findings[0].message, /networks/);
  });
});

describe('the environment (compose-go cli options: WithDotEnv, WithEnvFiles, WithConfigFileEnv)', () => {
  it('reads .env from the project directory: the first -f file\'s folder, not the working directory', () => {
    const files = {
      '.env': 'SUBNET=10.1.0.0/24\n',
      'deploy/.env': 'SUBNET=10.2.0.0/24\n',
      'deploy/compose.yaml': 'services: {a: {image: a, networks: [n]}}\nnetworks:\n  n: {ipam: {config: [{subnet: "${SUBNET}"}]}}\n',
    };
    const r = load(files, { files: ['deploy/compose.yaml'] });
    assert.strictEqual(r.project.networks.get('n')!.ipam[0].subnet!.value, '10.2.0.0/24');
    const pd = load(files, { files: ['deploy/compose.yaml'], projectDirectory: '.' });
    assert.strictEqual(pd.project.networks.get('n')!.ipam[0].subnet!.value, '10.1.0.0/24', '--project-directory moves .env');
    const ef = load({ ...files, 'ci.env': 'SUBNET=10.3.0.0/24\n' }, { files: ['deploy/compose.yaml'], envFiles: ['ci.env'] });
    assert.strictEqual(ef.project.networks.get('n')!.ipam[0].subnet!.value, '10.3.0.0/24', '--env-file replaces .env');
    const osEnv = load(files, { files: ['deploy/compose.yaml'], env: { SUBNET: '10.4.0.0/24' } });
    assert.strictEqual(osEnv.project.networks.get('n')!.ipam[0].subnet!.value, '10.4.0.0/24', 'the process environment wins');
    assert.deepStrictEqual(rules(load(files, { envFiles: ['missing.env'], files: ['deploy/compose.yaml'] }).findings), ['file-not-found']);
  });

  it('COMPOSE_FILE (with COMPOSE_PATH_SEPARATOR) and COMPOSE_PROJECT_NAME from .env or the environment', () => {
    const files = {
      '.env': 'COMPOSE_FILE=base.yml;extra.yml\nCOMPOSE_PATH_SEPARATOR=;\nCOMPOSE_PROJECT_NAME=Shop\n',
      'base.yml': 'name: ignored\nservices: {a: {image: a}}\n',
      'extra.yml': 'services: {b: {image: b}}\n',
      'compose.yaml': 'services: {not_used: {image: x}}\n',
    };
    const r = load(files);
    assert.deepStrictEqual([...r.project.services.keys()], ['a', 'b']);
    // Project name precedence (docs "Specify a project name"): -p, COMPOSE_PROJECT_NAME, top-level name:, folder.
    assert.strictEqual(r.project.name, 'shop');
    assert.strictEqual(load(files, { env: { COMPOSE_PROJECT_NAME: 'ci' } }).project.name, 'ci');
    assert.strictEqual(load({ 'compose.yaml': 'name: App\nservices: {}\n' }).project.name, 'app');
  });

  it('the editor finds the same files for a folder: COMPOSE_FILE from .env or the environment, else discovery', () => {
    const files = { '.env': 'COMPOSE_FILE=base.yml;extra.yml\nCOMPOSE_PATH_SEPARATOR=;\n', 'base.yml': '', 'extra.yml': '', 'compose.yaml': '' };
    const rel = (list: string[]) => list.map((f) => path.relative(DIR, f));
    assert.deepStrictEqual(rel(defaultProjectFiles(DIR, memHost(files), {})), ['base.yml', 'extra.yml']);
    // The process environment wins over .env, as for `docker compose`.
    assert.deepStrictEqual(rel(defaultProjectFiles(DIR, memHost(files), { COMPOSE_FILE: 'extra.yml' })), ['extra.yml']);
    assert.deepStrictEqual(rel(defaultProjectFiles(DIR, memHost({ 'compose.yaml': '', 'compose.override.yaml': '' }), {})), ['compose.yaml', 'compose.override.yaml']);
    // A .env the host refuses (a FIFO) is read as absent here; loading the project reports it.
    assert.deepStrictEqual(rel(defaultProjectFiles(DIR, memHost({ '.env': null, 'compose.yaml': '' }), {})), ['compose.yaml']);
  });
});

describe('include (compose-go loader/include.go)', () => {
  it('reads the included project with its own folder\'s .env; the including project\'s variables win', () => {
    const r = load({
      '.env': 'SHARED=from-parent\n',
      'compose.yaml': 'include:\n  - db/compose.yaml\nservices:\n  api: {image: api, networks: [data]}\n',
      'db/.env': 'DB_NET=data\nSHARED=from-db\n',
      'db/compose.yaml': 'services:\n  db: {image: pg, hostname: "${SHARED}", networks: ["${DB_NET}"]}\nnetworks:\n  data: {}\n',
    });
    assert.deepStrictEqual(rules(r.findings), []);
    assert.deepStrictEqual(Object.keys(nets(r.project, 'db')!), ['data']);
    assert.strictEqual(r.project.services.get('db')!.hostname!.value, 'from-parent');
  });

  it('honours env_file and project_directory of the include entry', () => {
    const r = load({
      'compose.yaml': 'include:\n  - path: parts/db.yaml\n    project_directory: settings\n    env_file: settings/db.env\nservices: {}\n',
      'settings/db.env': 'DB_NET=store\n',
      'parts/db.yaml': 'services:\n  db: {image: pg, networks: ["${DB_NET}"]}\nnetworks:\n  store: {}\n',
    });
    assert.deepStrictEqual(rules(r.findings), []);
    assert.deepStrictEqual(Object.keys(nets(r.project, 'db')!), ['store']);
  });

  it('reports a service defined both by the file and by what it includes (importResources conflict)', () => {
    const r = load({ 'compose.yaml': 'include: [b.yaml]\nservices:\n  a: {image: mine}\n', 'b.yaml': 'services:\n  a: {image: theirs}\n' });
    assert.deepStrictEqual(rules(r.findings), ['compose-load-error']);
  });
});

describe('profiles (compose-go types/project.go WithProfiles; 1.29 `config` lists every service, v2 only active ones)', () => {
  const files = { 'compose.yaml': 'services:\n  app: {image: a}\n  debug: {image: d, profiles: [debug], networks: [tools]}\n  all: {image: x, profiles: [x, y]}\nnetworks:\n  tools: {}\n' };

  it('services with profiles are inactive unless a profile is active', () => {
    assert.deepStrictEqual([...load(files).project.services.keys()], ['app']);
    assert.deepStrictEqual([...load(files).project.inactiveServices!.keys()], ['debug', 'all']);
    assert.deepStrictEqual([...load(files, { profiles: ['debug'] }).project.services.keys()], ['app', 'debug']);
    assert.deepStrictEqual([...load(files, { env: { COMPOSE_PROFILES: 'y,debug' } }).project.services.keys()], ['app', 'debug', 'all']);
    assert.deepStrictEqual([...load(files, { profiles: ['*'] }).project.services.keys()], ['app', 'debug', 'all']);
    assert.deepStrictEqual([...load({ ...files, '.env': 'COMPOSE_PROFILES=x\n' }).project.services.keys()], ['app', 'all']);
  });

  it('rules analyze the active set, and a finding that depends on a profile says so', () => {
    const text = 'services:\n  app: {image: a}\n  debug: {image: d, profiles: [debug], networks: [ghost]}\n';
    const off = analyze({ dir: DIR, env: {} }, memHost({ 'compose.yaml': text }));
    assert.deepStrictEqual(rules(off.findings), [], 'Compose ignores services of inactive profiles');
    const on = analyze({ dir: DIR, env: {}, profiles: ['debug'] }, memHost({ 'compose.yaml': text }));
    assert.ok(on.findings.some((f) => f.message === 'service "debug" refers to undefined network "ghost" (only with profile "debug")'), on.findings.map((f) => f.message).join('\n'));
    // Every finding here exists only because "debug" is active (also those on "app" that name "debug").
    assert.deepStrictEqual(on.findings.filter((f) => !f.message.endsWith('(only with profile "debug")')).map((f) => f.message), []);
  });
});

describe('host references from env_file and from `environment: [VAR]`', () => {
  it('reads env_file variables and environment entries whose value comes from the environment or .env', () => {
    const r = load({
      '.env': 'CACHE_URL=redis://cache:6379\n',
      'compose.yaml': 'services:\n  app:\n    image: a\n    env_file: [app.env]\n    environment:\n      - CACHE_URL\n      - DB_HOST\n      - UNSET_ONE\n',
      'app.env': 'DB_HOST=overridden\nQUEUE=amqp://mq:5672\n',
    }, { env: { DB_HOST: 'db' } });
    const refs = r.project.services.get('app')!.hostReferences.map((h) => `${h.key}=${h.value.value}`).sort();
    // `environment` wins over env_file for the same key (compose-go resolve_environment: env_file first, then environment).
    assert.deepStrictEqual(refs, ['CACHE_URL=redis://cache:6379', 'DB_HOST=db', 'QUEUE=amqp://mq:5672']);
  });

  it('a missing required env_file is reported at the reference', () => {
    const r = load({ 'compose.yaml': 'services:\n  app:\n    image: a\n    env_file: [nope.env, {path: opt.env, required: false}]\n' });
    assert.deepStrictEqual(rules(r.findings), ['file-not-found']);
    const text = 'services:\n  app:\n    image: a\n    env_file: [nope.env, {path: opt.env, required: false}]\n';
    assert.strictEqual(text.slice(r.findings[0].span.start, r.findings[0].span.end), 'nope.env');
  });
});

describe('files the host refuses (FileReadError)', () => {
  it('become a finding at the reference that names them: include, extends, env_file', () => {
    const text = 'include: [pipe.yaml]\nservices:\n  a:\n    extends: {file: dev.yaml, service: x}\n    env_file: [fifo.env]\n';
    const r = load({ 'compose.yaml': text, 'pipe.yaml': null, 'dev.yaml': null, 'fifo.env': null });
    const at = r.findings.map((f) => `${f.rule} ${text.slice(f.span.start, f.span.end)}`).sort();
    assert.deepStrictEqual(at, ['file-unreadable dev.yaml', 'file-unreadable fifo.env', 'file-unreadable pipe.yaml']);
    assert.match(r.findings[0].message, /FIFO/);
  });

  it('a refused -f file is reported on itself; the rest of the project still loads', () => {
    const r = load({ 'a.yaml': 'services: {a: {image: a}}\n', 'b.yaml': null }, { files: ['a.yaml', 'b.yaml'] });
    assert.deepStrictEqual(rules(r.findings), ['file-unreadable']);
    assert.strictEqual(r.findings[0].span.file, path.join(DIR, 'b.yaml'));
    assert.deepStrictEqual([...r.project.services.keys()], ['a']);
  });
});
