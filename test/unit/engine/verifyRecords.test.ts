// The engine's records answer the name layer where they can (issue 13 speed): Docker's DNS gives A only the names
// containers have on the networks A is on, so a name B does not have on any network they share cannot lead to B.
import * as assert from 'assert';
import { nameOnSharedNetwork, type VerifyNode } from '../../../src/engine/probes/expected';

const node = (key: string, endpoints: VerifyNode['endpoints'], hostname?: string): VerifyNode => ({
  key,
  foreign: false,
  containerId: `${key}-id`,
  containerName: `p_${key}_1`,
  modelNetworks: endpoints.map((e) => e.network),
  modelNames: new Map(),
  endpoints,
  ...(hostname ? { hostname } : {}),
});

describe('name layer from the engine records', () => {
  const api = node('api', [
    { network: 'p_app', ipv4: '10.0.1.3', aliases: ['api', 'backend'] },
    { network: 'p_data', ipv4: '10.0.2.3', aliases: ['api'] },
  ], 'api-host');
  const lb = node('lb', [{ network: 'p_app', ipv4: '10.0.1.2', aliases: ['lb'] }]);
  const db = node('db', [{ network: 'p_data', ipv4: '10.0.2.4', aliases: ['db'] }]);

  it('a name B has on a network they share may lead to B: it is asked', () => {
    assert.ok(nameOnSharedNetwork(lb, api, 'backend'));
    assert.ok(nameOnSharedNetwork(db, api, 'api'));
    assert.ok(nameOnSharedNetwork(db, api, 'p_api_1'), 'the container name, on every network');
    assert.ok(nameOnSharedNetwork(db, api, 'API-host.'), 'the hostname, any case, trailing dot');
  });

  it('an alias B has only on a network A is not on cannot lead to B: answered without asking', () => {
    assert.ok(!nameOnSharedNetwork(db, api, 'backend'));
    assert.ok(!nameOnSharedNetwork(lb, db, 'db'));
    assert.ok(!nameOnSharedNetwork(lb, db, 'p_db_1'), 'no shared network: not even the container name');
  });
});
