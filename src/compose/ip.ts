// IPv4/IPv6 addresses and CIDR subnets as big integers: parsing, containment, overlap, free addresses.

export type Family = 4 | 6;

export interface Address {
  family: Family;
  value: bigint;
}

export interface Cidr {
  family: Family;
  base: bigint;
  prefix: number;
  text: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function parseIPv4(text: string): bigint | undefined {
  if (!IPV4.test(text)) return undefined;
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

export function parseIPv6(text: string): bigint | undefined {
  let t = text.split('%')[0];
  // The longest address is 45 characters (8 groups, or 6 and an IPv4 tail); anything longer is not one.
  if (t.length > 45 || !/^[0-9a-fA-F:.]+$/.test(t) || t.length < 2) return undefined;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups: the text after the last colon.
  const v4 = t.slice(t.lastIndexOf(':') + 1);
  if (v4.includes('.')) {
    const n = parseIPv4(v4);
    if (n === undefined) return undefined;
    t = t.slice(0, -v4.length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  return value;
}

export function parseAddress(text: string): Address | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = text.includes(':') ? parseIPv6(text) : undefined;
  return v6 !== undefined ? { family: 6, value: v6 } : undefined;
}

const bits = (family: Family) => (family === 4 ? 32 : 128);

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return undefined;
  const addr = parseAddress(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!addr || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > bits(addr.family)) return undefined;
  return { family: addr.family, base: addr.value & mask(addr.family, prefix), prefix, text };
}

function mask(family: Family, prefix: number): bigint {
  const total = BigInt(bits(family));
  return ((1n << total) - 1n) ^ ((1n << (total - BigInt(prefix))) - 1n);
}

export function cidrSize(c: Cidr): bigint {
  return 1n << BigInt(bits(c.family) - c.prefix);
}

export function contains(c: Cidr, a: Address): boolean {
  return c.family === a.family && (a.value & mask(c.family, c.prefix)) === c.base;
}

export function cidrContainsCidr(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && inner.prefix >= outer.prefix && contains(outer, { family: inner.family, value: inner.base });
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && (cidrContainsCidr(a, b) || cidrContainsCidr(b, a));
}

export function formatAddress(a: Address): string {
  if (a.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((a.value >> s) & 0xffn)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((a.value >> s) & 0xffffn).toString(16));
  // Compress the longest run of zero groups, as RFC 5952 says.
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.at < 0) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
}

/** The first usable host address of a subnet (the network address plus one). */
export function firstHost(c: Cidr): Address {
  return { family: c.family, value: c.base + (cidrSize(c) > 2n ? 1n : 0n) };
}

/** The first host address of `c` not in `taken` (and, for IPv4, not the broadcast address). */
export function firstFreeHost(c: Cidr, taken: Set<string>): Address | undefined {
  const size = cidrSize(c);
  const last = c.family === 4 && size > 2n ? size - 2n : size - 1n;
  const limit = last < 4096n ? last : 4096n;
  for (let i = size > 2n ? 1n : 0n; i <= limit; i++) {
    const a: Address = { family: c.family, value: c.base + i };
    if (!taken.has(formatAddress(a))) return a;
  }
  return undefined;
}

/**
 * A free /24 among the private ranges Docker itself allocates from (the first of 172.16.0.0/12), avoiding `used`.
 * O(n log n): the used blocks sorted by start; a candidate is taken iff the furthest end of the blocks starting at or
 * before its end stays below its start (4,096 candidates against thousands of subnets, pairwise, took seconds).
 */
export function freePrivateSubnet(used: Cidr[]): Cidr | undefined {
  const intervals = used.filter((c) => c.family === 4).map((c) => [c.base, c.base + cidrSize(c) - 1n] as const);
  intervals.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let next = 0;
  let maxEnd = -1n;
  for (let second = 16; second <= 31; second++) {
    for (let third = 0; third < 256; third++) {
      const candidate = parseCidr(`172.${second}.${third}.0/24`)!;
      const last = candidate.base + 255n;
      for (; next < intervals.length && intervals[next][0] <= last; next++) if (intervals[next][1] > maxEnd) maxEnd = intervals[next][1];
      if (maxEnd < candidate.base) return candidate;
    }
  }
  return undefined;
}
