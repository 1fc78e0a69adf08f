// Compose's merge rules for the fields the network model reads (override files, `-f` order, `extends`), as
// compose-go's override package defines them: mappings merge by key, sequences append, scalars are replaced;
// a service's `networks` is read as a mapping (list items are null entries) and each entry merges: aliases are
// unioned, addresses and priority are kept unless the later file sets them. `!reset` removes what earlier files
// set for a key; `!override` replaces it instead of merging.
import type { HostReference, IpamConfig, NetworkDecl, Service, ServiceNetwork } from './model';

/** The Service fields each compose key feeds (environment and argv keys are handled with host references). */
const FIELDS: Record<string, Array<keyof Service>> = {
  networks: ['networks'],
  network_mode: ['networkMode'],
  net: ['networkMode'],
  ports: ['ports'],
  expose: ['expose'],
  links: ['links'],
  depends_on: ['dependsOn'],
  extra_hosts: ['extraHosts'],
  hostname: ['hostname'],
  container_name: ['containerName'],
  mac_address: ['macAddress'],
  image: ['image'],
  profiles: ['profiles'],
  env_file: ['envFiles'],
};
/** Keys whose argv words are host references (the reader reads them in this order). */
export const ARGV_KEYS: readonly string[] = ['command', 'entrypoint', 'healthcheck'];

/** The base without what `keys` set (for `!reset` and `!override` in the later file). */
function without(base: Service, keys: Set<string>): Service {
  const out: Service = { ...base, entries: new Map([...base.entries].filter(([k]) => !keys.has(k))) };
  for (const key of keys) {
    for (const field of FIELDS[key] ?? []) {
      if (field === 'ports' || field === 'expose' || field === 'links' || field === 'dependsOn' || field === 'extraHosts') (out[field] as unknown[]) = [];
      else delete out[field];
    }
    if (key === 'environment') out.hostReferences = out.hostReferences.filter((r) => r.key === undefined);
    if (ARGV_KEYS.includes(key)) out.hostReferences = out.hostReferences.filter((r) => r.key !== undefined);
    if (key === 'scale' || key === 'deploy') out.replicas = 1;
  }
  return out;
}

export function mergeService(baseIn: Service, over: Service): Service {
  const cleared = new Set([...(over.resets ?? []), ...(over.overrides ?? [])]);
  const base = cleared.size ? without(baseIn, cleared) : baseIn;
  const merged: Service = {
    ...base,
    name: over.name,
    nameSpan: over.nameSpan,
    pair: over.pair,
    entries: new Map([...base.entries, ...over.entries]),
    ports: [...base.ports, ...over.ports],
    expose: [...base.expose, ...over.expose],
    links: uniqueBy([...base.links, ...over.links], (l) => `${l.target.value}:${l.alias ?? ''}`),
    dependsOn: uniqueBy([...base.dependsOn, ...over.dependsOn], (d) => d.value),
    extraHosts: uniqueBy([...base.extraHosts, ...over.extraHosts], (h) => `${h.name.value}:${h.address}`),
    replicas: over.entries.has('scale') || over.entries.has('deploy') ? over.replicas : base.replicas,
    hostReferences: mergeHostReferences(base.hostReferences, over.hostReferences, over),
  };
  delete merged.resets;
  delete merged.overrides;
  delete merged.networkResets;
  delete merged.networkOverrides;
  // The later file's tags travel with the result: an extends-resolved service still resets what earlier files set.
  if (over.resets) merged.resets = over.resets;
  if (over.overrides) merged.overrides = over.overrides;
  if (over.networks) merged.networks = mergeServiceNetworks(base.networks, over);
  else if (over.networkResets?.size && base.networks) {
    merged.networks = new Map([...base.networks].filter(([n]) => !over.networkResets!.has(n)));
  }
  for (const field of ['image', 'networkMode', 'hostname', 'containerName', 'macAddress'] as const) {
    if (over[field]) merged[field] = over[field];
  }
  if (base.profiles || over.profiles) merged.profiles = uniqueBy([...(base.profiles ?? []), ...(over.profiles ?? [])], (p) => p.value);
  if (base.envFiles || over.envFiles) merged.envFiles = [...(base.envFiles ?? []), ...(over.envFiles ?? [])];
  return merged;
}

/** `networks:` as a mapping merged entry by entry (a list item is an entry with nothing set). */
function mergeServiceNetworks(base: Map<string, ServiceNetwork> | undefined, over: Service): Map<string, ServiceNetwork> {
  const out = new Map<string, ServiceNetwork>();
  for (const [name, entry] of base ?? []) if (!over.networkResets?.has(name)) out.set(name, entry);
  for (const [name, entry] of over.networks ?? []) {
    const prev = out.get(name);
    out.set(name, prev && !over.networkOverrides?.has(name) ? mergeServiceNetwork(prev, entry) : entry);
  }
  return out;
}

export function mergeServiceNetwork(base: ServiceNetwork, over: ServiceNetwork): ServiceNetwork {
  const merged: ServiceNetwork = { ...base, name: over.name, span: over.span, aliases: uniqueBy([...base.aliases, ...over.aliases], (a) => a.value) };
  for (const field of ['ipv4', 'ipv6', 'mac', 'priority'] as const) {
    if (over[field]) merged[field] = over[field];
  }
  if (over.pair) merged.pair = over.pair;
  return merged;
}

/** Environment keys are merged by name; command, entrypoint and health check are replaced as a whole. */
function mergeHostReferences(base: HostReference[], over: HostReference[], overService: Service): HostReference[] {
  const overKeys = new Set(over.flatMap((r) => (r.key !== undefined ? [r.key] : [])));
  const replacesArgv = ARGV_KEYS.some((k) => overService.entries.has(k));
  return [...base.filter((r) => (r.key !== undefined ? !overKeys.has(r.key) : !replacesArgv)), ...over];
}

export function mergeNetwork(base: NetworkDecl, over: NetworkDecl): NetworkDecl {
  const has = (k: string) => over.entries.has(k);
  return {
    ...base,
    nameSpan: over.nameSpan,
    pair: over.pair,
    entries: new Map([...base.entries, ...over.entries]),
    driver: has('driver') ? over.driver : base.driver,
    driverOpts: has('driver_opts') ? new Map([...base.driverOpts, ...over.driverOpts]) : base.driverOpts,
    internal: has('internal') ? over.internal : base.internal,
    external: has('external') ? over.external : base.external,
    externalName: has('name') || has('external') ? (over.externalName ?? base.externalName) : base.externalName,
    ipam: has('ipam') && over.ipam.length ? mergeIpam(base.ipam, over.ipam) : base.ipam,
    enableIpv6: has('enable_ipv6') ? over.enableIpv6 : base.enableIpv6,
    attachable: has('attachable') ? over.attachable : base.attachable,
  };
}

/** compose-go merges `ipam.config` by subnet: the later file's pools, each merged with the earlier pool of the same subnet. */
function mergeIpam(base: IpamConfig[], over: IpamConfig[]): IpamConfig[] {
  return over.map((o) => {
    const b = base.find((c) => c.subnet?.value === o.subnet?.value);
    return b ? { ...b, ...o } : o;
  });
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}
