// `compose-net config`: the resolved model in the shape of `docker compose config --format json` (Compose v2).
// Shapes confirmed against compose-go (types.ServiceNetworkConfig, NetworkConfig json tags; normalize.go for the
// implicit default network and project-prefixed names) and, for the service networks, against docker-compose 1.29.
import * as assert from 'assert';
import * as path from 'path';
import { PassThrough } from 'stream';
import { parse } from 'yaml';
import { formatConfig, toComposeConfig } from '../../../src/compose/config';
import { loadProject } from '../../../src/compose/project';
import { runConfig } from '../../../src/cli/config';
import { DIR, yaml } from './helpers';

const host = (files: Record<string, string>) => ({ readFile: (p: string) => files[path.relative(DIR, p)] });

describe('compose-net config (model -> docker compose config shape)', () => {
  const files = {
    'compose.yaml': yaml`
      name: Shop
      services:
        web:
          image: web
          hostname: www
          container_name: shop-web
          ports: ["127.0.0.1:8080:80/tcp", "443"]
          expose: ["9000"]
          links: ["api:backend"]
          extra_hosts: ["gw:10.0.0.1"]
          depends_on: [api]
          networks:
            front:
              aliases: [site]
              ipv4_address: 10.1.0.10
              priority: 10
        api:
          image: api
        tool:
          image: t
          network_mode: "service:web"
        debug:
          image: d
          profiles: [debug]
      networks:
        front:
          driver: bridge
          driver_opts: {com.docker.network.bridge.enable_icc: "false"}
          internal: true
          ipam: {config: [{subnet: 10.1.0.0/24, gateway: 10.1.0.1}]}
        outside:
          external: true
          name: proxy
      `,
  };

  it('prints services and networks with Compose\'s keys, names and defaults', () => {
    const config = toComposeConfig(loadProject({ dir: DIR, env: {} }, host(files)).project);
    assert.deepStrictEqual(config, {
      name: 'shop',
      services: {
        api: { networks: { default: null } },
        tool: { network_mode: 'service:web' },
        web: {
          container_name: 'shop-web',
          depends_on: { api: { condition: 'service_started', required: true } },
          expose: ['9000'],
          extra_hosts: ['gw=10.0.0.1'],
          hostname: 'www',
          links: ['api:backend'],
          networks: { front: { aliases: ['site'], ipv4_address: '10.1.0.10', priority: 10 } },
          ports: [
            { mode: 'ingress', host_ip: '127.0.0.1', target: 80, published: '8080', protocol: 'tcp' },
            { mode: 'ingress', target: 443, protocol: 'tcp' },
          ],
        },
      },
      networks: {
        default: { name: 'shop_default', ipam: {} },
        front: { name: 'shop_front', driver: 'bridge', driver_opts: { 'com.docker.network.bridge.enable_icc': 'false' }, ipam: { config: [{ subnet: '10.1.0.0/24', gateway: '10.1.0.1' }] }, internal: true },
        outside: { name: 'proxy', ipam: {}, external: true },
      },
    });
  });

  it('includes services of active profiles only, and prints YAML that parses to the same object', () => {
    const config = toComposeConfig(loadProject({ dir: DIR, env: {}, profiles: ['debug'] }, host(files)).project);
    assert.deepStrictEqual(config.services.debug, { profiles: ['debug'], networks: { default: null } });
    assert.deepStrictEqual(parse(formatConfig(config, 'yaml')), JSON.parse(formatConfig(config, 'json')));
  });

  it('the CLI prints the config (exit 0), stops on what Compose rejects (exit 1) and on bad usage (exit 2)', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const ok = runConfig(['--format', 'json', '--profile', 'debug', '-f', path.join(DIR, 'compose.yaml')], out, host(files), {}, '/');
    assert.strictEqual(ok, 0);
    assert.deepStrictEqual(Object.keys(JSON.parse(text).services), ['api', 'debug', 'tool', 'web']);
    const stderr = process.stderr.write;
    try {
      process.stderr.write = () => true;
      assert.strictEqual(runConfig(['-f', path.join(DIR, 'compose.yaml')], new PassThrough(), host({ 'compose.yaml': 'services:\n  a:\n    networks:\n' }), {}, '/'), 1);
      assert.strictEqual(runConfig(['--format', 'toml', '-f', path.join(DIR, 'compose.yaml')], new PassThrough(), host(files), {}, '/'), 2);
    } finally {
      process.stderr.write = stderr;
    }
  });
});
