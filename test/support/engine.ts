// Helpers for tests that talk to the real engine: a raw dockerode client and names that cannot collide.
import Docker from 'dockerode';

export const TEST_IMAGE = process.env.DOCKER_NET_TEST_IMAGE || 'docker-net-busybox:latest';
export const TEST_LABEL_KEY = 'dev.docker-networking.test';
/** This run's id (set by scripts/run-tests.js for every kind, the extension host included): runs never clean up each other's objects. */
export const TEST_RUN = process.env.DOCKER_NET_TEST_RUN || `run-${process.pid}`;
/** Label objects with `{ [TEST_LABEL]: TEST_RUN }`; filter with TEST_LABEL_FILTER. */
export const TEST_LABEL = TEST_LABEL_KEY;
export const TEST_LABEL_FILTER = `${TEST_LABEL_KEY}=${TEST_RUN}`;

export function rawDocker(): Docker {
  return new Docker({ socketPath: '/var/run/docker.sock' });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Removes every network and container this run labelled, whatever state a failed test left. */
export async function cleanupTestObjects(docker = rawDocker()): Promise<void> {
  await removeLabelled(docker, TEST_LABEL_FILTER);
}

/** Removes what earlier runs left behind (runs whose process is gone), never a live run's objects. */
export async function cleanupAbandonedRuns(docker = rawDocker()): Promise<void> {
  const alive = (run: string) => {
    const pid = Number(/^run-(\d+)$/.exec(run)?.[1]);
    if (!pid) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const runs = new Set<string>();
  for (const c of await docker.listContainers({ all: true, filters: JSON.stringify({ label: [TEST_LABEL_KEY] }) })) runs.add(c.Labels[TEST_LABEL_KEY]);
  for (const n of await docker.listNetworks({ filters: JSON.stringify({ label: [TEST_LABEL_KEY] }) })) runs.add(n.Labels?.[TEST_LABEL_KEY] ?? '');
  for (const run of runs) if (!alive(run)) await removeLabelled(docker, `${TEST_LABEL_KEY}=${run}`);
}

async function removeLabelled(docker: Docker, filter: string): Promise<void> {
  const filters = JSON.stringify({ label: [filter] });
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
}

/** Creates a labelled test network and returns its name. */
export async function createTestNetwork(options: { internal?: boolean; subnet?: string } = {}, docker = rawDocker()): Promise<string> {
  const name = uniqueName('dn-net');
  await docker.createNetwork({
    Name: name,
    Internal: options.internal === true,
    Labels: { [TEST_LABEL]: TEST_RUN },
    ...(options.subnet ? { IPAM: { Config: [{ Subnet: options.subnet }] } } : {}),
  });
  return name;
}

/** Creates and starts a labelled container from the test image; rejects with the engine's message if start fails. */
export async function startTestContainer(options: Docker.ContainerCreateOptions, docker = rawDocker()): Promise<Docker.Container> {
  const container = await docker.createContainer({
    Image: TEST_IMAGE,
    Cmd: ['sleep', '600'],
    Tty: true,
    ...options,
    Labels: { [TEST_LABEL]: TEST_RUN, ...(options.Labels ?? {}) },
  });
  await container.start();
  return container;
}

/** Runs a command in a new container to the end: its exit code and output. */
export async function runToExit(options: Docker.ContainerCreateOptions, docker = rawDocker()): Promise<{ code: number; output: string }> {
  const container = await startTestContainer(options, docker);
  const { StatusCode } = await container.wait();
  const output = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
  return { code: StatusCode, output };
}
