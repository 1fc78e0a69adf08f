// What a probe from one container can aim at, and why a failed probe failed, in terms of the topology: which
// names Docker's embedded DNS answers for the source (container names, aliases, service names, hostnames, on the
// networks both are on), the target's ports, and the shared networks. Pure: the engine's records in, text out.
// Engine facts (docker.io 20.10, checked): the default bridge resolves no names (nslookup gives NXDOMAIN); a
// container's hostname is one of its aliases on every user-defined network; only running containers answer.
import { parseAddress } from '../compose/ip';
import type { ContainerSummary, NetworkSummary } from './model';
import { isDefaultBridge } from './networkCapabilities';
import { validateUrl } from './probes';

/** Aliases per network name of one container (the engine's short-ID alias left out), from a container inspect. */
export type AliasesOf = (containerId: string) => Record<string, string[]> | undefined;

export interface TargetSuggestion {
  /** What the user picks: a name or an address. */
  label: string;
  /** Which container it reaches and on which network(s). */
  description: string;
  containerId: string;
  running: boolean;
}

/** Networks where Docker's DNS answers names: user-defined ones (not the default bridge, host or none). */
function resolvesNames(network: NetworkSummary | undefined): boolean {
  return !!network && !isDefaultBridge(network) && network.driver !== 'host' && network.driver !== 'null';
}

/** The names `target` answers to on `networkName`: its container name, its aliases (hostname and service included). */
function namesOn(target: ContainerSummary, networkName: string, aliasesOf: AliasesOf): string[] {
  const aliases = aliasesOf(target.id)?.[networkName] ?? [];
  return [...new Set([target.name, ...(target.composeService ? [target.composeService] : []), ...aliases])];
}

/**
 * Every name and address `source` can aim at: on each network both are on, the target's names (only where Docker's
 * DNS answers them) and its address. Running containers first, then the rest (they answer only once started);
 * each container's service name and aliases before its container name, then its addresses.
 */
export function probeSuggestions(source: ContainerSummary, containers: ContainerSummary[], networks: NetworkSummary[], aliasesOf: AliasesOf): TargetSuggestion[] {
  const byName = new Map(networks.map((n) => [n.name, n]));
  const mine = new Set(source.endpoints.map((e) => e.networkName));
  const others = containers.filter((c) => c.id !== source.id && c.endpoints.some((e) => mine.has(e.networkName)));
  const order = (c: ContainerSummary) => (c.state === 'running' ? 0 : 1);
  others.sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
  const out = new Map<string, TargetSuggestion>();
  const add = (label: string, target: ContainerSummary, where: string) => {
    const known = out.get(label);
    if (known) {
      if (known.containerId === target.id && !known.description.includes(where)) known.description += `, ${where}`;
      return;
    }
    const state = target.state === 'running' ? '' : ` · ${target.state}: answers once it runs`;
    out.set(label, { label, description: `${target.name} on ${where}${state}`, containerId: target.id, running: target.state === 'running' });
  };
  for (const target of others) {
    const shared = target.endpoints.filter((e) => mine.has(e.networkName));
    const named = shared.filter((e) => resolvesNames(byName.get(e.networkName)));
    for (const e of named) {
      const names = namesOn(target, e.networkName, aliasesOf);
      // Short names (service, aliases) first: what a compose file's services use.
      for (const n of [...names.filter((n) => n !== target.name), target.name]) add(n, target, e.networkName);
    }
    for (const e of shared) for (const address of [e.ipv4, e.ipv6]) if (address) add(address, target, e.networkName);
  }
  return [...out.values()];
}

/** The containers that answer to `target` (a name or an address) anywhere on the engine, running ones first. */
export function containersAnswering(target: string, containers: ContainerSummary[], aliasesOf: AliasesOf): ContainerSummary[] {
  const bare = target.replace(/\.$/, '');
  const answers = (c: ContainerSummary) =>
    c.name === bare ||
    c.composeService === bare ||
    c.endpoints.some((e) => e.ipv4 === bare || e.ipv6 === bare || (aliasesOf(c.id)?.[e.networkName] ?? []).includes(bare));
  return containers.filter(answers).sort((a, b) => (a.state === 'running' ? 0 : 1) - (b.state === 'running' ? 0 : 1));
}

/** TCP ports worth offering for a container: those it listens on, those its image or compose file expose, those it publishes. */
export function suggestedPorts(facts: { exposedTcp: number[]; publishedTcp: number[] } | undefined, listening: number[] = []): Array<{ port: number; why: string }> {
  const all = [...new Set([...listening, ...(facts?.exposedTcp ?? []), ...(facts?.publishedTcp ?? [])])].sort((a, b) => a - b);
  return all.map((port) => ({ port, why: [listening.includes(port) ? 'listening' : '', facts?.exposedTcp.includes(port) ? 'exposed' : '', facts?.publishedTcp.includes(port) ? 'published' : ''].filter(Boolean).join(', ') }));
}

/**
 * What the user typed in the HTTP check, as a URL: `lb` means `http://lb/`, `lb:8080` means `http://lb:8080/`,
 * `http://lb` gets its `/`; an IPv6 address gets its brackets. Anything else is returned as typed (for validateUrl).
 */
export function httpUrlOf(text: string): string {
  const t = text.trim();
  const scheme = /^https?:\/\//i.exec(t);
  if (scheme) {
    const rest = t.slice(scheme[0].length);
    return /[/?#]/.test(rest) ? t : `${t}/`;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) return t; // another scheme: validateUrl says no
  if (parseAddress(t) && t.includes(':')) return `http://[${t}]/`;
  const m = /^([^/?#]+)(.*)$/.exec(t);
  if (!m) return t;
  return `http://${m[1]}${m[2] || '/'}`;
}

/** The host part of an http(s) URL validateUrl accepts (brackets of an IPv6 address removed). */
export function urlHost(url: string): string | undefined {
  if (validateUrl(url)) return undefined;
  return /^https?:\/\/(\[[0-9a-fA-F:]+\]|[^/:?#]+)/.exec(url)?.[1].replace(/^\[|\]$/g, '');
}

/** Is enable_icc off on this bridge (containers on it cannot talk to each other)? */
function iccOff(network: NetworkSummary | undefined): boolean {
  const v = network?.options['com.docker.network.bridge.enable_icc'];
  return v !== undefined && ['false', '0', 'f', 'FALSE', 'False'].includes(v.trim());
}

const list = (names: string[]) => (names.length ? names.join(', ') : 'none');

/** "db (shop_db_1)" or "shop_db_1": how a container is called in an explanation. */
function called(c: ContainerSummary, asked?: string): string {
  const short = asked && asked !== c.name && !parseAddress(asked) ? asked : c.composeService;
  return short && short !== c.name ? `${short} (${c.name})` : c.name;
}

/**
 * Why a probe from `source` to `target` (a name or an address) failed, as far as the topology says: the target
 * is not running, they share no network, they share only the default bridge (no names), the name is an alias on
 * a network the source is not on, the shared network keeps containers apart (enable_icc=false), or, for a host
 * outside the engine, every network of the source is internal. undefined: the topology explains nothing (then
 * the service itself is the suspect: not listening, refusing, slow).
 */
export function explainFailure(source: ContainerSummary, target: string, containers: ContainerSummary[], networks: NetworkSummary[], aliasesOf: AliasesOf, port?: { port: number; /** What it listens on, exposes or publishes. */ exposed: number[] }): string | undefined {
  const byName = new Map(networks.map((n) => [n.name, n]));
  const mine = source.endpoints.map((e) => e.networkName);
  const srcName = called(source);
  const isAddress = !!parseAddress(target);
  const candidates = containersAnswering(target, containers, aliasesOf).filter((c) => c.id !== source.id);
  if (!candidates.length) {
    if (isAddress || target.includes('.')) {
      const internal = mine.filter((n) => byName.get(n)?.internal);
      if (mine.length && internal.length === mine.length) return `every network ${srcName} is on is internal (${list(internal)}): it has no route outside the engine's host.`;
      return undefined;
    }
    const named = mine.filter((n) => resolvesNames(byName.get(n)));
    return named.length
      ? `no container answers to "${target}" on the networks ${srcName} is on (${list(named)}).`
      : `${srcName} is on no user-defined network (${list(mine)}), and Docker resolves container names only on user-defined networks.`;
  }
  // The likeliest target: one in the source's Compose project, else the first (running first).
  const t = candidates.find((c) => c.composeProject && c.composeProject === source.composeProject) ?? candidates[0];
  const tName = called(t, isAddress ? undefined : target);
  if (t.state !== 'running') return `${tName} is not running (${t.state}): nothing answers for it until it starts.`;
  const theirs = t.endpoints.map((e) => e.networkName);
  const shared = mine.filter((n) => theirs.includes(n));
  if (!shared.length) return `${tName} is not on any network ${srcName} is on; shared networks: none (${source.name}: ${list(mine)}; ${t.name}: ${list(theirs)}).`;
  if (isAddress) {
    const on = t.endpoints.find((e) => e.ipv4 === target || e.ipv6 === target)?.networkName;
    if (on && !mine.includes(on)) return `${target} is ${tName}'s address on ${on}, which ${srcName} is not on; shared networks: ${list(shared)} (address there: ${list(t.endpoints.filter((e) => shared.includes(e.networkName)).flatMap((e) => [e.ipv4, e.ipv6].filter((a): a is string => !!a)))}).`;
  } else {
    const named = shared.filter((n) => resolvesNames(byName.get(n)));
    if (!named.length) return `${srcName} and ${tName} share only ${list(shared)}, where Docker resolves no names: use ${tName}'s address there, or put both on a user-defined network.`;
    const answersOn = named.filter((n) => namesOn(t, n, aliasesOf).includes(target.replace(/\.$/, '')));
    if (!answersOn.length) {
      const where = t.endpoints.filter((e) => (aliasesOf(t.id)?.[e.networkName] ?? []).includes(target)).map((e) => e.networkName);
      return `"${target}" is a name of ${t.name} only on ${list(where)}, which ${srcName} is not on; on the shared network${named.length > 1 ? 's' : ''} ${list(named)} it answers to ${list(namesOn(t, named[0], aliasesOf))}.`;
    }
  }
  if (shared.every((n) => iccOff(byName.get(n)))) return `shared network${shared.length > 1 ? 's' : ''} ${list(shared)} keep${shared.length > 1 ? '' : 's'} containers apart (enable_icc=false): ${srcName} cannot reach ${tName} there.`;
  if (port) {
    const exposed = port.exposed.length && !port.exposed.includes(port.port) ? ` (it listens on or exposes ${port.exposed.join(', ')})` : '';
    return `${srcName} and ${tName} share ${list(shared)}, so the network lets it through: is ${t.name} listening on ${port.port}${exposed}?`;
  }
  return undefined;
}
