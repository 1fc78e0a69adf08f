// ssh:// endpoints the way the docker CLI reaches them: the user's own `ssh` binary (their ~/.ssh/config, agent,
// known hosts, ProxyJump) runs `docker system dial-stdio` on the remote, and the HTTP API flows over its stdin/stdout.
// Batch mode: ssh never prompts (a password or an unknown host key becomes an SshDialError saying what to do).
import { spawn, type ChildProcess } from 'child_process';
import * as http from 'http';
import { Duplex } from 'stream';

/** How long ssh may take to connect and get the first answer, whatever the caller's idle timeout. */
export const SSH_CONNECT_BUDGET_MS = 45_000;

/** Where to ssh to; `port` and `user` are left to ~/.ssh/config when the URL has none (as the docker CLI does). */
export interface SshTarget {
  host: string;
  port?: number;
  user?: string;
}

export interface SshOptions {
  /** The ssh client to run (default: `ssh` from PATH). */
  sshCommand?: string;
  /** Environment for ssh (PATH, SSH_AUTH_SOCK, HOME). */
  env?: NodeJS.ProcessEnv;
  /** Seconds ssh may take to open the TCP connection. */
  connectTimeoutSeconds?: number;
}

/** The step of an ssh connection that failed, and what the user can do about it. */
export class SshDialError extends Error {
  readonly code = 'ESSHDIAL';
  constructor(
    readonly target: SshTarget,
    readonly step: 'spawn ssh' | 'ssh authentication' | 'ssh host key' | 'ssh connection' | 'remote docker' | 'ssh',
    readonly detail: string,
    readonly hint: string,
  ) {
    super(`${step} failed for ${sshDisplay(target)}: ${detail}`);
    this.name = 'SshDialError';
  }
}

const HOST = /^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*|\[[0-9A-Fa-f:.]+\])$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Validates a target before it reaches an argv: a host or user starting with `-` would be read as an ssh option. */
export function checkSshTarget(t: SshTarget): string | undefined {
  if (!HOST.test(t.host)) return `"${t.host}" is not a host name or address ssh can use`;
  if (t.user !== undefined && !USER.test(t.user)) return `"${t.user}" is not a user name ssh can use`;
  if (t.port !== undefined && !(Number.isInteger(t.port) && t.port > 0 && t.port < 65536)) return `port ${t.port} is out of range`;
  return undefined;
}

export function sshDisplay(t: SshTarget): string {
  return `ssh://${t.user ? `${t.user}@` : ''}${t.host}${t.port ? `:${t.port}` : ''}`;
}

/** The argument vector: the same as the docker CLI's, plus BatchMode so ssh fails instead of prompting. */
export function sshArgv(t: SshTarget, connectTimeoutSeconds = 10): string[] {
  const problem = checkSshTarget(t);
  if (problem) throw new Error(problem);
  return [
    '-o', 'BatchMode=yes',
    '-o', `ConnectTimeout=${connectTimeoutSeconds}`,
    '-T',
    ...(t.user ? ['-l', t.user] : []),
    ...(t.port ? ['-p', String(t.port)] : []),
    '--', t.host.replace(/^\[|\]$/g, ''),
    'docker', 'system', 'dial-stdio',
  ];
}

/** Turns what ssh printed and its exit code into the step that failed and what to do. */
export function classifySshFailure(t: SshTarget, exitCode: number | null, stderr: string): SshDialError {
  const text = stderr.trim().split('\n').filter((l) => !/^Warning: Permanently added/.test(l)).join('\n').trim();
  const detail = text.replace(/\.+$/, '') || (exitCode === null ? 'ssh was stopped' : `ssh exited with code ${exitCode} and printed nothing`);
  const manual = `ssh ${t.port ? `-p ${t.port} ` : ''}${t.user ? `${t.user}@` : ''}${t.host.replace(/^\[|\]$/g, '')}`;
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No \S+ host key is known|host key for .* has changed/i.test(text))
    return new SshDialError(t, 'ssh host key', detail, `ssh does not know or does not trust this host's key, and the extension never answers ssh's questions. Run \`${manual}\` once in a terminal, check and accept the key (it goes to ~/.ssh/known_hosts), then Retry.`);
  if (/Permission denied|Too many authentication failures|no matching (host key|key exchange)|Authentication failed/i.test(text))
    return new SshDialError(t, 'ssh authentication', detail, `ssh runs in batch mode (no password or passphrase prompts). Load your key into the agent (\`ssh-add\`) or set IdentityFile for this host in ~/.ssh/config, check that \`${manual} docker version\` works in a terminal, then Retry.`);
  if (/Could not resolve hostname|Name or service not known/i.test(text))
    return new SshDialError(t, 'ssh connection', detail, 'Check the host name in "dockerNetworking.dockerHost", DOCKER_HOST or the docker context (or its HostName in ~/.ssh/config).');
  if (/Connection refused|Connection timed out|No route to host|Network is unreachable|Connection closed by|kex_exchange_identification/i.test(text))
    return new SshDialError(t, 'ssh connection', detail, `Check that sshd runs on that host and port and that this machine can reach it (\`${manual}\`).`);
  if (exitCode === 127 || /docker: (command )?not found|command not found/i.test(text))
    return new SshDialError(t, 'remote docker', detail, 'The remote host needs the docker CLI (18.09 or later) on the PATH of non-interactive ssh sessions: `docker system dial-stdio` is how the connection reaches its engine.');
  if (/Cannot connect to the Docker daemon|docker daemon|permission denied while trying to connect/i.test(text))
    return new SshDialError(t, 'remote docker', detail, 'ssh worked, but the docker CLI on the remote host could not reach its engine: start dockerd there, or give the ssh user access to its socket (the "docker" group).');
  return new SshDialError(t, 'ssh', detail, `Run \`${manual} docker system dial-stdio\` in a terminal to see what ssh says.`);
}

/**
 * A socket over one ssh process's stdin/stdout. It behaves enough like net.Socket for Node's HTTP client and for
 * dockerode (setTimeout, setNoDelay, setKeepAlive, ref/unref): docker-modem calls setTimeout on every request.
 */
export class SshStdioSocket extends Duplex {
  private readonly child: ChildProcess;
  private stderr = '';
  /** Whether any byte came back yet (ssh connected and the remote answered). */
  private answered = false;
  private idleMs = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  timeout = 0;
  readonly remoteAddress: string;
  connecting = false;

  constructor(readonly target: SshTarget, options: SshOptions = {}) {
    super({ allowHalfOpen: true });
    this.remoteAddress = target.host;
    this.child = spawn(options.sshCommand ?? 'ssh', sshArgv(target, options.connectTimeoutSeconds), {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      windowsHide: true,
    });
    const { stdin, stdout, stderr } = this.child;
    stdout!.on('data', (chunk: Buffer) => {
      this.answered = true;
      this.touch();
      if (!this.push(chunk)) stdout!.pause();
    });
    // The end of the stream waits for ssh's exit status: a failed ssh must become an error, not an empty response.
    let stdoutEnded = false;
    stdout!.on('end', () => (stdoutEnded = true));
    stderr!.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 8192) this.stderr += chunk.toString('utf8');
    });
    stdin!.on('error', () => undefined); // the process exit below reports what went wrong
    this.child.on('error', (err: NodeJS.ErrnoException) => {
      const e =
        err.code === 'ENOENT'
          ? new SshDialError(target, 'spawn ssh', `no "${options.sshCommand ?? 'ssh'}" on PATH`, 'Install an OpenSSH client (e.g. `apt-get install openssh-client`); ssh:// endpoints use your own ssh, its config and its agent.')
          : new SshDialError(target, 'spawn ssh', err.message, 'Check that ssh can run from this environment.');
      this.destroy(e);
    });
    // 'close': ssh has exited and its stdout and stderr are drained, so the whole of stderr is known.
    this.child.on('close', (code, signal) => {
      this.clearIdle();
      if (this.destroyed) return;
      if (code === 0) {
        if (!stdoutEnded) stdout!.resume();
        this.push(null); // the remote closed cleanly
        return;
      }
      // Before any byte came back this is a failed connection; later, a connection lost mid-response: both say why.
      this.destroy(classifySshFailure(target, signal ? null : code, this.stderr));
    });
  }

  override _read(): void {
    this.child.stdout?.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.touch();
    const stdin = this.child.stdin;
    if (!stdin || stdin.destroyed) return done();
    if (stdin.write(chunk, encoding)) done();
    else stdin.once('drain', () => done());
  }

  override _final(done: (err?: Error | null) => void): void {
    this.child.stdin?.end();
    done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.clearIdle();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    done(err);
  }

  /** Like net.Socket#setTimeout: 'timeout' after `ms` without traffic (0 turns it off). */
  setTimeout(ms: number, callback?: () => void): this {
    this.timeout = ms;
    this.idleMs = ms;
    if (callback) {
      if (ms === 0) this.removeListener('timeout', callback);
      else this.once('timeout', callback);
    }
    this.touch();
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    this.child.ref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as unknown as { ref?: () => void } | null)?.ref?.();
    return this;
  }

  /** A free keep-alive connection must not keep the process (the CLI) alive. */
  unref(): this {
    this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
    return this;
  }

  private touch(): void {
    this.clearIdle();
    if (this.idleMs > 0 && !this.destroyed) {
      // Until the first byte comes back, ssh is still connecting (key exchange, authentication, maybe a ProxyJump):
      // that may take longer than an API call's idle timeout, so it gets its own, longer, budget.
      const ms = this.answered ? this.idleMs : Math.max(this.idleMs, SSH_CONNECT_BUDGET_MS);
      this.idleTimer = setTimeout(() => this.emit('timeout'), ms);
      this.idleTimer.unref();
    }
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

/**
 * An HTTP agent whose connections are ssh processes. Keep-alive: a finished request's connection is reused, and an
 * idle one is closed after `idleMs` (its ssh process exits).
 */
export class SshAgent extends http.Agent {
  constructor(
    readonly target: SshTarget,
    private readonly sshOptions: SshOptions = {},
    idleMs = 15_000,
  ) {
    super({ keepAlive: true, maxSockets: 8, maxFreeSockets: 2, timeout: idleMs });
  }

  override createConnection(): Duplex {
    return new SshStdioSocket(this.target, this.sshOptions);
  }
}
