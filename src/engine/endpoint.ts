// Decides which engine endpoint to use, like the docker CLI: the setting, then DOCKER_HOST, then DOCKER_CONTEXT
// or the current context of ~/.docker/config.json, then the default socket (or Podman's, when only it exists).
import { createHash } from 'crypto';
import * as path from 'path';
import type { EngineEndpoint } from './model';
import { checkSshTarget, type SshTarget } from './sshTarget';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Options for dockerode's constructor. */
export type DockerodeOptions =
  | { socketPath: string }
  | { protocol: 'http' | 'https'; host: string; port: number; ca?: string; cert?: string; key?: string }
  /** ssh:// runs the user's own `ssh` (see sshTransport.ts); port and user come from ~/.ssh/config when the URL has none. */
  | { ssh: SshTarget };

export interface ResolvedEndpoint extends EngineEndpoint {
  options: DockerodeOptions;
}

export class EndpointError extends Error {}

/** What endpoint resolution may read: files under ~/.docker, and whether a socket exists. */
export interface EndpointFiles {
  home: string;
  readFile(p: string): string | undefined;
  exists(p: string): boolean;
  /** The entries of a folder ([] when it does not exist); only listing contexts needs it. */
  list?(dir: string): string[];
}

/**
 * `choice.context`: a docker context picked for this window (like `docker --context NAME`): it wins over the setting
 * and DOCKER_HOST. "default" is the engine of DOCKER_HOST or the default socket, as for the docker CLI.
 */
export function resolveEndpoint(configuredHost: string | undefined, env: NodeJS.ProcessEnv, files?: EndpointFiles, choice: { context?: string } = {}): ResolvedEndpoint {
  if (choice.context && files) {
    if (choice.context === 'default') return defaultEndpoint(env, files, ' (context default)');
    return namedContextEndpoint(choice.context, env, files);
  }
  const fromSetting = configuredHost?.trim();
  if (fromSetting) return parseHost(fromSetting, 'setting', env, files);
  const fromEnv = env.DOCKER_HOST?.trim();
  if (fromEnv) return parseHost(fromEnv, 'DOCKER_HOST', env, files);
  const name = files && currentContextName(env, files);
  if (name && name !== 'default') return namedContextEndpoint(name, env, files!);
  return defaultEndpoint(env, files);
}

/** No DOCKER_HOST, no context: the default socket; else rootless Docker's or Podman's socket when only one of them exists. */
function defaultEndpoint(env: NodeJS.ProcessEnv, files: EndpointFiles | undefined, suffix = ''): ResolvedEndpoint {
  if (suffix && env.DOCKER_HOST?.trim()) {
    const e = parseHost(env.DOCKER_HOST.trim(), 'DOCKER_HOST', env, files);
    return { ...e, display: e.display + suffix };
  }
  if (files && !files.exists(DEFAULT_SOCKET)) {
    const runtime = env.XDG_RUNTIME_DIR;
    const candidates = [runtime && path.join(runtime, 'docker.sock'), runtime && path.join(runtime, 'podman/podman.sock'), '/run/podman/podman.sock'];
    const found = candidates.find((p): p is string => !!p && files.exists(p));
    if (found) return { display: `unix://${found}${suffix}`, source: 'default', options: { socketPath: found } };
  }
  return { display: `unix://${DEFAULT_SOCKET}${suffix}`, source: 'default', options: { socketPath: DEFAULT_SOCKET } };
}

/** The docker CLI's current context: DOCKER_CONTEXT, else `currentContext` of config.json (undefined: none set). */
export function currentContextName(env: NodeJS.ProcessEnv, files: EndpointFiles): string | undefined {
  const fromEnv = env.DOCKER_CONTEXT?.trim();
  if (fromEnv) return fromEnv;
  const config = files.readFile(path.join(dockerConfigDir(env, files), 'config.json'));
  try {
    return (config ? (JSON.parse(config) as { currentContext?: string }).currentContext : undefined) || undefined;
  } catch {
    return undefined; // a broken config.json is the docker CLI's problem to report; we fall back to the default
  }
}

export function dockerConfigDir(env: NodeJS.ProcessEnv, files: EndpointFiles): string {
  return env.DOCKER_CONFIG || path.join(files.home, '.docker');
}

/** Where the docker CLI keeps a context: folders named by the SHA-256 of its name. */
export function contextDirs(name: string, env: NodeJS.ProcessEnv, files: EndpointFiles): { meta: string; tls: string } {
  const dockerDir = dockerConfigDir(env, files);
  const id = createHash('sha256').update(name).digest('hex');
  return { meta: path.join(dockerDir, 'contexts/meta', id), tls: path.join(dockerDir, 'contexts/tls', id, 'docker') };
}

function namedContextEndpoint(name: string, env: NodeJS.ProcessEnv, files: EndpointFiles): ResolvedEndpoint {
  const dirs = contextDirs(name, env, files);
  const meta = files.readFile(path.join(dirs.meta, 'meta.json'));
  if (!meta) throw new EndpointError(`docker context "${name}" has no metadata in ${dirs.meta}; run \`docker context ls\``);
  let host: string | undefined;
  let skipTlsVerify = false;
  try {
    const docker = (JSON.parse(meta) as { Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } }).Endpoints?.docker;
    host = docker?.Host;
    skipTlsVerify = docker?.SkipTLSVerify === true;
  } catch (err) {
    throw new EndpointError(`docker context "${name}": ${path.join(dirs.meta, 'meta.json')} is not valid JSON (${(err as Error).message})`);
  }
  if (!host) throw new EndpointError(`docker context "${name}" names no Docker host`);
  const resolved = parseHost(host, 'context', env, files, dirs.tls, skipTlsVerify);
  return { ...resolved, display: `${host} (context ${name})` };
}

function parseHost(value: string, source: EngineEndpoint['source'], env: NodeJS.ProcessEnv, files?: EndpointFiles, tlsDir?: string, skipTlsVerify = false): ResolvedEndpoint {
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new EndpointError(`"${value}" (from ${source}) needs an absolute socket path, e.g. unix:///var/run/docker.sock`);
    return { display: value, source, options: { socketPath } };
  }
  if (value.startsWith('ssh://')) {
    const ssh = /^ssh:\/\/(?:([^@/]+)@)?([^:/@[\]]+|\[[0-9A-Fa-f:.]+\])(?::(\d+))?\/?$/.exec(value);
    if (!ssh) throw new EndpointError(`"${value}" (from ${source}) is not an ssh endpoint: use ssh://[user@]host[:port]`);
    const target: SshTarget = { host: ssh[2], ...(ssh[3] ? { port: Number(ssh[3]) } : {}), ...(ssh[1] ? { user: ssh[1] } : {}) };
    const problem = checkSshTarget(target);
    if (problem) throw new EndpointError(`"${value}" (from ${source}): ${problem}`);
    return { display: value, source, options: { ssh: target } };
  }
  const tcp = /^(tcp|http|https):\/\/([^:/]+|\[[0-9a-fA-F:]+\])(?::(\d+))?\/?$/.exec(value);
  if (!tcp) throw new EndpointError(`"${value}" (from ${source}) is not a Docker endpoint: use unix:///path, tcp://host:port or ssh://user@host`);
  const certDir = tlsDir ?? (env.DOCKER_CERT_PATH || (files ? path.join(files.home, '.docker') : undefined));
  const tls = tcp[1] === 'https' || (env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0') || (!!tlsDir && (!!files?.exists(path.join(tlsDir, 'ca.pem')) || !!files?.exists(path.join(tlsDir, 'cert.pem'))));
  const port = tcp[3] ? Number(tcp[3]) : tls ? 2376 : 2375;
  const host = tcp[2].replace(/^\[|\]$/g, '');
  if (!tls) return { display: value, source, options: { protocol: 'http', host, port } };
  const read = (f: string) => (certDir && files ? files.readFile(path.join(certDir, f)) : undefined);
  const [ca, cert, key] = [read('ca.pem'), read('cert.pem'), read('key.pem')];
  if (tlsDir) {
    // A context's TLS material is optional piece by piece (no CA: the system's; no client certificate: none sent).
    if (skipTlsVerify) throw new EndpointError(`docker context for ${value} sets SkipTLSVerify, which this extension does not do: give the context the engine's CA (docker context update --docker "host=${value},ca=/path/ca.pem,cert=...,key=...")`);
    if (!!cert !== !!key) throw new EndpointError(`TLS material of the context for ${value} in ${tlsDir} has ${cert ? 'cert.pem but no key.pem' : 'key.pem but no cert.pem'}`);
    return { display: value, source, options: { protocol: 'https', host, port, ...(ca ? { ca } : {}), ...(cert && key ? { cert, key } : {}) } };
  }
  if (!ca || !cert || !key) {
    const missing = (['ca.pem', 'cert.pem', 'key.pem'] as const).filter((_, i) => ![ca, cert, key][i]);
    throw new EndpointError(`TLS is on for ${value} (DOCKER_TLS_VERIFY) but ${missing.join(', ')} ${missing.length > 1 ? 'were' : 'was'} not found in ${certDir ?? 'DOCKER_CERT_PATH'}: set DOCKER_CERT_PATH to the folder holding ca.pem, cert.pem and key.pem`);
  }
  return { display: value, source, options: { protocol: 'https', host, port, ca, cert, key } };
}
