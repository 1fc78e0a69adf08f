// EngineClient over dockerode: the only file that constructs a Docker API client.
import Docker from 'dockerode';
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
    return { endpoint, listNetworks: () => Promise.reject(new EngineError(problem)) };
  }
}
