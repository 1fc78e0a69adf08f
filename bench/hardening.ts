// Hostile and pathological inputs (issue 12): anchors against the same file written out, and each attack's cost
// against a bare yaml parse of the same text, with the size of the findings it produces.
import * as path from 'path';
import { parseDocument } from 'yaml';
import { analyze } from '../src/compose/analyze';
import { fmt, median } from './measure';

const DIR = '/bench';

/**
 * Median CPU time (user + system) of `fn`: the machine these run on may be shared, and CPU time counts the work
 * done by this process, not the time it waited for a core.
 */
function cpuMedianMs(fn: () => void, runs: number, warmup: number): number {
  for (let i = 0; i < warmup; i++) fn();
  return median(
    Array.from({ length: runs }, () => {
      const start = process.cpuUsage();
      fn();
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000;
    }),
  );
}

function run(files: Record<string, string>): number {
  const host = { readFile: (p: string) => (Object.prototype.hasOwnProperty.call(files, path.relative(DIR, p)) ? files[path.relative(DIR, p)] : undefined) };
  return JSON.stringify(analyze({ dir: DIR, env: {} }, host).findings).length;
}

/** `n` services that take image, networks and environment from one anchor, and the same services written out. */
export function anchoredAndWritten(n: number): [string, string] {
  const anchored = ['x-base: &base', '  image: app', '  networks: [front]', '  environment:', '    UPSTREAM_URL: http://api:8080/', 'services:', '  api: {image: api, networks: [front, back]}'];
  const written = ['services:', '  api: {image: api, networks: [front, back]}'];
  for (let i = 0; i < n; i++) {
    anchored.push(`  s${i}:`, '    <<: *base', `    hostname: h${i}`);
    written.push(`  s${i}:`, '    image: app', '    networks: [front]', '    environment:', '      UPSTREAM_URL: http://api:8080/', `    hostname: h${i}`);
  }
  const nets = ['networks:', '  front: {}', '  back: {}'];
  return [[...anchored, ...nets].join('\n') + '\n', [...written, ...nets].join('\n') + '\n'];
}

function anchorRows(): string[] {
  return [250, 1000].map((n) => {
    const [anchored, written] = anchoredAndWritten(n);
    const a = cpuMedianMs(() => run({ 'compose.yaml': anchored }), 5, 1);
    const w = cpuMedianMs(() => run({ 'compose.yaml': written }), 5, 1);
    return `| ${n} services | ${fmt(w)} | ${fmt(a)} | **${(a / w).toFixed(2)}x** |`;
  });
}

const nested = (depth: number) => '${A:-'.repeat(depth) + 'v' + '}'.repeat(depth);

/** The attacks of the issue, at its sizes. */
function attacks(): Array<[string, Record<string, string>]> {
  const bomb = ['x-l0: &l0 {k0: 1, image: base, networks: [front]}'];
  for (let d = 1; d <= 8; d++) bomb.push(`x-l${d}: &l${d}`, `  <<: [${Array(10).fill(`*l${d - 1}`).join(', ')}]`, `  k${d}: ${d}`);
  bomb.push('services:', '  web:', '    <<: *l8', 'networks:', '  front: {}');
  const mixed = ['services:'];
  for (let i = 0; i < 16_500; i++) mixed.push(`  d${i}: {image: x}`, `  c${i}: {image: x, networks: [custom]}`);
  mixed.push('networks:', '  custom: {}');
  const collide = ['services:', '  db: {image: x, networks: [n]}'];
  for (let i = 0; i < 3000; i++) collide.push(`  s${i}: {image: x, networks: {n: {aliases: [db]}}}`);
  collide.push('networks:', '  n: {}');
  const include: Record<string, string> = { 'compose.yaml': 'include: [f0.yaml]\nservices: {main: {image: x}}\n' };
  for (let i = 0; i < 17; i++) include[`f${i}.yaml`] = (i < 16 ? `include: [f${i + 1}.yaml, f${i + 1}.yaml, f${i + 1}.yaml, f${i + 1}.yaml]\n` : '') + `services: {s${i}: {image: x}}\n`;
  const ext = ['services:', '  s0: {image: x}'];
  for (let i = 1; i < 1000; i++) ext.push(`  s${i}: {extends: {service: s${i - 1}}}`);
  const one = (text: string) => ({ 'compose.yaml': text });
  return [
    ['self-referencing merge key `web: &w {<<: *w}`', one('services:\n  web: &w {image: x, <<: *w}\n')],
    ['merge bomb, depth 8, each level merging the previous 10 times', one(bomb.join('\n') + '\n')],
    ['`${A:-${A:-…}}` 5,000 deep', one(`services:\n  web:\n    image: x\n    environment:\n      X: "${nested(5000)}"\n`)],
    ['dotted host name of 400 KB in an environment value', one(`services:\n  web:\n    image: x\n    environment:\n      UPSTREAM_URL: "${'a.'.repeat(200_000)}"\n`)],
    ['dotted host name of 64 KB (just under the value cap)', one(`services:\n  web:\n    image: x\n    environment:\n      UPSTREAM_URL: "${'a.'.repeat(32_700)}"\n`)],
    ['`.env` value with 400k spaces', { 'compose.yaml': 'services:\n  web:\n    image: "${X}"\n', '.env': `X=x${' '.repeat(400_000)}y\n` }],
    ['`ipv6_address` of 100k digits', one(`services:\n  web:\n    image: x\n    networks:\n      n:\n        ipv6_address: "::${'1'.repeat(100_000)}"\nnetworks:\n  n: {enable_ipv6: true, ipam: {config: [{subnet: "fd00::/64"}]}}\n`)],
    ['`ipv6_address` of 64k digits (just under the value cap)', one(`services:\n  web:\n    image: x\n    networks:\n      n:\n        ipv6_address: "::${'1'.repeat(64_000)}"\nnetworks:\n  n: {enable_ipv6: true, ipam: {config: [{subnet: "fd00::/64"}]}}\n`)],
    ['include DAG: 17 files, each including the next 4 times', include],
    ['`extends` chain of 1,000 services', one(ext.join('\n') + '\n')],
    ['implicit-default-mixed: 33,000 services', one(mixed.join('\n') + '\n')],
    ['3,000 services answering one alias (DNS collisions)', one(collide.join('\n') + '\n')],
  ];
}

export function hardeningBench(): string[] {
  const rows = attacks().map(([label, files]) => {
    const bytes = Object.values(files).reduce((n, t) => n + t.length, 0);
    // The reference parse uses our options: yaml's default duplicate-key check is itself quadratic in a mapping's keys.
    const bare = cpuMedianMs(() => Object.values(files).forEach((t) => parseDocument(t, { merge: true, uniqueKeys: false, prettyErrors: false, strict: false })), 3, 1);
    let out = 0;
    const ms = cpuMedianMs(() => (out = run(files)), 3, 1);
    return `| ${label} | ${(bytes / 1024).toFixed(0)} KiB | ${fmt(bare)} | ${fmt(ms)} | ${(ms / bare).toFixed(2)}x | ${out < 10_240 ? `${out} bytes` : `${(out / 1024).toFixed(0)} KiB`} (${(out / bytes).toFixed(2)} per input byte) |`;
  });
  return [
    '## Hostile input (issue 12)',
    '',
    'Services written with `<<: *base` against the same services written out (the analysis of both; CPU time, median of 5 runs).',
    'Target: at most 1.5x. Before issue 12, every alias walked the whole document: 1.4 s at 250 services, 17.5 s at 1,000.',
    '',
    '| project | written out CPU ms | with `<<: *base` CPU ms | anchored / written |',
    '|---|---|---|---|',
    ...anchorRows(),
    '',
    'The attacks of issue 12 at its sizes: the whole analysis against `yaml.parseDocument` of the same files with our options (CPU time, median of 3),',
    'and the size of the findings as JSON. Before: 3 s to over 20 s each, stack overflows, 60 MB to 1.8 GB of findings.',
    '',
    '| input | size | parse CPU ms | analysis CPU ms | analysis / parse | findings |',
    '|---|---|---|---|---|---|',
    ...rows,
  ];
}
