// The code lenses' text (compose/lenses.ts), computed in the analysis worker: "reaches X by name" from the names on
// the service's networks must say what Topology.canReach says for every pair.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { lensSpecs, reachableByName } from '../../../src/compose/lenses';
import { CORPUS, needCorpus } from '../../support/corpus';
import { lint, randomNetworkProject, type Lint } from './helpers';

function assertSameAsCanReach(a: Lint, label: string): void {
  const { project, topology } = a;
  const names = [...project.services.keys()];
  const order = new Map(names.map((s, i) => [s, i]));
  for (const from of names) {
    const expected = names.filter((to) => to !== from && topology.canReach(from, to));
    assert.deepStrictEqual(reachableByName(topology, project, from, order), expected, `${label}: ${from}`);
  }
}

describe('code lenses (compose/lenses.ts)', () => {
  it('"reaches" lists what canReach says, pair by pair, on 200 random projects (aliases, icc off, network_mode)', () => {
    for (let seed = 1; seed <= 200; seed++) assertSameAsCanReach(lint(randomNetworkProject(seed)), `seed ${seed}`);
  });

  it('"reaches" lists what canReach says on every corpus file', function () {
    needCorpus(this);
    for (const f of fs.readdirSync(CORPUS).filter((x) => /\.ya?ml$/.test(x))) assertSameAsCanReach(lint(fs.readFileSync(path.join(CORPUS, f), 'utf8')), f);
  });

  it('says who is on each network, its flags, and each service\'s networks and reach, for the file asked', () => {
    const a = lint(`services:
  api: {image: x, networks: [front, back]}
  db: {image: x, networks: [back]}
  tool: {image: x, network_mode: host}
networks:
  front: {}
  back: {internal: true, ipam: {config: [{subnet: 10.9.0.0/24}]}}
  partner: {external: true, name: corp-net}
`);
    const file = [...a.project.files.keys()][0];
    const lenses = lensSpecs(a, file, { networkNames: ['bridge'] } as never).map((l) => `${l.kind}: ${'title' in l ? l.title : 'name' in l ? l.name : ''}`);
    assert.deepStrictEqual(lenses, [
      'network-services: 1 service: api',
      'network-flags: driver bridge',
      'diagram: ',
      'network-services: 2 services: api, db',
      'network-flags: internal: no way out · driver bridge · subnet 10.9.0.0/24',
      'diagram: ',
      'network-services: no services',
      'network-flags: external (corp-net) · driver bridge',
      'diagram: ',
      'create-network: corp-net',
      'service-reach: networks: front, back · reaches db by name',
      'service-reach: networks: back · reaches api by name',
      'service-reach: network_mode host · reaches no service by name',
    ]);
    assert.deepStrictEqual(lensSpecs(a, '/elsewhere.yaml'), [], 'only the lenses of the file asked');
  });
});
