// Bad input never crashes or hangs the analyzer: random and mutated documents, and a 5 MB file.
import * as assert from 'assert';
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { corpusProjects, CORPUS } from './corpus.test';
import { needCorpus } from '../../support/corpus';
import { lint } from './helpers';

const name = fc.constantFrom('web', 'db', 'api', 'front', 'back', 'default', 'host', 'x-ext', 'service:web', 'container:db', '${VAR}', '${X:-10.0.0.1}');
const scalar = fc.oneof(name, fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.ipV4(), fc.ipV6(), fc.constantFrom('10.0.0.0/24', 'fd00::/64', '80:80', '127.0.0.1:8080:80', '8000-8010:80-85'));
const key = fc.constantFrom('services', 'networks', 'network_mode', 'ports', 'expose', 'links', 'depends_on', 'extra_hosts', 'aliases', 'ipv4_address', 'ipv6_address', 'ipam', 'config', 'subnet', 'gateway', 'ip_range', 'internal', 'external', 'name', 'driver', 'driver_opts', 'parent', 'environment', 'command', 'hostname', 'container_name', 'mac_address', 'extends', 'include', 'deploy', 'replicas', 'scale', 'healthcheck', 'test', 'web', 'db', 'front', 'back', 'default');
const composeish = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 5 })),
})).node;

function mutate(text: string, cuts: Array<[number, number, string]>): string {
  let out = text;
  for (const [at, len, insert] of cuts) {
    const i = at % (out.length + 1);
    out = out.slice(0, i) + insert + out.slice(i + len);
  }
  return out;
}

describe('robustness', function () {
  this.timeout(120_000);

  it('analyzes thousands of random compose-like documents without throwing', () => {
    fc.assert(
      fc.property(fc.dictionary(key, composeish, { maxKeys: 6 }), (doc) => {
        lint(stringify(doc));
      }),
      { numRuns: 2000 },
    );
  });

  it('analyzes thousands of mutated real files without throwing', function () {
    needCorpus(this);
    const texts = corpusProjects().map((p) => fs.readFileSync(path.join(CORPUS, p.files[p.files.length - 1]), 'utf8'));
    fc.assert(
      fc.property(fc.nat(texts.length - 1), fc.array(fc.tuple(fc.nat(20000), fc.nat(8), fc.constantFrom('', ':', '- ', '{', '[', '"', '\n', '  ', '${', '&a', '*a', '<<: *a\n', '\t')), { maxLength: 6 }), (i, cuts) => {
        lint(mutate(texts[i], cuts));
      }),
      { numRuns: 2000 },
    );
  });

  it('analyzes a 5 MB project', () => {
    const services: string[] = [];
    for (let i = 0, size = 0; size < 5_000_000; i++) {
      const service = `  svc${i}:\n    image: app:${i}\n    environment:\n      UPSTREAM_URL: http://svc${i + 1}:8080/path\n    networks:\n      net${i % 50}:\n        aliases: [alias${i}]\n      net${(i + 1) % 50}: {}\n`;
      services.push(service);
      size += service.length;
    }
    const networks = Array.from({ length: 50 }, (_, i) => `  net${i}: {}\n`).join('');
    const text = `services:\n${services.join('')}networks:\n${networks}`;
    assert.ok(text.length >= 5_000_000);
    const r = lint(text);
    assert.ok(r.project.services.size > 10_000);
    assert.deepStrictEqual(r.of('yaml-syntax'), []);
  });
});
