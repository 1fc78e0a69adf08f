// The analyzer's vocabulary: where things are written, what was found, and how to fix it.

/** A range of characters [start, end) in one file, as offsets into its text. */
export interface Span {
  file: string;
  start: number;
  end: number;
}

/** A value together with where the user wrote it. `unknown` marks a value interpolation could not resolve. */
export interface Located<T = string> {
  value: T;
  span: Span;
  unknown?: boolean;
}

export type Severity = 'error' | 'warning' | 'info';

export interface TextEdit {
  file: string;
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The obvious fix, offered first and applied by "fix all". */
  preferred?: boolean;
}

export interface RelatedLocation {
  span: Span;
  message: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  span: Span;
  related: RelatedLocation[];
  fixes: Fix[];
}

/** What the engine knows, passed in by callers that can reach it; the analyzer itself never does I/O. */
export interface EngineSnapshot {
  /** Names of the networks that exist on the engine. */
  networkNames: string[];
  /** Whether Swarm mode is active, when known. */
  swarmActive?: boolean;
  /** How many nodes the Swarm has (`docker info` Swarm.Nodes), when known (the engine is a manager). */
  swarmNodes?: number;
  /** Stacks deployed on the engine (services labelled com.docker.stack.namespace), when it is a Swarm manager. */
  stacks?: string[];
  /** The host's network interfaces, when the engine is local. */
  hostInterfaces?: string[];
  /** The engine's networks with their subnets and the Compose project that made them (engine-aware subnet rules). */
  networks?: Array<{ name: string; subnets: string[]; composeProject?: string }>;
  /** The host's routes (CIDR and interface), when the engine is local; Docker's own bridges and the default route left out. */
  hostRoutes?: Array<{ destination: string; iface: string }>;
  /** Host ports that running containers publish. */
  publishedPorts?: Array<{ hostIp: string; port: number; protocol: string; container: string; composeProject?: string }>;
}
