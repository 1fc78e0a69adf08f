// Compose's merge rules for the fields the network model reads: later files and `extends` overrides win.
import type { HostReference, NetworkDecl, Service } from './model';

/** Scalars: the override replaces. Mappings (networks, entries): merged by key. Sequences: appended. */
export function mergeService(base: Service, over: Service): Service {
  const merged: Service = {
    ...base,
    name: over.name,
    nameSpan: over.nameSpan,
    pair: over.pair,
    entries: new Map([...base.entries, ...over.entries]),
    ports: [...base.ports, ...over.ports],
    expose: [...base.expose, ...over.expose],
    links: uniqueBy([...base.links, ...over.links], (l) => l.target.value),
    dependsOn: uniqueBy([...base.dependsOn, ...over.dependsOn], (d) => d.value),
    extraHosts: [...base.extraHosts, ...over.extraHosts],
    replicas: over.entries.has('scale') || over.entries.has('deploy') ? over.replicas : base.replicas,
    hostReferences: mergeHostReferences(base.hostReferences, over.hostReferences, over),
  };
  if (over.networks) merged.networks = new Map([...(base.networks ?? []), ...over.networks]);
  for (const field of ['image', 'networkMode', 'hostname', 'containerName', 'macAddress'] as const) {
    if (over[field]) merged[field] = over[field];
  }
  return merged;
}

/** Environment keys are merged by name; command, entrypoint and health check are replaced as a whole. */
function mergeHostReferences(base: HostReference[], over: HostReference[], overService: Service): HostReference[] {
  const overKeys = new Set(over.flatMap((r) => (r.key !== undefined ? [r.key] : [])));
  const replacesArgv = ['command', 'entrypoint', 'healthcheck'].some((k) => overService.entries.has(k));
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
    ipam: has('ipam') ? over.ipam : base.ipam,
    enableIpv6: has('enable_ipv6') ? over.enableIpv6 : base.enableIpv6,
    attachable: has('attachable') ? over.attachable : base.attachable,
  };
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(key(item), item);
  return [...seen.values()];
}
