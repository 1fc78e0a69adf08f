// One Networks-view refresh on the real engine with 200 networks and 400 containers, against the bare API
// calls it makes and against the docker CLI way (`docker network ls`, then `docker network inspect` each).
import { execFileSync } from 'child_process';
import Docker from 'dockerode';
import { createEngineClient } from '../src/engine/dockerodeClient';
import { attachmentsOf, groupNetworks, indexAttachments } from '../src/engine/view';
import { fmt, median } from './measure';

const LABEL = 'dev.docker-networking.bench';
const NETWORKS = 200;
const CONTAINERS = 400;
const IMAGE = process.env.DOCKER_NET_TEST_IMAGE || 'docker-net-busybox:latest';

export async function inBatches<T>(items: T[], size: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

/** Removes every container and network the benchmarks labelled. */
export async function cleanup(docker: Docker): Promise<void> {
  const filters = JSON.stringify({ label: [LABEL] });
  await inBatches(await docker.listContainers({ all: true, filters }), 20, (c) => docker.getContainer(c.Id).remove({ force: true }));
  await inBatches(await docker.listNetworks({ filters }), 20, (n) => docker.getNetwork(n.Id).remove());
}

async function timeAsync(fn: () => Promise<unknown>, runs = 9): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(times);
}

export async function refreshBench(): Promise<string[]> {
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  await cleanup(docker);
  const ids: string[] = [];
  await inBatches([...Array(NETWORKS).keys()], 10, async (i) => {
    const n = await docker.createNetwork({ Name: `dn-bench-${i}`, Labels: { [LABEL]: '1' }, IPAM: { Config: [{ Subnet: `10.200.${i}.0/24` }] } });
    ids[i] = n.id;
  });
  // Created, not started: the list calls return them with their network attachments all the same.
  await inBatches([...Array(CONTAINERS).keys()], 10, (i) =>
    docker.createContainer({ Image: IMAGE, name: `dn-bench-c${i}`, Labels: { [LABEL]: '1' }, HostConfig: { NetworkMode: `dn-bench-${i % NETWORKS}` } }),
  );
  try {
    const engine = createEngineClient('', {});
    const refresh = async () => {
      const [networks, containers] = await Promise.all([engine.listNetworks(), engine.listContainers()]);
      const index = indexAttachments(containers);
      for (const g of groupNetworks(networks)) for (const n of g.networks) attachmentsOf(n, index);
    };
    const bare = async () => Promise.all([docker.listNetworks(), docker.listContainers({ all: true })]);
    const cli = async () => {
      const names = execFileSync('docker', ['network', 'ls', '--format', '{{.Name}}'], { encoding: 'utf8' }).trim().split('\n');
      for (const name of names) execFileSync('docker', ['network', 'inspect', name], { stdio: 'ignore' });
    };
    const ours = await timeAsync(refresh);
    const raw = await timeAsync(bare);
    const viaCli = await timeAsync(cli, 1);
    const total = (await docker.listNetworks()).length;
    return [
      '## One Networks-view refresh on the real engine (issue 5)',
      '',
      `${total} networks (${NETWORKS} created for the run) and ${CONTAINERS} containers (created, attached, not started). Median of 9 refreshes after a warm-up.`,
      'A refresh is two API calls (list networks, list containers) whatever the number of networks, then normalising and grouping.',
      '',
      '| what | ms | ratio to the bare calls |',
      '|---|---|---|',
      `| bare API calls (dockerode listNetworks + listContainers) | ${fmt(raw)} | 1.00x |`,
      `| our refresh (same calls, normalised, grouped, containers joined) | ${fmt(ours)} | **${(ours / raw).toFixed(2)}x** (target at most 1.3x) |`,
      `| the CLI way: \`docker network ls\`, then \`docker network inspect\` for each (${total + 1} processes, one run) | ${fmt(viaCli)} | ${(viaCli / raw).toFixed(0)}x |`,
    ];
  } finally {
    await cleanup(docker);
  }
}
