// Catalogue C: silent misconfigurations of who can reach whom by name.
import { deleteSpan, replaceSpan } from '../edits';
import { hostTokens } from '../hostnames';
import { IMPLICIT_DEFAULT, type HostReference, type Service } from '../model';
import type { DnsName, Topology } from '../topology';
import type { Finding, Fix, RelatedLocation, Span } from '../types';
import { attachNetworkFix, finding, quoteList, type Rule, type RuleContext } from './context';
import { firstItems, MAX_RELATED } from '../text';

function tokenSpan(ref: HostReference, offset: number, length: number): Span {
  return ref.textStart !== undefined ? { file: ref.value.span.file, start: ref.textStart + offset, end: ref.textStart + offset + length } : ref.value.span;
}

/** Fixes that attach `svc` to each network on which the name resolves (the first one preferred). */
function attachFixes(ctx: RuleContext, svc: Service, networks: string[]): Fix[] {
  if (!ctx.topology.hasOwnDnsName(svc.name)) return [];
  const fixes: Fix[] = [];
  for (let i = 0; i < networks.length && i < 3; i++) fixes.push(attachNetworkFix(ctx.project, svc, networks[i], i === 0));
  return fixes;
}

function describeWhere(ctx: RuleContext, svc: string): string {
  const mode = ctx.topology.mode(svc);
  if (mode === 'networks') return `"${svc}" is on ${quoteList(ctx.topology.networksOf(svc))}`;
  return `"${svc}" uses network_mode ${ctx.project.services.get(svc)?.networkMode?.value ?? mode} and has no Compose DNS`;
}

/** Names that may also resolve outside Compose: a `hostname:` with a domain is often the host's public name. */
function mayResolveOutside(ctx: RuleContext, host: string): boolean {
  if (!host.includes('.')) return false;
  return ctx.topology.networksResolving(host).every((n) => ctx.topology.names.get(n)!.get(host)!.every((d) => d.kind === 'hostname'));
}

/**
 * What the relay search keeps for the services of one network set (their mode and networks): the services that share
 * a network with them, and the relay found for each host. The answer depends only on that set (a service on the same
 * networks cannot connect either, so it is never the relay): thousands of services naming one host cost one scan
 * per set, not n^2; the set's key is built once per service asking, not per host.
 */
interface RelayScope {
  neighbours: Set<string>;
  relays: Map<string, string | undefined>;
}

function relayScope(topology: Topology, svc: string, scopes: Map<string, RelayScope>): RelayScope {
  const mine = topology.networksOf(svc);
  const key = `${topology.mode(svc)}\0${mine.join('\0')}`;
  let scope = scopes.get(key);
  if (!scope) {
    const neighbours = new Set<string>();
    for (const n of mine) for (const s of topology.attachedTo(n)) neighbours.add(s);
    scopes.set(key, (scope = { neighbours, relays: new Map() }));
  }
  return scope;
}

/** A service that shares a network with `svc` and itself connects to `host`: a relay (a proxy that renders the value). */
function relayFor(ctx: RuleContext, svc: string, host: string, scope: RelayScope): string | undefined {
  const { topology, project } = ctx;
  if (scope.relays.has(host)) return scope.relays.get(host);
  // The first service in the project's order that shares a network with svc and connects to host (is on a network
  // where host resolves and peers may talk): looked for among the services on those networks only, not all of them.
  const order = serviceOrder(project);
  const { neighbours } = scope;
  let relay: string | undefined;
  let relayAt = Infinity;
  for (const n of topology.networksResolving(host)) {
    if (topology.peersIsolated(n)) continue;
    for (const other of topology.attachedTo(n)) {
      if (relay !== undefined && order.get(other)! >= relayAt) break;
      if (other === svc || !neighbours.has(other)) continue;
      if (topology.mode(other) !== 'networks' || topology.namesOf(other).has(host)) continue;
      relay = other;
      relayAt = order.get(other)!;
      break;
    }
  }
  scope.relays.set(host, relay);
  return relay;
}

const serviceOrders = new WeakMap<object, Map<string, number>>();

/** Each service's position in the project (memoised per project). */
function serviceOrder(project: RuleContext['project']): Map<string, number> {
  let order = serviceOrders.get(project);
  if (!order) {
    order = new Map([...project.services.keys()].map((s, i) => [s, i]));
    serviceOrders.set(project, order);
  }
  return order;
}

export const hostReferenceRules: Rule = (ctx) => {
  const { project, topology } = ctx;
  const out: Finding[] = [];
  const scopes = new Map<string, RelayScope>();

  for (const svc of project.services.values()) {
    let reported: Set<string> | undefined;
    let scope: RelayScope | undefined;
    const ownNames = topology.namesOf(svc.name);
    for (const ref of svc.hostReferences) {
      if (ref.value.unknown) continue;
      for (const { host, offset } of hostTokens(ref)) {
        if (reported?.has(host) || ownNames.has(host)) continue;
        const where = topology.networksResolving(host);
        if (where.length > 0) {
          if (topology.connects(svc.name, host) || mayResolveOutside(ctx, host)) continue;
          (reported ??= new Set()).add(host);
          const span = tokenSpan(ref, offset, host.length);
          const related = whereResolves(topology, where, host);
          if (topology.resolves(svc.name, host)) {
            const isolated = where.filter((n) => topology.networksOf(svc.name).includes(n));
            out.push(finding('unreachable-hostname', span, `"${host}" resolves on ${quoteList(isolated)}, but containers there cannot connect to each other (com.docker.network.bridge.enable_icc is "false")`, { related }));
            continue;
          }
          const relay = relayFor(ctx, svc.name, host, (scope ??= relayScope(topology, svc.name, scopes)));
          const message = relay
            ? `"${host}" is only reachable through "${relay}" (a configuration relay?): "${host}" resolves only on ${quoteList(where)}; ${describeWhere(ctx, svc.name)}`
            : `"${host}" resolves only on ${quoteList(where)}; ${describeWhere(ctx, svc.name)}`;
          const fixes = attachFixes(ctx, svc, where);
          out.push(finding('unreachable-hostname', span, message, relay ? { severity: 'info', related, fixes } : { related, fixes }));
        } else {
          const tenant = project.services.get(host);
          if (!tenant || tenant.name === svc.name || topology.hasOwnDnsName(tenant.name)) continue;
          (reported ??= new Set()).add(host);
          const span = tokenSpan(ref, offset, host.length);
          const owner = topology.namespaceOwner(tenant.name);
          const mode = tenant.networkMode?.value ?? '';
          const advice = owner ? `use its namespace owner "${owner}"` : `it uses network_mode ${mode}`;
          out.push(finding('namespace-tenant-has-no-dns', span, `"${host}" has no Compose DNS name of its own (network_mode ${mode}); ${advice}`, {
            related: tenant.networkMode ? [{ span: tenant.networkMode.span, message: `"${host}" shares a network namespace here` }] : [],
            fixes: owner && ref.textStart !== undefined ? [{ title: `Use "${owner}"`, edits: [replaceSpan(span, owner)], preferred: true }] : [],
          }));
        }
      }
    }
  }
  return out;
};

/**
 * Where `host` resolves, as related locations: one per DNS entry (a service on several of those networks is one place,
 * and its message names each network: the editor's workbench handles every related location of every diagnostic after
 * each edit), the first MAX_RELATED of them.
 */
function whereResolves(topology: Topology, where: readonly string[], host: string): RelatedLocation[] {
  const places: Array<{ entry: DnsName; networks: string[] }> = [];
  for (const n of where) {
    for (const d of topology.names.get(n)!.get(host)!) {
      const same = samePlace(places, d);
      if (same) same.networks.push(n);
      else if (places.length < MAX_RELATED) places.push({ entry: d, networks: [n] });
    }
  }
  // Loops, not find/map: this runs for every unreachable name (a thousand on a big project).
  const related: RelatedLocation[] = [];
  for (const { entry: d, networks } of places) {
    related.push({ span: d.span, message: `"${host}" is ${d.kind === 'service' ? 'the service' : `the ${d.kind.replace('_', ' ')} of "${d.service}"`} on ${quotedAndList(networks)}` });
  }
  return related;
}

/** The place already listed for the same DNS entry (the same object, as a service's name on each of its networks is, or equal). */
function samePlace(places: ReadonlyArray<{ entry: DnsName; networks: string[] }>, d: DnsName): { entry: DnsName; networks: string[] } | undefined {
  for (const p of places) {
    const e = p.entry;
    if (e === d || (e.span.file === d.span.file && e.span.start === d.span.start && e.span.end === d.span.end && e.kind === d.kind && e.service === d.service)) return p;
  }
  return undefined;
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
function quotedAndList(items: readonly string[]): string {
  let text = `"${items[0]}"`;
  for (let i = 1; i < items.length; i++) text += `${i === items.length - 1 ? ' and ' : ', '}"${items[i]}"`;
  return text;
}

export const linkRules: Rule = (ctx) => {
  const { project, topology } = ctx;
  const out: Finding[] = [];
  for (const svc of project.services.values()) {
    if (svc.networkMode) continue; // links with a network mode are other rules' business
    const entry = svc.entries.get('links');
    for (const link of svc.links) {
      const target = project.services.get(link.target.value);
      if (!target || link.target.unknown || topology.mode(target.name) !== 'networks') continue;
      const shared = topology.shared(svc.name, target.name);
      if (shared.length === 0) {
        out.push(finding('link-without-shared-network', link.span, `"${svc.name}" links to "${target.name}" but they share no network: links do not connect networks; ${describeWhere(ctx, target.name)}`, {
          related: [{ span: target.nameSpan, message: `service "${target.name}"` }],
          fixes: attachFixes(ctx, svc, topology.networksOf(target.name)),
        }));
      } else if (entry) {
        const plain = svc.links.every((l) => !l.alias) && !svc.entries.has('depends_on');
        out.push(finding('links-redundant', link.span, `link to "${target.name}" is not needed: they share ${quoteList(shared)}, where "${target.name}" already resolves by name`, {
          fixes: plain ? [{ title: 'Replace links by depends_on', edits: [replaceSpan(entry.keySpan, 'depends_on')] }] : [],
        }));
      }
    }
  }
  return out;
};

export const dependsOnNoSharedNetwork: Rule = (ctx) => {
  const { project, topology } = ctx;
  const out: Finding[] = [];
  for (const svc of project.services.values()) {
    if (topology.mode(svc.name) !== 'networks') continue;
    for (const dep of svc.dependsOn) {
      const target = project.services.get(dep.value);
      if (!target || topology.mode(target.name) !== 'networks' || topology.shared(svc.name, target.name).length > 0) continue;
      out.push(finding('depends-on-no-shared-network', dep.span, `"${svc.name}" depends on "${target.name}" but cannot reach it: ${describeWhere(ctx, svc.name)}, ${describeWhere(ctx, target.name)} (fine for one-shot jobs)`, {
        fixes: attachFixes(ctx, svc, topology.networksOf(target.name)),
      }));
    }
  }
  return out;
};

/** Networks joined by services attached to several of them: a group of networks a message can travel through. */
function networkGroups(ctx: RuleContext): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (n: string): string => {
    let r = n;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(n, r);
    return r;
  };
  for (const s of ctx.project.services.keys()) {
    if (ctx.topology.mode(s) !== 'networks') continue;
    const nets = ctx.topology.networksOf(s);
    for (const n of nets) if (!parent.has(n)) parent.set(n, n);
    for (const n of nets.slice(1)) parent.set(find(n), find(nets[0]));
  }
  const out = new Map<string, string>();
  for (const n of parent.keys()) out.set(n, find(n));
  return out;
}

export const implicitDefaultMixed: Rule = (ctx) => {
  const { project, topology } = ctx;
  const onlyDefault = [...project.services.values()].filter((s) => !s.networkMode && !s.networks);
  const onlyCustom = [...project.services.values()].filter((s) => !s.networkMode && s.networks && s.networks.size > 0 && !s.networks.has(IMPLICIT_DEFAULT));
  if (onlyDefault.length === 0 || onlyCustom.length === 0) return [];
  // A service on both sides (a proxy on default and on the custom network) makes it deliberate segmentation: stay silent.
  const groups = networkGroups(ctx);
  const defaultGroup = groups.get(IMPLICIT_DEFAULT);
  const apart = onlyCustom.filter((c) => !topology.networksOf(c.name).some((n) => groups.get(n) === defaultGroup));
  if (apart.length === 0) return [];
  const customNets = [...new Set(apart.flatMap((s) => topology.networksOf(s.name)))];
  const apartList = quoteList(apart.map((c) => c.name)); // once, not per finding: projects have thousands of services
  return onlyDefault.map((s) =>
    finding('implicit-default-mixed', s.nameSpan, `"${s.name}" is only on the implicit default network, while ${apartList} are only on custom networks, and no service joins the two: they cannot reach each other`, {
      fixes: attachFixes(ctx, s, customNets),
    }),
  );
};

export const dnsNameCollision: Rule = ({ topology }) => {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const [network, names] of topology.names) {
    for (const [name, answering] of names) {
      // Most names answer for one service: nothing to build for them.
      if (oneService(answering)) continue;
      const services = [...new Set(answering.map((d) => d.service))];
      const owner = answering.find((d) => d.kind === 'service');
      for (const d of answering) {
        if (d === owner || d.kind === 'service') continue;
        const key = `${d.span.file}:${d.span.start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const message = owner
          ? `the ${d.kind.replace('_', ' ')} "${name}" of "${d.service}" is also the name of service "${owner.service}" on "${network}": which container answers is not guaranteed`
          : `"${name}" on "${network}" is answered by ${quoteList(services)}: which container answers is not guaranteed`;
        const renamed = `${d.service}-${name}`;
        out.push(finding('dns-name-collision', d.span, message, {
          severity: owner ? 'warning' : 'info',
          related: firstItems(answering, MAX_RELATED, (o) => o !== d).map((o) => ({ span: o.span, message: `"${name}" for "${o.service}"` })),
          fixes: d.kind === 'alias' ? [{ title: `Rename the alias to "${renamed}"`, edits: [replaceSpan(d.span, renamed)] }] : [],
        }));
      }
    }
  }
  return out;
};

/** Whether every DNS entry of a name is the same service's (a loop: no closure per name of every network). */
function oneService(answering: readonly DnsName[]): boolean {
  for (let i = 1; i < answering.length; i++) if (answering[i].service !== answering[0].service) return false;
  return true;
}

export const extraHostsShadowsService: Rule = ({ project, topology }) => {
  const out: Finding[] = [];
  for (const svc of project.services.values()) {
    for (const eh of svc.extraHosts) {
      if (eh.name.unknown || !topology.resolves(svc.name, eh.name.value)) continue;
      out.push(finding('extra-hosts-shadows-service', eh.name.span, `extra_hosts entry "${eh.name.value}" of "${svc.name}" overrides Compose DNS for that name (/etc/hosts is read first): "${eh.name.value}" will be ${eh.address}, not the service`, {
        fixes: [{ title: 'Delete the entry', edits: [deleteSpan(project, eh.span)], preferred: true }],
      }));
    }
  }
  return out;
};
