import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { normalizeContainer, normalizeNetwork, type RawContainer, type RawNetwork } from '../../../src/engine/normalize';
import { validateAddressIn, validateIpRange, validateName, validateNetworkSpec, validateSubnet } from '../../../src/engine/validate';
import { attachmentDescription, attachmentsOf, groupNetworks, networkDescription, networkTooltip } from '../../../src/engine/view';

// `GET /networks` and `GET /containers/json?all=1` recorded with the sample stack (project "shop") running.
const fixture = (f: string) => JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../test/fixtures/engine', f), 'utf8'));
const networks = (fixture('networks-shop.json') as RawNetwork[]).map(normalizeNetwork);
const containers = (fixture('containers.json') as RawContainer[]).map(normalizeContainer);

describe('normalizeContainer', () => {
  it('reads names, state, compose labels and endpoints', () => {
    const db = containers.find((c) => c.name === 'shop_db_1')!;
    assert.deepStrictEqual([db.composeProject, db.composeService, db.endpoints.map((e) => [e.networkName, e.ipv4])], ['shop', 'db', [['shop_data-tier', '172.28.2.10']]]);
    assert.strictEqual(db.endpoints[0].aliases, undefined, 'aliases are not in the list: loaded lazily');
  });
});

describe('network view model', () => {
  it('groups compose projects, then user-defined, then built-in', () => {
    const groups = groupNetworks(networks);
    assert.deepStrictEqual(groups.map((g) => g.label), ['Compose project: shop', 'Built-in networks']);
    assert.deepStrictEqual(groups[0].networks.map((n) => n.name), ['shop_app-tier', 'shop_data-tier', 'shop_dmz']);
  });

  it('describes a network by driver, subnet and flags, and its tooltip by ID, IPAM, options and labels', () => {
    const data = networks.find((n) => n.name === 'shop_data-tier')!;
    assert.strictEqual(networkDescription(data, containers), 'bridge · 172.28.2.0/24 · internal · attachable');
    const tip = networkTooltip(data);
    for (const part of ['**shop\\_data\\-tier**', `ID: \`${data.id.slice(0, 12)}\``, 'subnet `172.28.2.0/24`, gateway `172.28.2.1`', '`com.docker.compose.project`: `shop`']) assert.ok(tip.includes(part), part);
  });

  it('marks a network external to compose when compose containers use a network compose did not create', () => {
    const ext = { ...networks.find((n) => n.name === 'shop_dmz')!, composeProject: undefined, labels: {} };
    assert.match(networkDescription(ext, containers), /external to compose$/);
  });

  it('lists the containers on a network with state, address and aliases', () => {
    const data = networks.find((n) => n.name === 'shop_data-tier')!;
    const list = attachmentsOf(data, containers);
    assert.deepStrictEqual(list.map((a) => a.container.name), ['shop_api_1', 'shop_cache_1', 'shop_db_1']);
    list[2].endpoint.aliases = ['database', 'db'];
    assert.strictEqual(attachmentDescription(list[2]), 'running · 172.28.2.10 · aliases database, db');
  });
});

describe('validation before the engine', () => {
  it('checks names the way Docker does', () => {
    assert.strictEqual(validateName('app_net-1.x'), undefined);
    assert.match(validateName('-bad')!, /not a valid name/);
    assert.match(validateName('has space')!, /not a valid name/);
    assert.match(validateName('shop_dmz', ['shop_dmz'])!, /already exists/);
  });

  it('checks subnets, gateways and ranges', () => {
    assert.match(validateSubnet('172.28.2.0/25', networks)!, /overlaps 172\.28\.2\.0\/24 of network "shop_data-tier"/);
    assert.match(validateSubnet('10.1.2.3/24', [])!, /host bits set: use 10\.1\.2\.0\/24/);
    assert.match(validateSubnet('nonsense', [])!, /not a subnet/);
    assert.strictEqual(validateSubnet('10.77.0.0/24', networks), undefined);
    assert.match(validateAddressIn('10.77.1.1', '10.77.0.0/24', 'gateway')!, /gateway 10\.77\.1\.1 is outside subnet 10\.77\.0\.0\/24/);
    assert.match(validateIpRange('10.77.0.0/16', '10.77.0.0/24')!, /outside subnet/);
    assert.deepStrictEqual(validateNetworkSpec({ name: 'ok', driver: 'bridge', gateway: '10.0.0.1' }, []), ['A gateway needs a subnet.']);
  });
});
