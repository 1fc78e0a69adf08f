// Hostile or pathological compose input (issue 12): the analyzer stays near-linear and bounded.
// Inputs are generated here. Anything that could hang or exhaust memory on a regression runs in a worker with a
// deadline and a heap limit (test/fuzz/watchdog.ts), so the suite fails instead of freezing; the other bounds are
// deterministic (counts), never timings.
import * as assert from 'assert';
import { Alias } from 'yaml';
import { interpolate, MAX_INTERPOLATION_DEPTH } from '../../../src/compose/interpolate';
import { parseIPv6 } from '../../../src/compose/ip';
import { hostTokens } from '../../../src/compose/hostnames';
import { parseProjectFile } from '../../../src/compose/project';
import { FileReader, MAX_SCALAR_LENGTH } from '../../../src/compose/read';
import { readFileContribution } from '../../../src/compose/build';
import { MAX_LISTED, MAX_RELATED } from '../../../src/compose/text';
import { Watchdog, type FuzzResult } from '../../fuzz/watchdog';
import { lint } from './helpers';

const anchoredServices = (n: number) => {
  const lines = ['x-base: &base', '  image: app', '  networks: [front]', '  environment:', '    UPSTREAM_URL: http://api:8080/', 'services:', '  api:', '    image: api', '    networks: [front, back]'];
  for (let i = 0; i < n; i++) lines.push(`  s${i}:`, '    <<: *base', `    hostname: h${i}`);
  lines.push('networks:', '  front: {}', '  back: {}');
  return lines.join('\n') + '\n';
};

const mergeBomb = (depth: number, fan: number) => {
  const lines = ['x-l0: &l0 {k0: 1, image: base, networks: [front]}'];
  for (let d = 1; d <= depth; d++) lines.push(`x-l${d}: &l${d}`, `  <<: [${Array(fan).fill(`*l${d - 1}`).join(', ')}]`, `  k${d}: ${d}`);
  lines.push('services:', '  web:', `    <<: *l${depth}`, 'networks:', '  front: {}');
  return lines.join('\n') + '\n';
};

const nested = (depth: number, name = 'A') => `\${${name}:-`.repeat(depth) + 'v' + '}'.repeat(depth);

describe('hardening: hostile input stays bounded (issue 12)', function () {
  this.timeout(120_000);
  let dog: Watchdog;
  before(async () => {
    dog = new Watchdog({ deadlineMs: 60_000, heapMb: 512 }); // generous: the machine may be shared; a regression takes minutes or crashes
    await dog.run({ family: 'warm-up', seed: 0, files: { 'compose.yaml': 'services: {web: {image: x}}\n' }, env: {} });
  });
  after(() => dog.close());

  /** Analyzes in the watchdog's worker; the verdict must be ok (not crash, hang, out of memory, or findings out of proportion). */
  async function watched(files: Record<string, string> | string, deadlineMs?: number, env: Record<string, string> = {}): Promise<FuzzResult> {
    const r = await dog.run({ family: 'test', seed: 0, files: typeof files === 'string' ? { 'compose.yaml': files } : files, env }, deadlineMs);
    assert.strictEqual(r.verdict, 'ok', `${r.verdict}: ${r.detail}`);
    return r;
  }

  describe('anchors and merge keys', () => {
    it('resolves every alias from one index per file: 1,000 `<<: *base` services never walk the document per alias', () => {
      const file = parseProjectFile('/p/compose.yaml', anchoredServices(1000));
      const original = Alias.prototype.resolve;
      let walks = 0;
      Alias.prototype.resolve = function (...args: Parameters<typeof original>) {
        walks++;
        return original.apply(this, args);
      };
      let reader: FileReader;
      let services: number;
      try {
        reader = new FileReader(file, {});
        const c = readFileContribution(reader);
        services = c.services.size;
        for (const svc of c.services.values()) if (svc.name !== 'api') assert.deepStrictEqual([...(svc.networks?.keys() ?? [])], ['front'], svc.name);
      } finally {
        Alias.prototype.resolve = original;
      }
      assert.strictEqual(services, 1001);
      assert.strictEqual(walks, 0, 'Alias.resolve walks the whole document on every call');
      assert.ok(reader.aliasLookups >= 1000, `${reader.aliasLookups} lookups`);
    });

    it('analyzes 2,000 `<<: *base` services within the watchdog (quadratic before: 17.5 s at 1,000)', async () => {
      await watched(anchoredServices(2000));
    });

    it('a merge key that refers to its own mapping is an error, not a stack overflow', async () => {
      await watched('services:\n  web: &w {image: x, <<: *w}\n');
      await watched('services:\n  web: &w\n    image: x\n    networks: &n\n      front: {<<: *w}\n    <<: [*n, *w]\nnetworks:\n  front: {}\n');
      const r = lint('services:\n  web: &w {image: x, <<: *w}\n');
      const f = r.of('yaml-syntax');
      assert.strictEqual(f.length, 1, JSON.stringify(r.findings.map((x) => x.message)));
      assert.match(f[0].message, /merge key refers to the mapping that contains it/);
      assert.strictEqual(r.textOf(f[0]), '*w');
      assert.strictEqual(r.project.services.get('web')?.image?.value, 'x');
    });

    it('merge bombs (depth 8, each level merging the previous 10 times) cost their distinct keys, not 10^8 paths', async () => {
      await watched(mergeBomb(8, 10));
      await watched(mergeBomb(12, 12));
      // Small enough to run here: the merged mapping holds each key once.
      const file = parseProjectFile('/p/compose.yaml', mergeBomb(3, 3));
      const reader = new FileReader(file, {});
      const web = reader.entryMap(reader.entryMap(reader.entryMap(file.doc.contents).get('services')!.value).get('web')!.value);
      const keys = reader.entries(reader.entryMap(reader.entryMap(file.doc.contents).get('services')!.value).get('web')!.value).map((e) => e.key.value);
      assert.deepStrictEqual(keys.sort(), ['image', 'k0', 'k1', 'k2', 'k3', 'networks']);
      assert.strictEqual(reader.scalar(web.get('k2')!.value)?.value, '2');
    });

    it('a merge chain 3,000 mappings deep is cut with a finding instead of recursing', async () => {
      const lines = ['x-m0: &m0 {image: base}'];
      for (let d = 1; d <= 3000; d++) lines.push(`x-m${d}: &m${d} {<<: *m${d - 1}, k${d}: ${d}}`);
      lines.push('services:', '  web:', '    <<: *m3000');
      const text = lines.join('\n') + '\n';
      await watched(text);
      const r = lint(text);
      assert.strictEqual(r.of('analysis-limit').length, 1, JSON.stringify(r.findings.map((f) => f.message)));
    });

    it('nesting 5,000 deep (`- - - … *a`, 10 KB) is a syntax finding, not a stack overflow', async () => {
      const text = `x-a: &a {image: x}\nx-deep:\n  ${'- '.repeat(5000)}*a\nservices:\n  web:\n    <<: *a\n`;
      await watched(text);
      await watched(`x-a: &a {image: x}\nx-deep: ${'{k: '.repeat(20_000)}*a${'}'.repeat(20_000)}\nservices:\n  web: *a\n`);
      const r = lint(text);
      assert.strictEqual(r.of('yaml-syntax').length, 1);
      assert.match(r.of('yaml-syntax')[0].message, /nesting too deep/);
    });

    it('<<: [*a, *b]: keys of earlier mappings win, the mapping\'s own keys win over all (YAML 1.1 merge)', () => {
      // docker-compose 1.29.2 `config` on this file prints web: image A, container_name cb, hostname ha; api: image B,
      // hostname own (checked on Debian's docker-compose). compose-go reads YAML with go-yaml v3, whose decoder's
      // merge() steps backwards through the sequence "as earlier nodes take precedence".
      const r = lint('x-a: &a {image: A, hostname: ha}\nx-b: &b {image: B, container_name: cb, hostname: hb}\nservices:\n  web:\n    <<: [*a, *b]\n  api:\n    <<: [*b, *a]\n    hostname: own\n');
      const web = r.project.services.get('web')!;
      const api = r.project.services.get('api')!;
      assert.deepStrictEqual([web.image?.value, web.containerName?.value, web.hostname?.value], ['A', 'cb', 'ha']);
      assert.deepStrictEqual([api.image?.value, api.containerName?.value, api.hostname?.value], ['B', 'cb', 'own']);
    });
  });

  describe('interpolation', () => {
    it('expands nesting up to the cap exactly as before', () => {
      assert.deepStrictEqual(interpolate(nested(MAX_INTERPOLATION_DEPTH - 1), {}), { value: 'v', unknown: false });
      assert.deepStrictEqual(interpolate(`a\${B:-x\${C:+y}z}$D$$\${E-\${F:-f}}`, { C: '1', D: 'd' }), { value: 'axyzd$f', unknown: false });
    });

    it('5,000-deep ${A:-${A:-…}} is cut at the depth cap with a finding, without recursion', async () => {
      const deep = interpolate(nested(5000), {});
      assert.deepStrictEqual(deep, { value: '', unknown: true, tooDeep: true });
      assert.strictEqual(interpolate(nested(100_000), {}).tooDeep, true);
      const text = `services:\n  web:\n    image: x\n    environment:\n      X: "${nested(5000)}"\n`;
      await watched(text);
      const r = lint(text);
      assert.strictEqual(r.of('analysis-limit').length, 1);
      assert.match(r.of('analysis-limit')[0].message, /nested deeper than 64/);
    });

    it('${toString}, ${constructor}, $__proto__ and other prototype names are unset variables', () => {
      for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
        assert.deepStrictEqual(interpolate(`\${${name}}`, {}), { value: '', unknown: true }, name);
        assert.deepStrictEqual(interpolate(`$${name}`, {}), { value: '', unknown: true }, name);
        assert.deepStrictEqual(interpolate(`\${${name}:-d}`, {}), { value: 'd', unknown: false }, name);
      }
      const r = lint('services:\n  web:\n    image: "${toString}"\n    hostname: "${constructor:-web}"\n');
      assert.strictEqual(r.project.services.get('web')?.image?.unknown, true);
      assert.strictEqual(r.project.services.get('web')?.hostname?.value, 'web');
    });
  });

  describe('long values', () => {
    const size = MAX_SCALAR_LENGTH - 100; // the longest value rules still read
    it('a dotted host name just under the value cap is scanned in linear time', async () => {
      const host = 'a.'.repeat(size / 2);
      assert.deepStrictEqual(hostTokens({ key: 'X', value: { value: 'http://db:5432/', span: { file: '', start: 0, end: 0 } } }).map((t) => t.host), ['db']);
      await watched(`services:\n  web:\n    image: x\n    environment:\n      UPSTREAM_URL: "${host}"\n      B: "${host}://x"\n`, 5_000);
    });

    it('an ipv6_address of 65,000 digits is rejected without a quadratic scan', async () => {
      assert.strictEqual(parseIPv6('::' + '1'.repeat(size)), undefined);
      assert.strictEqual(parseIPv6('::ffff:10.1.2.3'), 0xffff0a010203n);
      assert.strictEqual(parseIPv6('1:2:3:4:5:6:7.8.9.10'), 0x0001000200030004000500060708090an);
      const r = await watched(`services:\n  web:\n    image: x\n    networks:\n      n:\n        ipv6_address: "::${'1'.repeat(size)}"\nnetworks:\n  n: {enable_ipv6: true, ipam: {config: [{subnet: "fd00::/64"}]}}\n`, 5_000);
      assert.ok(r.outputBytes! < 10_000, `the finding quotes the value clipped: ${r.outputBytes} bytes`);
    });

    it('a .env value with 400,000 spaces, and a .env of 20,000 variables that refer to earlier ones, read in linear time', async () => {
      await watched({ 'compose.yaml': 'services:\n  web:\n    image: "${X}"\n', '.env': `X=x${' '.repeat(400_000)}y\nY=a${' '.repeat(400_000)}\n` }, 5_000);
      const many = Array.from({ length: 20_000 }, (_, i) => `V${i}=\${V${Math.max(0, i - 1)}}x`).join('\n');
      await watched({ 'compose.yaml': 'services:\n  web:\n    image: "${V19999}"\n', '.env': many + '\n' }, 10_000);
      const r = lint({ 'compose.yaml': 'services:\n  web:\n    image: "${X}"\n', '.env': `X=x${' '.repeat(1000)}y  \n` });
      assert.strictEqual(r.project.services.get('web')?.image?.value, `x${' '.repeat(1000)}y`);
    });

    it('values past the cap are not analyzed, and the analyzer says so', () => {
      const r = lint(`services:\n  web:\n    image: x\n    environment:\n      URL: "http://${'a'.repeat(MAX_SCALAR_LENGTH)}:80"\n`);
      assert.strictEqual(r.of('analysis-limit').length, 1);
      assert.match(r.of('analysis-limit')[0].message, /is longer than the 65536 the analyzer reads/);
    });
  });

  describe('findings stay proportional to the project', () => {
    it('implicit-default-mixed names at most a few services per message ("… and N more"), even at 10,000 services', async () => {
      const n = 5_000;
      const lines = ['services:'];
      for (let i = 0; i < n; i++) lines.push(`  d${i}: {image: x}`, `  c${i}: {image: x, networks: [custom]}`);
      lines.push('networks:', '  custom: {}');
      const text = lines.join('\n') + '\n';
      const r = await watched(text);
      assert.ok(r.findings! >= n, `${r.findings}`);
      assert.ok(r.outputBytes! < 2_000 * n, `${r.outputBytes} bytes of findings`);
      const small = lint(lines.slice(0, 1 + 2 * 40).join('\n') + '\nnetworks:\n  custom: {}\n');
      const f = small.of('implicit-default-mixed');
      assert.strictEqual(f.length, 40);
      assert.match(f[0].message, new RegExp(`\\[c0, c1, .*c${MAX_LISTED - 1}, … and ${40 - MAX_LISTED} more\\]`));
    });

    it('3,000 services answering one alias: each dns-name-collision carries a bounded list of related locations', async () => {
      const n = 3000;
      const lines = ['services:', '  db: {image: x, networks: [n]}'];
      for (let i = 0; i < n; i++) lines.push(`  s${i}:`, '    image: x', '    networks:', '      n: {aliases: [db, shared]}');
      lines.push('networks:', '  n: {}');
      const text = lines.join('\n') + '\n';
      const r = await watched(text);
      assert.ok(r.outputBytes! < 64 * text.length, `${r.outputBytes} bytes of findings for ${text.length} bytes`);
      const small = lint(lines.slice(0, 2 + 4 * 30).join('\n') + '\nnetworks:\n  n: {}\n');
      const collisions = small.of('dns-name-collision');
      assert.ok(collisions.length >= 30);
      for (const c of collisions) assert.ok(c.related.length <= MAX_RELATED, `${c.related.length} related`);
      assert.ok(collisions.some((c) => /… and \d+ more/.test(c.message)), collisions[collisions.length - 1].message);
    });

    it('the generated anchored services read like the same services written out', () => {
      const r = lint(anchoredServices(3));
      assert.deepStrictEqual([...r.project.services.values()].map((svc) => [svc.name, svc.image?.value, [...(svc.networks?.keys() ?? [])]]), [
        ['api', 'api', ['front', 'back']],
        ['s0', 'app', ['front']],
        ['s1', 'app', ['front']],
        ['s2', 'app', ['front']],
      ]);
    });
  });
});
