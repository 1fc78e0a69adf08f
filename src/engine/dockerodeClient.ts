// EngineClient over dockerode: the only file that constructs a Docker API client.
import Docker from 'dockerode';
import * as os from 'os';
import type { EngineSnapshot } from '../compose/types';
import type { EngineClient } from './client';
import { resolveEndpoint, EndpointError, type ResolvedEndpoint } from './endpoint';
import { EngineError, describeConnectionError } from './errors';
import type { NetworkSummary } from './model';
import { normalizeNetwork, sortNetworks, type RawNetwork } from './normalize';

/** An API call that hangs must not hang the UI. */
const API_TIMEOUT_MS = 10_000;

export class DockerodeEngineClient implements EngineClient {
  private readonly docker: Docker;
  readonly endpoint: ResolvedEndpoint;

  constructor(endpoint: ResolvedEndpoint) {
    this.endpoint = endpoint;
    this.docker = new Docker({ ...endpoint.options, timeout: API_TIMEOUT_MS });
  }

  async listNetworks(): Promise<NetworkSummary[]> {
    const raw = await this.call(() => this.docker.listNetworks() as Promise<RawNetwork[]>);
    return sortNetworks(raw.map(normalizeNetwork));
  }

  async snapshot(): Promise<EngineSnapshot> {
    const [networks, info] = await Promise.all([this.listNetworks(), this.call(() => this.docker.info() as Promise<{ Swarm?: { LocalNodeState?: string } }>)]);
    const local = 'socketPath' in this.endpoint.options;
    return {
      networkNames: networks.map((n) => n.name),
      swarmActive: info.Swarm?.LocalNodeState === 'active',
      // The engine's host is this machine only for a local socket.
      ...(local ? { hostInterfaces: Object.keys(os.networkInterfaces()).filter((i) => i !== 'lo' && !/^(docker|br-|veth)/.test(i)) } : {}),
    };
  }

  async networkContainers(id: string): Promise<string[]> {
    const raw = await this.call(() => this.docker.getNetwork(id).inspect() as Promise<{ Containers?: Record<string, { Name?: string }> | null }>);
    return Object.values(raw.Containers ?? {}).map((c) => c.Name ?? '').filter(Boolean).sort();
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new EngineError(describeConnectionError(this.endpoint, err));
    }
  }
}

/**
 * Builds the client for a configured host (empty: DOCKER_HOST, then the default socket).
 * A malformed endpoint yields a client whose every call fails with that explanation.
 */
export function createEngineClient(configuredHost: string | undefined, env: NodeJS.ProcessEnv = process.env): EngineClient {
  try {
    return new DockerodeEngineClient(resolveEndpoint(configuredHost, env));
  } catch (err) {
    if (!(err instanceof EndpointError)) throw err;
    const endpoint = { display: configuredHost || env.DOCKER_HOST || '(unset)', source: configuredHost ? 'setting' : 'DOCKER_HOST' } as const;
    const problem = { endpoint, reason: err.message, hint: 'Fix "dockerNetworking.dockerHost" or DOCKER_HOST.' };
    const fail = () => Promise.reject(new EngineError(problem));
    return { endpoint, listNetworks: fail, snapshot: fail, networkContainers: fail };
  }
}
