// The cost of the Networks view's live rates: 50 running containers, sampled as the view does (one stats request
// per running container per interval, the interface->network mapping read once per container), measured as
// requests per minute at the default interval and as CPU of this process per sampling round, against the bare
// stats calls (dockerode, same process) as the reference.
import Docker from 'dockerode';
import { createEngineClient } from '../src/engine/dockerodeClient';
import { fmt, median } from './measure';
import { cleanup, inBatches } from './refresh';

const LABEL = 'dev.docker-networking.bench';
const CONTAINERS = 50;
const ROUNDS = 7;
const INTERVAL_S = 5;
const IMAGE = process.env.DOCKER_NET_TEST_IMAGE || 'docker-net-busybox:latest';

/** CPU milliseconds (user + system) this process spends in `fn`, and its wall time. */
async function cost(fn: () => Promise<unknown>): Promise<{ cpu: number; wall: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await fn();
  const c = process.cpuUsage(cpu0);
  return { cpu: (c.user + c.system) / 1000, wall: Number(process.hrtime.bigint() - t0) / 1e6 };
}

export async function countersBench(): Promise<string[]> {
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  await cleanup(docker);
  await docker.createNetwork({ Name: 'dn-bench-counters-a', Labels: { [LABEL]: '1' } });
  await docker.createNetwork({ Name: 'dn-bench-counters-b', Labels: { [LABEL]: '1' } });
  await inBatches([...Array(CONTAINERS).keys()], 5, async (i) => {
    const c = await docker.createContainer({ Image: IMAGE, Cmd: ['sleep', '600'], name: `dn-bench-counters-${i}`, Labels: { [LABEL]: '1' }, HostConfig: { NetworkMode: 'dn-bench-counters-a' } });
    // Half the containers are on two networks: their interfaces are mapped to networks by MAC (one exec, once).
    if (i % 2 === 0) await docker.getNetwork('dn-bench-counters-b').connect({ Container: c.id });
    await c.start();
  });
  try {
    const engine = createEngineClient('', {});
    const traffic = (await engine.traffic?.())!;
    const containers = (await engine.listContainers()).filter((c) => c.name.startsWith('dn-bench-counters-') && c.state === 'running');
    let requests = 0;
    const round = () =>
      inBatches(containers, 8, async (c) => {
        requests++;
        await traffic.counters(c);
      });
    const stats = (id: string) => (docker.getContainer(id).stats as unknown as (o: object) => Promise<unknown>).call(docker.getContainer(id), { stream: false, 'one-shot': true });
    const bare = () => inBatches(containers, 8, (c) => stats(c.id));
    await round(); // the first round also maps interfaces to networks (cached afterwards)
    requests = 0;
    const ours: Array<{ cpu: number; wall: number }> = [];
    const raw: Array<{ cpu: number; wall: number }> = [];
    for (let i = 0; i < ROUNDS; i++) {
      ours.push(await cost(round));
      raw.push(await cost(bare));
    }
    const perRound = requests / ROUNDS;
    const oursCpu = median(ours.map((c) => c.cpu));
    const rawCpu = median(raw.map((c) => c.cpu));
    const oursWall = median(ours.map((c) => c.wall));
    return [
      `## Live rates in the Networks view (${containers.length} running containers, ${CONTAINERS / 2} of them on two networks)`,
      '',
      '| measure | value |',
      '|---|---|',
      `| stats requests per sampling round | ${perRound} (one per running container) |`,
      `| stats requests per minute at the default ${INTERVAL_S} s interval | ${(perRound * 60) / INTERVAL_S} |`,
      `| CPU of this process per round (median of ${ROUNDS}) | ${fmt(oursCpu)} ms, ${fmt((oursCpu / (INTERVAL_S * 1000)) * 100)}% of one core at the default interval |`,
      `| CPU per round against the bare stats calls | ${fmt(oursCpu / rawCpu)}x |`,
      `| wall time of a round (the engine's answer time) | ${fmt(oursWall)} ms |`,
      '',
      'Sampling runs only while the view is visible; the interface-to-network mapping (one exec per container) is read once and cached until the container\'s networks change.',
    ];
  } finally {
    await cleanup(docker);
  }
}
