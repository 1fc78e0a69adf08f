// Helpers for tests that talk to the real engine: a raw dockerode client and names that cannot collide.
import Docker from 'dockerode';

export const TEST_IMAGE = process.env.DOCKER_NET_TEST_IMAGE || 'docker-net-busybox:latest';
export const TEST_LABEL = 'dev.docker-networking.test';

export function rawDocker(): Docker {
  return new Docker({ socketPath: '/var/run/docker.sock' });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Removes every network and container our tests labelled, whatever state a failed test left. */
export async function cleanupTestObjects(docker = rawDocker()): Promise<void> {
  const filters = JSON.stringify({ label: [TEST_LABEL] });
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true });
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove();
}
