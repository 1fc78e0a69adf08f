// Decides which engine endpoint to use, like the docker CLI: the setting, then DOCKER_HOST, then DOCKER_CONTEXT
// or the current context of ~/.docker/config.json, then the default socket (or Podman's, when only it exists).
import { createHash } from 'crypto';
import * as path from 'path';
import type { EngineEndpoint } from './model';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Options for dockerode's constructor. */
export type DockerodeOptions =
  | { socketPath: string }
  | { protocol: 'http' | 'https' | 'ssh'; host: string; port: number; username?: string; ca?: string; cert?: string; key?: string };

export interface ResolvedEndpoint extends EngineEndpoint {
  options: DockerodeOptions;
}

export class EndpointError extends Error {}

/** What endpoint resolution may read: files under ~/.docker, and whether a socket exists. */
export interface EndpointFiles {
  home: string;
  readFile(p: string): string | undefined;
  exists(p: string): boolean;
}

export function resolveEndpoint(configuredHost: string | undefined, env: NodeJS.ProcessEnv, files?: EndpointFiles): ResolvedEndpoint {
  const fromSetting = configuredHost?.trim();
  if (fromSetting) return parseHost(fromSetting, 'setting', env, files);
  const fromEnv = env.DOCKER_HOST?.trim();
  if (fromEnv) return parseHost(fromEnv, 'DOCKER_HOST', env, files);
  const context = files && contextEndpoint(env, files);
  if (context) return context;
  if (files && !files.exists(DEFAULT_SOCKET)) {
    const podman = [env.XDG_RUNTIME_DIR && path.join(env.XDG_RUNTIME_DIR, 'podman/podman.sock'), '/run/podman/podman.sock'].find((p): p is string => !!p && files.exists(p));
    if (podman) return { display: `unix://${podman}`, source: 'default', options: { socketPath: podman } };
  }
  return { display: `unix://${DEFAULT_SOCKET}`, source: 'default', options: { socketPath: DEFAULT_SOCKET } };
}

function contextEndpoint(env: NodeJS.ProcessEnv, files: EndpointFiles): ResolvedEndpoint | undefined {
  let name = env.DOCKER_CONTEXT?.trim();
  if (!name) {
    const config = files.readFile(path.join(env.DOCKER_CONFIG || path.join(files.home, '.docker'), 'config.json'));
    try {
      name = config ? (JSON.parse(config) as { currentContext?: string }).currentContext : undefined;
    } catch {
      name = undefined; // a broken config.json is the docker CLI's problem to report; we fall back to the default
    }
  }
  if (!name || name === 'default') return undefined;
  const dockerDir = env.DOCKER_CONFIG || path.join(files.home, '.docker');
  const id = createHash('sha256').update(name).digest('hex');
  const meta = files.readFile(path.join(dockerDir, 'contexts/meta', id, 'meta.json'));
  if (!meta) throw new EndpointError(`docker context "${name}" has no metadata in ${path.join(dockerDir, 'contexts/meta', id)}; run \`docker context ls\``);
  const host = (JSON.parse(meta) as { Endpoints?: { docker?: { Host?: string } } }).Endpoints?.docker?.Host;
  if (!host) throw new EndpointError(`docker context "${name}" names no Docker host`);
  const resolved = parseHost(host, 'context', env, files, path.join(dockerDir, 'contexts/tls', id, 'docker'));
  return { ...resolved, display: `${host} (context ${name})` };
}

function parseHost(value: string, source: EngineEndpoint['source'], env: NodeJS.ProcessEnv, files?: EndpointFiles, tlsDir?: string): ResolvedEndpoint {
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new EndpointError(`"${value}" (from ${source}) needs an absolute socket path, e.g. unix:///var/run/docker.sock`);
    return { display: value, source, options: { socketPath } };
  }
  const ssh = /^ssh:\/\/(?:([^@/]+)@)?([^:/]+)(?::(\d+))?\/?$/.exec(value);
  if (ssh) return { display: value, source, options: { protocol: 'ssh', host: ssh[2], port: ssh[3] ? Number(ssh[3]) : 22, ...(ssh[1] ? { username: ssh[1] } : {}) } };
  const tcp = /^(tcp|http|https):\/\/([^:/]+|\[[0-9a-fA-F:]+\])(?::(\d+))?\/?$/.exec(value);
  if (!tcp) throw new EndpointError(`"${value}" (from ${source}) is not a Docker endpoint: use unix:///path, tcp://host:port or ssh://user@host`);
  const certDir = tlsDir ?? (env.DOCKER_CERT_PATH || (files ? path.join(files.home, '.docker') : undefined));
  const tls = tcp[1] === 'https' || (env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0') || (!!tlsDir && !!files?.exists(path.join(tlsDir, 'ca.pem')));
  const port = tcp[3] ? Number(tcp[3]) : tls ? 2376 : 2375;
  const host = tcp[2].replace(/^\[|\]$/g, '');
  if (!tls) return { display: value, source, options: { protocol: 'http', host, port } };
  const read = (f: string) => (certDir && files ? files.readFile(path.join(certDir, f)) : undefined);
  const [ca, cert, key] = [read('ca.pem'), read('cert.pem'), read('key.pem')];
  if (!ca || !cert || !key) throw new EndpointError(`TLS is on for ${value} but ca.pem, cert.pem and key.pem were not all found in ${certDir ?? 'DOCKER_CERT_PATH'}`);
  return { display: value, source, options: { protocol: 'https', host, port, ca, cert, key } };
}
