// Running probes inside containers with argument vectors (never a shell string), streaming their output,
// and the fallback: a short-lived probe container in the source's network namespace, always removed.
import type Docker from 'dockerode';
import { PassThrough } from 'stream';
import { toolMissing } from './probeOutput';

export interface ExecResult {
  exitCode: number;
  output: string;
  /** Where it ran: in the container itself, or in a probe container sharing its network namespace. */
  via: 'exec' | 'probe-container';
}

export interface ExecOptions {
  onOutput?: (chunk: string) => void;
  signal?: AbortSignal;
  /** Image for the fallback probe container. */
  probeImage: string;
}

function collect(stream: NodeJS.ReadableStream, docker: Docker, onOutput?: (s: string) => void): { text: () => string; done: Promise<void> } {
  let text = '';
  const out = new PassThrough();
  docker.modem.demuxStream(stream, out, out);
  out.on('data', (b: Buffer) => {
    const s = b.toString('utf8');
    text += s;
    onOutput?.(s);
  });
  const done = new Promise<void>((resolve) => {
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', () => resolve());
  });
  return { text: () => text, done };
}

export async function execIn(docker: Docker, containerId: string, argv: string[], opts: Omit<ExecOptions, 'probeImage'>): Promise<{ exitCode: number; output: string }> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: argv, AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream & { destroy(): void };
  const { text, done } = collect(stream, docker, opts.onOutput);
  const abort = () => stream.destroy();
  opts.signal?.addEventListener('abort', abort, { once: true });
  try {
    await done;
  } finally {
    opts.signal?.removeEventListener('abort', abort);
  }
  if (opts.signal?.aborted) return { exitCode: 130, output: text() };
  const info = await exec.inspect();
  return { exitCode: info.ExitCode ?? -1, output: text() };
}

/** Runs `argv` in a new container that joins `containerId`'s network namespace; removes it whatever happens. */
export async function runInProbeContainer(docker: Docker, containerId: string, argv: string[], opts: ExecOptions): Promise<{ exitCode: number; output: string }> {
  const image = await docker.getImage(opts.probeImage).inspect().then(
    () => opts.probeImage,
    async () => {
      try {
        await new Promise<void>((resolve, reject) =>
          docker.pull(opts.probeImage, (err: Error | null, stream: NodeJS.ReadableStream) => (err ? reject(err) : docker.modem.followProgress(stream, (e: Error | null) => (e ? reject(e) : resolve())))),
        );
        return opts.probeImage;
      } catch (err) {
        throw new Error(`the probe image "${opts.probeImage}" is not on the engine and could not be pulled (${(err as Error).message}); set "dockerNetworking.probeImage" to an image that has ping, nslookup, nc and wget`);
      }
    },
  );
  const container = await docker.createContainer({
    Image: image,
    Cmd: argv,
    Tty: false,
    Labels: { 'dev.docker-networking.probe': '1' },
    HostConfig: { NetworkMode: `container:${containerId}`, AutoRemove: false },
  });
  try {
    const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as unknown as NodeJS.ReadableStream;
    const { text, done } = collect(stream, docker, opts.onOutput);
    const abort = () => void container.kill().catch(() => undefined);
    opts.signal?.addEventListener('abort', abort, { once: true });
    try {
      await container.start();
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      await done;
      return { exitCode: opts.signal?.aborted ? 130 : StatusCode, output: text() };
    } finally {
      opts.signal?.removeEventListener('abort', abort);
    }
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** In the container when it has the tool; else in a probe container in its network namespace. */
export async function runProbe(docker: Docker, containerId: string, argv: string[], opts: ExecOptions): Promise<ExecResult> {
  const direct = await execIn(docker, containerId, argv, opts).catch((err: Error) => ({ exitCode: 127, output: err.message }));
  if (!toolMissing(direct.exitCode, direct.output)) return { ...direct, via: 'exec' };
  if (opts.signal?.aborted) return { ...direct, via: 'exec' };
  opts.onOutput?.(`(${argv[0]} is not in this container's image: running it from ${opts.probeImage} in the container's network namespace)\n`);
  return { ...(await runInProbeContainer(docker, containerId, argv, opts)), via: 'probe-container' };
}
