// Packet capture: tcpdump in a short-lived, labelled capture container that joins the target's network namespace
// (a container's, or the engine host's for a bridge), streaming the .pcap back over the attach stream (so it works
// on remote engines too). Always removed: at the end, on cancel, on a deadline; swept at start after a crash.
import type Docker from 'dockerode';
import { PassThrough } from 'stream';
import { validateCaptureFilter } from '../traffic/captureOptions';
import { withDeadline } from './exec';

/** Every capture container carries this label (its value names the owner); a sweep removes the leftovers. */
export const CAPTURE_LABEL = 'dev.docker-networking.capture';
/** The image named by the setting / --capture-image / DOCKER_NET_CAPTURE_IMAGE when none is given. */
export const DEFAULT_CAPTURE_IMAGE = 'nicolaka/netshoot:latest';
/** A capture that streams more than this is stopped: the file stays bounded. */
export const MAX_CAPTURE_BYTES = 256 * 1024 * 1024;

/** Where tcpdump listens: inside a container's network namespace (all its interfaces), or on an engine-host interface. */
export type CaptureSite = { containerId: string } | { hostInterface: string };

export interface CaptureRequest {
  site: CaptureSite;
  /** An image with `tcpdump` and `timeout` on its PATH. */
  image: string;
  /** Stop after this long (whole seconds, rounded up; SIGINT, so tcpdump flushes); or after `count` packets. */
  durationMs?: number;
  count?: number;
  /** A pcap filter expression, checked by `validateCaptureFilter` before it gets here. */
  filter?: string;
  /** May the engine pull `image` when it lacks it? Only with the user's consent. */
  allowPull?: boolean;
  signal?: AbortSignal;
  /** Called once tcpdump listens: traffic generated after this is captured. */
  onReady?: () => void;
  /** Value of the capture label: who started it. */
  owner?: string;
  /** Extra time beyond the duration (or for a count capture, the whole wait) before giving up. */
  graceMs?: number;
}

export interface CaptureResult {
  pcap: Buffer;
  /** tcpdump's own last words ("N packets captured", "... dropped by kernel"). */
  report: string;
  /** The user cancelled: `pcap` holds what was captured until then. */
  cancelled: boolean;
  /** The size cap stopped it early. */
  truncated: boolean;
}

export class CaptureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaptureError';
  }
}

/** After the attach stream ends, how long the container's exit status may take to arrive. */
const STREAM_END_GRACE_MS = 10_000;

/** A count capture still ends by itself within the hour; a timed one at its duration. */
const COUNT_CAPTURE_LIMIT_S = 3600;

/** The capture is stopped by this client at its duration, counted from when tcpdump listens; the limit inside the
 * container is only the safety net for a client that is gone, so it allows for a slow start. */
const SELF_LIMIT_SLACK_S = 30;

function selfLimitSeconds(request: Pick<CaptureRequest, 'durationMs'>): number {
  return request.durationMs ? Math.ceil(request.durationMs / 1000) + SELF_LIMIT_SLACK_S : COUNT_CAPTURE_LIMIT_S;
}

export function tcpdumpArgv(site: CaptureSite, request: Pick<CaptureRequest, 'count' | 'filter'>): string[] {
  const iface = 'hostInterface' in site ? site.hostInterface : 'any';
  // -Z root: Debian's tcpdump drops to user tcpdump otherwise; -U and --immediate-mode: packets reach the stream at once.
  return ['-Z', 'root', '-U', '--immediate-mode', '-n', '-s', '262144', '-i', iface, '-w', '-', ...(request.count ? ['-c', String(request.count)] : []), ...(request.filter?.trim() ? [request.filter.trim()] : [])];
}

async function imagePresent(docker: Docker, image: string): Promise<boolean> {
  return docker.getImage(image).inspect().then(() => true, (err: { statusCode?: number }) => {
    if (err?.statusCode === 404) return false;
    throw err;
  });
}

async function pull(docker: Docker, image: string): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    docker.pull(image, (err: Error | null, stream: NodeJS.ReadableStream) => (err ? reject(err) : docker.modem.followProgress(stream, (e: Error | null) => (e ? reject(e) : resolve())))),
  );
}

/** Runs one capture to its end; rejects with CaptureError (what failed and what to do) or the engine's error. */
export async function capturePackets(docker: Docker, request: CaptureRequest): Promise<CaptureResult> {
  if (!request.durationMs && !request.count) throw new CaptureError('a capture needs a duration or a packet count');
  if (request.filter) {
    const problem = validateCaptureFilter(request.filter);
    if (problem) throw new CaptureError(`invalid capture filter: ${problem}`);
  }
  if (!(await imagePresent(docker, request.image))) {
    if (!request.allowPull) {
      throw new CaptureError(
        `the capture image "${request.image}" is not on the engine: allow a pull (CLI: --pull), "docker pull ${request.image}" yourself, or name a local image that has tcpdump ("dockerNetworking.captureImage", CLI --capture-image, DOCKER_NET_CAPTURE_IMAGE)`,
      );
    }
    await pull(docker, request.image).catch((e: Error) => {
      throw new CaptureError(`could not pull the capture image "${request.image}": ${e.message}`);
    });
  }
  const site = request.site;
  const container = await docker.createContainer({
    Image: request.image,
    // `timeout` inside the container ends the capture even when this client is gone (engine link lost, crash);
    // auto-removal then removes the container: nothing outlives its capture.
    Entrypoint: ['timeout', '-s', 'INT', String(selfLimitSeconds(request)), 'tcpdump'],
    Cmd: tcpdumpArgv(site, request),
    Tty: false,
    AttachStdout: true,
    AttachStderr: true,
    Labels: { [CAPTURE_LABEL]: request.owner ?? 'capture' },
    HostConfig: { NetworkMode: 'containerId' in site ? `container:${site.containerId}` : 'host', CapAdd: ['NET_RAW', 'NET_ADMIN'], AutoRemove: true },
  });
  const release = () => void container.remove({ force: true }).catch(() => undefined);
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  let stderr = '';
  let ready = false;
  let cancelled = false;
  let stopTimer: NodeJS.Timeout | undefined;
  const stop = () => void container.kill({ signal: 'SIGINT' }).catch(() => undefined);
  try {
    const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as unknown as NodeJS.ReadableStream & { destroy(): void };
    const out = new PassThrough();
    const err = new PassThrough();
    docker.modem.demuxStream(stream, out, err);
    out.on('data', (b: Buffer) => {
      if (truncated) return;
      if (size + b.length > MAX_CAPTURE_BYTES) {
        truncated = true;
        stop();
        return;
      }
      chunks.push(b);
      size += b.length;
    });
    err.on('data', (b: Buffer) => {
      if (stderr.length < 16_000) stderr += b.toString('utf8');
      if (!ready && /listening on/.test(stderr)) {
        ready = true;
        request.onReady?.();
        if (request.durationMs) stopTimer = setTimeout(stop, request.durationMs);
      }
    });
    const streamEnded = new Promise<void>((resolve) => {
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
      stream.on('error', () => resolve());
    });
    const exited = container.wait({ condition: 'next-exit' }) as Promise<{ StatusCode: number }>;
    await container.start();
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });
    if (request.signal?.aborted) onAbort();
    const limit = (request.durationMs ?? 0) + (request.graceMs ?? (SELF_LIMIT_SLACK_S + 15) * 1000);
    try {
      // The attach stream ends when tcpdump exits, or when the link to the engine drops: then the exit status
      // follows within moments, or never (engine lost), and waiting out the whole limit would hide the loss.
      const linkLost = streamEnded.then(() => new Promise<never>((_, reject) => setTimeout(() => reject(new CaptureError('the connection to the engine ended before the capture did (engine stopped or unreachable?); the capture container ends by itself and is removed')), STREAM_END_GRACE_MS).unref()));
      const { StatusCode } = await withDeadline(Promise.race([exited, linkLost]), limit, () => new CaptureError(`the capture did not end within ${Math.round(limit / 1000)} s (the engine stopped answering?); its container was removed`), undefined, () => stream.destroy());
      await withDeadline(streamEnded, 5_000, () => new CaptureError('the capture stream did not close after tcpdump exited'), undefined, () => stream.destroy());
      // tcpdump exits 0 after SIGINT or -c; anything else before it listened is a refusal (bad filter, no interface).
      if (StatusCode !== 0 && !ready && !cancelled) throw new CaptureError(`tcpdump refused to start (exit ${StatusCode}): ${lastLines(stderr)}`);
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
    }
    return { pcap: Buffer.concat(chunks), report: lastLines(stderr), cancelled, truncated };
  } finally {
    if (stopTimer) clearTimeout(stopTimer);
    release();
  }
}

function lastLines(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^tcpdump: listening on|^tcpdump: verbose output suppressed/.test(l))
    .slice(-3)
    .join('; ');
}

/** Removes capture containers a killed run left behind; resolves with how many. */
export async function sweepCaptureContainers(docker: Docker, staleMs = 2 * 3_600_000, now = Date.now()): Promise<number> {
  const list = (await docker.listContainers({ all: true, filters: JSON.stringify({ label: [CAPTURE_LABEL] }) })) as Array<{ Id: string; State: string; Created: number }>;
  let removed = 0;
  for (const c of list) {
    const leftover = c.State !== 'running' || now - c.Created * 1000 > staleMs;
    if (leftover) await docker.getContainer(c.Id).remove({ force: true }).then(() => removed++, () => undefined);
  }
  return removed;
}
