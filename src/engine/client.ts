// The contract every engine implementation satisfies; callers never see dockerode.
import type { EngineEndpoint, NetworkSummary } from './model';

export interface EngineClient {
  readonly endpoint: EngineEndpoint;
  /** All networks, sorted by name. Rejects with EngineError when the engine cannot be reached. */
  listNetworks(): Promise<NetworkSummary[]>;
}
