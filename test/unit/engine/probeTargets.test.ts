// Probe targets and failure explanations (src/engine/probeTargets.ts) on the sample stack's topology: lb on dmz and
// app-tier, api on app-tier and data-tier, db and cache on data-tier.
import * as assert from 'assert';
import type { ContainerSummary, NetworkSummary } from '../../../src/engine/model';
import { containersAnswering, explainFailure, httpUrlOf, probeSuggestions, suggestedPorts, urlHost } from '../../../src/engine/probeTargets';

function network(name: string, extra: Partial<NetworkSummary> = {}): NetworkSummary {
  return { id: `id-${name}`, name, driver: 'bridge', scope: 'local', internal: false, attachable: false, ipv6: false, builtIn: false, subnets: [], labels: {}, options: {}, ...extra };
}

function container(service: string, state: string, nets: Array<[string, string]>): ContainerSummary {
  return {
    id: `cid-${service}`,
    name: `shop_${service}_1`,
    image: 'busybox',
    state,
    status: state,
    composeProject: 'shop',
    composeService: service,
    endpoints: nets.map(([networkName, ipv4]) => ({ networkId: `id-${networkName}`, networkName, ...(ipv4 ? { ipv4 } : {}) })),
  };
}

const networks = [network('shop_dmz'), network('shop_app-tier'), network('shop_data-tier'), network('bridge', { builtIn: true, options: { 'com.docker.network.bridge.default_bridge': 'true' } }), network('walled', { internal: true, options: { 'com.docker.network.bridge.enable_icc': 'false' } })];
const lb = container('lb', 'running', [['shop_dmz', '172.30.1.2'], ['shop_app-tier', '172.30.2.2']]);
const api = container('api', 'running', [['shop_app-tier', '172.30.2.3'], ['shop_data-tier', '172.30.3.3']]);
const db = container('db', 'running', [['shop_data-tier', '172.30.3.4']]);
const old = container('old', 'exited', [['shop_app-tier', '']]);
const containers = [old, db, api, lb];
const aliases: Record<string, Record<string, string[]>> = {
  'cid-api': { 'shop_app-tier': ['api', 'backend'], 'shop_data-tier': ['api', 'api-internal', 'apihost'] },
  'cid-db': { 'shop_data-tier': ['db', 'postgres'] },
  'cid-lb': { shop_dmz: ['lb'], 'shop_app-tier': ['lb'] },
};
const aliasesOf = (id: string) => aliases[id];

describe('probe suggestions', () => {
  it('offers every name the source resolves on the networks it shares with each target, and the addresses there', () => {
    const labels = probeSuggestions(lb, containers, networks, aliasesOf).map((s) => s.label);
    // api on app-tier: its service name, its alias there, its container name, its address; not its data-tier names.
    assert.deepStrictEqual(labels.slice(0, 4), ['api', 'backend', 'shop_api_1', '172.30.2.3']);
    assert.ok(!labels.includes('api-internal') && !labels.includes('apihost') && !labels.includes('172.30.3.3'), 'only names on shared networks');
    assert.ok(!labels.includes('db') && !labels.includes('shop_db_1'), 'db shares no network with lb');
  });

  it('puts running containers before exited ones, and says an exited one answers only once it runs', () => {
    const s = probeSuggestions(lb, containers, networks, aliasesOf);
    const firstExited = s.findIndex((x) => !x.running);
    assert.ok(firstExited > 0 && s.slice(firstExited).every((x) => !x.running), JSON.stringify(s.map((x) => [x.label, x.running])));
    assert.match(s.find((x) => x.label === 'shop_old_1')!.description, /exited: answers once it runs/);
  });

  it('offers a hostname and aliases on every shared network (they are aliases to the engine)', () => {
    const labels = probeSuggestions(db, containers, networks, aliasesOf).map((s) => s.label);
    assert.deepStrictEqual(labels, ['api', 'api-internal', 'apihost', 'shop_api_1', '172.30.3.3']);
  });

  it('offers no names on the default bridge, only addresses (Docker resolves none there)', () => {
    const a = container('a', 'running', [['bridge', '172.17.0.2']]);
    const b = container('b', 'running', [['bridge', '172.17.0.3']]);
    assert.deepStrictEqual(probeSuggestions(a, [a, b], networks, () => undefined).map((s) => s.label), ['172.17.0.3']);
  });

  it('offers the ports a target listens on, exposes or publishes', () => {
    assert.deepStrictEqual(suggestedPorts({ exposedTcp: [5432, 80], publishedTcp: [80, 8080] }, [3000, 80]), [
      { port: 80, why: 'listening, exposed, published' },
      { port: 3000, why: 'listening' },
      { port: 5432, why: 'exposed' },
      { port: 8080, why: 'published' },
    ]);
    assert.deepStrictEqual(suggestedPorts(undefined), []);
  });

  it('finds who answers to a name, an alias or an address', () => {
    assert.deepStrictEqual(containersAnswering('postgres', containers, aliasesOf).map((c) => c.name), ['shop_db_1']);
    assert.deepStrictEqual(containersAnswering('172.30.2.3', containers, aliasesOf).map((c) => c.name), ['shop_api_1']);
    assert.deepStrictEqual(containersAnswering('db.', containers, aliasesOf).map((c) => c.name), ['shop_db_1']);
  });
});

describe('HTTP check targets', () => {
  it('reads a bare name as http://name/ and name:port as http://name:port/', () => {
    assert.strictEqual(httpUrlOf('lb'), 'http://lb/');
    assert.strictEqual(httpUrlOf(' lb:8080 '), 'http://lb:8080/');
    assert.strictEqual(httpUrlOf('lb/health'), 'http://lb/health');
    assert.strictEqual(httpUrlOf('http://lb'), 'http://lb/');
    assert.strictEqual(httpUrlOf('https://lb:8443/x?y=1'), 'https://lb:8443/x?y=1');
    assert.strictEqual(httpUrlOf('fd00::5'), 'http://[fd00::5]/');
    assert.strictEqual(httpUrlOf('[fd00::5]:8080'), 'http://[fd00::5]:8080/');
    assert.strictEqual(httpUrlOf('ftp://lb/'), 'ftp://lb/', 'another scheme is left for validateUrl to refuse');
    assert.strictEqual(urlHost('http://[fd00::5]:8080/'), 'fd00::5');
    assert.strictEqual(urlHost(httpUrlOf('lb; rm -rf /')), undefined, 'still validated');
  });
});

describe('why a probe failed, in terms of the topology', () => {
  it('db from lb: no shared network', () => {
    assert.strictEqual(explainFailure(lb, 'db', containers, networks, aliasesOf), 'db (shop_db_1) is not on any network lb (shop_lb_1) is on; shared networks: none (shop_lb_1: shop_dmz, shop_app-tier; shop_db_1: shop_data-tier).');
  });

  it('an alias on a network the source is not on', () => {
    assert.match(explainFailure(lb, 'api-internal', containers, networks, aliasesOf)!, /^"api-internal" is a name of shop_api_1 only on shop_data-tier, which lb \(shop_lb_1\) is not on; on the shared network shop_app-tier it answers to shop_api_1, api, backend\.$/);
  });

  it('an address on a network the source is not on', () => {
    assert.match(explainFailure(lb, '172.30.3.3', containers, networks, aliasesOf)!, /^172\.30\.3\.3 is api \(shop_api_1\)'s address on shop_data-tier, which lb \(shop_lb_1\) is not on; shared networks: shop_app-tier \(address there: 172\.30\.2\.3\)\.$/);
  });

  it('a target that is not running', () => {
    assert.strictEqual(explainFailure(lb, 'old', containers, networks, aliasesOf), 'old (shop_old_1) is not running (exited): nothing answers for it until it starts.');
  });

  it('a name nobody answers to', () => {
    assert.strictEqual(explainFailure(lb, 'ghost', containers, networks, aliasesOf), 'no container answers to "ghost" on the networks lb (shop_lb_1) is on (shop_dmz, shop_app-tier).');
  });

  it('only the default bridge shared: no names there', () => {
    const a = container('a', 'running', [['bridge', '172.17.0.2']]);
    const b = container('b', 'running', [['bridge', '172.17.0.3']]);
    assert.match(explainFailure(a, 'b', [a, b], networks, () => undefined)!, /share only bridge, where Docker resolves no names/);
  });

  it('internal networks: no way out; enable_icc=false: no way across', () => {
    const a = container('a', 'running', [['walled', '10.9.0.2']]);
    const b = container('b', 'running', [['walled', '10.9.0.3']]);
    assert.match(explainFailure(a, 'example.com', [a, b], networks, () => undefined)!, /every network a \(shop_a_1\) is on is internal \(walled\): it has no route outside/);
    assert.match(explainFailure(a, 'b', [a, b], networks, () => undefined)!, /shared network walled keeps containers apart \(enable_icc=false\)/);
  });

  it('a port nobody listens on: the topology lets it through, and says what the target exposes', () => {
    assert.match(explainFailure(api, 'db', containers, networks, aliasesOf, { port: 81, exposed: [5432] })!, /share shop_data-tier, so the network lets it through: is shop_db_1 listening on 81 \(it listens on or exposes 5432\)\?/);
    assert.strictEqual(explainFailure(api, 'db', containers, networks, aliasesOf), undefined, 'nothing in the topology explains a failed ping between neighbours');
  });
});
