// Which subnets overlap, in O(n log n): sorted by start address, CIDR blocks are nested or disjoint, so the blocks
// containing one are the open ones on a stack (a sweep), and the blocks it contains start inside it (a range of the
// sorted order, answered by a sparse table). Quadratic pairwise checks took seconds at thousands of networks.
import { cidrSize, type Cidr } from './ip';

/** The smallest index, and the smallest index whose group differs from the first's: enough to answer "the first with a group other than X". */
interface Best {
  i1: number;
  g1: unknown;
  i2: number;
  g2: unknown;
}

const NONE: Best = { i1: Infinity, g1: undefined, i2: Infinity, g2: undefined };

/**
 * The best of two: the smallest index (the earlier candidate on a tie, in the order a.i1, a.i2, b.i1, b.i2), and the
 * smallest index whose group differs from that one's. Compared field by field: no candidate arrays per merge (the
 * sparse table merges n log n times).
 */
function merge(a: Best, b: Best): Best {
  let i1 = Infinity;
  let g1: unknown = undefined;
  for (let c = 0; c < 4; c++) {
    const i = candidateIndex(a, b, c);
    if (i < i1) {
      i1 = i;
      g1 = candidateGroup(a, b, c);
    }
  }
  let i2 = Infinity;
  let g2: unknown = undefined;
  for (let c = 0; c < 4; c++) {
    const i = candidateIndex(a, b, c);
    const g = candidateGroup(a, b, c);
    if (i < i2 && g !== g1) {
      i2 = i;
      g2 = g;
    }
  }
  return { i1, g1, i2, g2 };
}

/** Candidate c of a merge, in the order a.i1, a.i2, b.i1, b.i2: read in place. */
const candidateIndex = (a: Best, b: Best, c: number): number => (c === 0 ? a.i1 : c === 1 ? a.i2 : c === 2 ? b.i1 : b.i2);
const candidateGroup = (a: Best, b: Best, c: number): unknown => (c === 0 ? a.g1 : c === 1 ? a.g2 : c === 2 ? b.g1 : b.g2);

const firstOutside = (b: Best, group: unknown) => (b.g1 !== group ? b.i1 : b.i2);

/**
 * For each item, the smallest index of an EARLIER item of another group whose subnet overlaps its own (same family,
 * one containing the other), or undefined. Groups compare by identity (a network: several subnets of one network
 * are not compared with each other).
 */
export function firstOverlapping(items: ReadonlyArray<{ cidr: Cidr; group: unknown }>): Array<number | undefined> {
  const n = items.length;
  const start = items.map((x) => x.cidr.base);
  const end = items.map((x) => x.cidr.base + cidrSize(x.cidr) - 1n);
  // Sorted by family, start, then larger blocks first (so a block comes after every block containing it), then index.
  const order = items.map((_, i) => i);
  order.sort((a, b) => items[a].cidr.family - items[b].cidr.family || (start[a] < start[b] ? -1 : start[a] > start[b] ? 1 : 0) || items[a].cidr.prefix - items[b].cidr.prefix || a - b);
  const leaf = (i: number): Best => ({ i1: i, g1: items[i].group, i2: Infinity, g2: undefined });

  // Sparse table over the sorted order: the best of any range in O(1).
  const table: Best[][] = [order.map(leaf)];
  for (let k = 1; 1 << k <= n; k++) {
    const prev = table[k - 1];
    const row: Best[] = [];
    for (let p = 0; p + (1 << k) <= n; p++) row.push(merge(prev[p], prev[p + (1 << (k - 1))]));
    table.push(row);
  }
  const rangeBest = (lo: number, hi: number): Best => {
    if (lo > hi) return NONE;
    const k = 31 - Math.clz32(hi - lo + 1);
    return merge(table[k][lo], table[k][hi - (1 << k) + 1]);
  };
  /** The first position in the sorted order at or after which (family, start) >= (family, value). */
  const lowerBound = (family: number, value: bigint, strict: boolean): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = order[mid];
      const f = items[m].cidr.family;
      const before = f < family || (f === family && (strict ? start[m] <= value : start[m] < value));
      if (before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const out: Array<number | undefined> = new Array(n).fill(undefined);
  // The sweep: the stack holds the blocks containing the current one, each with the best of itself and those below.
  const stack: Array<{ i: number; best: Best }> = [];
  let family = -1;
  for (const i of order) {
    const f = items[i].cidr.family;
    if (f !== family) {
      stack.length = 0;
      family = f;
    }
    while (stack.length && end[stack[stack.length - 1].i] < start[i]) stack.pop();
    const containing = stack.length ? stack[stack.length - 1].best : NONE;
    // Blocks starting inside this one: contained in it, or (same start) containing it.
    const inside = rangeBest(lowerBound(f, start[i], false), lowerBound(f, end[i], true) - 1);
    const j = Math.min(firstOutside(containing, items[i].group), firstOutside(inside, items[i].group));
    if (j < i) out[i] = j;
    stack.push({ i, best: merge(leaf(i), containing) });
  }
  return out;
}
