// EngineClient over dockerode: the only file that constructs a Docker API client.
import Docker from 'dockerode';
import * as fs from 'fs';
import * as os from 'os';
import type { EngineSnapshot } from '../compose/types';
import type { ContainerFacts, EngineClient, EngineEvent, ProbeOptions, Subscription } from './client';
import { EndpointError, resolveEndpoint, type EndpointFiles, type ResolvedEndpoint } from './endpoint';
import { localEndpointFiles } from './endpointFiles';
import { socketTablesOnThisHost } from './hostSockets';
import { EngineError, describeConnectionError, type EngineProblem } from './errors';
import { runProbe, startProbeSidecar, sweepProbeContainers, type ExecResult } from './exec';
import type { ContainerSummary, NetworkSpec, NetworkSummary } from './model';
import { normalizeContainer, normalizeNetwork, sortNetworks, type RawContainer, type RawNetwork } from './normalize';
import { engineNetworks, hostRoutes, publishedPorts, swarmNodes, type RawPublishingContainer } from './snapshotFacts';
import { SshAgent, SshDialError } from './sshTransport';
import { deployedStackNames, overlayRefusal, readSwarm, type SwarmView } from './swarm';
import { verifyStackOn, type StackVerifyReport, type StackVerifyRequest } from './swarmVerify';
import { DockerTraffic, type TrafficClient } from './traffic';

/** An API call that hangs must not hang the UI. */
const API_TIMEOUT_MS = 10_000;
const WATCHED_EVENTS = new Set(['create', 'destroy', 'connect', 'disconnect', 'remove', 'start', 'die', 'rename', 'stop', 'kill', 'pause', 'unpause', 'update']);
/** Swarm's events (a manager emits them; elsewhere none come): services created, scaled, updated, removed; nodes joining, leaving, changing. */
const WATCHED_TYPES = new Set<EngineEvent['type']>(['network', 'container', 'service', 'node']);

/** The host's routes, for a local engine; none when /proc/net/route cannot be read (not Linux). */
function localRoutes(networks: NetworkSummary[]): Pick<EngineSnapshot, 'hostRoutes'> {
  try {
    return { hostRoutes: hostRoutes(fs.readFileSync('/proc/net/route', 'utf8'), networks) };
  } catch {
    return {};
  }
}

export class DockerodeEngineClient implements EngineClient {
  private readonly docker: Docker;
  readonly endpoint: ResolvedEndpoint;
  private readonly trafficClient: TrafficClient;

  /** `env`: the environment ssh runs in (PATH, SSH_AUTH_SOCK) for ssh:// endpoints. */
  constructor(endpoint: ResolvedEndpoint, env: NodeJS.ProcessEnv = process.env) {
    this.endpoint = endpoint;
    const o = endpoint.options;
    // ssh:// goes through the user's own ssh (sshTransport.ts), never through docker-modem's ssh2 client (which
    // cannot read ~/.ssh/config and crashes on a timeout); the HTTP on top is plain.
    const options = 'ssh' in o ? { protocol: 'http', host: 'docker.ssh', port: 80, agent: new SshAgent(o.ssh, { env }) } : o;
    this.docker = new Docker({ ...options, timeout: API_TIMEOUT_MS } as Docker.DockerOptions);
    // Captures wait as long as the user asked: their client has no idle timeout (each wait has its own deadline).
    this.trafficClient = new DockerTraffic(this.docker, new Docker(options as Docker.DockerOptions));
  }

  async listNetworks(): Promise<NetworkSummary[]> {
    const raw = await this.call(() => this.docker.listNetworks() as Promise<RawNetwork[]>);
    return sortNetworks(raw.map(normalizeNetwork));
  }

  async listContainers(): Promise<ContainerSummary[]> {
    const raw = await this.call(() => this.docker.listContainers({ all: true }) as Promise<RawContainer[]>);
    return raw.map(normalizeContainer).sort((a, b) => a.name.localeCompare(b.name));
  }

  async aliasesOf(containerId: string): Promise<Record<string, string[]>> {
    const info = await this.call(() => this.docker.getContainer(containerId).inspect());
    const out: Record<string, string[]> = {};
    const shortId = info.Id.slice(0, 12);
    for (const [net, ep] of Object.entries(info.NetworkSettings?.Networks ?? {})) {
      // The engine adds the short container ID as an alias on user-defined networks: not something the user set.
      out[net] = (ep.Aliases ?? []).filter((a: string) => a !== shortId);
    }
    return out;
  }

  async snapshot(): Promise<EngineSnapshot> {
    const [networks, info, running] = await Promise.all([
      this.listNetworks(),
      this.call(() => this.docker.info() as Promise<{ Swarm?: { LocalNodeState?: string; Nodes?: number; ControlAvailable?: boolean } }>),
      this.call(() => this.docker.listContainers() as Promise<RawPublishingContainer[]>),
    ]);
    const local = 'socketPath' in this.endpoint.options;
    // Stacks deployed here (a manager): a compose project of that name is analysed as a stack (compose/stack.ts).
    const stacks = await this.call(() => deployedStackNames(this.docker, info)).catch(() => undefined);
    return {
      networkNames: networks.map((n) => n.name),
      swarmActive: info.Swarm?.LocalNodeState === 'active',
      ...swarmNodes(info),
      ...(stacks?.length ? { stacks } : {}),
      networks: engineNetworks(networks),
      publishedPorts: publishedPorts(running),
      // The engine's host is this machine only for a local socket.
      ...(local ? { hostInterfaces: Object.keys(os.networkInterfaces()).filter((i) => i !== 'lo' && !/^(docker|br-|veth)/.test(i)), ...localRoutes(networks) } : {}),
    };
  }

  async networkContainers(id: string): Promise<string[]> {
    const raw = (await this.inspectNetwork(id)) as { Containers?: Record<string, { Name?: string }> | null };
    return Object.values(raw.Containers ?? {}).map((c) => c.Name ?? '').filter(Boolean).sort();
  }

  inspectNetwork(id: string): Promise<unknown> {
    return this.call(() => this.docker.getNetwork(id).inspect());
  }

  async createNetwork(spec: NetworkSpec): Promise<string> {
    if (spec.driver === 'overlay') {
      // Checked first: the engine's own answer ("This node is not a swarm manager...") does not say what to do.
      const refusal = await this.call(() => overlayRefusal(this.docker, this.endpoint.display));
      if (refusal) throw new EngineError({ endpoint: this.endpoint, reason: `cannot create overlay network "${spec.name}": not a Swarm manager`, hint: refusal });
    }
    const options: Record<string, string> = {
      ...(spec.parent ? { parent: spec.parent } : {}),
      ...(spec.encrypted ? { encrypted: '' } : {}),
      ...(spec.mtu ? { 'com.docker.network.driver.mtu': String(spec.mtu) } : {}),
    };
    const ipam = spec.subnet ? [{ Subnet: spec.subnet, ...(spec.gateway ? { Gateway: spec.gateway } : {}), ...(spec.ipRange ? { IPRange: spec.ipRange } : {}) }] : [];
    const created = await this.call(() =>
      this.docker.createNetwork({
        Name: spec.name,
        Driver: spec.driver,
        CheckDuplicate: true,
        Internal: spec.internal === true,
        Attachable: spec.attachable === true,
        EnableIPv6: spec.ipv6 === true,
        Labels: spec.labels ?? {},
        ...(Object.keys(options).length ? { Options: options } : {}),
        ...(ipam.length ? { IPAM: { Driver: 'default', Config: ipam } } : {}),
      }),
    );
    return created.id;
  }

  async removeNetwork(id: string): Promise<void> {
    await this.call(() => this.docker.getNetwork(id).remove());
  }

  async pruneNetworks(label?: string): Promise<string[]> {
    const opts = label ? { filters: JSON.stringify({ label: [label] }) } : {};
    const result = await this.call(() => this.docker.pruneNetworks(opts) as Promise<{ NetworksDeleted?: string[] | null }>);
    return result.NetworksDeleted ?? [];
  }

  async connect(networkId: string, containerId: string, options: { aliases?: string[]; ipv4?: string } = {}): Promise<void> {
    const endpoint = {
      ...(options.aliases?.length ? { Aliases: options.aliases } : {}),
      ...(options.ipv4 ? { IPAMConfig: { IPv4Address: options.ipv4 } } : {}),
    };
    await this.call(() => this.docker.getNetwork(networkId).connect({ Container: containerId, EndpointConfig: endpoint }));
  }

  async disconnect(networkId: string, containerId: string, force = false): Promise<void> {
    await this.call(() => this.docker.getNetwork(networkId).disconnect({ Container: containerId, Force: force }));
  }

  probe(containerId: string, argv: string[], options: ProbeOptions): Promise<ExecResult> {
    return this.call(() => runProbe(this.docker, containerId, argv, options));
  }

  async containerFacts(containerId: string): Promise<ContainerFacts> {
    const info = await this.call(() => this.docker.getContainer(containerId).inspect());
    const shortId = info.Id.slice(0, 12);
    const aliases: Record<string, string[]> = {};
    for (const [net, ep] of Object.entries(info.NetworkSettings?.Networks ?? {})) aliases[net] = (ep.Aliases ?? []).filter((a: string) => a !== shortId && !info.Id.startsWith(a));
    const tcp = (keys: string[]) => [...new Set(keys.filter((k) => /^\d+\/tcp$/.test(k)).map((k) => Number(k.split('/')[0])))].sort((a, b) => a - b);
    const published = Object.entries((info.NetworkSettings?.Ports ?? {}) as Record<string, unknown[] | null>).filter(([, v]) => Array.isArray(v) && v.length > 0).map(([k]) => k);
    const hostname = info.Config?.Hostname;
    const pid = info.State?.Pid;
    return { aliases, ...(hostname && !info.Id.startsWith(hostname) ? { hostname } : {}), exposedTcp: tcp(Object.keys(info.Config?.ExposedPorts ?? {})), publishedTcp: tcp(published), ...(pid ? { pid } : {}) };
  }

  async socketTablesHere(containerId: string, pid?: number): Promise<string | undefined> {
    if (!('socketPath' in this.endpoint.options)) return undefined;
    // The PID its facts gave (no second inspect); socketTablesOnThisHost checks it is still that container's process.
    if (pid !== undefined && /^[0-9a-f]{64}$/.test(containerId)) return socketTablesOnThisHost(containerId, pid);
    const info = await this.call(() => this.docker.getContainer(containerId).inspect());
    return socketTablesOnThisHost(info.Id, info.State?.Pid);
  }

  probeSidecar(containerId: string, options: Omit<ProbeOptions, 'onOutput' | 'fallback' | 'viaProbeContainer'>): Promise<{ id: string; close(): Promise<void> }> {
    return this.call(() => startProbeSidecar(this.docker, containerId, options));
  }

  sweepProbes(): Promise<number> {
    return this.call(() => sweepProbeContainers(this.docker));
  }

  traffic(): Promise<TrafficClient> {
    return Promise.resolve(this.trafficClient);
  }

  swarm(): Promise<SwarmView> {
    return this.call(() => readSwarm(this.docker));
  }

  verifyStack(request: StackVerifyRequest): Promise<StackVerifyReport> {
    return verifyStackOn(this.docker, this.endpoint, request, (err) => describeFailure(this.endpoint, err));
  }

  async events(onEvent: (e: EngineEvent) => void, onEnd: (err?: Error) => void): Promise<Subscription> {
    const stream = (await this.call(() => this.docker.getEvents({ filters: { type: [...WATCHED_TYPES] } }))) as NodeJS.ReadableStream & { destroy(): void };
    let ended = false;
    const end = (err?: Error) => {
      if (ended) return;
      ended = true;
      onEnd(err ? new EngineError(describeConnectionError(this.endpoint, err)) : undefined);
    };
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (!line) continue;
        try {
          const e = JSON.parse(line) as { Type?: string; Action?: string; Actor?: { ID?: string } };
          const action = (e.Action ?? '').split(':')[0];
          if (WATCHED_TYPES.has(e.Type as EngineEvent['type']) && WATCHED_EVENTS.has(action)) onEvent({ type: e.Type as EngineEvent['type'], action, id: e.Actor?.ID ?? '' });
        } catch {
          // A malformed line is skipped; the next refresh reads the real state anyway.
        }
      }
    });
    stream.on('error', (err: Error) => end(err));
    stream.on('end', () => end());
    stream.on('close', () => end());
    return {
      dispose: () => {
        ended = true;
        stream.destroy();
      },
    };
  }

  /** Engine and connection failures become EngineErrors (endpoint, reason, what to do); our own errors pass through. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const e = err as { code?: unknown; statusCode?: unknown };
      if (err instanceof EngineError || (e?.code === undefined && e?.statusCode === undefined)) throw err;
      throw new EngineError(describeFailure(this.endpoint, err));
    }
  }
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_SSL|ERR_TLS|EPROTO|HOSTNAME_MISMATCH/;

/** Which step failed and what to do: ssh, TLS, then the connection errors every endpoint shares. */
export function describeFailure(endpoint: EngineClient['endpoint'], err: unknown): EngineProblem {
  if (err instanceof SshDialError) return { endpoint, reason: `${err.step} failed: ${err.detail}`, hint: err.hint };
  const e = err as NodeJS.ErrnoException & { reason?: string; statusCode?: number; json?: unknown };
  const code = String(e?.code ?? '');
  if (endpoint.display.startsWith('ssh://') && (code === 'ECONNRESET' || /socket hang up/.test(String(e?.message)))) {
    return { endpoint, reason: 'the connection over ssh closed before the engine answered (ssh took too long to connect and answer, or the remote `docker system dial-stdio` stopped)', hint: 'Check that `ssh HOST docker version` answers quickly from a terminal, then Retry.' };
  }
  const https = endpoint.display.startsWith('tcp://') || endpoint.display.startsWith('https://');
  if (https && TLS_CODES.test(code)) {
    const alert = /certificate required|alert bad certificate|certificate unknown/i.test(e.message);
    return {
      endpoint,
      reason: `TLS handshake failed: ${e.message} (${code})`,
      hint: alert
        ? "The engine wants a client certificate it trusts: set DOCKER_CERT_PATH (or the context's TLS material) to a folder with cert.pem and key.pem signed by its CA."
        : "The engine's certificate is not trusted for this address: DOCKER_CERT_PATH (or the context) must hold the CA that signed it (ca.pem), and the address must be in the certificate.",
    };
  }
  if (https && (code === 'ECONNRESET' || /socket hang up/.test(String(e?.message)))) {
    return { endpoint, reason: `the connection was closed during the request (${code || e.message})`, hint: 'A TLS engine closes connections without a client certificate it trusts, or a plain-HTTP engine got TLS: check DOCKER_TLS_VERIFY, DOCKER_CERT_PATH and the port.' };
  }
  // docker-modem puts a non-JSON body (Go's TLS server answers plain HTTP with text) into the message
  if (e?.statusCode === 400 && /HTTP request to an HTTPS server/i.test(String(e.message))) {
    return { endpoint, reason: 'the engine speaks TLS and the request was plain HTTP', hint: 'Set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH (or use a docker context with TLS material) for this endpoint.' };
  }
  return describeConnectionError(endpoint, err);
}

const localFiles = localEndpointFiles();
export { localEndpointFiles };

/** A client whose every call fails with the same explanation (a malformed endpoint setting). */
function failingClient(endpoint: EngineClient['endpoint'], reason: string): EngineClient {
  const hint = endpoint.source === 'context' ? 'Fix the docker context (`docker context inspect`), or pick another one (Docker Networking: Switch Docker Context).' : 'Fix "dockerNetworking.dockerHost" or DOCKER_HOST.';
  const fail = () => Promise.reject(new EngineError({ endpoint, reason, hint }));
  return {
    endpoint,
    listNetworks: fail,
    listContainers: fail,
    aliasesOf: fail,
    snapshot: fail,
    networkContainers: fail,
    inspectNetwork: fail,
    createNetwork: fail,
    removeNetwork: fail,
    pruneNetworks: fail,
    connect: fail,
    disconnect: fail,
    probe: fail,
    containerFacts: fail,
    probeSidecar: fail,
    sweepProbes: fail,
    swarm: fail,
    verifyStack: fail,
    events: fail,
  };
}

/**
 * Builds the client for a configured host (empty: DOCKER_HOST, the current docker context, then the default socket).
 * `choice.context` is a docker context picked for this window: it wins over both, like `docker --context`.
 */
export function createEngineClient(configuredHost: string | undefined, env: NodeJS.ProcessEnv = process.env, choice: { context?: string; files?: EndpointFiles } = {}): EngineClient {
  try {
    return new DockerodeEngineClient(resolveEndpoint(configuredHost, env, choice.files ?? localFiles, choice), env);
  } catch (err) {
    if (!(err instanceof EndpointError)) throw err;
    const endpoint: EngineClient['endpoint'] = choice.context
      ? { display: `context ${choice.context}`, source: 'context' }
      : /docker context "/.test(err.message)
        ? { display: 'current docker context', source: 'context' }
        : { display: configuredHost || env.DOCKER_HOST || '(unset)', source: configuredHost ? 'setting' : 'DOCKER_HOST' };
    return failingClient(endpoint, err.message);
  }
}
