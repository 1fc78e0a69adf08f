// The O(n log n) overlap search and free-subnet search give exactly what the pairwise (quadratic) checks gave,
// on random subnets packed so that they nest, repeat and straddle families.
import * as assert from 'assert';
import fc from 'fast-check';
import { analyze } from '../../../src/compose/analyze';
import { formatAddress, freePrivateSubnet, overlaps, parseCidr, type Cidr } from '../../../src/compose/ip';
import { firstOverlapping } from '../../../src/compose/subnets';

/** The pairwise reference: the first earlier item of another group that overlaps. */
function referenceFirstOverlapping(items: Array<{ cidr: Cidr; group: unknown }>): Array<number | undefined> {
  return items.map((b, i) => {
    for (let j = 0; j < i; j++) if (items[j].group !== b.group && overlaps(items[j].cidr, b.cidr)) return j;
    return undefined;
  });
}

/** The former free-subnet search: every candidate against every used subnet. */
function referenceFreeSubnet(used: Cidr[]): Cidr | undefined {
  for (let second = 16; second <= 31; second++) {
    for (let third = 0; third < 256; third++) {
      const candidate = parseCidr(`172.${second}.${third}.0/24`)!;
      if (!used.some((u) => overlaps(u, candidate))) return candidate;
    }
  }
  return undefined;
}

/** Subnets in a small space so that they collide: IPv4 inside 10.0.0.0/20 or 172.16.0.0/14, IPv6 inside fd00::/120. */
const cidrArb = fc.oneof(
  fc.record({ a: fc.integer({ min: 0, max: 4095 }), prefix: fc.integer({ min: 20, max: 32 }) }).map(({ a, prefix }) => parseCidr(`${formatAddress({ family: 4, value: (10n << 24n) + BigInt(a) })}/${prefix}`)!),
  fc.record({ a: fc.integer({ min: 0, max: (1 << 18) - 1 }), prefix: fc.integer({ min: 14, max: 26 }) }).map(({ a, prefix }) => parseCidr(`${formatAddress({ family: 4, value: (172n << 24n) + (16n << 16n) + (BigInt(a) << 6n) })}/${prefix}`)!),
  fc.record({ a: fc.integer({ min: 0, max: 255 }), prefix: fc.integer({ min: 120, max: 128 }) }).map(({ a, prefix }) => parseCidr(`fd00::${a.toString(16)}/${prefix}`)!),
);

describe('subnet overlaps in O(n log n)', () => {
  it('firstOverlapping equals the pairwise reference on random subnets and groups', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ cidr: cidrArb, group: fc.integer({ min: 0, max: 5 }) }), { maxLength: 60 }), (items) => {
        assert.deepStrictEqual(firstOverlapping(items), referenceFirstOverlapping(items));
      }),
      { numRuns: 400 },
    );
  });

  it('freePrivateSubnet equals the pairwise search, also when most of 172.16.0.0/12 is taken', () => {
    fc.assert(
      fc.property(fc.array(cidrArb, { maxLength: 40 }), fc.integer({ min: 0, max: 4096 }), (used, taken) => {
        // The first `taken` /24s in use (as a few large blocks and single /24s), plus the random ones.
        const blocks = Array.from({ length: Math.min(taken, 100) }, (_, k) => parseCidr(`172.${16 + (k >> 8)}.${k & 255}.0/24`)!);
        if (taken > 100) blocks.push(parseCidr('172.16.0.0/13')!);
        if (taken > 2048) blocks.push(parseCidr('172.24.0.0/13')!);
        const all = [...used, ...blocks];
        assert.deepStrictEqual(freePrivateSubnet(all), referenceFreeSubnet(all));
      }),
      { numRuns: 15 },
    );
  });

  it('the overlapping-subnets rule reports each subnet against the first earlier overlapping one of another network', () => {
    const subnets = ['10.0.0.0/16', '10.0.1.0/24', '10.0.0.0/16', '192.168.0.0/24', '10.0.1.128/25', 'fd00::/64', 'fd00::/80'];
    const text = ['services:', '  app: {image: app}', 'networks:', ...subnets.map((s, i) => `  n${i}:\n    ipam:\n      config:\n        - subnet: ${s}`)].join('\n') + '\n';
    const a = analyze({ dir: '/p', files: ['/p/compose.yaml'], env: {} }, { readFile: () => text });
    const found = a.findings.filter((f) => f.rule === 'overlapping-subnets').map((f) => f.message.replace(/ \(Docker.*$/, ''));
    assert.deepStrictEqual(found, [
      'subnet 10.0.1.0/24 of "n1" overlaps subnet 10.0.0.0/16 of "n0"',
      'subnet 10.0.0.0/16 of "n2" overlaps subnet 10.0.0.0/16 of "n0"',
      'subnet 10.0.1.128/25 of "n4" overlaps subnet 10.0.0.0/16 of "n0"',
      'subnet fd00::/80 of "n6" overlaps subnet fd00::/64 of "n5"',
    ]);
    const fix = a.findings.find((f) => f.rule === 'overlapping-subnets')!.fixes[0];
    assert.strictEqual(fix.title, 'Change to free subnet 172.16.0.0/24');
  });
});
