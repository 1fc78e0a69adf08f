// Observed flows against the compose file: a flow between services the file keeps apart means something was
// connected by hand (or the model is wrong); a path the file allows that nobody used is a candidate to close.
import type { Flow } from './summary';

/** What the comparison needs of the model: the services, and whether one can reach another by the file. */
export interface ReachabilityModel {
  services: string[];
  canReach(from: string, to: string): boolean;
}

export interface FlowComparison {
  /** Flows between two services of the project that the file does not allow. */
  unexpected: Flow[];
  /** Ordered pairs the file allows (they share a network) with no flow in either direction during the recording. */
  unused: Array<{ from: string; to: string }>;
  /** Flows whose ends are not both services of the project (the host, the gateway, other containers). */
  other: Flow[];
  /** Flows between services that the file allows. */
  expected: Flow[];
}

export function compareFlows(flows: Flow[], model: ReachabilityModel): FlowComparison {
  const services = new Set(model.services);
  const out: FlowComparison = { unexpected: [], unused: [], other: [], expected: [] };
  const used = new Set<string>();
  for (const f of flows) {
    if (!services.has(f.from) || !services.has(f.to) || f.from === f.to) {
      out.other.push(f);
      continue;
    }
    used.add(`${f.from}\u0000${f.to}`);
    used.add(`${f.to}\u0000${f.from}`);
    (model.canReach(f.from, f.to) ? out.expected : out.unexpected).push(f);
  }
  const names = [...services].sort();
  for (const from of names) {
    for (const to of names) {
      if (from !== to && model.canReach(from, to) && !used.has(`${from}\u0000${to}`)) out.unused.push({ from, to });
    }
  }
  return out;
}

/** Bounded lists: a big project's "possible, unused" list stays readable. */
const MAX_LISTED = 100;

export function flowsText(c: FlowComparison, project: string, seconds: number): string {
  const flow = (f: Flow) => `${f.from} -> ${f.to} ${f.protocol}${f.port !== undefined ? ` ${f.port}` : ''} (${f.packets} packets, ${f.bytes} bytes)`;
  const lines = [`Flows observed in project "${project}" over ${seconds} s:`];
  const section = (title: string, items: string[]) => {
    lines.push('', `${title}: ${items.length}`);
    for (const i of items.slice(0, MAX_LISTED)) lines.push(`  ${i}`);
    if (items.length > MAX_LISTED) lines.push(`  … and ${items.length - MAX_LISTED} more`);
  };
  section('Between services the file keeps apart (something was connected by hand)', c.unexpected.map(flow));
  section('Allowed by the file and used', c.expected.map(flow));
  section('Possible, unused (a path the file allows that nothing used: a candidate to close)', c.unused.map((u) => `${u.from} -> ${u.to}`));
  section('Other traffic (the host, gateways, containers of no service)', c.other.map(flow));
  return `${lines.join('\n')}\n`;
}
