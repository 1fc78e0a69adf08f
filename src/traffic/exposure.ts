// What a running project really exposes on the engine's host: each published port as bound (address, family,
// protocol), whether the host really listens there, and what the compose file declared for it.
import { isWildcard, type ListeningSocket } from './sockets';

/** A published port of a running container, as the engine reports it. */
export interface RunningPort {
  service: string;
  container: string;
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: string;
}

/** A `ports:` entry of the compose file, resolved. */
export interface DeclaredPort {
  service: string;
  /** As written, for the report ("8080:80", "127.0.0.1:5432:5432"). */
  text: string;
  hostIp?: string;
  published?: string;
  target?: string;
  protocol?: string;
}

export interface ExposureEntry {
  service: string;
  container: string;
  port: number;
  container_port: number;
  protocol: string;
  /** The address the port is bound to on the host: 0.0.0.0 / :: mean every interface. */
  host_ip: string;
  family: 4 | 6;
  all_interfaces: boolean;
  /** The `ports:` entry that asked for it, or null when the file does not declare it (started by hand, another file). */
  declared: string | null;
  /** Whether a socket listens there in the host's network namespace (docker-proxy); null when the host was not read. */
  listening: boolean | null;
}

export const FIREWALL_REMINDER =
  "Docker's published ports bypass host firewalls such as ufw (the engine's iptables rules come first): a port bound to every interface is reachable from every network the host is on. Bind it to 127.0.0.1 in the file when only this machine needs it.";

export function exposureReport(running: RunningPort[], declared: DeclaredPort[], hostSockets?: ListeningSocket[]): ExposureEntry[] {
  const entries = running.map((p): ExposureEntry => {
    const family: 4 | 6 = p.hostIp.includes(':') ? 6 : 4;
    const decl = declared.find((d) => d.service === p.service && matchesDeclared(d, p));
    const listening = hostSockets
      ? hostSockets.some((s) => s.port === p.hostPort && s.protocol === p.protocol && (s.address === p.hostIp || isWildcard(s.address) || (isWildcard(p.hostIp) && s.family === family)))
      : null;
    return {
      service: p.service,
      container: p.container,
      port: p.hostPort,
      container_port: p.containerPort,
      protocol: p.protocol,
      host_ip: p.hostIp,
      family,
      all_interfaces: isWildcard(p.hostIp),
      declared: decl ? decl.text : null,
      listening,
    };
  });
  return entries.sort((a, b) => a.service.localeCompare(b.service) || a.port - b.port || a.family - b.family);
}

function matchesDeclared(d: DeclaredPort, p: RunningPort): boolean {
  const proto = (d.protocol ?? 'tcp').toLowerCase();
  if (proto !== p.protocol) return false;
  if (!d.target || !inRange(d.target, p.containerPort)) return false;
  // No published port: the engine picked one; a range: any port in it.
  return !d.published || inRange(d.published, p.hostPort);
}

function inRange(spec: string, port: number): boolean {
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec.trim());
  if (!m) return false;
  const lo = Number(m[1]);
  const hi = m[2] ? Number(m[2]) : lo;
  return port >= lo && port <= hi;
}

export function exposureText(entries: ExposureEntry[], project: string): string {
  if (!entries.length) return `Project "${project}" publishes no port on the engine's host.\n`;
  const lines = [`Ports of project "${project}" published on the engine's host:`];
  for (const e of entries) {
    const where = e.all_interfaces ? `every interface (${e.host_ip || '0.0.0.0'}, IPv${e.family})` : `${e.host_ip} only`;
    const listen = e.listening === null ? '' : e.listening ? ', listening' : ', no socket seen on the host (userland proxy off? NAT only)';
    lines.push(`  ${e.service}: ${e.port}/${e.protocol} -> ${e.container_port} on ${where}${listen}; ${e.declared ? `declared as "${e.declared}"` : 'NOT declared in the compose file'}`);
  }
  if (entries.some((e) => e.all_interfaces)) lines.push('', FIREWALL_REMINDER);
  return `${lines.join('\n')}\n`;
}
