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
  created?: string;
}

export interface EngineEndpoint {
  /** What the user reads: `unix:///var/run/docker.sock`, `tcp://host:2375`. */
  display: string;
  /** Where the value came from: the setting, DOCKER_HOST, or the default. */
  source: 'setting' | 'DOCKER_HOST' | 'default';
}
