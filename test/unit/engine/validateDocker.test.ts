// Checks before the engine match what the engine does (docker.io 20.10, observed by hand and in test/host/firstUse).
import * as assert from 'assert';
import { capabilitiesOf } from '../../../src/engine/networkCapabilities';
import type { NetworkSummary } from '../../../src/engine/model';
import { parseAliases, parseLabels, validateAddressIn, validateNetworkSpec } from '../../../src/engine/validate';

const net = (over: Partial<NetworkSummary>): NetworkSummary => ({ id: 'x', name: 'n', driver: 'bridge', scope: 'local', internal: false, attachable: false, ipv6: false, builtIn: false, subnets: [], labels: {}, options: {}, ...over });

describe('validation as Docker decides it', () => {
  it('refuses the subnet\'s own address and its broadcast address as gateway ("failed to allocate gateway")', () => {
    assert.match(validateAddressIn('10.231.77.0', '10.231.77.0/24', 'gateway')!, /address of subnet 10\.231\.77\.0\/24 itself.*such as 10\.231\.77\.1/);
    assert.match(validateAddressIn('10.231.77.255', '10.231.77.0/24', 'gateway')!, /broadcast address/);
    assert.strictEqual(validateAddressIn('10.231.77.254', '10.231.77.0/24', 'gateway'), undefined);
    assert.deepStrictEqual(validateNetworkSpec({ name: 'ok', driver: 'bridge', subnet: '10.231.77.0/24', gateway: '10.231.77.0' }, []).length, 1);
  });

  it('refuses a static address equal to the network, broadcast or gateway address ("Address already in use")', () => {
    assert.match(validateAddressIn('10.231.79.0', '10.231.79.0/24', 'address', '10.231.79.1')!, /itself/);
    assert.match(validateAddressIn('10.231.79.1', '10.231.79.0/24', 'address', '10.231.79.1')!, /is the gateway/);
    assert.strictEqual(validateAddressIn('10.231.79.2', '10.231.79.0/24', 'address', '10.231.79.1'), undefined);
    assert.strictEqual(validateAddressIn('fd00::5', 'fd00::/64', 'address'), undefined);
    assert.match(validateAddressIn('fd00::', 'fd00::/64', 'address')!, /itself/);
  });

  it('aliases: a name with a space is stored by the engine but never resolves, so it is refused', () => {
    assert.deepStrictEqual(parseAliases(' api , web.internal,Web_1 '), { aliases: ['api', 'web.internal', 'Web_1'] });
    assert.match(parseAliases('api, a b').problem!, /"a b" cannot be an alias/);
  });

  it('labels: key alone is an empty value (the CLI accepts it); empty or spaced names are refused', () => {
    assert.deepStrictEqual(parseLabels('team=net, temp, url=http://x?a=b'), { labels: { team: 'net', temp: '', url: 'http://x?a=b' } });
    assert.match(parseLabels('=x').problem!, /empty name/);
    assert.match(parseLabels('a b=c').problem!, /whitespace/);
  });

  it('connect, aliases and subnet follow the driver', () => {
    assert.deepStrictEqual(capabilitiesOf(net({ name: 'host', driver: 'host', builtIn: true })).connect, false);
    assert.deepStrictEqual(capabilitiesOf(net({ name: 'none', driver: 'null', builtIn: true })).connect, false);
    const bridge = capabilitiesOf(net({ name: 'bridge', builtIn: true, subnets: [{ subnet: '172.17.0.0/16' }] }));
    assert.deepStrictEqual([bridge.connect, bridge.aliases, bridge.subnet], [true, false, true]);
    assert.deepStrictEqual(capabilitiesOf(net({ driver: 'overlay', scope: 'swarm' })).connect, false);
    assert.deepStrictEqual(capabilitiesOf(net({ driver: 'overlay', scope: 'swarm', attachable: true })).aliases, true);
  });
});
