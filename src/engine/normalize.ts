// The one place that maps raw Docker API records to our types.
import type { NetworkSummary, IpamSubnet } from './model';

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
    ...(raw.Created ? { created: raw.Created } : {}),
  };
}

/** Networks sorted for display: stable whatever order the engine returns them in. */
export function sortNetworks(networks: NetworkSummary[]): NetworkSummary[] {
  return [...networks].sort((a, b) => a.name.localeCompare(b.name));
}
