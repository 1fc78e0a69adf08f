// The contract every engine implementation satisfies; callers never see dockerode.
import type { EngineSnapshot } from '../compose/types';
import type { ExecResult } from './exec';
import type { ContainerSummary, EngineEndpoint, NetworkSpec, NetworkSummary } from './model';
import type { SwarmView } from './swarm';
import type { StackVerifyReport, StackVerifyRequest } from './swarmVerify';
import type { TrafficClient } from './traffic';

export interface EngineEvent {
  /** `service` and `node`: Swarm's, on a manager. */
  type: 'network' | 'container' | 'service' | 'node';
  action: string;
  id: string;
}

export interface ProbeOptions {
  probeImage: string;
  onOutput?: (s: string) => void;
  signal?: AbortSignal;
  /** May the engine pull `probeImage` when it lacks it? Only with the user's consent (CLI --pull, a prompt). */
  allowPull?: boolean;
  /** Deadline of each step (the exec; the probe container), default 20 s. */
  deadlineMs?: number;
  /** false: never fall back to a probe container (the answer is then the exec's, whatever it is). */
  fallback?: boolean;
  /** Go straight to the probe container (an earlier exec showed the tool is missing from this container). */
  viaProbeContainer?: boolean;
  /** Value of the probe label on a probe container (the project verified, or the command). */
  owner?: string;
}

export interface ContainerFacts {
  /** Aliases per network name, the engine's short-ID alias left out. */
  aliases: Record<string, string[]>;
  hostname?: string;
  /** Container-side TCP ports from EXPOSE / `expose:` and from published ports. */
  exposedTcp: number[];
  publishedTcp: number[];
  /** The container's main process as the engine's host numbers it (State.Pid), when it runs. */
  pid?: number;
}

export interface Subscription {
  dispose(): void;
}

/** Every method rejects with an EngineError (which endpoint, what failed, what to do) when the call fails. */
export interface EngineClient {
  readonly endpoint: EngineEndpoint;
  /** All networks, sorted by name. */
  listNetworks(): Promise<NetworkSummary[]>;
  /** All containers, running or not, with their endpoints (aliases filled lazily by `aliasesOf`). */
  listContainers(): Promise<ContainerSummary[]>;
  /** The aliases of a container on each of its networks (one container inspect). */
  aliasesOf(containerId: string): Promise<Record<string, string[]>>;
  /** What the analyzer's engine-aware rules need: network names, Swarm state, host interfaces when local. */
  snapshot(): Promise<EngineSnapshot>;
  /** The names of the containers attached to a network (one inspect call). */
  networkContainers(id: string): Promise<string[]>;
  /** The raw inspect record, for the read-only JSON view. */
  inspectNetwork(id: string): Promise<unknown>;
  createNetwork(spec: NetworkSpec): Promise<string>;
  removeNetwork(id: string): Promise<void>;
  /** Removes unused networks (only those with `label`, when given); resolves with the names removed. */
  pruneNetworks(label?: string): Promise<string[]>;
  connect(networkId: string, containerId: string, options?: { aliases?: string[]; ipv4?: string }): Promise<void>;
  disconnect(networkId: string, containerId: string, force?: boolean): Promise<void>;
  /**
   * Runs a probe (an argument vector, never a shell string) in a container, or, when its image lacks the tool,
   * in a short-lived container of `probeImage` sharing its network namespace, removed afterwards.
   */
  probe(containerId: string, argv: string[], options: ProbeOptions): Promise<ExecResult>;
  /**
   * Starts a long-lived probe container (`probeImage`, labelled, auto-removed) in the container's network namespace:
   * run probes in it with `probe(sidecar.id, argv, { fallback: false })`, then `close()` it.
   */
  probeSidecar(containerId: string, options: Omit<ProbeOptions, 'onOutput' | 'fallback' | 'viaProbeContainer'>): Promise<{ id: string; close(): Promise<void> }>;
  /** What verify needs of a container beyond the list: aliases per network, hostname, TCP ports exposed and published. */
  containerFacts(containerId: string): Promise<ContainerFacts>;
  /**
   * The container's /proc/net/tcp and tcp6 read from this machine, without an exec, when the engine runs here and
   * its PID is that container's process as seen from here (hostSockets.ts); undefined otherwise: then exec.
   * `pid` (ContainerFacts.pid) saves inspecting the container again.
   */
  socketTablesHere?(containerId: string, pid?: number): Promise<string | undefined>;
  /** Removes probe containers earlier runs left behind (not running, or far past any probe's life); resolves with how many. */
  sweepProbes(): Promise<number>;
  /** Swarm state as this engine sees it (nodes, overlays, services, tasks on a manager); optional for test doubles. */
  swarm?(): Promise<SwarmView>;
  /** Probes a deployed stack's reachability across nodes through this manager (swarmVerify.ts); optional for test doubles. */
  verifyStack?(request: StackVerifyRequest): Promise<StackVerifyReport>;
  /** Counters, captures and host sockets (traffic.ts); absent on test doubles and failing clients. */
  traffic?(): Promise<TrafficClient>;
  /** Follows network, container and (on a Swarm manager) service and node events; `onEnd` is called once when the stream stops (engine gone). */
  events(onEvent: (e: EngineEvent) => void, onEnd: (err?: Error) => void): Promise<Subscription>;
}
