// unreachable-hostname's relay ("only reachable through X") is looked up among the services on the networks where the
// name resolves (Topology.attachedTo), not by scanning every service: the same answer as the scan, on random projects.
import * as assert from 'assert';
import { lint, randomNetworkProject as randomProject } from './helpers';

describe('unreachable-hostname: the relay lookup', () => {
  it('Topology.attachedTo lists the services on a network in project order, tenants with their owner', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { project, topology } = lint(randomProject(seed));
      for (let n = 0; n < 6; n++) {
        const net = `n${n}`;
        assert.deepStrictEqual(topology.attachedTo(net), [...project.services.keys()].filter((s) => topology.networksOf(s).includes(net)), `seed ${seed} ${net}`);
      }
    }
  });

  it('names the same relay as scanning every service in order (200 random projects)', () => {
    let relays = 0;
    let unreachable = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const r = lint(randomProject(seed));
      const { project, topology } = r;
      for (const f of r.of('unreachable-hostname')) {
        const host = /^"([^"]+)"/.exec(f.message)![1];
        const svc = [...project.services.values()].find((s) => {
          const range = (s.pair.value as { range?: [number, number, number] }).range!;
          return f.span.start >= s.nameSpan.start && f.span.start <= range[1];
        })!.name;
        if (topology.resolves(svc, host)) continue; // the icc message: no relay asked
        unreachable++;
        // The definition: the first service in order, not svc, sharing a network with it, connecting to host under
        // a name other than its own.
        const expected = [...project.services.keys()].find((o) => o !== svc && topology.shared(svc, o).length > 0 && !topology.namesOf(o).has(host) && topology.connects(o, host));
        const got = /only reachable through "([^"]+)"/.exec(f.message)?.[1];
        assert.strictEqual(got, expected, `seed ${seed}: ${svc} -> ${host}: ${f.message}`);
        if (got) relays++;
      }
    }
    assert.ok(relays > 20 && unreachable > relays, `the projects exercise both answers (${relays} relays of ${unreachable})`);
  });
});
