// One file's services and networks, read into the model with their locations.
import * as path from 'path';
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { envValue, type Environment } from './interpolate';
import { ARGV_KEYS } from './merge';
import type { Entry, ExtraHost, HostReference, IpamConfig, LinkRef, NetworkDecl, PortMapping, Service, ServiceNetwork } from './model';
import type { FileReader } from './read';
import type { Located } from './types';

export interface ExtendsRef {
  service: Located;
  file?: Located;
}

/** One `include:` entry: the files (the first is the included project's main file), its env files and directory. */
export interface IncludeRef {
  paths: Located[];
  envFiles: Located[];
  projectDirectory?: Located;
}

/** Something Compose itself rejects while reading this file. */
export interface ReadProblem {
  rule: string;
  message: string;
  span: Located['span'];
}

export interface FileContribution {
  services: Map<string, Service>;
  /** Services written `name: !reset ...`: removed from what earlier files declared. */
  serviceResets: Set<string>;
  /** Top-level networks tagged `!reset` (removed) or `!override` (replaced). */
  networkResets: Set<string>;
  networkOverrides: Set<string>;
  problems: ReadProblem[];
  extendsOf: Map<string, ExtendsRef>;
  networks: Map<string, NetworkDecl>;
  networksSection?: Entry;
  includes: IncludeRef[];
  /** The top-level `name:` (the project name), when set. */
  projectName?: Located;
  /** Compose v1 files keep services at the top level; they carry no networks to analyze. */
  legacyV1: boolean;
}

/** The YAML tag written on an entry's value (`!reset`, `!override`), if any. */
export function tagOf(pair: Pair | undefined): string | undefined {
  const tag = (pair?.value as { tag?: unknown } | null | undefined)?.tag;
  return typeof tag === 'string' ? tag : undefined;
}

/** What Compose v2's schema allows at the top level of a file (besides `x-` extensions). */
const TOP_LEVEL_KEYS = new Set(['version', 'name', 'include', 'services', 'networks', 'volumes', 'secrets', 'configs', 'models']);

export function readFileContribution(r: FileReader, env: Environment = {}): FileContribution {
  const root = r.file.doc.contents;
  const top = r.entryMap(root);
  const out: FileContribution = {
    services: new Map(),
    serviceResets: new Set(),
    networkResets: new Set(),
    networkOverrides: new Set(),
    problems: [],
    extendsOf: new Map(),
    networks: new Map(),
    includes: [],
    legacyV1: false,
  };
  const rootNode = r.deref(root);
  if (!isMap(rootNode)) {
    // `include: /etc/shadow` or a `-f` on a text file: Compose refuses any file whose top level is not a mapping.
    if (rootNode && r.file.doc.errors.length === 0) {
      out.problems.push({ rule: 'compose-load-error', message: `${path.basename(r.file.path)} is not a Compose file: its top level must be a mapping (Compose refuses it)`, span: r.span(rootNode) });
    }
    return out;
  }
  const unknown = [...top.values()].filter((e) => !TOP_LEVEL_KEYS.has(e.key.value) && !e.key.value.startsWith('x-'));
  if (unknown.length) {
    // Compose v2's schema allows no other top-level key: a v1-format file (services at the top) or a file that is
    // not a Compose file at all. The key is named only when it looks like one (never echo a stranger file's content).
    const first = unknown[0].key.value;
    const named = /^[\w.-]{1,40}$/.test(first) ? `"${first}"` : 'a key';
    const more = unknown.length > 1 ? ` (and ${unknown.length - 1} more)` : '';
    out.problems.push({ rule: 'compose-load-error', message: `${named} is not a top-level key of a Compose file${more}: Compose v2 refuses ${path.basename(r.file.path)} (a v1-format file puts services at the top; v2 wants them under "services:")`, span: unknown[0].key.span });
  }
  if (!top.has('services') && !top.has('version') && !top.has('networks') && !top.has('include')) {
    out.legacyV1 = true;
    return out;
  }
  for (const { key, value, entry } of r.entries(top.get('services')?.value)) {
    if (key.value.startsWith('x-')) continue;
    if (tagOf(entry.pair) === '!reset') {
      out.serviceResets.add(key.value);
      continue;
    }
    out.services.set(key.value, readService(r, key, value, entry, env, out.problems));
    const ext = readExtends(r, value);
    if (ext) out.extendsOf.set(key.value, ext);
  }
  const nets = top.get('networks');
  if (nets) {
    out.networksSection = nets.entry;
    for (const { key, value, entry } of r.entries(nets.value)) {
      if (key.value.startsWith('x-')) continue;
      const tag = tagOf(entry.pair);
      if (tag === '!reset') {
        out.networkResets.add(key.value);
        continue;
      }
      if (tag === '!override') out.networkOverrides.add(key.value);
      out.networks.set(key.value, readNetwork(r, key, value, entry));
    }
  }
  const name = r.scalar(top.get('name')?.value);
  if (name && !name.unknown) out.projectName = name;
  for (const item of r.items(top.get('include')?.value)) {
    if (isScalar(item)) {
      const paths = r.scalars(item);
      if (paths.length) out.includes.push({ paths, envFiles: [] });
      continue;
    }
    const m = r.entryMap(item);
    const paths = r.scalars(m.get('path')?.value);
    const projectDirectory = r.scalar(m.get('project_directory')?.value);
    if (paths.length) out.includes.push({ paths, envFiles: r.scalars(m.get('env_file')?.value), ...(projectDirectory ? { projectDirectory } : {}) });
  }
  return out;
}

function readExtends(r: FileReader, node: Node | null): ExtendsRef | undefined {
  const ext = r.entryMap(node).get('extends');
  if (!ext) return undefined;
  const asName = r.scalar(ext.value);
  if (asName) return { service: asName };
  const m = r.entryMap(ext.value);
  const service = r.scalar(m.get('service')?.value);
  if (!service) return undefined;
  const file = r.scalar(m.get('file')?.value);
  return { service, ...(file ? { file } : {}) };
}

function readService(r: FileReader, key: Located, node: Node | null, entry: Entry, env: Environment, problems: ReadProblem[]): Service {
  const keyed = r.entryMap(node);
  // `!reset` keys are gone from this file too; `!override` keys are read, and replace (not merge) earlier values.
  // Most services tag nothing: the sets exist only when a key is tagged.
  let resets: Set<string> | undefined;
  let overrides: Set<string> | undefined;
  // Over the values (each keyed by its own key's text): no [key, entry] pair per entry of every service.
  for (const e of keyed.values()) {
    const tag = tagOf(e.pair);
    if (tag === '!reset') (resets ??= new Set()).add(e.key.value);
    else if (tag === '!override') (overrides ??= new Set()).add(e.key.value);
  }
  // The reader's map is shared (read-only), also as the service's entries: a copy only when keys are reset.
  const m = resets ? new Map([...keyed].filter(([k]) => !resets!.has(k))) : keyed;
  const get = (k: string) => m.get(k)?.value ?? null;
  const deployReplicas = r.scalar(r.valueOf(get('deploy'), 'replicas'));
  const scale = r.scalar(get('scale')) ?? deployReplicas;
  const svc: Service = {
    name: key.value,
    nameSpan: key.span,
    entries: m,
    pair: entry.pair,
    ports: readPorts(r, get('ports')),
    expose: r.scalars(get('expose')),
    links: readLinks(r, get('links')),
    dependsOn: readDependsOn(r, get('depends_on')),
    extraHosts: readExtraHosts(r, get('extra_hosts')),
    replicas: scale && !scale.unknown && /^\d+$/.test(scale.value) ? Number(scale.value) : 1,
    hostReferences: readHostReferences(r, m, env),
  };
  if (resets) svc.resets = resets;
  if (overrides) svc.overrides = overrides;
  const networks = m.get('networks');
  if (networks && (networks.value === null || (isScalar(networks.value) && (networks.value.value === null || networks.value.value === ''))) && !tagOf(networks.entry.pair)) {
    // Compose: "services.<name>.networks must be a mapping or a list" (an empty `networks:` is not `{}`).
    problems.push({ rule: 'compose-load-error', message: `"networks:" of service "${key.value}" is empty (null): Compose rejects it; write "networks: {}" or list the networks`, span: networks.entry.span });
  }
  if (networks) {
    svc.networks = readServiceNetworks(r, networks.value);
    const own = svc.networks;
    r.eachEntry(networks.value, (network, _value, pair) => {
      const tag = tagOf(pair);
      if (tag === '!reset') {
        own.delete(network);
        (svc.networkResets ??= new Set()).add(network);
      } else if (tag === '!override') (svc.networkOverrides ??= new Set()).add(network);
    });
  }
  // Read only when written (most services have neither): reading nothing gives an empty list, which is not kept.
  const profiles = get('profiles') && r.scalars(get('profiles'));
  if (profiles?.length) svc.profiles = profiles;
  const envFiles = get('env_file') && readEnvFiles(r, get('env_file'));
  if (envFiles?.length) svc.envFiles = envFiles;
  for (const [field, k] of OPTIONAL_SCALARS) {
    const v = get(k) && r.scalar(get(k)); // most services write one or two of them
    if (v) svc[field] = v;
  }
  // Compose v1's `net:` is the old spelling of network_mode.
  if (!svc.networkMode) {
    const net = r.scalar(get('net'));
    if (net) svc.networkMode = net;
  }
  return svc;
}

/** Service fields read as one scalar each, and their keys. */
const OPTIONAL_SCALARS = [
  ['image', 'image'],
  ['networkMode', 'network_mode'],
  ['hostname', 'hostname'],
  ['containerName', 'container_name'],
  ['macAddress', 'mac_address'],
] as const;

function readServiceNetworks(r: FileReader, node: Node | null): Map<string, ServiceNetwork> {
  const out = new Map<string, ServiceNetwork>();
  for (const item of r.items(node)) {
    const name = r.scalar(item);
    if (name) out.set(name.value, { name, span: name.span, aliases: [] });
  }
  r.eachEntry(node, (network, value, pair) => {
    const keySpan = r.span(pair.key as Node);
    const end = (pair.value as Node | null)?.range?.[1] ?? keySpan.end;
    // A handful of keys at most: looked up in the entry's mapping, no map built per network.
    const ref: ServiceNetwork = { name: { value: network, span: keySpan }, span: { file: keySpan.file, start: keySpan.start, end }, aliases: r.scalars(r.valueOf(value, 'aliases')), pair };
    const ipv4 = r.scalar(r.valueOf(value, 'ipv4_address'));
    const ipv6 = r.scalar(r.valueOf(value, 'ipv6_address'));
    const mac = r.scalar(r.valueOf(value, 'mac_address'));
    const priority = r.scalar(r.valueOf(value, 'priority'));
    if (priority) ref.priority = priority;
    if (ipv4) ref.ipv4 = ipv4;
    if (ipv6) ref.ipv6 = ipv6;
    if (mac) ref.mac = mac;
    out.set(network, ref);
  });
  return out;
}

/** Short syntax `[HOST_IP:][HOST:]CONTAINER[/PROTO]` (IPv6 host addresses in brackets), or the long syntax. */
export function parsePortSpec(raw: string): Omit<PortMapping, 'span' | 'unknown' | 'raw'> {
  let rest = raw.trim();
  let protocol: string | undefined;
  const slash = rest.lastIndexOf('/');
  if (slash > 0 && !rest.slice(slash).includes(']')) {
    protocol = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    hostIp = rest.slice(1, close < 0 ? undefined : close);
    rest = close < 0 ? '' : rest.slice(close + 1).replace(/^:/, '');
  }
  const parts = rest.split(':');
  let published: string | undefined;
  let target: string | undefined;
  if (parts.length === 1) target = parts[0];
  else if (parts.length === 2) [published, target] = parts;
  else {
    target = parts.pop();
    published = parts.pop();
    hostIp = parts.join(':');
  }
  return {
    ...(hostIp !== undefined ? { hostIp } : {}),
    ...(published ? { published } : {}),
    ...(target !== undefined ? { target } : {}),
    ...(protocol ? { protocol } : {}),
  };
}

function readPorts(r: FileReader, node: Node | null): PortMapping[] {
  return r.items(node).map((item) => {
    const s = r.scalar(item);
    if (s) return { span: s.span, raw: s.value, unknown: !!s.unknown, ...parsePortSpec(s.value) };
    const m = r.entryMap(item);
    const f = (k: string) => r.scalar(m.get(k)?.value);
    const target = f('target');
    const published = f('published');
    const hostIp = f('host_ip');
    const protocol = f('protocol');
    const unknown = [target, published, hostIp].some((x) => x?.unknown);
    return {
      span: r.span(item),
      raw: '',
      unknown,
      ...(target ? { target: target.value } : {}),
      ...(published ? { published: published.value } : {}),
      ...(hostIp ? { hostIp: hostIp.value } : {}),
      ...(protocol ? { protocol: protocol.value } : {}),
    };
  });
}

function readLinks(r: FileReader, node: Node | null): LinkRef[] {
  return r.scalars(node).map((s) => {
    const [target, alias] = s.value.split(':');
    return { target: { ...s, value: target }, ...(alias ? { alias } : {}), span: s.span };
  });
}

function readDependsOn(r: FileReader, node: Node | null): Located[] {
  if (isSeq(r.deref(node))) return r.scalars(node);
  return r.entries(node).map((e) => e.key);
}

function readExtraHosts(r: FileReader, node: Node | null): ExtraHost[] {
  if (node === null) return []; // most services: no lists to build and join
  const fromList = r.scalars(node).map((s) => {
    // "name:ip" or "name=ip"; IPv6 addresses contain colons, so split at the first separator.
    const m = /^([^:=\s]+)[:=](.*)$/.exec(s.value);
    if (!m) return undefined;
    const start = r.textStart(s);
    const nameSpan = start !== undefined ? { ...s.span, start, end: start + m[1].length } : s.span;
    return { name: { ...s, value: m[1], span: nameSpan }, address: m[2].replace(/^\[|\]$/g, ''), span: s.span };
  });
  const fromMap = r.entries(node).map(({ key, value, entry }) => ({ name: key, address: r.scalar(value)?.value ?? '', span: entry.span }));
  return [...fromList.filter((x): x is ExtraHost => !!x), ...fromMap];
}

/** `env_file: path`, `[paths]`, or `[{path, required}]`. */
function readEnvFiles(r: FileReader, node: Node | null): Array<{ path: Located; required: boolean }> {
  const single = r.scalar(node);
  if (single) return [{ path: single, required: true }];
  return r.items(node).flatMap((item) => {
    const s = r.scalar(item);
    if (s) return [{ path: s, required: true }];
    const m = r.entryMap(item);
    const p = r.scalar(m.get('path')?.value);
    return p ? [{ path: p, required: r.bool(m.get('required')?.value) !== false }] : [];
  });
}

function readHostReferences(r: FileReader, m: ReadonlyMap<string, { value: Node | null }>, env: Environment): HostReference[] {
  const refs: HostReference[] = [];
  const add = (value: Located, key?: string) => {
    const ref: HostReference = { value };
    if (key !== undefined) ref.key = key;
    const textStart = r.textStart(value);
    if (textStart !== undefined) ref.textStart = textStart;
    refs.push(ref);
  };
  const envNode = m.get('environment')?.value ?? null;
  if (isSeq(r.deref(envNode))) {
    for (const s of r.scalars(envNode)) {
      const eq = s.value.indexOf('=');
      if (eq < 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(s.value)) {
        // `- VAR`: the value comes from the environment (or `.env`), when set there.
        const v = envValue(env, s.value);
        if (v !== undefined) refs.push({ key: s.value, value: { ...s, value: v } });
        continue;
      }
      if (eq <= 0) continue;
      const start = r.textStart(s);
      const value: Located = { ...s, value: s.value.slice(eq + 1) };
      refs.push({ key: s.value.slice(0, eq), value, ...(start !== undefined ? { textStart: start + eq + 1 } : {}) });
    }
  } else {
    r.eachEntry(envNode, (key, value, pair) => {
      const v = r.scalar(value);
      if (v) add(v, key);
      else if (value === null || (isScalar(value) && value.value === null)) {
        // `VAR:` with no value: taken from the environment, when set there.
        const fromEnv = envValue(env, key);
        if (fromEnv !== undefined) refs.push({ key, value: { value: fromEnv, span: r.span(pair.key as Node) } });
      }
    });
  }
  // Only the keys written (most services have none of these): no empty list per key.
  for (const key of ARGV_KEYS) {
    const entry = m.get(key);
    if (!entry) continue;
    for (const s of r.scalars(key === 'healthcheck' ? r.valueOf(entry.value, 'test') : entry.value)) add(s);
  }
  return refs;
}

function readNetwork(r: FileReader, key: Located, node: Node | null, entry: Entry): NetworkDecl {
  const m = r.entryMap(node);
  const get = (k: string) => m.get(k)?.value ?? null;
  const externalNode = r.deref(get('external'));
  // `external: {name: x}` is the legacy form of `external: true` + `name: x`.
  const legacyExternalName = isMap(externalNode) ? r.scalar(r.entryMap(externalNode).get('name')?.value) : undefined;
  const external = legacyExternalName !== undefined || r.bool(externalNode) === true;
  const ipam: IpamConfig[] = r.items(r.entryMap(get('ipam')).get('config')?.value).map((item) => {
    const c = r.entryMap(item);
    const f = (k: string) => r.scalar(c.get(k)?.value);
    const subnet = f('subnet');
    const gateway = f('gateway');
    const ipRange = f('ip_range');
    return { span: r.span(item), ...(subnet ? { subnet } : {}), ...(gateway ? { gateway } : {}), ...(ipRange ? { ipRange } : {}) };
  });
  const driver = r.scalar(get('driver'));
  const name = r.scalar(get('name')) ?? legacyExternalName;
  return {
    name: key.value,
    nameSpan: key.span,
    entries: m,
    pair: entry.pair,
    ...(driver ? { driver } : {}),
    driverOpts: new Map(r.entries(get('driver_opts')).flatMap(({ key: k, value }) => {
      const v = r.scalar(value);
      return v ? [[k.value, v] as [string, Located]] : [];
    })),
    internal: r.bool(get('internal')) === true,
    external,
    ...(name ? { externalName: name } : {}),
    ipam,
    enableIpv6: r.bool(get('enable_ipv6')) === true,
    attachable: r.bool(get('attachable')) === true,
  };
}
