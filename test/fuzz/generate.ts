// Directed generators for the hardening fuzz campaign: each family aims at one way an analyzer goes
// super-linear or unbounded (merges, anchors, interpolation, includes, extends, long values, big lists).
// Deterministic from a seed, so a failing input is reproduced by its seed and family.

export interface FuzzInput {
  family: string;
  seed: number;
  /** Files by path relative to the project directory; the first compose file is `compose.yaml`. */
  files: Record<string, string>;
  env: Record<string, string>;
}

/** mulberry32: small, fast and good enough to pick sizes and shapes. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Gen = (r: Random) => Omit<FuzzInput, 'family' | 'seed'>;

class Random {
  constructor(readonly next: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const compose = (text: string, env: Record<string, string> = {}, more: Record<string, string> = {}) => ({ files: { 'compose.yaml': text, ...more }, env });

const PROTO_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__'];

export const FAMILIES: Record<string, Gen> = {
  /** Many services sharing one anchor with `<<: *base`, sometimes several anchors and overrides. */
  anchors(r) {
    const n = r.int(50, 1500);
    const bases = r.int(1, 5);
    const lines: string[] = [];
    for (let b = 0; b < bases; b++) lines.push(`x-b${b}: &b${b}`, `  image: app${b}`, `  networks: [n${b % 3}]`, '  environment:', `    URL: http://s${b}:80/`);
    lines.push('services:');
    for (let i = 0; i < n; i++) {
      const src = r.chance(0.3) ? `[${Array.from({ length: r.int(1, bases) }, () => `*b${r.int(0, bases - 1)}`).join(', ')}]` : `*b${r.int(0, bases - 1)}`;
      lines.push(`  s${i}:`, `    <<: ${src}`, `    hostname: h${i}`);
    }
    lines.push('networks:', '  n0: {}', '  n1: {}', '  n2: {}');
    return compose(lines.join('\n') + '\n');
  },

  /** Merge bombs: each level merges the previous one many times; sometimes a merge cycle. */
  mergeBomb(r) {
    const depth = r.int(3, 12);
    const fan = r.int(2, 12);
    const lines = [`x-l0: &l0 {k0: 1, image: base, networks: [front]}`];
    for (let d = 1; d <= depth; d++) {
      lines.push(`x-l${d}: &l${d}`, `  <<: [${Array.from({ length: fan }, () => `*l${d - 1}`).join(', ')}]`, `  k${d}: ${d}`);
      if (r.chance(0.2)) lines.push(`  sub${d}: &c${d} {<<: *l${d}, x: 1}`); // merges the mapping that contains it
    }
    lines.push('services:', '  web:', `    <<: *l${depth}`, '    image: x');
    if (r.chance(0.5)) lines.push('  self: &w', '    <<: *w', '    image: y');
    lines.push('networks:', '  front: {}');
    return compose(lines.join('\n') + '\n');
  },

  /** Merge chains: a merges b merges c ... hundreds deep. */
  mergeChain(r) {
    const depth = r.int(50, 3000);
    const lines = ['x-m0: &m0 {image: base}'];
    for (let d = 1; d <= depth; d++) lines.push(`x-m${d}: &m${d} {<<: *m${d - 1}, k${d}: ${d}}`);
    lines.push('services:', '  web:', `    <<: *m${depth}`);
    return compose(lines.join('\n') + '\n');
  },

  /** Nested and odd interpolations, prototype names as variables. */
  interpolation(r) {
    const depth = r.int(1, 6000);
    const name = r.pick(['A', 'UNSET', ...PROTO_NAMES]);
    const op = r.pick([':-', '-', ':+', '+', ':?', '?']);
    const nested = `\${${name}${op}`.repeat(depth) + 'v' + '}'.repeat(r.chance(0.9) ? depth : r.int(0, depth));
    const flat = Array.from({ length: r.int(1, 2000) }, () => `\${${r.pick(PROTO_NAMES)}}$${r.pick(PROTO_NAMES)}$$`).join('');
    const env: Record<string, string> = r.chance(0.5) ? { A: '' } : { A: 'set' };
    return compose(`services:\n  web:\n    image: "${r.pick(PROTO_NAMES)}\${${r.pick(PROTO_NAMES)}}"\n    environment:\n      N: "${nested}"\n      F: "${flat}"\n      P: \${toString:-http://db:5432}\n`, env);
  },

  /** Include graphs where each file includes the next several times (a DAG with exponentially many paths), or cycles. */
  includes(r) {
    const n = r.int(3, 20);
    const fan = r.int(1, 5);
    const files: Record<string, string> = {};
    for (let i = 0; i < n; i++) {
      const next = i + 1 < n ? Array.from({ length: fan }, () => `  - f${i + 1}.yaml`) : r.chance(0.3) ? ['  - f0.yaml'] : [];
      const body = [`services:`, `  s${i}:`, `    image: x`, `    networks: [n]`, 'networks:', '  n: {}'];
      files[`f${i}.yaml`] = (next.length ? ['include:', ...next] : []).join('\n') + (next.length ? '\n' : '') + body.join('\n') + '\n';
    }
    return { files: { 'compose.yaml': `include:\n  - f0.yaml\nservices:\n  main:\n    image: x\n`, ...files }, env: {} };
  },

  /** Long `extends` chains, in one file or across files, sometimes cyclic. */
  extendsChain(r) {
    const n = r.int(10, 1500);
    const crossFile = r.chance(0.3);
    const lines = ['services:'];
    const other = ['services:'];
    for (let i = 0; i < n; i++) {
      const target = i === 0 ? (r.chance(0.2) ? `s${n - 1}` : undefined) : `s${i - 1}`;
      const out = crossFile && i % 2 === 1 ? other : lines;
      out.push(`  s${i}:`, '    image: x', `    networks: [n${i % 4}]`);
      if (target) out.push('    extends:', `      service: ${target}`, ...(crossFile ? [`      file: ${i % 2 === 1 ? 'compose.yaml' : 'other.yaml'}`] : []));
    }
    lines.push('networks:', '  n0: {}', '  n1: {}', '  n2: {}', '  n3: {}');
    return compose(lines.join('\n') + '\n', {}, crossFile ? { 'other.yaml': other.join('\n') + '\n' } : {});
  },

  /** Long values: dotted host names, long IPv6 addresses, ports, spaces in .env, long keys. */
  longValues(r) {
    const size = r.int(1000, 120_000);
    const host = 'a.'.repeat(size / 2);
    const digits = '1'.repeat(size);
    const spaces = ' '.repeat(size);
    const kind = r.int(0, 5);
    const env = kind === 2 ? `X=x${spaces}y\nY=${'a'.repeat(size)} #c\nZ="${spaces}\n` : 'A=1\n';
    return {
      files: {
        'compose.yaml': [
          'services:',
          '  web:',
          '    image: x',
          '    environment:',
          `      UPSTREAM_URL: "${kind === 0 ? host : `http://${host}:80`}"`,
          `      DB_HOST: "${kind === 1 ? host + '://' : 'db'}"`,
          `      X: "${kind === 3 ? '/a'.repeat(size / 2) + ':1' : 'x'}"`,
          '    ports:',
          `      - "${kind === 4 ? digits + ':' + digits : '80:80'}"`,
          '    networks:',
          '      n:',
          `        ipv6_address: "${kind === 5 ? digits : 'fd00::5'}"`,
          `        ipv4_address: "${kind === 5 ? digits.replace(/1/g, '1.') : '10.0.0.5'}"`,
          'networks:',
          `  n: {enable_ipv6: true, ipam: {config: [{subnet: "fd00::/64"}, {subnet: "${kind === 5 ? digits + '/24' : '10.0.0.0/24'}"}]}}`,
        ].join('\n') + '\n',
        '.env': env,
      },
      env: {},
    };
  },

  /** Deep nesting: compact sequences, flow collections and indented mappings, sometimes with aliases inside. */
  deepNesting(r) {
    const d = r.int(100, 30_000);
    const kind = r.int(0, 2);
    const deep = kind === 0 ? `\n  ${'- '.repeat(d)}*a` : kind === 1 ? ` ${'['.repeat(d)}*a${']'.repeat(d)}` : ` ${'{k: '.repeat(d)}*a${'}'.repeat(d)}`;
    return compose(`x-a: &a {image: x}\nx-deep:${deep}\nservices:\n  web:\n    <<: *a\n`);
  },

  /** Big lists in findings: many services on the implicit default next to many on custom networks; many colliding names. */
  bigLists(r) {
    const n = r.int(100, 4000);
    const lines = ['services:'];
    const collide = r.chance(0.5);
    for (let i = 0; i < n; i++) {
      lines.push(`  s${i}:`, '    image: x');
      if (collide) lines.push('    networks:', '      n:', '        aliases: [same, db]');
      else if (i % 2) lines.push('    networks: [n]');
    }
    lines.push('  db:', '    image: x', '    networks: [n]', 'networks:', '  n: {}');
    return compose(lines.join('\n') + '\n');
  },
};

export function generate(family: string, seed: number): FuzzInput {
  const gen = FAMILIES[family];
  if (!gen) throw new Error(`unknown fuzz family ${family}`);
  return { family, seed, ...gen(new Random(rng(seed))) };
}
