// ssh:// endpoints the way the docker CLI reaches them: the user's own `ssh` binary (their ~/.ssh/config, agent,
// known hosts, ProxyJump) runs `docker system dial-stdio` on the remote, and the HTTP API flows over its stdin/stdout.
// Batch mode: ssh never prompts (a password or an unknown host key becomes an SshDialError saying what to do).
import { spawn, type ChildProcess } from 'child_process';
import * as http from 'http';
import { Duplex } from 'stream';
import { SSH_CONNECT_BUDGET_MS, SshDialError, classifySshFailure, sshArgv, type SshOptions, type SshTarget } from './sshTarget';

export * from './sshTarget';


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
