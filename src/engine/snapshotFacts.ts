// Facts for the engine-aware rules, read from what the engine and its host report: the networks' subnets,
// the host's routes (a VPN, a LAN) and the host ports running containers publish. Pure parsing; the client reads.
import type { EngineSnapshot } from '../compose/types';
import type { NetworkSummary } from './model';

/** What `GET /containers/json` says about a running container's published ports. */
export interface RawPublishingContainer {
  Id?: string;
  Names?: string[];
  Labels?: Record<string, string> | null;
  Ports?: Array<{ IP?: string; PrivatePort?: number; PublicPort?: number; Type?: string }> | null;
}

const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';

/**
 * The Swarm's node count from `docker info`: `Swarm.Nodes` is filled only on a manager (`ControlAvailable`) of an
 * active Swarm; elsewhere it is 0 or absent and the count is unknown, not zero.
 */
export function swarmNodes(info: { Swarm?: { LocalNodeState?: string; Nodes?: number; ControlAvailable?: boolean } }): Pick<EngineSnapshot, 'swarmNodes'> {
  const s = info.Swarm;
  return s?.LocalNodeState === 'active' && s.ControlAvailable && typeof s.Nodes === 'number' && s.Nodes > 0 ? { swarmNodes: s.Nodes } : {};
}

export function engineNetworks(networks: NetworkSummary[]): NonNullable<EngineSnapshot['networks']> {
  return networks.map((n) => ({ name: n.name, subnets: n.subnets.map((s) => s.subnet).filter(Boolean), ...(n.composeProject ? { composeProject: n.composeProject } : {}) }));
}

/** Host ports published by running containers (`docker ps` lists only those with a PublicPort). */
export function publishedPorts(running: RawPublishingContainer[]): NonNullable<EngineSnapshot['publishedPorts']> {
  const out: NonNullable<EngineSnapshot['publishedPorts']> = [];
  for (const c of running) {
    const name = (c.Names?.[0] ?? c.Id ?? '').replace(/^\//, '');
    const project = c.Labels?.[COMPOSE_PROJECT_LABEL];
    for (const p of c.Ports ?? []) {
      if (!p.PublicPort) continue;
      out.push({ hostIp: p.IP ?? '', port: p.PublicPort, protocol: (p.Type ?? 'tcp').toLowerCase(), container: name, ...(project ? { composeProject: project } : {}) });
    }
  }
  return out;
}

/** A little-endian hex IPv4 of /proc/net/route ("0100A8C0") as dotted text. */
function hexToIPv4(hex: string): string | undefined {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return undefined;
  const n = parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

function prefixOf(mask: string): number | undefined {
  if (!/^[0-9A-Fa-f]{8}$/.test(mask)) return undefined;
  let n = parseInt(mask, 16) >>> 0;
  let bits = 0;
  while (n & 1) {
    bits++;
    n >>>= 1;
  }
  return n === 0 ? bits : undefined; // a non-contiguous mask is not a prefix
}

/**
 * The host's IPv4 routes from /proc/net/route, leaving out what says nothing about a clash: the default route,
 * loopback, and Docker's own bridges and veths (docker0, br-*, veth*, and bridges named by a network's options),
 * and routes to the engine's own network subnets.
 */
export function hostRoutes(procNetRoute: string, networks: NetworkSummary[]): NonNullable<EngineSnapshot['hostRoutes']> {
  const engineBridges = new Set(networks.map((n) => n.options['com.docker.network.bridge.name']).filter(Boolean));
  const engineSubnets = new Set(networks.flatMap((n) => n.subnets.map((s) => s.subnet)));
  const out: NonNullable<EngineSnapshot['hostRoutes']> = [];
  for (const line of procNetRoute.split('\n').slice(1)) {
    const [iface, dest, , , , , , mask] = line.trim().split(/\s+/);
    if (!iface || iface === 'lo' || /^(docker\d*|br-|veth)/.test(iface) || engineBridges.has(iface)) continue;
    const address = dest && hexToIPv4(dest);
    const prefix = mask !== undefined ? prefixOf(mask) : undefined;
    if (!address || prefix === undefined || prefix === 0) continue;
    const destination = `${address}/${prefix}`;
    if (engineSubnets.has(destination) || out.some((r) => r.destination === destination && r.iface === iface)) continue;
    out.push({ destination, iface });
  }
  return out;
}
