import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { normalizeNetwork, sortNetworks, type RawNetwork } from '../../../src/engine/normalize';

// A `GET /networks` answer recorded from Docker 20.10 (see test/fixtures/engine).
const recorded: RawNetwork[] = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../../test/fixtures/engine/networks.json'), 'utf8'),
);

describe('normalizeNetwork', () => {
  const byName = new Map(recorded.map((r) => [r.Name, normalizeNetwork(r)]));

  it('reads the built-in networks as built-in', () => {
    for (const name of ['bridge', 'host', 'none']) assert.strictEqual(byName.get(name)?.builtIn, true, name);
  });

  it('reads a user network with its subnet, gateway, flags and compose project', () => {
    const net = byName.get('fixture-net');
    assert.ok(net);
    assert.deepStrictEqual(
      { driver: net.driver, scope: net.scope, internal: net.internal, builtIn: net.builtIn, subnets: net.subnets, project: net.composeProject },
      { driver: 'bridge', scope: 'local', internal: true, builtIn: false, subnets: [{ subnet: '10.99.0.0/24', gateway: '10.99.0.1' }], project: 'demo' },
    );
  });

  it('tolerates missing and null fields', () => {
    const net = normalizeNetwork({ Name: 'x', IPAM: { Config: null }, Labels: null });
    assert.deepStrictEqual(net.subnets, []);
    assert.deepStrictEqual(net.labels, {});
    assert.strictEqual(net.internal, false);
  });

  it('does not take a user network called "host" with another driver for the built-in one', () => {
    assert.strictEqual(normalizeNetwork({ Name: 'host', Driver: 'bridge' }).builtIn, false);
  });

  it('sorts by name', () => {
    const names = sortNetworks(recorded.map(normalizeNetwork)).map((n) => n.name);
    assert.deepStrictEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
  });
});
