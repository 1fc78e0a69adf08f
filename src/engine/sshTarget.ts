// ssh:// endpoints as data: the target, its validation, ssh's argv and what its failures mean. No streams or sockets
// here, so resolving an endpoint (the extension's start-up path) loads neither.

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
