// The resolved project in the shape of `docker compose config --format json` (Compose v2), for the keys the
// analyzer models: what users debug merges with, and what the differential test compares with Compose itself.
// Pure: a ComposeProject in, plain data (and its JSON/YAML text) out.
import { stringify } from 'yaml';
import { parsePortSpec } from './build';
import type { ComposeProject, NetworkDecl, PortMapping, Service, ServiceNetwork } from './model';
import { IMPLICIT_DEFAULT } from './model';
import { byCodePoint } from './names';

export interface ConfigServiceNetwork {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  priority?: number;
  mac_address?: string;
}

export interface ConfigPort {
  mode: 'ingress';
  host_ip?: string;
  target: number | string;
  published?: string;
  protocol: string;
}

export interface ConfigService {
  profiles?: string[];
  container_name?: string;
  depends_on?: Record<string, { condition: string; required: boolean }>;
  expose?: string[];
  extra_hosts?: string[];
  hostname?: string;
  links?: string[];
  mac_address?: string;
  network_mode?: string;
  networks?: Record<string, ConfigServiceNetwork | null>;
  ports?: ConfigPort[];
}

export interface ConfigNetwork {
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  ipam: { config?: Array<{ subnet?: string; gateway?: string; ip_range?: string }> };
  external?: boolean;
  internal?: boolean;
  attachable?: boolean;
  enable_ipv6?: boolean;
}

export interface ComposeConfig {
  name: string;
  services: Record<string, ConfigService>;
  networks?: Record<string, ConfigNetwork>;
}

/** Map keys in the order Compose prints them (Go's encoding/json sorts map keys). */
function sorted<T>(entries: Array<[string, T]>): Record<string, T> {
  const out: Record<string, T> = Object.create(null) as Record<string, T>;
  for (const [k, v] of [...entries].sort(([a], [b]) => byCodePoint(a, b))) out[k] = v;
  return { ...out };
}

function serviceNetwork(e: ServiceNetwork): ConfigServiceNetwork | null {
  const out: ConfigServiceNetwork = {};
  if (e.aliases.length) out.aliases = e.aliases.map((a) => a.value);
  if (e.ipv4) out.ipv4_address = e.ipv4.value;
  if (e.ipv6) out.ipv6_address = e.ipv6.value;
  if (e.mac) out.mac_address = e.mac.value;
  if (e.priority && /^-?\d+$/.test(e.priority.value)) out.priority = Number(e.priority.value);
  return Object.keys(out).length ? out : null;
}

/** Ports in the long syntax, one entry per mapping (ranges stay as written). */
function port(p: PortMapping): ConfigPort {
  const spec = p.raw ? parsePortSpec(p.raw) : p;
  const target = spec.target ?? '';
  return {
    mode: 'ingress',
    ...(spec.hostIp ? { host_ip: spec.hostIp } : {}),
    target: /^\d+$/.test(target) ? Number(target) : target,
    ...(spec.published ? { published: spec.published } : {}),
    protocol: spec.protocol ?? 'tcp',
  };
}

/** Whether a service is attached to networks (no network_mode other than the bridge-like default). */
function usesNetworks(svc: Service): boolean {
  return !svc.networkMode;
}

function service(svc: Service): ConfigService {
  const out: ConfigService = {};
  if (svc.profiles?.length) out.profiles = svc.profiles.map((p) => p.value);
  if (svc.containerName) out.container_name = svc.containerName.value;
  if (svc.dependsOn.length) out.depends_on = sorted(svc.dependsOn.map((d) => [d.value, { condition: 'service_started', required: true }]));
  if (svc.expose.length) out.expose = svc.expose.map((e) => e.value);
  if (svc.extraHosts.length) out.extra_hosts = svc.extraHosts.map((h) => `${h.name.value}=${h.address}`);
  if (svc.hostname) out.hostname = svc.hostname.value;
  if (svc.links.length) out.links = svc.links.map((l) => (l.alias ? `${l.target.value}:${l.alias}` : l.target.value));
  if (svc.macAddress) out.mac_address = svc.macAddress.value;
  if (svc.networkMode) out.network_mode = svc.networkMode.value;
  if (usesNetworks(svc)) {
    out.networks = svc.networks?.size ? sorted([...svc.networks].map(([n, e]) => [n, serviceNetwork(e)])) : { [IMPLICIT_DEFAULT]: null };
  }
  if (svc.ports.length) out.ports = svc.ports.map(port);
  return out;
}

function network(key: string, decl: NetworkDecl | undefined, project: string): ConfigNetwork {
  if (!decl) return { name: `${project}_${key}`, ipam: {} };
  const engineName = decl.externalName?.value ?? (decl.external ? key : `${project}_${key}`);
  // Keys in compose-go's NetworkConfig order: name, driver, driver_opts, ipam, external, internal, attachable, enable_ipv6.
  const out = { name: engineName } as ConfigNetwork;
  if (decl.driver) out.driver = decl.driver.value;
  if (decl.driverOpts.size) out.driver_opts = sorted([...decl.driverOpts].map(([k, v]) => [k, v.value]));
  out.ipam = {};
  if (decl.ipam.length) {
    out.ipam.config = decl.ipam.map((c) => ({
      ...(c.subnet ? { subnet: c.subnet.value } : {}),
      ...(c.gateway ? { gateway: c.gateway.value } : {}),
      ...(c.ipRange ? { ip_range: c.ipRange.value } : {}),
    }));
  }
  if (decl.external) out.external = true;
  if (decl.internal) out.internal = true;
  if (decl.attachable) out.attachable = true;
  if (decl.enableIpv6) out.enable_ipv6 = true;
  return out;
}

/** The project as `docker compose config --format json` prints it, limited to the networking keys. */
export function toComposeConfig(project: ComposeProject): ComposeConfig {
  const services = sorted([...project.services].map(([name, svc]) => [name, service(svc)]));
  const used = new Set<string>();
  for (const svc of Object.values(services)) for (const n of Object.keys(svc.networks ?? {})) used.add(n);
  // Compose v2 keeps declared networks and adds `default` when a service is on it.
  const keys = new Set([...project.networks.keys(), ...(used.has(IMPLICIT_DEFAULT) ? [IMPLICIT_DEFAULT] : [])]);
  const networks = sorted([...keys].map((k) => [k, network(k, project.networks.get(k), project.name)]));
  return { name: project.name, services, ...(Object.keys(networks).length ? { networks } : {}) };
}

export type ConfigFormat = 'json' | 'yaml';

export function formatConfig(config: ComposeConfig, format: ConfigFormat): string {
  if (format === 'json') return JSON.stringify(config, null, 2) + '\n';
  return stringify(config, { nullStr: 'null', lineWidth: 0 });
}
