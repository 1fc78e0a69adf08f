// Starts and stops the extra engines of scripts/engines/engines.sh for one test file: each in its own network
// namespaces, named by an id unique to this process, never touching the main engine's Swarm state.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Docker from 'dockerode';

const SCRIPT = path.resolve(__dirname, '../../../../scripts/engines/engines.sh');

export type EngineKind = 'swarm' | 'ssh' | 'tls' | 'podman' | 'socket';

export interface Engines {
  id: string;
  dir: string;
  /** The JSON each kind wrote ($DIR/KIND.json). */
  info<T = Record<string, unknown>>(kind: EngineKind): T;
  /** A raw client on node N's socket (to check what the client under test did, from the engine's side). */
  node(n: number): Docker;
  /** Seconds `up` took. */
  upSeconds: number;
  down(): Promise<void>;
}

function run(args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('bash', [SCRIPT, ...args], { timeout: timeoutMs, maxBuffer: 4 << 20 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`engines.sh ${args.join(' ')} failed (${err.message.split('\n')[0]}):\n${stderr.slice(-2000)}`));
      else resolve();
    });
  });
}

/** Tears down what earlier runs left (a run killed before its `after`): ids whose process is gone, never a live run's. */
async function removeAbandoned(): Promise<void> {
  let ids: string[] = [];
  try {
    ids = fs.readdirSync('/tmp/docker-net-engines');
  } catch {
    return;
  }
  for (const id of ids) {
    const pid = Number(/^[a-z]+(\d+)$/.exec(id)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
      continue; // alive
    } catch {
      await run([id, 'down'], 120_000).catch(() => undefined);
    }
  }
}

/** `tag`: one letter per test file, so two files' engines never share names. */
export async function startEngines(tag: string, kinds: EngineKind[]): Promise<Engines> {
  await removeAbandoned();
  const id = `${tag}${process.pid}`.slice(0, 12);
  const dir = `/tmp/docker-net-engines/${id}`;
  const t0 = Date.now();
  try {
    await run([id, 'up', ...kinds], 240_000);
  } catch (err) {
    await run([id, 'down'], 120_000).catch(() => undefined);
    throw err;
  }
  const upSeconds = (Date.now() - t0) / 1000;
  return {
    id,
    dir,
    upSeconds,
    info: <T>(kind: EngineKind) => JSON.parse(fs.readFileSync(path.join(dir, `${kind}.json`), 'utf8')) as T,
    node: (n: number) => new Docker({ socketPath: n === 6 ? path.join(dir, 'xdg/docker.sock') : path.join(dir, `node${n}.sock`) }),
    down: () => run([id, 'down'], 120_000),
  };
}
