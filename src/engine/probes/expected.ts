// What the compose file promises, at the three layers verify probes: which of B's names resolve from A, which of
// B's addresses A reaches, which of B's ports A connects to. Pure: the model and the engine's records in, answers out.
import type { Analysis } from '../../compose/analyze';
import type { Span } from '../../compose/types';
import { IMPLICIT_DEFAULT } from '../../compose/model';

/** One container verify probes from and to: a service's container, or (with --include-foreign) another one. */
export interface VerifyNode {
  /** The service name, or the container name of a foreign container. */
  key: string;
  foreign: boolean;
  containerId: string;
  containerName: string;
  /** Engine network names the compose file attaches it to (a foreign container: the project's external networks it is on). */
  modelNetworks: string[];
  /** The names the compose file gives it, per engine network (service name, aliases, container_name, hostname). */
  modelNames: Map<string, Set<string>>;
  /** The running container's attachments, with the aliases the engine answers to on each. */
  endpoints: Array<{ network: string; ipv4?: string; ipv6?: string; aliases: string[] }>;
  /** The running container's hostname, when it is not its short ID. */
  hostname?: string;
  span?: Span;
}

/** The engine-side name Compose gives each network of the model. */
export function engineNetworkNames(analysis: Analysis): Map<string, string> {
  const project = analysis.project;
  const out = new Map<string, string>();
  const keys = new Set([...project.networks.keys(), IMPLICIT_DEFAULT]);
  for (const key of keys) {
    const decl = project.networks.get(key);
    const named = decl?.externalName && !decl.externalName.unknown ? decl.externalName.value : undefined;
    out.set(key, named ?? (decl?.external ? key : `${project.name}_${key}`));
  }
  return out;
}

/** Are containers on this network kept from each other (`enable_icc: "false"`)? The model decides for its own networks. */
export function peersIsolatedIn(analysis: Analysis, liveOptions: Map<string, Record<string, string>>): (engineNetwork: string) => boolean {
  const byEngine = new Map([...engineNetworkNames(analysis)].map(([key, name]) => [name, key]));
  const topology = analysis.topology as { peersIsolated?: (network: string) => boolean };
  const isFalse = (v: string | undefined) => v !== undefined && ['false', '0', 'f', 'F', 'FALSE', 'False'].includes(v.trim());
  return (engineNetwork) => {
    const key = byEngine.get(engineNetwork);
    const decl = key !== undefined ? analysis.project.networks.get(key) : undefined;
    if (key !== undefined && !decl?.external) {
      if (topology.peersIsolated) return topology.peersIsolated(key);
      const driver = decl?.driver && !decl.driver.unknown ? decl.driver.value : 'bridge';
      const icc = decl?.driverOpts.get('com.docker.network.bridge.enable_icc');
      return driver === 'bridge' && !!icc && !icc.unknown && isFalse(icc.value);
    }
    // An external network: its options are the engine's, not the file's.
    return isFalse(liveOptions.get(engineNetwork)?.['com.docker.network.bridge.enable_icc']);
  };
}

/** The model side of a service's node: its engine networks and the names it answers to on each. */
export function modelSide(analysis: Analysis, service: string): { modelNetworks: string[]; modelNames: Map<string, Set<string>>; span?: Span } {
  const engineNames = engineNetworkNames(analysis);
  const { topology, project } = analysis;
  const svc = project.services.get(service);
  const modelNames = new Map<string, Set<string>>();
  const modelNetworks: string[] = [];
  for (const key of topology.networksOf(service)) {
    const net = engineNames.get(key) ?? `${project.name}_${key}`;
    modelNetworks.push(net);
    const names = new Set<string>();
    for (const [name, entries] of topology.names.get(key) ?? []) if (entries.some((d) => d.service === service)) names.add(name);
    // The engine adds the hostname to the container's aliases on every user-defined network.
    if (svc?.hostname && !svc.hostname.unknown && svc.hostname.value) names.add(svc.hostname.value);
    modelNames.set(net, names);
  }
  return { modelNetworks, modelNames, ...(svc ? { span: svc.nameSpan } : {}) };
}

/** Every name worth asking for B: what the file gives it, what the engine answers to, and its container name. */
export function namesToProbe(b: VerifyNode): string[] {
  const names = new Set<string>();
  for (const set of b.modelNames.values()) for (const n of set) names.add(n);
  for (const e of b.endpoints) for (const a of e.aliases) names.add(a);
  names.add(b.containerName);
  return [...names].sort();
}

/**
 * Do the engine's own records let `name` lead to B from A? Docker's embedded DNS answers A only from the networks A
 * is on, with the containers' names and their aliases on that network (the hostname counted too, to be safe). When
 * no network both are attached to gives B that name, asking would only wait for the forwarded query to fail (on an
 * internal network nothing answers it): the records answer. A's own /etc/hosts (extra_hosts, links) is not in them.
 */
export function nameOnSharedNetwork(a: VerifyNode, b: VerifyNode, name: string): boolean {
  const bare = name.replace(/\.$/, '').toLowerCase();
  return b.endpoints.some((e) => a.endpoints.some((f) => f.network === e.network) && [b.containerName, b.hostname, ...e.aliases].some((n) => n?.toLowerCase() === bare));
}

/** Networks both are on by the file. */
export function modelShared(a: VerifyNode, b: VerifyNode): string[] {
  return a.modelNetworks.filter((n) => b.modelNetworks.includes(n));
}

/**
 * Should `name` resolve to B from A? Iff they share a network (by the file) on which B answers to it. The engine
 * answers to a container's own name on every network it is on, so the container name is expected wherever they share one.
 */
export function expectName(a: VerifyNode, b: VerifyNode, name: string): boolean {
  return modelShared(a, b).some((n) => name === b.containerName || b.modelNames.get(n)?.has(name) === true);
}

/** Should A reach B's address on this network? Iff the file puts both on it and its containers may talk to each other. */
export function expectAddress(a: VerifyNode, b: VerifyNode, network: string, peersIsolated: (network: string) => boolean): boolean {
  return a.modelNetworks.includes(network) && b.modelNetworks.includes(network) && !peersIsolated(network);
}
