// Stack semantics (docker stack deploy): when a project is a stack, the DNS names it has there, and the stack rules
// (each with a file that triggers it and a near miss that must not).
import * as assert from 'assert';
import * as path from 'path';
import { analyze } from '../../../src/compose/analyze';
import type { StackMode } from '../../../src/compose/stack';
import type { EngineSnapshot } from '../../../src/compose/types';
import { swarmNodes } from '../../../src/engine/snapshotFacts';
import { applyFix, DIR, yaml } from './helpers';

function run(text: string, opts: { stackMode?: StackMode; engine?: EngineSnapshot; file?: string } = {}) {
  const name = opts.file ?? 'compose.yaml';
  const files = { [name]: text };
  const host = { readFile: (p: string) => (files as Record<string, string>)[path.relative(DIR, p)] };
  const a = analyze({ dir: DIR, files: [path.join(DIR, name)], env: {}, ...(opts.stackMode ? { stackMode: opts.stackMode } : {}) }, host, opts.engine);
  return {
    ...a,
    files,
    of: (rule: string) => a.findings.filter((f) => f.rule === rule),
    textOf: (f: { span: { start: number; end: number } }) => text.slice(f.span.start, f.span.end),
  };
}

const PLAIN = yaml`
  services:
    web:
      image: nginx
      deploy:
        replicas: 2
  `;

describe('stack semantics: detection', () => {
  it('auto: a deploy: section with a Swarm-only key makes a stack', () => {
    for (const key of ['mode: replicated', 'placement: {constraints: [node.role==manager]}', 'endpoint_mode: dnsrr', 'update_config: {parallelism: 1}', 'rollback_config: {parallelism: 1}', 'restart_policy: {condition: on-failure}']) {
      const a = run(`services:\n  web:\n    image: nginx\n    deploy:\n      ${key}\n`);
      assert.strictEqual(a.project.isStack, true, key);
    }
  });

  it('auto: deploy keys Compose uses too (replicas, resources) do not', () => {
    assert.strictEqual(run(PLAIN).project.isStack, false);
  });

  it('auto: a file named like a stack is one (as before)', () => {
    assert.strictEqual(run(PLAIN, { file: 'stack.yml' }).project.isStack, true);
  });

  it('the CLI --stack / setting always, and the setting never, win over detection', () => {
    assert.strictEqual(run(PLAIN, { stackMode: 'always' }).project.isStack, true);
    assert.strictEqual(run('services:\n  web:\n    image: nginx\n    deploy:\n      mode: global\n', { stackMode: 'never' }).project.isStack, false);
  });

  it('--stack is parsed by lint and by the shared parser (diagram, verify, flows, exposure)', async () => {
    const { parseArgs } = await import('../../../src/cli/main');
    const { parseLintArgs } = await import('../../../src/cli/lint');
    assert.strictEqual(parseArgs(['--stack', '.']).stack, true);
    assert.strictEqual(parseArgs(['.']).stack, undefined);
    assert.strictEqual(parseLintArgs(['--stack', '.']).stack, true);
    assert.strictEqual(parseLintArgs(['.']).stack, undefined);
  });

  it('compose-net lint --stack analyzes a plain file as a stack', async () => {
    const { lintCommand } = await import('../../../src/cli/lint');
    const text = 'services:\n  web:\n    image: nginx\n    container_name: web1\n';
    const host = { readFile: (p: string) => (p === path.join(DIR, 'compose.yaml') ? text : undefined) };
    const run = async (argv: string[]) => {
      let written = '';
      const out = { write: (s: string) => ((written += s), true), isTTY: false } as unknown as NodeJS.WriteStream;
      await lintCommand([...argv, '--format', 'json', '-f', path.join(DIR, 'compose.yaml')], out, { host, version: 'test', env: {} });
      return (JSON.parse(written) as Array<{ rule: string }>).map((f) => f.rule);
    };
    assert.deepStrictEqual(await run(['--stack']), ['stack-ignored-option']);
    assert.deepStrictEqual(await run([]), []);
  });
});

describe('stack semantics: names and ignored options', () => {
  const FILE = yaml`
    services:
      web:
        image: nginx
        container_name: webbox
        networks: [front]
      sidecar:
        image: busybox
        network_mode: service:web
    networks:
      front: {}
    `;

  it('the service name (VIP) and tasks.<service> are DNS names; container_name is not', () => {
    const a = run(FILE, { stackMode: 'always' });
    const names = a.topology.names.get('front')!;
    assert.deepStrictEqual(names.get('web')?.map((d) => d.kind), ['service']);
    assert.deepStrictEqual(names.get('tasks.web')?.map((d) => d.kind), ['tasks']);
    assert.strictEqual(names.get('webbox'), undefined);
    // network_mode is ignored: the sidecar is a service of its own on the default network.
    assert.strictEqual(a.topology.hasOwnDnsName('sidecar'), true);
    assert.ok(a.topology.names.get('default')?.has('tasks.sidecar'));
  });

  it('as a compose project, container_name is a name and tasks.<service> is not', () => {
    const a = run(FILE, { stackMode: 'never' });
    const names = a.topology.names.get('front')!;
    assert.ok(names.has('webbox'));
    assert.strictEqual(names.get('tasks.web'), undefined);
  });

  it('reports container_name, links and network_mode as ignored, and the Compose rules on them are off', () => {
    const text = yaml`
      services:
        web:
          image: nginx
          network_mode: host
          links: [db]
          ports: ["80:80"]
        db:
          image: postgres
          network_mode: service:nowhere
      `;
    const stack = run(text, { stackMode: 'always' });
    assert.deepStrictEqual(stack.of('stack-ignored-option').map((f) => stack.textOf(f)).sort(), ['links', 'network_mode', 'network_mode']);
    assert.ok(stack.of('stack-ignored-option').every((f) => f.severity === 'info' && /ignored by docker stack deploy/.test(f.message)));
    for (const rule of ['host-mode-links', 'network-mode-unknown-service']) assert.deepStrictEqual(stack.of(rule), [], rule);
    const compose = run(text, { stackMode: 'never' });
    assert.deepStrictEqual(compose.of('stack-ignored-option'), []);
    assert.ok(compose.of('host-mode-links').length > 0 && compose.of('network-mode-unknown-service').length > 0);
  });

  it('overlay is the default driver: no bridge options apply, overlay-requires-swarm is quiet', () => {
    const text = yaml`
      services:
        web:
          image: nginx
          networks: [back]
      networks:
        back:
          driver: overlay
          driver_opts:
            com.docker.network.bridge.enable_icc: "false"
        plain:
          driver_opts:
            com.docker.network.bridge.enable_icc: "false"
      `;
    const a = run(text, { stackMode: 'always' });
    assert.strictEqual(a.topology.peersIsolated('plain'), false);
    assert.deepStrictEqual(a.of('overlay-requires-swarm'), []);
    const c = run(text, { stackMode: 'never' });
    assert.strictEqual(c.topology.peersIsolated('plain'), true);
    assert.strictEqual(c.of('overlay-requires-swarm').length, 1);
  });
});

describe('stack rules', () => {
  it('dnsrr-with-ingress-ports: dnsrr with an ingress port is an error; mode: host is not', () => {
    const trigger = yaml`
      services:
        dns:
          image: nginx
          ports: ["8080:80"]
          deploy:
            endpoint_mode: dnsrr
      `;
    const a = run(trigger);
    const [f] = a.of('dnsrr-with-ingress-ports');
    assert.ok(f, 'finding');
    assert.strictEqual(f.severity, 'error');
    assert.strictEqual(a.textOf(f), '"8080:80"');
    assert.match(f.message, /service "dns" publishes a port in ingress mode with endpoint_mode: dnsrr: Swarm refuses it/);
    const near = yaml`
      services:
        dns:
          image: nginx
          ports:
            - target: 80
              published: 8080
              mode: host
          deploy:
            endpoint_mode: dnsrr
      `;
    assert.deepStrictEqual(run(near).of('dnsrr-with-ingress-ports'), []);
    // A target-only port is ingress too (swarmkit gives it a published port from the ingress range, and refuses it).
    assert.strictEqual(run(trigger.replace('"8080:80"', '"80"')).of('dnsrr-with-ingress-ports').length, 1);
    // Long syntax without mode is ingress.
    assert.strictEqual(run(near.replace(/\n\s*mode: host/, '')).of('dnsrr-with-ingress-ports').length, 1);
  });

  it('overlay-not-attachable: a standalone container on a non-attachable overlay; attachable: true is fine', () => {
    const trigger = yaml`
      services:
        api:
          image: nginx
          networks: [mesh]
          deploy:
            mode: replicated
        debug:
          image: busybox
          container_name: debug
          networks: [mesh]
      networks:
        mesh:
          driver: overlay
      `;
    const a = run(trigger);
    const [f] = a.of('overlay-not-attachable');
    assert.ok(f, 'finding');
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(a.textOf(f), 'overlay');
    assert.match(f.message, /overlay network "mesh" is not attachable, but service "debug" \(container_name\)/);
    const fixed = applyFix(a.files, f.fixes[0]);
    const after = run(fixed['compose.yaml']);
    assert.match(fixed['compose.yaml'], /attachable: true/);
    assert.deepStrictEqual(after.of('overlay-not-attachable'), []);
    // Near miss: no standalone container on it.
    assert.deepStrictEqual(run(trigger.replace(/\n\s*container_name: debug/, '')).of('overlay-not-attachable'), []);
  });

  it('overlay-encrypted: info about ESP; an overlay without it says nothing', () => {
    const trigger = yaml`
      services:
        web: {image: nginx, networks: [secure]}
      networks:
        secure:
          driver: overlay
          driver_opts:
            encrypted: "true"
      `;
    const a = run(trigger);
    const [f] = a.of('overlay-encrypted');
    assert.ok(f, 'finding');
    assert.strictEqual(f.severity, 'info');
    assert.match(f.message, /IPsec ESP \(IP protocol 50/);
    assert.deepStrictEqual(run(trigger.replace('encrypted: "true"', 'foo: "bar"')).of('overlay-encrypted'), []);
    // Only overlays are encrypted this way.
    assert.deepStrictEqual(run(trigger.replace('driver: overlay', 'driver: bridge')).of('overlay-encrypted'), []);
  });

  it('overlay-mtu-too-large: 1500 on an overlay is a warning fixed to 1450; 1450 is fine', () => {
    const trigger = yaml`
      services:
        web: {image: nginx, networks: [mesh], deploy: {mode: global}}
      networks:
        mesh:
          driver_opts:
            com.docker.network.driver.mtu: "1500"
      `;
    const a = run(trigger); // a stack: the driver defaults to overlay
    const [f] = a.of('overlay-mtu-too-large');
    assert.ok(f, 'finding');
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(a.textOf(f), '"1500"');
    assert.match(f.message, /MTU 1500, but VXLAN adds 50 bytes/);
    const fixed = applyFix(a.files, f.fixes[0])['compose.yaml'];
    assert.match(fixed, /com\.docker\.network\.driver\.mtu: "1450"/);
    assert.deepStrictEqual(run(fixed).of('overlay-mtu-too-large'), []);
    // Outside a stack the same network is a bridge: 1500 is its normal MTU.
    assert.deepStrictEqual(run(trigger, { stackMode: 'never' }).of('overlay-mtu-too-large'), []);
  });

  describe('host-ports-replicas-exceed-nodes', () => {
    const trigger = yaml`
      services:
        edge:
          image: nginx
          ports:
            - target: 80
              published: 80
              mode: host
          deploy:
            replicas: 3
      `;

    it('warns when the engine says the Swarm has fewer nodes than replicas', () => {
      const a = run(trigger, { stackMode: 'always', engine: { networkNames: [], swarmActive: true, swarmNodes: 2 } });
      const [f] = a.of('host-ports-replicas-exceed-nodes');
      assert.ok(f, 'finding');
      assert.strictEqual(f.severity, 'warning');
      assert.match(f.message, /3 replicas, but the Swarm has 2 nodes: .* 1 task will not be placed/);
    });

    it('says it at info without a node count', () => {
      const [f] = run(trigger, { stackMode: 'always' }).of('host-ports-replicas-exceed-nodes');
      assert.ok(f, 'finding');
      assert.strictEqual(f.severity, 'info');
      assert.match(f.message, /with more replicas than nodes, tasks will not be placed/);
    });

    it('near misses: enough nodes, ingress mode, global mode', () => {
      assert.deepStrictEqual(run(trigger, { stackMode: 'always', engine: { networkNames: [], swarmNodes: 3 } }).of('host-ports-replicas-exceed-nodes'), []);
      assert.deepStrictEqual(run(trigger.replace('mode: host', 'mode: ingress'), { stackMode: 'always' }).of('host-ports-replicas-exceed-nodes'), []);
      assert.deepStrictEqual(run(trigger.replace('replicas: 3', 'mode: global'), { stackMode: 'always' }).of('host-ports-replicas-exceed-nodes'), []);
    });
  });
});

describe('the engine snapshot node count', () => {
  it('is Swarm.Nodes on a manager of an active Swarm, unknown elsewhere', () => {
    assert.deepStrictEqual(swarmNodes({ Swarm: { LocalNodeState: 'active', ControlAvailable: true, Nodes: 3 } }), { swarmNodes: 3 });
    assert.deepStrictEqual(swarmNodes({ Swarm: { LocalNodeState: 'active', ControlAvailable: false, Nodes: 0 } }), {});
    assert.deepStrictEqual(swarmNodes({ Swarm: { LocalNodeState: 'inactive' } }), {});
    assert.deepStrictEqual(swarmNodes({}), {});
  });
});
