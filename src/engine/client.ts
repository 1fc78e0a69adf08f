// The contract every engine implementation satisfies; callers never see dockerode.
import type { EngineSnapshot } from '../compose/types';
import type { EngineEndpoint, NetworkSummary } from './model';

export interface EngineClient {
  readonly endpoint: EngineEndpoint;
  /** All networks, sorted by name. Rejects with EngineError when the engine cannot be reached. */
  listNetworks(): Promise<NetworkSummary[]>;
  /** What the analyzer's engine-aware rules need: network names, Swarm state, host interfaces when local. */
  snapshot(): Promise<EngineSnapshot>;
  /** The names of the containers attached to a network (one inspect call). */
  networkContainers(id: string): Promise<string[]>;
}
