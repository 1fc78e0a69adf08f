// Reading a project the way Compose does: discovery, overrides, -f order, extends, include, .env interpolation.
import * as assert from 'assert';
import * as path from 'path';
import { DIR, lint, yaml } from './helpers';

const at = (r: ReturnType<typeof lint>, rule: string) =>
  r.of(rule).map((f) => {
    const file = r.project.files.get(f.span.file)!;
    const p = file.lines.positionAt(f.span.start);
    return `${path.relative(DIR, f.span.file)}:${p.line + 1}:${p.character + 1} ${r.textOf(f)}`;
  });

describe('project loading', () => {
  it('finds compose.yaml and merges compose.override.yaml, reporting each finding in its own file', () => {
    const r = lint({
      'compose.yaml': yaml`
        services:
          web: {image: web, networks: [front]}
        networks:
          front: {}
        `,
      'compose.override.yaml': yaml`
        services:
          web:
            networks: [front, monitoring]
        `,
    });
    assert.deepStrictEqual([...r.project.files.keys()].map((f) => path.basename(f)), ['compose.yaml', 'compose.override.yaml']);
    assert.deepStrictEqual(at(r, 'undefined-network'), ['compose.override.yaml:3:23 monitoring']);
  });

  it('prefers compose.yaml over docker-compose.yml, like docker compose', () => {
    const r = lint({ 'docker-compose.yml': 'services: {a: {image: a, networks: [x]}}\n', 'compose.yaml': 'services: {b: {image: b}}\n' });
    assert.deepStrictEqual([...r.project.services.keys()], ['b']);
  });

  it('merges -f files in order: a network declared in the base satisfies the override', () => {
    const files = {
      'base.yml': 'services:\n  api: {image: api}\nnetworks:\n  back: {}\n',
      'prod.yml': 'services:\n  api:\n    networks: [back]\n',
    };
    const r = lint(files, { files: ['base.yml', 'prod.yml'] });
    assert.deepStrictEqual(r.findings.map((f) => f.rule), []);
    assert.deepStrictEqual([...r.project.services.get('api')!.networks!.keys()], ['back']);
    // Linted alone, the override is wrong: that is why projects are linted whole.
    assert.deepStrictEqual(lint(files, { files: ['prod.yml'] }).of('undefined-network').length, 1);
  });

  it('applies extends from the same file and from another file, keeping positions in the base file', () => {
    const r = lint({
      'compose.yaml': yaml`
        services:
          base:
            image: x
            networks: [back]
          api:
            extends: base
          worker:
            extends:
              file: common.yml
              service: job
        networks:
          back: {}
        `,
      'common.yml': yaml`
        services:
          job:
            image: job
            networks: [queue]
        `,
    });
    assert.deepStrictEqual([...r.project.services.get('api')!.networks!.keys()], ['back']);
    assert.deepStrictEqual(at(r, 'undefined-network'), ['common.yml:4:16 queue']);
  });

  it('includes other projects with include:', () => {
    const r = lint({
      'compose.yaml': 'include:\n  - db/compose.yaml\nservices:\n  api: {image: api, networks: [data]}\n',
      'db/compose.yaml': 'services:\n  db: {image: pg, networks: [data]}\nnetworks:\n  data: {}\n',
    });
    assert.deepStrictEqual([...r.project.services.keys()].sort(), ['api', 'db']);
    assert.deepStrictEqual(r.findings.map((f) => f.rule), []);
  });

  it('interpolates from .env (process environment first) and checks the substituted address', () => {
    const files = {
      '.env': 'IPV4_NETWORK=172.22.1\nSUBNET="172.22.1.0/24"\n',
      'compose.yaml': yaml`
        services:
          unbound:
            image: unbound
            networks:
              mail:
                ipv4_address: \${IPV4_NETWORK:-172.22.1}.254
              other:
                ipv4_address: \${UNSET_PREFIX}.9
        networks:
          mail:
            ipam: {config: [{subnet: "\${SUBNET}"}]}
          other:
            ipam: {config: [{subnet: 10.9.0.0/24}]}
        `,
    };
    assert.deepStrictEqual(lint(files).findings.map((f) => f.rule), [], 'unknown values stay silent');
    const moved = lint(files, { env: { IPV4_NETWORK: '172.23.1' } });
    assert.deepStrictEqual(moved.of('static-ip-outside-subnet').map((f) => f.message), ['172.23.1.254 is outside the subnet(s) of "mail" (172.22.1.0/24)']);
  });

  it('reports invalid YAML with its position and still analyzes what parsed', () => {
    const r = lint('services:\n  web:\n    image: web\n    networks: [ghost]\n  bad: [unclosed\n');
    const syntax = r.of('yaml-syntax');
    assert.ok(syntax.length >= 1);
    // The unclosed flow sequence starts on line 5; the parser notices at the end of the file.
    const line = r.project.files.get(syntax[0].span.file)!.lines.positionAt(syntax[0].span.start).line + 1;
    assert.ok(line === 5 || line === 6, `reported on line ${line}`);
    assert.match(syntax[0].message, /^YAML syntax error: /);
    assert.deepStrictEqual(r.of('undefined-network').map((f) => r.textOf(f)), ['ghost']);
  });

  it('reads Compose v1 files and version 2 `net:` without crashing or flooding', () => {
    // Compose v2's schema refuses a v1-format file (services at the top): one error on the first key, not one per key.
    const v1 = lint('web:\n  image: web\n  links: [db]\ndb:\n  image: db\n');
    assert.deepStrictEqual(v1.findings.map((f) => `${f.rule} ${f.message}`), [
      'compose-load-error "web" is not a top-level key of a Compose file (and 1 more): Compose v2 refuses compose.yaml (a v1-format file puts services at the top; v2 wants them under "services:")',
    ]);
    const v2 = lint('version: "2"\nservices:\n  a: {image: a}\n  b: {image: b, net: "container:a"}\n');
    assert.deepStrictEqual(v2.findings.map((f) => f.rule), []);
  });

  it('refuses a file that is not a Compose file, as Compose does, without echoing its content', () => {
    // `include: /etc/shadow`: a mapping of odd keys. Before, it was read as an empty v1 file, silently.
    const shadow = lint('root:$6$s3cr3t$hash:20228:0:99999:7:::\ndaemon:*:20228:0:99999:7:::\n');
    assert.deepStrictEqual(shadow.findings.map((f) => f.rule), ['compose-load-error']);
    assert.ok(!shadow.findings[0].message.includes('s3cr3t'), shadow.findings[0].message);
    assert.deepStrictEqual(lint('just a string').findings.map((f) => f.rule), ['compose-load-error']);
    assert.deepStrictEqual(lint('x-common: {a: 1}\nname: ok\nservices: {}\n').findings, []);
  });

  it('survives files that are not mappings at all', () => {
    for (const text of ['', '---\n', '- a\n- b\n', 'just a string', 'services: 3', 'services:\n  a: [1, 2]\nnetworks: hello\n']) {
      assert.doesNotThrow(() => lint(text), text);
    }
  });
});

describe('project name', () => {
  it('is the top-level name:, else COMPOSE_PROJECT_NAME (process or .env), else the folder, normalised', () => {
    assert.strictEqual(lint('name: My_App\nservices: {}\n').project.name, 'my_app');
    assert.strictEqual(lint({ '.env': 'COMPOSE_PROJECT_NAME=shop\n', 'compose.yaml': 'services: {}\n' }).project.name, 'shop');
    assert.strictEqual(lint({ 'compose.yaml': 'services: {}\n' }, { env: { COMPOSE_PROJECT_NAME: 'ci' } }).project.name, 'ci');
    assert.strictEqual(lint('services: {}\n').project.name, 'project');
  });
});
