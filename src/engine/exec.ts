// Running probes inside containers with argument vectors (never a shell string), streaming their output,
// each under a deadline; and the fallback: a short-lived, labelled, auto-removed probe container in the
// source's network namespace, used only when the tool is really missing and never pulled without consent.
import type Docker from 'dockerode';
import * as os from 'os';
import { PassThrough } from 'stream';
import { toolMissing, toolUnusable } from './probeOutput';

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
  /** Pull `probeImage` when the engine does not have it (the user said yes: `--pull`, or a prompt). Default: never. */
  allowPull?: boolean;
  /** Probe deadline (starting the exec; then, from the moment the probe reports its PID, its run; or the probe container's life). Default 20 s. */
  deadlineMs?: number;
  /** Value of the probe label (who started it: a project name, "ping", ...). */
  owner?: string;
  /** false: never fall back to a probe container. */
  fallback?: boolean;
  /** Go straight to the probe container (an earlier exec showed the tool is missing from this container). */
  viaProbeContainer?: boolean;
}

/** Every probe container carries this label (its value names the owner); a sweep removes the leftovers. */
export const PROBE_LABEL = 'dev.docker-networking.probe';
/** Which process on which machine started it: a sweep removes a running probe container whose starter is gone. */
export const PROBE_OWNER_LABEL = 'dev.docker-networking.probe.owner';
const ownerValue = () => `${os.hostname()}/${process.pid}`;

function ownerGone(value: string | undefined): boolean {
  const m = /^(.*)\/(\d+)$/.exec(value ?? '');
  if (!m || m[1] !== os.hostname()) return false; // another machine's: only its age can tell
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
export const DEFAULT_PROBE_DEADLINE_MS = 20_000;

/** The probe did not finish within its deadline: the engine, the stream or the tool stalled. */
export class ProbeDeadline extends Error {
  /**
   * `stoppedBy`: what stopped it when the probe's own deadline did (the script's watchdog, timeout(1)): the engine
   * answered then. Without it, the engine or the stream gave no result in time.
   */
  constructor(readonly argv: string[], readonly ms: number, where: string, readonly stoppedBy?: string) {
    super(stoppedBy ? `${argv[0]} did not finish within ${Math.round(ms / 1000)} s ${where} (${stoppedBy})` : `no result from ${argv[0]} ${where} within ${(ms / 1000).toFixed(1)} s (the engine or the stream stalled)`);
    this.name = 'ProbeDeadline';
  }
}

/** The probe image is not on the engine and pulling it was not allowed. */
export class ProbeImageMissing extends Error {
  constructor(readonly image: string, reason?: string) {
    super(
      reason
        ? `the probe image "${image}" is not on the engine and could not be pulled (${reason}); set "dockerNetworking.probeImage" (CLI: --probe-image) to a local image that has ping, nslookup, nc and cat`
        : `the probe image "${image}" is not on the engine: allow a pull (CLI: --pull), "docker pull ${image}" yourself, or set "dockerNetworking.probeImage" (CLI: --probe-image) to a local image that has ping, nslookup, nc and cat`,
    );
    this.name = 'ProbeImageMissing';
  }
}

/** What a person reads when a probe did not end: our own deadline is a timeout, only their Cancel is "cancelled". */
export function probeEndText(err: unknown): string {
  if (err instanceof ProbeDeadline) return `timed out after ${Math.round(err.ms / 1000)} s: ${err.message}`;
  if (err instanceof ProbeCancelled) return 'cancelled';
  return (err as Error)?.message ?? String(err);
}

export class ProbeCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'ProbeCancelled';
  }
}

/**
 * Settles with `work` or rejects at the deadline (calling `onTimeout` to release what `work` holds) or on abort.
 * The one place a probe waits: nothing in a probe can wait longer than this.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error, signal?: AbortSignal, cleanup?: () => void | Promise<void>, restartOn?: Promise<unknown>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      f();
    };
    // What the probe holds is released before the caller hears of it, but never waited on for long (a frozen engine).
    const release = (err: Error) => {
      const done = Promise.resolve(cleanup?.()).catch(() => undefined);
      const bound = new Promise<void>((r) => setTimeout(r, 3_000).unref?.());
      void Promise.race([done, bound]).then(() => reject(err));
    };
    let timer = setTimeout(() => finish(() => release(onTimeout())), ms);
    // The clock starts again once, when the probe itself starts (the engine took its time to start it).
    void restartOn?.then(() => {
      if (settled) return;
      clearTimeout(timer);
      timer = setTimeout(() => finish(() => release(onTimeout())), ms);
    });
    const onAbort = () => finish(() => release(new ProbeCancelled()));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then((v) => finish(() => resolve(v)), (e: unknown) => finish(() => reject(e)));
  });
}

function collect(stream: NodeJS.ReadableStream, docker: Docker, onOutput?: (s: string) => void, stdoutFilter: (s: string) => string = (s) => s): { text: () => string; done: Promise<void> } {
  let text = '';
  const out = new PassThrough();
  const err = new PassThrough();
  docker.modem.demuxStream(stream, out, err);
  const take = (s: string) => {
    if (!s) return;
    // A probe's output is bounded: a flood from a container must not grow without limit.
    if (text.length < 256_000) text += s;
    onOutput?.(s);
  };
  // Only stdout's own order is kept by the engine (its frames and stderr's may arrive in either order).
  out.on('data', (b: Buffer) => take(stdoutFilter(b.toString('utf8'))));
  err.on('data', (b: Buffer) => take(b.toString('utf8')));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', (e: Error) => reject(e));
  });
  return { text: () => text, done };
}

/** The first line a wrapped probe prints: its PID in the container (it is the leader of its own process group). */
const PID_MARK = '@dn-probe-pid ';
/**
 * Every probe runs as `sh -c 'echo PID; exec "$@"' dn-probe ARGV...`: the argv is passed as arguments (never
 * interpolated), `exec` keeps the PID, and an exec'd process leads its own process group. So a probe that is
 * cancelled or runs past its deadline can be stopped with everything it started (a `wget`, the jobs of a probe
 * script) by a second exec that kills that group: closing the stream alone leaves them running in the container.
 */
export function killableArgv(argv: string[]): string[] {
  return ['sh', '-c', `echo "${PID_MARK}$$"; ${WHICH}; which_ "$1" || { echo "$1: not found" >&2; exit 127; }; shift; exec "$p" "$@"`, 'dn-probe', ...argv];
}
/**
 * Sets `p` to the tool as a file on PATH (no subshell: no fork), as the engine's own exec finds it: a shell may run applets it has built in (busybox's
 * standalone shell runs `ping` with no /bin/ping), which would hide that the image lacks the tool.
 */
export const WHICH =
  'which_() { p=; case "$1" in */*) [ -x "$1" ] && p=$1 ;; *) o=$IFS; IFS=:; for d in $PATH; do if [ -n "$d" ] && [ -f "$d/$1" ] && [ -x "$d/$1" ]; then p=$d/$1; break; fi; done; IFS=$o ;; esac; [ -n "$p" ]; }';
/** Containers seen without a shell (their probes run bare: bounded by their own flags, not killable). */
const noShell = new Set<string>();

/** Where a probe batch (probes/batch.ts) keeps its jobs' answers while it runs: DIR/PREFIX<its PID>. */
export const ANSWER_DIRS = ['/dev/shm', '/tmp'];
export const ANSWER_DIR_PREFIX = '.dn-probe.';

/** Kills the process group a wrapped probe leads, with everything in it, and removes its answers. Bounded; never rejects. */
export function killProbeGroup(docker: Docker, containerId: string, pid: number, ms = 3_000): Promise<void> {
  if (!Number.isInteger(pid) || pid <= 1) return Promise.resolve();
  // A group first (the probe and its children); the PID alone if the group is already gone. Digits only in argv.
  const answers = ANSWER_DIRS.map((d) => `"${d}/${ANSWER_DIR_PREFIX}$1"`).join(' ');
  const argv = ['sh', '-c', `kill -9 "-$1" 2>/dev/null || kill -9 "$1" 2>/dev/null; rm -rf ${answers} 2>/dev/null; exit 0`, 'dn-kill', String(pid)];
  const work = (async () => {
    const exec = await docker.getContainer(containerId).exec({ Cmd: argv, AttachStdout: true, AttachStderr: true, Tty: false });
    const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream;
    stream.resume();
    await new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
    });
  })();
  return withDeadline(work, ms, () => new Error('kill timed out')).catch(() => undefined);
}

/** Runs argv in the container; rejects with ProbeDeadline, ProbeCancelled or the engine's error. Never hangs. */
export async function execIn(docker: Docker, containerId: string, argv: string[], opts: Omit<ExecOptions, 'probeImage'>): Promise<{ exitCode: number; output: string }> {
  if (noShell.has(containerId)) return execOnce(docker, containerId, argv, opts, false);
  const r = await execOnce(docker, containerId, argv, opts, true);
  if (!r.noShell) return r;
  // No shell in the image: the probe runs bare (a cancel then closes its stream; its own flags bound it).
  if (noShell.size > 1000) noShell.clear();
  noShell.add(containerId);
  return execOnce(docker, containerId, argv, opts, false);
}

function execOnce(docker: Docker, containerId: string, argv: string[], opts: Omit<ExecOptions, 'probeImage'>, wrapped: boolean): Promise<{ exitCode: number; output: string; noShell?: boolean }> {
  let stream: (NodeJS.ReadableStream & { destroy(): void }) | undefined;
  let abandoned = false;
  let pid: number | undefined;
  let killed: Promise<void> | undefined;
  const kill = () => (killed ??= pid ? killProbeGroup(docker, containerId, pid) : Promise.resolve());
  let sawPid: () => void = () => undefined;
  const pidSeen = new Promise<void>((r) => (sawPid = r));
  // The PID line is ours: read it off the front of the output, never shown or returned.
  let head = wrapped ? '' : undefined;
  const filter = (s: string): string => {
    if (head === undefined) return s;
    head += s;
    const nl = head.indexOf('\n');
    if (nl < 0) return head.length > 64 ? ((s = head), (head = undefined), s) : '';
    const first = head.slice(0, nl);
    const rest = head.slice(nl + 1);
    head = undefined;
    if (first.startsWith(PID_MARK)) {
      pid = Number(first.slice(PID_MARK.length));
      sawPid();
      // Cancelled before the probe said who it is: stop it now.
      if (abandoned) void kill();
      return rest;
    }
    return `${first}\n${rest}`;
  };
  const work = (async () => {
    const exec = await docker.getContainer(containerId).exec({ Cmd: wrapped ? killableArgv(argv) : argv, AttachStdout: true, AttachStderr: true, Tty: false });
    stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream & { destroy(): void };
    if (abandoned) stream.destroy();
    const { text, done } = collect(stream, docker, opts.onOutput, filter);
    await done;
    const info = await exec.inspect();
    // A stream that ended before the process did (the connection dropped) has no exit status: not a result.
    if (info.Running || info.ExitCode === null || info.ExitCode === undefined) throw new Error(`the exec stream of ${argv[0]} ended before the process (connection to the engine lost?)`);
    const output = text() + (head ?? '');
    // The wrapper itself could not start (no `sh` in the image): nothing of ours ran.
    if (wrapped && pid === undefined && toolMissing(info.ExitCode, output)) return { exitCode: info.ExitCode, output, noShell: true };
    return { exitCode: info.ExitCode, output };
  })();
  const ms = opts.deadlineMs ?? DEFAULT_PROBE_DEADLINE_MS;
  // Cancelled or past its deadline: the processes it started in the container are killed, then the stream closed.
  // Waited on for a second at most (an engine that froze cannot run the kill; the caller must not wait for it).
  const release = async () => {
    abandoned = true;
    const bound = (ms: number) => new Promise((r) => setTimeout(r, ms).unref?.());
    if (wrapped && pid === undefined && stream) await Promise.race([pidSeen, bound(1_000)]);
    stream?.destroy();
    await Promise.race([kill(), bound(1_500)]);
  };
  // Starting an exec on a busy engine can take seconds: the probe's own deadline starts when it reports its PID
  // (starting it has the same deadline, so a frozen engine still ends the probe within it).
  return withDeadline(work, ms, () => new ProbeDeadline(argv, ms, 'in the container'), opts.signal, release, wrapped ? pidSeen : undefined);
}

async function ensureImage(docker: Docker, image: string, allowPull: boolean | undefined): Promise<void> {
  const present = await docker.getImage(image).inspect().then(() => true, (err: { statusCode?: number }) => {
    if (err?.statusCode === 404) return false;
    throw err;
  });
  if (present) return;
  if (!allowPull) throw new ProbeImageMissing(image);
  try {
    await new Promise<void>((resolve, reject) =>
      docker.pull(image, (err: Error | null, stream: NodeJS.ReadableStream) => (err ? reject(err) : docker.modem.followProgress(stream, (e: Error | null) => (e ? reject(e) : resolve())))),
    );
  } catch (err) {
    throw new ProbeImageMissing(image, (err as Error).message);
  }
}

/** Runs `argv` in a new auto-removed container that joins `containerId`'s network namespace. Never hangs. */
export function runInProbeContainer(docker: Docker, containerId: string, argv: string[], opts: ExecOptions): Promise<{ exitCode: number; output: string }> {
  let container: Docker.Container | undefined;
  let abandoned = false;
  const work = (async () => {
    await ensureImage(docker, opts.probeImage, opts.allowPull);
    container = await docker.createContainer({
      Image: opts.probeImage,
      Cmd: argv,
      Tty: false,
      Labels: { [PROBE_LABEL]: opts.owner ?? 'probe', [PROBE_OWNER_LABEL]: ownerValue() },
      HostConfig: { NetworkMode: `container:${containerId}`, AutoRemove: true },
    });
    if (abandoned) throw new ProbeCancelled(); // cancelled or past its deadline while it was being created
    const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as unknown as NodeJS.ReadableStream;
    const { text, done } = collect(stream, docker, opts.onOutput);
    // Asked before the start, so an auto-removed container's exit is never missed; settles once it is gone.
    const exited = container.wait({ condition: 'removed' }) as Promise<{ StatusCode: number }>;
    await container.start();
    const { StatusCode } = await exited;
    await done;
    return { exitCode: StatusCode, output: text() };
  })();
  const ms = opts.deadlineMs ?? DEFAULT_PROBE_DEADLINE_MS;
  // On a deadline or a cancel the container is killed (auto-removal follows); a sweep removes it if the engine is gone.
  const release = () => {
    abandoned = true;
    return container?.remove({ force: true }).then(() => undefined, () => undefined);
  };
  // A container created after the release is removed as soon as its creation returns.
  work.catch(() => (abandoned ? container?.remove({ force: true }).catch(() => undefined) : undefined));
  return withDeadline(work, ms, () => new ProbeDeadline(argv, ms, 'in a probe container'), opts.signal, release);
}

/**
 * A probe sidecar: one long-lived probe container in `containerId`'s network namespace, for a source whose image
 * lacks the tools; its probes are execs in it (argv arrays), as fast as in the container itself. It sleeps for at
 * most `lifetimeS` and is auto-removed, so even a killed run's sidecar goes away; `close()` removes it at once.
 */
export function startProbeSidecar(docker: Docker, containerId: string, opts: ExecOptions & { lifetimeS?: number }): Promise<{ id: string; close(): Promise<void> }> {
  let container: Docker.Container | undefined;
  let abandoned = false;
  const close = async () => {
    abandoned = true;
    await container?.remove({ force: true }).catch(() => undefined);
  };
  const work = (async () => {
    await ensureImage(docker, opts.probeImage, opts.allowPull);
    container = await docker.createContainer({
      Image: opts.probeImage,
      Cmd: ['sleep', String(opts.lifetimeS ?? 900)],
      Tty: false,
      Labels: { [PROBE_LABEL]: opts.owner ?? 'probe', [PROBE_OWNER_LABEL]: ownerValue() },
      HostConfig: { NetworkMode: `container:${containerId}`, AutoRemove: true },
    });
    if (abandoned) throw new ProbeCancelled();
    await container.start();
    return { id: container.id, close };
  })();
  work.catch(() => (abandoned ? container?.remove({ force: true }).catch(() => undefined) : undefined));
  const ms = opts.deadlineMs ?? DEFAULT_PROBE_DEADLINE_MS;
  return withDeadline(work, ms, () => new ProbeDeadline(['sleep'], ms, 'starting a probe container'), opts.signal, close);
}

/**
 * In the container when it has the tool; else (exit 126/127 of an exec that completed) in a probe container.
 * A cancel resolves with exit status 130 (a probe container is killed and removed); a deadline rejects.
 */
export async function runProbe(docker: Docker, containerId: string, argv: string[], opts: ExecOptions): Promise<ExecResult> {
  let via: ExecResult['via'] = 'exec';
  try {
    if (opts.viaProbeContainer && opts.fallback !== false) {
      via = 'probe-container';
      return { ...(await runInProbeContainer(docker, containerId, argv, opts)), via };
    }
    const direct = await execIn(docker, containerId, argv, opts);
    if (opts.fallback === false || (!toolMissing(direct.exitCode, direct.output) && !toolUnusable(argv[0], direct.exitCode, direct.output))) return { ...direct, via };
    opts.onOutput?.(`(${argv[0]} cannot run in this container's image: running it from ${opts.probeImage} in the container's network namespace)\n`);
    via = 'probe-container';
    return { ...(await runInProbeContainer(docker, containerId, argv, opts)), via };
  } catch (err) {
    if (err instanceof ProbeCancelled) return { exitCode: 130, output: '', via };
    throw err;
  }
}

/**
 * Removes probe containers a killed or cut-off run left: those not running, running ones whose starting process on
 * this machine is gone (a SIGKILLed verify's sidecars), and any past a probe's life (`staleMs`). A live run's probe
 * containers are left alone. Resolves with the number removed.
 */
export async function sweepProbeContainers(docker: Docker, staleMs = 10 * 60_000, now = Date.now()): Promise<number> {
  const list = (await docker.listContainers({ all: true, filters: JSON.stringify({ label: [PROBE_LABEL] }) })) as Array<{ Id: string; State: string; Created: number; Labels?: Record<string, string> }>;
  let removed = 0;
  for (const c of list) {
    const age = now - c.Created * 1000;
    const leftover = c.State === 'exited' || c.State === 'dead' || (c.State === 'created' && age > 60_000) || age > staleMs || ownerGone(c.Labels?.[PROBE_OWNER_LABEL]);
    if (!leftover) continue;
    await docker.getContainer(c.Id).remove({ force: true }).then(() => removed++, () => undefined);
  }
  return removed;
}
