// Decides which engine endpoint to use, like the docker CLI: the setting, then DOCKER_HOST, then the default socket.
import type { EngineEndpoint } from './model';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

export interface ResolvedEndpoint extends EngineEndpoint {
  /** Options for dockerode's constructor. */
  options: { socketPath: string } | { protocol: 'http' | 'https'; host: string; port: number };
}

export class EndpointError extends Error {}

export function resolveEndpoint(configuredHost: string | undefined, env: NodeJS.ProcessEnv): ResolvedEndpoint {
  const fromSetting = configuredHost?.trim();
  if (fromSetting) return parseHost(fromSetting, 'setting');
  const fromEnv = env.DOCKER_HOST?.trim();
  if (fromEnv) return parseHost(fromEnv, 'DOCKER_HOST');
  return { display: `unix://${DEFAULT_SOCKET}`, source: 'default', options: { socketPath: DEFAULT_SOCKET } };
}

function parseHost(value: string, source: EngineEndpoint['source']): ResolvedEndpoint {
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new EndpointError(`"${value}" (from ${source}) needs an absolute socket path, e.g. unix:///var/run/docker.sock`);
    return { display: value, source, options: { socketPath } };
  }
  const tcp = /^(tcp|http|https):\/\/([^:/]+|\[[0-9a-fA-F:]+\])(?::(\d+))?\/?$/.exec(value);
  if (tcp) {
    const tls = tcp[1] === 'https';
    const port = tcp[3] ? Number(tcp[3]) : tls ? 2376 : 2375;
    return { display: value, source, options: { protocol: tls ? 'https' : 'http', host: tcp[2].replace(/^\[|\]$/g, ''), port } };
  }
  throw new EndpointError(`"${value}" (from ${source}) is not a Docker endpoint this version understands: use unix:///path or tcp://host:port`);
}
