// The one place that maps raw Docker API records to our types.
import { composeConfigFiles } from './composeLabels';
import type { ContainerSummary, Endpoint, IpamSubnet, NetworkSummary, PublishedPort } from './model';

/** The engine's predefined networks, by name and the driver it gives them. */
const BUILT_IN_NETWORKS: Record<string, string> = { bridge: 'bridge', host: 'host', none: 'null' };
const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';

/** The subset of `GET /networks` records we read; everything optional because engines differ. */
export interface RawNetwork {
  Id?: string;
  Name?: string;
  Driver?: string;
  Scope?: string;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  Created?: string;
  Labels?: Record<string, string> | null;
  Options?: Record<string, string> | null;
  IPAM?: { Config?: Array<{ Subnet?: string; Gateway?: string; IPRange?: string }> | null } | null;
}

export function normalizeNetwork(raw: RawNetwork): NetworkSummary {
  const name = raw.Name ?? '';
  const labels = raw.Labels ?? {};
  const subnets: IpamSubnet[] = (raw.IPAM?.Config ?? [])
    .filter((c) => typeof c.Subnet === 'string' && c.Subnet !== '')
    .map((c) => ({
      subnet: c.Subnet as string,
      ...(c.Gateway ? { gateway: c.Gateway } : {}),
      ...(c.IPRange ? { ipRange: c.IPRange } : {}),
    }));
  return {
    id: raw.Id ?? '',
    name,
    driver: raw.Driver ?? '',
    scope: raw.Scope ?? '',
    internal: raw.Internal === true,
    attachable: raw.Attachable === true,
    ipv6: raw.EnableIPv6 === true,
    builtIn: Object.hasOwn(BUILT_IN_NETWORKS, name) && BUILT_IN_NETWORKS[name] === raw.Driver,
    subnets,
    labels,
    ...(labels[COMPOSE_PROJECT_LABEL] ? { composeProject: labels[COMPOSE_PROJECT_LABEL] } : {}),
    options: raw.Options ?? {},
    ...(raw.Created ? { created: raw.Created } : {}),
  };
}

interface RawEndpoint {
  NetworkID?: string;
  IPAddress?: string;
  GlobalIPv6Address?: string;
  MacAddress?: string;
  Aliases?: string[] | null;
}

/** The subset of `GET /containers/json` records we read. */
export interface RawContainer {
  Id?: string;
  Names?: string[];
  Image?: string;
  State?: string;
  Status?: string;
  Labels?: Record<string, string> | null;
  NetworkSettings?: { Networks?: Record<string, RawEndpoint> | null } | null;
  Ports?: Array<{ IP?: string; PrivatePort?: number; PublicPort?: number; Type?: string }> | null;
}

export function normalizeEndpoint(networkName: string, raw: RawEndpoint): Endpoint {
  return {
    networkId: raw.NetworkID ?? '',
    networkName,
    ...(raw.IPAddress ? { ipv4: raw.IPAddress } : {}),
    ...(raw.GlobalIPv6Address ? { ipv6: raw.GlobalIPv6Address } : {}),
    ...(raw.MacAddress ? { mac: raw.MacAddress } : {}),
    ...(raw.Aliases ? { aliases: raw.Aliases } : {}),
  };
}

export function normalizeContainer(raw: RawContainer): ContainerSummary {
  const labels = raw.Labels ?? {};
  return {
    id: raw.Id ?? '',
    name: (raw.Names?.[0] ?? raw.Id?.slice(0, 12) ?? '').replace(/^\//, ''),
    image: raw.Image ?? '',
    state: raw.State ?? 'unknown',
    status: raw.Status ?? '',
    ...(labels[COMPOSE_PROJECT_LABEL] ? { composeProject: labels[COMPOSE_PROJECT_LABEL] } : {}),
    ...(labels['com.docker.compose.service'] ? { composeService: labels['com.docker.compose.service'] } : {}),
    ...(labels['com.docker.compose.project.config_files'] ? { composeFiles: composeConfigFiles(labels['com.docker.compose.project.config_files'], labels['com.docker.compose.project.working_dir']) } : {}),
    endpoints: Object.entries(raw.NetworkSettings?.Networks ?? {})
      .map(([name, ep]) => normalizeEndpoint(name, ep))
      .sort((a, b) => a.networkName.localeCompare(b.networkName)),
    ...(raw.Ports?.some((p) => p.PublicPort) ? { published: normalizePorts(raw.Ports) } : {}),
  };
}

/** Published ports only (an exposed port without a host binding is not reachable from the host). */
function normalizePorts(ports: NonNullable<RawContainer['Ports']>): PublishedPort[] {
  return ports
    .filter((p) => p.PublicPort && p.PrivatePort)
    .map((p) => ({ hostIp: p.IP ?? '0.0.0.0', hostPort: p.PublicPort!, containerPort: p.PrivatePort!, protocol: (p.Type === 'udp' || p.Type === 'sctp' ? p.Type : 'tcp') as PublishedPort['protocol'] }))
    .sort((a, b) => a.hostPort - b.hostPort || a.hostIp.localeCompare(b.hostIp));
}

/** Networks sorted for display: stable whatever order the engine returns them in. */
export function sortNetworks(networks: NetworkSummary[]): NetworkSummary[] {
  return [...networks].sort((a, b) => a.name.localeCompare(b.name));
}
