import * as assert from 'assert';
import { contains, firstFreeHost, formatAddress, freePrivateSubnet, overlaps, parseAddress, parseCidr } from '../../../src/compose/ip';

describe('ip', () => {
  it('parses and formats IPv4 and IPv6', () => {
    for (const a of ['10.0.0.1', '255.255.255.255', 'fd00::1', '2001:db8::8:800:200c:417a', '::', '::ffff:10.0.0.1']) {
      assert.ok(parseAddress(a), a);
    }
    for (const bad of ['10.0.0.256', '10.0.0', '1.2.3.4.5', '01.2.3.4', 'fd00:::1', 'g::1', '', 'db']) assert.strictEqual(parseAddress(bad), undefined, bad);
    assert.strictEqual(formatAddress(parseAddress('2001:0db8:0000:0000:0000:0000:0000:0001')!), '2001:db8::1');
  });

  it('answers containment and overlap', () => {
    const c = parseCidr('172.28.0.0/16')!;
    assert.ok(contains(c, parseAddress('172.28.255.1')!));
    assert.ok(!contains(c, parseAddress('172.29.0.1')!));
    assert.ok(overlaps(c, parseCidr('172.28.5.0/24')!));
    assert.ok(!overlaps(c, parseCidr('172.29.0.0/24')!));
    assert.ok(!overlaps(c, parseCidr('fd00::/64')!));
  });

  it('finds free addresses and subnets', () => {
    const c = parseCidr('10.0.0.0/30')!;
    assert.strictEqual(formatAddress(firstFreeHost(c, new Set(['10.0.0.1']))!), '10.0.0.2');
    assert.strictEqual(firstFreeHost(c, new Set(['10.0.0.1', '10.0.0.2'])), undefined, 'the broadcast address is not offered');
    assert.strictEqual(freePrivateSubnet([parseCidr('172.16.0.0/24')!, parseCidr('172.16.1.0/24')!])!.text, '172.16.2.0/24');
  });
});
