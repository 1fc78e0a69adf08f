// The small stack the Swarm tests (and scripts/engines/screenshot-swarm-stack.js, through out/) deploy on the Swarm of
// engines.ts: two services, web and api, on two overlays, back shared; its file, its `docker stack deploy`, and the wait
// for its tasks to run.
import { execFile } from 'child_process';
import type Docker from 'dockerode';
import { until } from '../../support/until';

export interface StackFileOptions {
  /** Publish web's 8080 on this port of each node, in host mode (a `ports:` entry instead of `expose:`). */
  webHostPort?: number;
  /** At most one task of each service per node (placement.max_replicas_per_node: 1, a Swarm-only key). */
  onePerNode?: boolean;
  /** Both overlays attachable (so a container can be connected to them by hand). */
  attachable?: boolean;
}

/** The stack file: web (httpd on 8080) on front and back, api (httpd on 9090) on back, two replicas each. */
export function stackFile(image: string, options: StackFileOptions = {}): string {
  const placement = options.onePerNode ? ['      placement:', '        max_replicas_per_node: 1'] : [];
  const web = options.webHostPort
    ? ['    ports:', '      - target: 8080', `        published: ${options.webHostPort}`, '        mode: host']
    : ['    expose: ["8080"]'];
  const network = (name: string) => (options.attachable ? [`  ${name}:`, '    attachable: true'] : [`  ${name}: {}`]);
  return [
    'services:',
    '  web:',
    `    image: ${image}`,
    '    command: ["httpd", "-f", "-p", "8080"]',
    '    networks: [front, back]',
    ...web,
    '    deploy:',
    '      replicas: 2',
    ...placement,
    '  api:',
    `    image: ${image}`,
    '    command: ["httpd", "-f", "-p", "9090"]',
    '    networks: [back]',
    '    expose: ["9090"]',
    '    deploy:',
    '      replicas: 2',
    ...placement,
    'networks:',
    ...network('front'),
    ...network('back'),
    '',
  ].join('\n');
}

/** `docker stack deploy -c FILE STACK` against `dockerHost` (the manager), never the main engine's context. */
export function deployStack(dockerHost: string, file: string, stack: string): Promise<{ code: number; stderr: string }> {
  const env = { ...process.env, DOCKER_HOST: dockerHost, DOCKER_CONTEXT: '' };
  return new Promise((resolve) =>
    execFile('docker', ['stack', 'deploy', '-c', file, stack], { env, timeout: 60_000 }, (err, _out, stderr) => resolve({ code: err ? 1 : 0, stderr: String(stderr) })),
  );
}

/** Waits (polling once a second) until `count` of the stack's tasks are running, as the manager reports them. */
export async function waitForStackTasks(manager: Docker, stack: string, count: number, deadlineMs: number): Promise<void> {
  await until(`${count} running tasks of the stack`, async () => {
    await new Promise((r) => setTimeout(r, 1000));
    return (await manager.listTasks({ filters: JSON.stringify({ label: [`com.docker.stack.namespace=${stack}`], 'desired-state': ['running'] }) })) as Array<{ Status?: { State?: string } }>;
  }, (tasks) => tasks.filter((t) => t.Status?.State === 'running').length === count, deadlineMs);
}
