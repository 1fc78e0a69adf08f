// Our own view of engine records: what the tree, the commands and the rules need,
// independent of the Docker API's field names.

export interface IpamSubnet {
  subnet: string;
  gateway?: string;
  ipRange?: string;
}

export interface NetworkSummary {
  id: string;
  name: string;
  driver: string;
  scope: string;
  internal: boolean;
  attachable: boolean;
  ipv6: boolean;
  /** Built-in networks (`bridge`, `host`, `none`) cannot be removed. */
  builtIn: boolean;
  subnets: IpamSubnet[];
  labels: Record<string, string>;
  /** Value of the `com.docker.compose.project` label, when Compose created it. */
  composeProject?: string;
  /** Driver options (`com.docker.network.bridge.name`, `parent`, ...). */
  options: Record<string, string>;
  created?: string;
}

/** A container's attachment to one network. */
export interface Endpoint {
  networkId: string;
  networkName: string;
  ipv4?: string;
  ipv6?: string;
  mac?: string;
  /** Filled lazily (container inspect); undefined until then. */
  aliases?: string[];
}

export interface ContainerSummary {
  id: string;
  /** Without the leading slash. */
  name: string;
  image: string;
  state: string;
  status: string;
  composeProject?: string;
  composeService?: string;
  /** The compose files the project was started from, absolute (config_files resolved as Compose v1 and v2 write it). */
  composeFiles?: string[];
  endpoints: Endpoint[];
  /** Ports published on the engine's host, as the engine bound them (one per host address family). */
  published?: PublishedPort[];
}

export interface NetworkSpec {
  name: string;
  driver: 'bridge' | 'overlay' | 'macvlan' | 'ipvlan';
  subnet?: string;
  gateway?: string;
  ipRange?: string;
  internal?: boolean;
  attachable?: boolean;
  ipv6?: boolean;
  labels?: Record<string, string>;
  /** Host interface for macvlan/ipvlan. */
  parent?: string;
  /** Overlay only: IPsec between nodes (`--opt encrypted`). */
  encrypted?: boolean;
  /** `--opt com.docker.network.driver.mtu`. */
  mtu?: number;
}

export interface EngineEndpoint {
  /** What the user reads: `unix:///var/run/docker.sock`, `tcp://host:2375`. */
  display: string;
  /** Where the value came from: the setting, DOCKER_HOST, a docker context, or the default. */
  source: 'setting' | 'DOCKER_HOST' | 'context' | 'default';
}

/** A container port published on the engine's host: `hostIp` as bound (0.0.0.0 / :: mean every interface). */
export interface PublishedPort {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
}
