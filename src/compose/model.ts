// The network model of a compose project: what each service and network declares, and where.
import type { Document, Pair } from 'yaml';
import type { LineIndex } from './text';
import type { Located, Span } from './types';

/** One parsed file of the project, kept for positions and for building fixes. */
export interface ProjectFile {
  path: string;
  text: string;
  lines: LineIndex;
  doc: Document.Parsed;
}

/** A mapping entry as written: its key and value spans, and its pair node for edits. */
export interface Entry {
  keySpan: Span;
  /** From the key to the end of the value: what deleting the entry removes. */
  span: Span;
  pair: Pair;
}

export interface ServiceNetwork {
  /** The reference as written: a list item or a mapping key. */
  name: Located;
  /** The whole list item or mapping entry. */
  span: Span;
  aliases: Located[];
  ipv4?: Located;
  ipv6?: Located;
  mac?: Located;
  /** `priority:` of the entry (which network gets the default route). */
  priority?: Located;
  /** The entry's mapping value, when it is one (for inserting keys). */
  pair?: Pair;
}

export interface PortMapping {
  span: Span;
  raw: string;
  unknown: boolean;
  hostIp?: string;
  published?: string;
  target?: string;
  protocol?: string;
}

export interface LinkRef {
  target: Located;
  alias?: string;
  span: Span;
}

export interface ExtraHost {
  name: Located;
  address: string;
  span: Span;
}

/** A value that may name another service as a host: an environment value, a command word, a health check. */
export interface HostReference {
  /** The environment key, when the value is one. */
  key?: string;
  value: Located;
  /** Offset of `value.value` inside the file, when the source text matches it character for character. */
  textStart?: number;
}

export interface Service {
  name: string;
  nameSpan: Span;
  /** The service's own keys as written (the last file that set each one wins); read-only (shared with the reader). */
  entries: ReadonlyMap<string, Entry>;
  /** The service's mapping node, for edits; the pair of the file that declared it first. */
  pair: Pair;
  image?: Located;
  /** Undefined when the service has no `networks` key: then it is on `default` unless it has a network_mode. */
  networks?: Map<string, ServiceNetwork>;
  networkMode?: Located;
  ports: PortMapping[];
  expose: Located[];
  links: LinkRef[];
  dependsOn: Located[];
  extraHosts: ExtraHost[];
  hostname?: Located;
  containerName?: Located;
  macAddress?: Located;
  /** `scale` or `deploy.replicas`, 1 when unset. */
  replicas: number;
  hostReferences: HostReference[];
  /** `profiles:`: the service is active only when one of them is (or `*` is) active. */
  profiles?: Located[];
  /** `env_file:` entries (their variables become host references; `required: false` ones may be missing). */
  envFiles?: Array<{ path: Located; required: boolean }>;
  /** Keys tagged `!reset` (removed from what earlier files set) and `!override` (replace instead of merge). */
  resets?: Set<string>;
  overrides?: Set<string>;
  /** Network entries tagged `!reset` / `!override` under this service's `networks:`. */
  networkResets?: Set<string>;
  networkOverrides?: Set<string>;
}

export interface IpamConfig {
  subnet?: Located;
  gateway?: Located;
  ipRange?: Located;
  span: Span;
}

export interface NetworkDecl {
  name: string;
  nameSpan: Span;
  entries: ReadonlyMap<string, Entry>;
  pair: Pair;
  driver?: Located;
  driverOpts: Map<string, Located>;
  internal: boolean;
  external: boolean;
  /** The engine-side name: `name:` if set, else the key (Compose prefixes the project for non-external ones). */
  externalName?: Located;
  ipam: IpamConfig[];
  enableIpv6: boolean;
  attachable: boolean;
}

export interface ComposeProject {
  /** The project name as Compose computes it: top-level `name:`, else COMPOSE_PROJECT_NAME, else the folder. */
  name: string;
  /** Every file read, by path, in the order Compose merges them (main files first). */
  files: Map<string, ProjectFile>;
  /** The first file: where new top-level sections go. */
  mainFile?: string;
  services: Map<string, Service>;
  networks: Map<string, NetworkDecl>;
  /** The top-level `networks` entry of each file that has one. */
  networksSections: Map<string, Entry>;
  /** Whether the files are used with `docker stack deploy` (overlay is normal there). */
  isStack: boolean;
  /** Every place a network name is written, in every file, before merging: for go-to, references and rename. */
  networkSymbols: NetworkSymbol[];
  /** Every place a service is declared (each file that has a key for it). */
  serviceSymbols: Array<{ service: string; span: Span }>;
  /** Profiles in effect (`--profile`, COMPOSE_PROFILES, the editor setting). */
  activeProfiles?: string[];
  /** Services left out because none of their profiles is active (Compose ignores them). */
  inactiveServices?: Map<string, Service>;
  /** The project directory: relative paths and `.env` are looked up there. */
  projectDirectory?: string;
}

export interface NetworkSymbol {
  network: string;
  span: Span;
  /** A top-level declaration, or a service's reference. */
  kind: 'declaration' | 'reference';
  service?: string;
}

export const IMPLICIT_DEFAULT = 'default';
