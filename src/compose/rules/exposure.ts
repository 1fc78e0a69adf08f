// What a service publishes or points at outside its networks: ports that cannot work, ports published twice,
// database and admin ports open on every interface, and host.docker.internal on Linux engines.
import { isMap, isSeq } from 'yaml';
import { addToMapping, appendToSequence, deleteSpan, replaceSpan } from '../edits';
import type { PortMapping, Service } from '../model';
import type { Finding, Fix, Span } from '../types';
import { finding, quoteList, type Rule, type RuleContext } from './context';
import { rawMapValues } from './raw';

/** A port number as Docker accepts it: 1-65535 (a published port may be a range `a-b` with a <= b). */
function portNumbers(spec: string): number[] | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(spec.trim());
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = m[2] !== undefined ? Number(m[2]) : a;
  return a >= 1 && b <= 65535 && a <= b ? [a, b] : undefined;
}

export const invalidPort: Rule = ({ project }) => {
  const out: Finding[] = [];
  for (const svc of project.services.values()) {
    for (const p of svc.ports) {
      if (p.unknown) continue;
      for (const [what, spec] of [['container', p.target], ['host', p.published]] as const) {
        if (spec === undefined || spec === '' || portNumbers(spec)) continue;
        out.push(finding('invalid-port', p.span, `service "${svc.name}": ${what} port "${spec}" is not a port number or range between 1 and 65535 (Compose refuses it: invalid ${what === 'host' ? 'hostPort' : 'containerPort'})`));
        break;
      }
    }
  }
  return out;
};

const isDirect = (svc: Service) => !svc.networkMode || svc.networkMode.unknown || !/^(service|container):/.test(svc.networkMode.value);

export const portsOnMacvlanOnly: Rule = ({ project, topology }) => {
  const out: Finding[] = [];
  for (const svc of project.services.values()) {
    const ports = svc.entries.get('ports');
    if (!ports || svc.ports.length === 0 || topology.mode(svc.name) !== 'networks' || topology.namespaceOwner(svc.name)) continue;
    const nets = topology.networksOf(svc.name);
    const drivers = nets.map((n) => project.networks.get(n)?.driver);
    if (nets.length === 0 || !drivers.every((d) => d && !d.unknown && (d.value === 'macvlan' || d.value === 'ipvlan'))) continue;
    out.push(finding('ports-on-macvlan-only', ports.keySpan, `service "${svc.name}": nothing is published: every network it is on is macvlan/ipvlan ${quoteList(nets)}, which has no port mapping; the container is reached at its own address on that network`, {
      related: nets.map((n) => ({ span: project.networks.get(n)!.driver!.span, message: `"${n}" uses ${project.networks.get(n)!.driver!.value}` })),
      fixes: [{ title: 'Delete ports', edits: [deleteSpan(project, ports.span)], preferred: true }],
    }));
  }
  return out;
};

const HOST_GATEWAY = /\bhost\.docker\.internal\b/i;

function addHostGatewayFix(ctx: RuleContext, svc: Service): Fix {
  const title = 'Add extra_hosts "host.docker.internal:host-gateway"';
  const entry = svc.entries.get('extra_hosts');
  if (!entry) return { title, preferred: true, edits: [addToMapping(ctx.project, { file: svc.nameSpan.file, pair: svc.pair }, 'extra_hosts', ['host.docker.internal:host-gateway'])] };
  const holder = { file: entry.keySpan.file, pair: entry.pair };
  if (isMap(entry.pair.value)) return { title, preferred: true, edits: [addToMapping(ctx.project, holder, 'host.docker.internal', 'host-gateway')] };
  return { title, preferred: true, edits: [isSeq(entry.pair.value) ? appendToSequence(ctx.project, holder, 'host.docker.internal:host-gateway') : addToMapping(ctx.project, { file: svc.nameSpan.file, pair: svc.pair }, 'extra_hosts', ['host.docker.internal:host-gateway'])] };
}

export const hostDockerInternalUnresolved: Rule = (ctx) => {
  const out: Finding[] = [];
  for (const svc of ctx.project.services.values()) {
    if (!isDirect(svc)) continue;
    const mapped = svc.extraHosts.some((e) => !e.name.unknown && e.name.value.toLowerCase() === 'host.docker.internal');
    if (!mapped) {
      for (const ref of svc.hostReferences) {
        const m = ref.value.unknown ? null : HOST_GATEWAY.exec(ref.value.value);
        if (!m) continue;
        const span: Span = ref.textStart !== undefined ? { file: ref.value.span.file, start: ref.textStart + m.index, end: ref.textStart + m.index + m[0].length } : ref.value.span;
        out.push(finding('host-docker-internal-unresolved', span, `service "${svc.name}": host.docker.internal does not resolve on Linux engines unless extra_hosts maps it to host-gateway (Docker Desktop adds it itself)`, {
          fixes: [addHostGatewayFix(ctx, svc)],
        }));
        break;
      }
    }
    // The logging driver runs in the engine on the host, not in the container: extra_hosts does not reach it.
    for (const v of rawMapValues(ctx.project, svc.entries.get('logging'), 'options')) {
      const m = HOST_GATEWAY.exec(v.loc.value);
      if (!m) continue;
      const span: Span = v.textStart !== undefined ? { file: v.loc.span.file, start: v.textStart + m.index, end: v.textStart + m.index + m[0].length } : v.loc.span;
      out.push(finding('host-docker-internal-unresolved', span, `service "${svc.name}": logging option ${v.key} names host.docker.internal, but the logging driver runs in the engine on the host, where that name does not resolve on Linux (extra_hosts does not apply to it); use an address of the host, such as 127.0.0.1`, {
        fixes: v.textStart !== undefined ? [{ title: 'Use 127.0.0.1', edits: [replaceSpan(span, '127.0.0.1')], preferred: true }] : [],
      }));
    }
  }
  return out;
};

/** Container ports of databases and admin APIs that should not face every interface of the host. */
const SENSITIVE_PORTS = new Map<number, string>([
  [5432, 'PostgreSQL'],
  [3306, 'MySQL/MariaDB'],
  [1433, 'SQL Server'],
  [1521, 'Oracle'],
  [27017, 'MongoDB'],
  [6379, 'Redis'],
  [11211, 'Memcached'],
  [9200, 'Elasticsearch'],
  [5984, 'CouchDB'],
  [9042, 'Cassandra'],
  [8086, 'InfluxDB'],
  [2379, 'etcd'],
  [8500, 'Consul'],
  [8001, 'Kong Admin API'],
  [8444, 'Kong Admin API'],
  [2375, 'Docker API'],
  [2376, 'Docker API'],
]);

const ALL_INTERFACES = new Set(['', '0.0.0.0', '::', '[::]']);

function bindsAll(p: PortMapping): boolean {
  return ALL_INTERFACES.has(p.hostIp ?? '');
}

export const sensitivePortPublished: Rule = ({ project }) => {
  const out: Finding[] = [];
  for (const svc of project.services.values()) {
    if (!isDirect(svc) || svc.networkMode?.value === 'host') continue;
    for (const p of svc.ports) {
      if (p.unknown || !p.target || !/^\d+$/.test(p.target) || !bindsAll(p)) continue;
      const what = SENSITIVE_PORTS.get(Number(p.target));
      if (!what) continue;
      const shortForm = p.raw !== '';
      // Not preferred: binding to loopback changes who can connect, so "fix all" leaves it to the user.
      const bound = `127.0.0.1:${p.published ?? ''}:${p.target}${p.protocol ? `/${p.protocol}` : ''}`;
      out.push(finding('sensitive-port-published', p.span, `service "${svc.name}": ${what} port ${p.target} is published on all interfaces of the host${p.published && p.published !== p.target ? ` (as ${p.published})` : ''}; bind it to 127.0.0.1 unless other machines must reach it`, {
        fixes: shortForm ? [{ title: `Bind to 127.0.0.1 (${bound})`, edits: [replaceSpan(p.span, JSON.stringify(bound))] }] : [],
      }));
    }
  }
  return out;
};

interface Binding {
  service: string;
  ip: string;
  from: number;
  to: number;
  protocol: string;
  span: Span;
}

function bindings(svc: Service): Binding[] {
  const out: Binding[] = [];
  for (const p of svc.ports) {
    if (p.unknown || !p.published) continue;
    const range = portNumbers(p.published);
    if (!range) continue;
    const ip = ALL_INTERFACES.has(p.hostIp ?? '') ? '' : p.hostIp!;
    out.push({ service: svc.name, ip, from: range[0], to: range[1], protocol: (p.protocol ?? 'tcp').toLowerCase(), span: p.span });
  }
  return out;
}

const clash = (a: { ip: string; protocol: string }, b: { ip: string; protocol: string }) => a.protocol === b.protocol && (a.ip === '' || b.ip === '' || a.ip === b.ip);

/** Bindings by protocol and host port, so each new binding is checked against the few that share a port. */
class BindingIndex {
  private readonly byPort = new Map<string, Binding[]>();
  /** Ranges wider than this are kept in a list scanned for every binding (real files have a few). */
  private readonly wide: Binding[] = [];

  firstClash(b: Binding): Binding | undefined {
    const hit = (s: Binding) => clash(s, b) && s.from <= b.to && b.from <= s.to && !(s.service === b.service && s.span.start === b.span.start);
    const w = this.wide.find(hit);
    if (w) return w;
    if (b.to - b.from >= 1024) {
      for (const list of this.byPort.values()) {
        const found = list.find(hit);
        if (found) return found;
      }
      return undefined;
    }
    for (let p = b.from; p <= b.to; p++) {
      const found = this.byPort.get(`${b.protocol}/${p}`)?.find(hit);
      if (found) return found;
    }
    return undefined;
  }

  add(b: Binding): void {
    if (b.to - b.from >= 1024) {
      this.wide.push(b);
      return;
    }
    for (let p = b.from; p <= b.to; p++) {
      const key = `${b.protocol}/${p}`;
      this.byPort.set(key, [...(this.byPort.get(key) ?? []), b]);
    }
  }
}

export const duplicateHostPort: Rule = ({ project, engine }) => {
  const out: Finding[] = [];
  const seen = new BindingIndex();
  for (const svc of project.services.values()) {
    // Host mode discards ports; service:/container: modes are refused with ports (other rules).
    if (!isDirect(svc) || svc.networkMode?.value === 'host') continue;
    for (const b of bindings(svc)) {
      const first = seen.firstClash(b);
      if (first) {
        const port = Math.max(first.from, b.from);
        out.push(finding('duplicate-host-port', b.span, `host port ${port}/${b.protocol} is also published by "${first.service}": the second container fails at up ("port is already allocated")`, {
          related: [{ span: first.span, message: `"${first.service}" publishes it here` }],
        }));
        continue;
      }
      seen.add(b);
      const taken = engine?.publishedPorts?.find((e) => e.composeProject !== project.name && e.port >= b.from && e.port <= b.to && clash({ ip: ALL_INTERFACES.has(e.hostIp) ? '' : e.hostIp, protocol: e.protocol }, b));
      if (taken) {
        out.push(finding('duplicate-host-port', b.span, `host port ${taken.port}/${b.protocol} is already taken on the engine by running container "${taken.container}"${taken.composeProject ? ` (project "${taken.composeProject}")` : ''}: "${svc.name}" fails at up ("port is already allocated")`));
      }
    }
  }
  return out;
};
