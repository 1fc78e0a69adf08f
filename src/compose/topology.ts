// Derived facts: which networks each service is really on, which names answer on which network,
// which services can reach which by name, and which networks have a way out.
// Driver options that change reachability (each confirmed on Engine 20.10 in test/engine/behaviours.test.ts):
// `com.docker.network.bridge.enable_icc: "false"` (names resolve, connections between containers on that bridge
// are dropped), `internal: true` and `com.docker.network.bridge.enable_ip_masquerade: "false"` (no way out).
import { IMPLICIT_DEFAULT, type ComposeProject, type NetworkDecl, type Service } from './model';
import type { Span } from './types';

export type NetworkingMode = 'networks' | 'host' | 'none' | 'bridge' | 'container' | 'unknown';

export interface DnsName {
  service: string;
  /** `hostname`: the engine adds a container's hostname to its aliases on user-defined networks. */
  /** `tasks`: `tasks.<service>`, every task's address, under stack semantics (`docker stack deploy`). */
  kind: 'service' | 'alias' | 'container_name' | 'hostname' | 'tasks';
  span: Span;
}

export class Topology {
  private readonly effective = new Map<string, { mode: NetworkingMode; networks: string[]; owner?: string }>();
  /** network -> name -> the services answering to it there. */
  readonly names = new Map<string, Map<string, DnsName[]>>();
  /** Indexes over `names`, so rules ask in constant time on big projects. */
  private readonly networksByName = new Map<string, string[]>();
  private readonly namesByService = new Map<string, Set<string>>();
  /** network -> the services whose container is on it (tenants too), in the project's order; built on first use. */
  private attached?: Map<string, string[]>;
  /** peersIsolated's answers (rules ask it per finding). */
  private readonly isolated = new Map<string, boolean>();

  constructor(readonly project: ComposeProject) {
    for (const name of project.services.keys()) this.resolve(name, []);
    for (const svc of project.services.values()) this.registerNames(svc);
  }

  /** The networks a service's container is attached to (the namespace owner's, for `service:X`). */
  networksOf(service: string): string[] {
    return this.effective.get(service)?.networks ?? [];
  }

  mode(service: string): NetworkingMode {
    return this.effective.get(service)?.mode ?? 'unknown';
  }

  /** For `network_mode: service:X`, X (followed to the end of the chain). */
  namespaceOwner(service: string): string | undefined {
    return this.effective.get(service)?.owner;
  }

  /** Is the service on networks only through its own `networks` (or the implicit default)? Tenants are not. */
  hasOwnDnsName(service: string): boolean {
    return this.mode(service) === 'networks' && !this.namespaceOwner(service);
  }

  /** Services directly attached to a network (namespace tenants excluded). */
  servicesOn(network: string): string[] {
    return this.attachedTo(network).filter((s) => this.hasOwnDnsName(s));
  }

  /** Services whose container is on a network (namespace tenants too, through their owner), in the project's order. */
  attachedTo(network: string): readonly string[] {
    if (!this.attached) {
      this.attached = new Map();
      for (const s of this.project.services.keys()) {
        for (const n of this.networksOf(s)) {
          const list = this.attached.get(n);
          if (!list) this.attached.set(n, [s]);
          else if (list[list.length - 1] !== s) list.push(s); // a network listed twice: the service once
        }
      }
    }
    return this.attached.get(network) ?? [];
  }

  /** Networks on which `name` resolves to some service. */
  networksResolving(name: string): string[] {
    return this.networksByName.get(name) ?? [];
  }

  /** Can a container of `from` resolve `name` through Compose's DNS? */
  resolves(from: string, name: string): boolean {
    if (this.mode(from) !== 'networks') return false;
    const mine = this.networksOf(from);
    // Loops, here and in connects: rules ask per host name, and a closure per call is garbage on big projects.
    for (const n of this.networksResolving(name)) if (mine.includes(n)) return true;
    return false;
  }

  /** Networks the two services share. */
  shared(a: string, b: string): string[] {
    const nb = this.networksOf(b);
    return this.networksOf(a).filter((n) => nb.includes(n));
  }

  /** A reaches B by name iff they share a network on which B has its service name and containers may talk (icc). */
  canReach(from: string, to: string): boolean {
    if (from === to) return true;
    return this.reachVia(from, to).length > 0;
  }

  /** The networks over which `from` connects to `to` by its service name ([] = isolated). */
  reachVia(from: string, to: string): string[] {
    if (this.mode(from) !== 'networks') return [];
    return this.shared(from, to).filter((n) => !this.peersIsolated(n) && this.names.get(n)?.get(to)?.some((d) => d.service === to));
  }

  /** Can a container of `from` connect to whoever answers `name` (resolves it on a network whose peers may talk)? */
  connects(from: string, name: string): boolean {
    if (this.mode(from) !== 'networks') return false;
    const mine = this.networksOf(from);
    for (const n of this.networksResolving(name)) if (mine.includes(n) && !this.peersIsolated(n)) return true;
    return false;
  }

  /** `com.docker.network.bridge.enable_icc: "false"`: containers on this bridge cannot connect to each other. */
  peersIsolated(network: string): boolean {
    let isolated = this.isolated.get(network);
    if (isolated === undefined) {
      const decl = this.project.networks.get(network);
      isolated = isBridge(decl, this.project.isStack) && optionIsFalse(decl?.driverOpts.get('com.docker.network.bridge.enable_icc'));
      this.isolated.set(network, isolated);
    }
    return isolated;
  }

  /** Why a network has no way out of the host, if it has none. */
  egressBlockedBy(network: string): 'internal' | 'no-masquerade' | undefined {
    const decl = this.project.networks.get(network);
    if (decl?.internal) return 'internal';
    if (isBridge(decl, this.project.isStack) && optionIsFalse(decl?.driverOpts.get('com.docker.network.bridge.enable_ip_masquerade'))) return 'no-masquerade';
    return undefined;
  }

  /** Does some network of the service lead out of the host? (host and bridge modes do; none does not.) */
  canEgress(service: string): boolean {
    const mode = this.mode(service);
    if (mode === 'host' || mode === 'bridge') return true;
    if (mode !== 'networks') return false;
    return this.networksOf(service).some((n) => !this.egressBlockedBy(n));
  }

  /** Every DNS name of a service, on any network. */
  namesOf(service: string): Set<string> {
    return this.namesByService.get(service) ?? new Set();
  }

  isInternal(network: string): boolean {
    return this.project.networks.get(network)?.internal === true;
  }

  private resolve(name: string, chain: string[]): { mode: NetworkingMode; networks: string[]; owner?: string } {
    const known = this.effective.get(name);
    if (known) return known;
    const svc = this.project.services.get(name);
    let result: { mode: NetworkingMode; networks: string[]; owner?: string };
    if (!svc) result = { mode: 'unknown', networks: [] };
    // `docker stack deploy` ignores network_mode: the service is on its networks (or the default one).
    else if (svc.networkMode && !this.project.isStack) result = this.modeOf(svc, chain);
    else result = { mode: 'networks', networks: svc.networks ? [...svc.networks.keys()] : [IMPLICIT_DEFAULT] };
    this.effective.set(name, result);
    return result;
  }

  private modeOf(svc: Service, chain: string[]): { mode: NetworkingMode; networks: string[]; owner?: string } {
    const mode = svc.networkMode!;
    if (mode.unknown) return { mode: 'unknown', networks: [] };
    const v = mode.value;
    if (v.startsWith('service:')) {
      const owner = v.slice('service:'.length);
      if (chain.includes(owner) || !this.project.services.has(owner)) return { mode: 'unknown', networks: [], owner };
      const o = this.resolve(owner, [...chain, svc.name]);
      return { mode: o.mode, networks: o.networks, owner: o.owner ?? owner };
    }
    if (v.startsWith('container:')) return { mode: 'container', networks: [] };
    if (v === 'host' || v === 'none' || v === 'bridge') return { mode: v, networks: [] };
    // `network_mode: <network name>` attaches to that network (no Compose DNS alias on it).
    return { mode: 'unknown', networks: [] };
  }

  private registerNames(svc: Service): void {
    const own = this.effective.get(svc.name);
    if (!own || own.mode !== 'networks' || own.owner) return; // hasOwnDnsName
    const mine = this.namesByService.get(svc.name) ?? new Set<string>();
    this.namesByService.set(svc.name, mine);
    // The names that answer the same way on every network of the service: one DnsName each, shared by the networks.
    const byName: DnsName = { service: svc.name, kind: 'service', span: svc.nameSpan };
    const tasks: DnsName | undefined = this.project.isStack ? { service: svc.name, kind: 'tasks', span: svc.nameSpan } : undefined;
    const container: DnsName | undefined = !this.project.isStack && svc.containerName && !svc.containerName.unknown ? { service: svc.name, kind: 'container_name', span: svc.containerName.span } : undefined;
    const host: DnsName | undefined = svc.hostname && !svc.hostname.unknown && svc.hostname.value ? { service: svc.name, kind: 'hostname', span: svc.hostname.span } : undefined;
    for (const network of own.networks) {
      const ref = svc.networks?.get(network);
      let m = this.names.get(network);
      if (!m) this.names.set(network, (m = new Map<string, DnsName[]>()));
      this.addName(m, network, mine, svc.name, byName);
      for (const a of ref?.aliases ?? []) if (!a.unknown) this.addName(m, network, mine, a.value, { service: svc.name, kind: 'alias', span: a.span });
      if (tasks) this.addName(m, network, mine, `tasks.${svc.name}`, tasks); // container_name is ignored there
      else if (container) this.addName(m, network, mine, svc.containerName!.value, container);
      if (host) this.addName(m, network, mine, svc.hostname!.value, host);
    }
  }

  /** `name` answers with `d` on `network` (m is that network's names; mine the service's names). */
  private addName(m: Map<string, DnsName[]>, network: string, mine: Set<string>, name: string, d: DnsName): void {
    const list = m.get(name);
    if (!list) m.set(name, [d]);
    else if (!list.some((x) => x.service === d.service && x.kind === d.kind)) list.push(d);
    const nets = this.networksByName.get(name);
    if (!nets) this.networksByName.set(name, [network]);
    else if (!nets.includes(network)) nets.push(network);
    mine.add(name);
  }
}

/** The bridge driver's options apply only to bridge networks (the default driver, except in a stack: overlay). */
function isBridge(decl: NetworkDecl | undefined, isStack: boolean): boolean {
  return !!decl && !decl.external && (!decl.driver ? !isStack : !decl.driver.unknown && decl.driver.value === 'bridge');
}

/** A driver option set to false as the engine parses it (strconv.ParseBool: "false", "0", "f", "F", "FALSE", "False"). */
function optionIsFalse(v: { value: string; unknown?: boolean } | undefined): boolean {
  return !!v && !v.unknown && ['false', '0', 'f', 'F', 'FALSE', 'False'].includes(v.value.trim());
}
