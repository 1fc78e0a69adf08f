// Verify a deployed stack across Swarm nodes through the manager alone: one short-lived probe service per overlay
// network of the stack (mode global-job: one task on every node, attached to that network only), whose answers come
// back through the service logs. Answers per (node, network) compose into each service's position on each node: a
// task of A on node X reaches what the probes on A's networks on X reach (overlays do not route between each other).
// Questions: names (`B`, `tasks.B`), each task address of B on each overlay, B's ports at those addresses and at its
// VIP. A node whose kernel has no IPVS cannot carry VIP traffic: that is a diagnosis of the node, not isolation.
// The verdicts use the Compose verify's report (probes/report.ts), so the CLI prints the same formats.
import type Docker from 'dockerode';
import * as crypto from 'crypto';
import * as os from 'os';
import type { Analysis } from '../compose/analyze';
import type { Span } from '../compose/types';
import { EngineError, type EngineProblem } from './errors';
import { PROBE_LABEL, PROBE_OWNER_LABEL, ProbeImageMissing } from './exec';
import type { EngineEndpoint } from './model';
import { parsePing } from './probeOutput';
import { validateTarget } from './probes';
import type { RawTask } from './swarm';
import { engineNetworkNames } from './probes/expected';
import { readConnect, readName, UnreadableAnswer } from './probes/layers';
import { assemblePair, countReport, type Check, type PairResult, type VerifyReport } from './probes/report';
import { parseAddress } from '../compose/ip';

const STACK_LABEL = 'com.docker.stack.namespace';
/** When the probe service was created (ms since the epoch): a sweep removes one far past any run's life. */
const PROBE_CREATED_LABEL = 'dev.docker-networking.probe.created';

/** What the stack should look like: per service key, the engine networks it is on and the TCP ports it serves. */
export interface StackExpectation {
  /** 'the stack file' or "the services' specs on the engine". */
  source: string;
  networks: Record<string, string[]>;
  ports: Record<string, number[]>;
  spans?: Record<string, Span>;
}

export interface StackVerifyRequest {
  stack: string;
  probeImage: string;
  /** From the stack file (stackExpectation); without it, the services' own specs on the engine are the expectation. */
  expected?: StackExpectation;
  /** May the nodes pull `probeImage` (Swarm pulls a service's image on nodes that lack it)? Only with consent. */
  allowPull?: boolean;
  /**
   * Also sweep each /24 (or smaller) overlay for addresses nobody has a record of that accept a stack port (a
   * container connected by hand at an address of its own). One echo per address: each miss makes every node's
   * engine look the address up, so it is slow on a busy Swarm; off by default.
   */
  sweep?: boolean;
  /** Deadline of the whole probing (services created, every node's answers in the logs); default 90 s. */
  deadlineMs?: number;
  signal?: AbortSignal;
  /** What the run is doing, for a progress bar: a phase, and how far the probing is (0..1) once the probes run. */
  onProgress?: (message: string, fraction?: number) => void;
}

export interface NodeDiagnosis {
  node: string;
  text: string;
}

export interface StackVerifyReport extends VerifyReport {
  stack: string;
  /** Where the expectation came from. */
  source: string;
  /** Hostnames of the nodes probed. */
  nodes: string[];
  /** What a node cannot do (no IPVS: VIPs carry no traffic) with the evidence: not isolation, not a mismatch. */
  diagnoses: NodeDiagnosis[];
}

export class StackNotDeployed extends Error {}

export { isStackName } from './validate';

// ---- the probe: a fixed script; every name and address arrives as an argument, never inside the script --------
/**
 * `sh -c PROBE_SCRIPT dnprobe NONCE Q...`: each question `n:NAME` (nslookup), `i:ADDRESS` (one ICMP echo) or
 * `t:ADDRESS:PORT` (TCP connect), `u:ADDRESS:PORT,PORT` (a sweep: does it answer, which ports accept) answered on one line
 * `@dnv NONCE NODE INDEX EXIT OUTPUT` (newlines as `|`), 64 at a time, a "no" asked again after 2 and 5 s; first `@dnv NONCE NODE ipvs yes|no`, last `@dnv NONCE NODE done`.
 */
export const PROBE_SCRIPT = [
  'ask() { case "$1" in',
  '  n:*) nslookup -timeout=1 -retry=1 "${1#n:}." 2>&1 ;;',
  '  i:*) ping -c 1 -W 2 "${1#i:}" 2>&1 ;;',
  '  t:*) a=${1#t:}; nc -w 2 "${a%:*}" "${a##*:}" </dev/null 2>&1 ;;',
  // u: an address nobody has a record of: one echo, then which of the ports accept ("up 9090", "up", "down")
  '  u:*) a=${1#u:}; h=${a%%:*}',
  '    if ping -c 1 -W 1 "$h" >/dev/null 2>&1; then r=up; for p in $(echo "${a#*:}" | tr , " "); do nc -w 2 "$h" "$p" </dev/null >/dev/null 2>&1 && r="$r $p"; done; echo "$r"; else echo down; fi ;;',
  '  *) echo "unknown question"; false ;;',
  'esac; }',
  'n=$1; shift',
  'v=no; [ -e /proc/net/ip_vs ] && v=yes',
  'echo "@dnv $n $NODE ipvs $v"',
  'i=0',
  'for q in "$@"; do',
  '  i=$((i+1))',
  '  ( out=$(ask "$q"); rc=$?',
  // A new probe's address reaches the other nodes by gossip, slower on a busy machine: a "no" (not a refusal) is asked
  // again 2 s later, and once more 5 s after that, before it stands.
  '    for w in 2 5; do case "$rc:$out" in 0:*|*refused*) break ;; esac; sleep $w; out=$(ask "$q"); rc=$?; done',
  '    echo "@dnv $n $NODE $i $rc $(printf %s "$out" | tr "\\n" "|")"',
  '  ) &',
  '  [ $((i % 64)) = 0 ] && wait',
  'done',
  'wait',
  'echo "@dnv $n $NODE done"',
].join('\n');

export type Question = `n:${string}` | `i:${string}` | `t:${string}:${number}` | `u:${string}:${string}`;

/** A question with its target checked: a host name or an IP address, a port 1-65535. */
export function question(kind: 'n' | 'i' | 't' | 'u', target: string, port?: number | number[]): Question {
  const problem = validateTarget(target) ?? (kind === 'n' || parseAddress(target) ? undefined : `"${target}" is not an IP address`);
  if (problem) throw new Error(problem);
  if (kind === 'u') {
    const ports = Array.isArray(port) ? port : [];
    if (!ports.length || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw new Error(`${ports.join(',')} are not TCP ports`);
    return `u:${target}:${ports.join(',')}`;
  }
  if (kind === 't') {
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${String(port)} is not a TCP port`);
    return `t:${target}:${port}`;
  }
  return `${kind}:${target}` as Question;
}

export interface NodeAnswers {
  ipvs?: boolean;
  done: boolean;
  /** By question index (1-based, as the script counts). */
  answers: Map<number, { exitCode: number; output: string }>;
}

/** The log stream of a service (multiplexed 8-byte frames when the task has no TTY) as text. */
export function demuxLogs(raw: Buffer | string): string {
  if (typeof raw === 'string') return raw;
  let out = '';
  let i = 0;
  while (i + 8 <= raw.length && raw[i] <= 2 && raw[i + 1] === 0 && raw[i + 2] === 0 && raw[i + 3] === 0) {
    const size = raw.readUInt32BE(i + 4);
    out += raw.subarray(i + 8, i + 8 + size).toString('utf8');
    i += 8 + size;
  }
  return i === 0 ? raw.toString('utf8') : out + raw.subarray(i).toString('utf8');
}

/** Reads the probes' lines of one run (its nonce) per node; other lines (a leftover run's) are ignored. */
export function parseProbeLogs(text: string, nonce: string): Map<string, NodeAnswers> {
  const nodes = new Map<string, NodeAnswers>();
  const of = (node: string) => {
    let n = nodes.get(node);
    if (!n) nodes.set(node, (n = { done: false, answers: new Map() }));
    return n;
  };
  for (const line of text.split('\n')) {
    const m = /^@dnv (\S+) (\S+) (.*)$/.exec(line.replace(/\r$/, ''));
    if (!m || m[1] !== nonce) continue;
    const node = of(m[2]);
    const rest = m[3];
    if (rest === 'done') node.done = true;
    else if (rest.startsWith('ipvs ')) node.ipvs = rest.slice(5).trim() === 'yes';
    else {
      const a = /^(\d+) (\d+) ?(.*)$/.exec(rest);
      if (a) node.answers.set(Number(a[1]), { exitCode: Number(a[2]), output: a[3].split('|').join('\n') });
    }
  }
  return nodes;
}

// ---- what the manager knows ----------------------------------------------------------------------------------
export interface LiveTask {
  id: string;
  /** `stack_service.slot` */
  name: string;
  node: string;
  /** Engine network name -> address (no prefix length). */
  addresses: Record<string, string>;
}

export interface LiveService {
  key: string;
  name: string;
  endpointMode: string;
  networks: string[];
  vips: Record<string, string>;
  ports: number[];
  tasks: LiveTask[];
  /** Addresses of tasks that started or stopped while the probes ran (a name resolving to them is still B's). */
  passing?: Record<string, string[]>;
}

export interface LiveStack {
  services: LiveService[];
  /** Overlay network name -> ID, for every network the stack uses or the file names that exists. */
  networkIds: Record<string, string>;
  /** Hostnames of the nodes that run a global job (ready and active). */
  nodes: string[];
  /** Nodes that will not run one, and why. */
  idleNodes: Array<{ node: string; reason: string }>;
  /** Tasks on their way to running (or being replaced): probing now would race them. */
  settling: string[];
  /** Per network: every address the manager has a record of (any service's tasks and VIPs, the gateway). */
  known?: Record<string, string[]>;
  /** Per network: its IPv4 subnets. */
  subnets?: Record<string, string[]>;
}

const SETTLING = new Set(['new', 'allocated', 'assigned', 'accepted', 'preparing', 'ready', 'starting']);

const bare = (cidr: string | undefined) => (cidr ?? '').replace(/\/\d+$/, '');

/** Port numbers from compose `ports` targets and `expose` entries: TCP only, ranges up to 16 ports. */
export function tcpPortsOf(entries: Array<{ value: string; protocol?: string }>): number[] {
  const out = new Set<number>();
  for (const e of entries) {
    const [range, proto] = e.value.split('/');
    if ((proto ?? e.protocol ?? 'tcp').toLowerCase() !== 'tcp') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(range.trim());
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : from;
    for (let p = from; p <= to && p - from < 16; p++) if (p >= 1 && p <= 65535) out.add(p);
  }
  return [...out].sort((a, b) => a - b);
}

/** The stack file's promise, read with stack semantics: each service's engine networks (`STACK_network`) and ports. */
export function stackExpectation(analysis: Analysis, stack: string): StackExpectation {
  const project = { ...analysis, project: Object.assign(Object.create(Object.getPrototypeOf(analysis.project)), analysis.project, { name: stack }) } as Analysis;
  const names = engineNetworkNames(project);
  const networks: Record<string, string[]> = {};
  const ports: Record<string, number[]> = {};
  const spans: Record<string, Span> = {};
  for (const [key, svc] of analysis.project.services) {
    networks[key] = analysis.topology.networksOf(key).map((n) => names.get(n) ?? `${stack}_${n}`);
    ports[key] = tcpPortsOf([
      ...svc.ports.filter((p) => !p.unknown && p.target).map((p) => ({ value: p.target!, ...(p.protocol ? { protocol: p.protocol } : {}) })),
      ...svc.expose.filter((e) => !e.unknown).map((e) => ({ value: e.value })),
    ]);
    spans[key] = svc.nameSpan;
  }
  return { source: 'the stack file', networks, ports, spans };
}

/** The stack as the manager records it: services (by the stack label), their running tasks, VIPs, ports; the nodes. */
export async function readLiveStack(docker: Docker, stack: string, expectedNetworks: string[]): Promise<LiveStack> {
  const [services, nodes, networks] = await Promise.all([
    docker.listServices({ filters: JSON.stringify({ label: [`${STACK_LABEL}=${stack}`] }) }) as Promise<Array<{ ID: string; Spec?: { Name?: string; EndpointSpec?: { Mode?: string }; TaskTemplate?: { Networks?: Array<{ Target?: string }> } }; Endpoint?: { VirtualIPs?: Array<{ NetworkID?: string; Addr?: string }>; Ports?: Array<{ TargetPort?: number; Protocol?: string }> } }>>,
    docker.listNodes() as Promise<Array<{ ID: string; Description?: { Hostname?: string }; Spec?: { Availability?: string }; Status?: { State?: string } }>>,
    docker.listNetworks({ filters: JSON.stringify({ driver: ['overlay'] }) }) as Promise<Array<{ Id: string; Name: string; IPAM?: { Config?: Array<{ Subnet?: string; Gateway?: string }> | null } }>>,
  ]);
  const netName = new Map(networks.map((n) => [n.Id, n.Name]));
  const hostname = new Map(nodes.map((n) => [n.ID, n.Description?.Hostname ?? n.ID.slice(0, 12)]));
  const tasks = services.length ? ((await docker.listTasks({ filters: JSON.stringify({ label: [`${STACK_LABEL}=${stack}`], 'desired-state': ['running'] }) })) as RawTask[]) : [];
  const live: LiveService[] = services.map((s) => {
    const name = s.Spec?.Name ?? s.ID;
    const nets = (s.Spec?.TaskTemplate?.Networks ?? []).map((t) => netName.get(t.Target ?? '') ?? t.Target ?? '').filter(Boolean);
    const vips: Record<string, string> = {};
    for (const v of s.Endpoint?.VirtualIPs ?? []) {
      const n = netName.get(v.NetworkID ?? '');
      if (n && n !== 'ingress' && v.Addr) vips[n] = bare(v.Addr);
    }
    return {
      key: name.startsWith(`${stack}_`) ? name.slice(stack.length + 1) : name,
      name,
      endpointMode: s.Spec?.EndpointSpec?.Mode ?? 'vip',
      networks: nets.filter((n) => n !== 'ingress'),
      vips,
      ports: tcpPortsOf((s.Endpoint?.Ports ?? []).map((p) => ({ value: String(p.TargetPort ?? ''), protocol: p.Protocol ?? 'tcp' }))),
      tasks: tasks
        .filter((t) => t.ServiceID === s.ID && t.Status?.State === 'running')
        .map((t) => ({
          id: t.ID,
          name: `${name}.${t.Slot ?? (t.NodeID ?? '').slice(0, 12)}`,
          node: hostname.get(t.NodeID ?? '') ?? (t.NodeID ?? '?'),
          addresses: Object.fromEntries((t.NetworksAttachments ?? []).filter((a) => a.Network?.Spec?.Name && a.Network.Spec.Name !== 'ingress' && a.Addresses?.[0]).map((a) => [a.Network!.Spec!.Name!, bare(a.Addresses![0])])),
        }))
        .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })),
    };
  });
  const wanted = new Set([...live.flatMap((s) => s.networks), ...expectedNetworks]);
  const networkIds = Object.fromEntries(networks.filter((n) => wanted.has(n.Name) && n.Name !== 'ingress').map((n) => [n.Name, n.Id]));
  const idleNodes: LiveStack['idleNodes'] = [];
  const running: string[] = [];
  for (const n of nodes) {
    const h = hostname.get(n.ID)!;
    if (n.Status?.State !== 'ready') idleNodes.push({ node: h, reason: `node is ${n.Status?.State ?? 'unknown'}` });
    else if (n.Spec?.Availability !== 'active') idleNodes.push({ node: h, reason: `node availability is ${n.Spec?.Availability ?? 'unknown'} (runs no new task)` });
    else running.push(h);
  }
  const settling = tasks.filter((t) => SETTLING.has(t.Status?.State ?? '')).map((t) => `${services.find((s) => s.ID === t.ServiceID)?.Spec?.Name ?? t.ServiceID}.${t.Slot ?? t.NodeID} ${t.Status?.State}`);
  // Every address the manager has a record of on these networks: any service's VIPs and running tasks, the gateways.
  const all = (await docker.listTasks({ filters: JSON.stringify({ 'desired-state': ['running'] }) })) as RawTask[];
  const allServices = (await docker.listServices()) as Array<{ Endpoint?: { VirtualIPs?: Array<{ NetworkID?: string; Addr?: string }> } }>;
  const known: Record<string, string[]> = {};
  const subnets: Record<string, string[]> = {};
  const add = (net: string | undefined, addr: string | undefined) => {
    if (net && networkIds[net] && addr) (known[net] ??= []).push(bare(addr));
  };
  for (const n of networks) {
    if (!networkIds[n.Name]) continue;
    subnets[n.Name] = (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? '').filter((x) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(x));
    for (const c of n.IPAM?.Config ?? []) add(n.Name, c.Gateway);
  }
  for (const t of all) for (const a of t.NetworksAttachments ?? []) add(a.Network?.Spec?.Name, a.Addresses?.[0]);
  for (const s of allServices) for (const v of s.Endpoint?.VirtualIPs ?? []) add(netName.get(v.NetworkID ?? ''), v.Addr);
  return { services: live.sort((a, b) => a.key.localeCompare(b.key)), networkIds, nodes: running.sort(), idleNodes, settling, known, subnets };
}

/** Host addresses of IPv4 subnets of /24 or smaller (a bigger one is not swept: too many addresses to ask). */
export function sweepAddresses(subnets: string[]): string[] {
  const out: string[] = [];
  for (const cidr of subnets) {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
    if (!m || Number(m[5]) < 24 || Number(m[5]) > 30) continue;
    const size = 2 ** (32 - Number(m[5]));
    const base = ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + (Number(m[4]) & ~(size - 1) & 255);
    for (let i = 1; i < size - 1; i++) {
      const x = base + i;
      out.push([x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255].join('.'));
    }
  }
  return out;
}

// ---- the plan: which questions on which network, and how their answers become checks -------------------------
export interface ProbePlan {
  /** Network name -> its questions, in the order the script numbers them (index + 1). */
  questions: Record<string, Question[]>;
}

function portsOf(s: LiveService, expected: StackExpectation | undefined): number[] {
  return [...new Set([...(expected?.ports[s.key] ?? []), ...s.ports])].sort((a, b) => a - b);
}

/** The questions each network's probe asks: names of every service, every task address and port, VIPs, and each stack port at every address the manager knows on it. */
export function planQuestions(live: LiveStack, expected: StackExpectation | undefined, options: { sweep?: boolean } = {}): ProbePlan {
  const questions: Record<string, Question[]> = {};
  for (const net of Object.keys(live.networkIds).sort()) {
    const qs = new Set<Question>();
    const allPorts = [...new Set(live.services.flatMap((s) => portsOf(s, expected)))].sort((a, b) => a - b);
    for (const s of live.services) {
      qs.add(question('n', s.key));
      qs.add(question('n', `tasks.${s.key}`));
    }
    for (const s of live.services) {
      for (const t of s.tasks) {
        const a = t.addresses[net];
        if (!a) continue;
        qs.add(question('i', a));
        for (const p of allPorts) qs.add(question('t', a, p));
      }
      const vip = s.vips[net];
      if (vip) for (const p of allPorts) qs.add(question('t', vip, p));
    }
    // The rest of a small subnet: an address nobody has a record of that accepts a stack port is a container
    // attached by hand (`docker network connect` on a task, or a standalone container).
    const sweep: Question[] = [];
    if (options.sweep && allPorts.length) {
      const known = new Set(live.known?.[net] ?? []);
      for (const a of sweepAddresses(live.subnets?.[net] ?? [])) if (!known.has(a)) sweep.push(question('u', a, allPorts));
    }
    // The sweep first: its questions take about a second each and fill whole batches; the slower ones share the last.
    questions[net] = [...sweep, ...qs];
  }
  return { questions };
}

type Answer = { exitCode: number; output: string } | { error: string };

export interface ProbeAnswers {
  /** node -> network -> answers of that node's probe task on that network. */
  byNode: Map<string, Map<string, NodeAnswers>>;
  /** node -> network -> why there is no answer (task failed, rejected, deadline). */
  missing: Map<string, Map<string, string>>;
}

function answerOf(plan: ProbePlan, answers: ProbeAnswers, node: string, net: string, q: Question): Answer {
  const idx = plan.questions[net]?.indexOf(q) ?? -1;
  const why = answers.missing.get(node)?.get(net);
  const got = answers.byNode.get(node)?.get(net);
  const a = idx >= 0 ? got?.answers.get(idx + 1) : undefined;
  if (a) return a;
  return { error: why ?? (idx < 0 ? `not asked on ${net}` : `the probe on ${node} (${net}) gave no answer to ${q}`) };
}

const isError = (a: Answer): a is { error: string } => 'error' in a;

/** Builds the report's pairs: every service's position on every probed node, towards every service of the stack. */
export function assembleStackReport(stack: string, live: LiveStack, expected: StackExpectation | undefined, plan: ProbePlan, answers: ProbeAnswers, extra: { swept: number; incomplete?: string }): StackVerifyReport {
  const fileNets = (key: string) => expected?.networks[key] ?? live.services.find((s) => s.key === key)?.networks ?? [];
  const keys = [...new Set([...live.services.map((s) => s.key), ...Object.keys(expected?.networks ?? {})])].sort();
  const byKey = new Map(live.services.map((s) => [s.key, s]));
  const skipped: VerifyReport['skipped'] = [];
  for (const key of keys) {
    const s = byKey.get(key);
    if (!s) skipped.push({ service: key, reason: `not deployed: no service ${stack}_${key} with label ${STACK_LABEL}=${stack}` });
    else if (!s.tasks.length) skipped.push({ service: key, reason: 'no running task: nothing to reach (its position is still probed)' });
  }
  for (const n of live.idleNodes) skipped.push({ service: `node ${n.node}`, reason: `not probed: ${n.reason}` });
  if (live.settling.length) skipped.push({ service: 'tasks', reason: `not settled when probed, answers about them may be missing: ${live.settling.join(', ')}` });
  // Who owns each address on each network, by the manager's records.
  const owner = new Map<string, { service: LiveService; what: string }>();
  for (const s of live.services) {
    for (const [net, vip] of Object.entries(s.vips)) owner.set(`${net}|${vip}`, { service: s, what: `${s.key}'s VIP` });
    for (const t of s.tasks) for (const [net, a] of Object.entries(t.addresses)) owner.set(`${net}|${a}`, { service: s, what: `task ${t.name}'s address` });
  }
  const vipEvidence = new Map<string, Set<string>>();
  const pairs: PairResult[] = [];
  for (const aKey of keys) {
    const a = byKey.get(aKey);
    if (!a) continue;
    const positionNets = [...new Set([...a.networks, ...fileNets(aKey)])].sort();
    for (const node of live.nodes) {
      for (const b of live.services) {
        const checks: Check[] = [];
        const bPorts = portsOf(b, expected);
        for (const net of positionNets) {
          const expectedOn = fileNets(aKey).includes(net) && fileNets(b.key).includes(net);
          const absent = !live.networkIds[net] ? `network ${net} does not exist on the Swarm` : !a.networks.includes(net) ? `${a.key} is not attached to ${net} on the engine (its service spec)` : undefined;
          const bAddrs = [...b.tasks.map((t) => t.addresses[net]).filter((x): x is string => !!x), ...(b.vips[net] ? [b.vips[net]] : []), ...(b.passing?.[net] ?? [])];
          const ask = (q: Question): Answer => (absent ? { error: absent } : answerOf(plan, answers, node, net, q));
          // names
          for (const name of [b.key, `tasks.${b.key}`]) {
            const c: Check = { layer: 'name', target: name, network: net, expected: expectedOn, actual: false, detail: '' };
            const r = ask(question('n', name));
            if (absent) c.detail = `"${name}" cannot lead to ${b.key} on ${net} from ${node}: ${absent}`;
            else if (isError(r)) Object.assign(c, { actual: 'error', detail: r.error });
            else {
              try {
                const n = readName(name, r, bAddrs);
                Object.assign(c, { actual: n.ok, detail: `${node}: ${n.detail}`, addresses: (n.addresses ?? []).filter((x) => bAddrs.includes(x)) });
              } catch (err) {
                Object.assign(c, { actual: 'error', detail: `${node}: ${(err as Error).message}` });
              }
            }
            checks.push(c);
          }
          // each task address of B on this network, and B's ports there
          for (const t of b.tasks) {
            const addr = t.addresses[net];
            if (!addr) continue;
            const addrCheck: Check = { layer: 'address', target: addr, network: net, expected: expectedOn, actual: false, detail: '', addresses: [addr] };
            const ping = ask(question('i', addr));
            const connects = bPorts.map((p) => ({ p, r: ask(question('t', addr, p)) }));
            if (absent) addrCheck.detail = `${t.name} on ${t.node}: ${absent}`;
            else if (isError(ping)) Object.assign(addrCheck, { actual: 'error', detail: ping.error });
            else {
              const echo = parsePing(ping.output);
              const tcp = connects.filter((x) => !isError(x.r)).map((x) => ({ p: x.p, o: safeConnect(x.r as { exitCode: number; output: string }) }));
              const answered = tcp.find((x) => x.o === 'connected' || x.o === 'refused');
              const ok = (echo?.received ?? 0) > 0 || !!answered;
              addrCheck.actual = ok;
              addrCheck.detail = `${node} -> ${t.name} on ${t.node}: ${ok ? `${addr} answered${(echo?.received ?? 0) > 0 ? ' ICMP echo' : ''}${answered ? ` (TCP ${answered.p} ${answered.o})` : ''}` : `${addr} did not answer${echo ? ' (no ICMP echo reply' : ' ('}${tcp.length ? `${echo ? ', ' : ''}TCP ${tcp.map((x) => `${x.p} ${x.o}`).join(', ')}` : ''})`}`;
            }
            checks.push(addrCheck);
            for (const { p, r } of connects) {
              const c: Check = { layer: 'port', target: `${addr}:${p}`, network: net, expected: expectedOn, actual: false, detail: '', addresses: [addr] };
              if (absent) c.detail = `${t.name}: ${absent}`;
              else if (isError(r)) Object.assign(c, { actual: 'error', detail: r.error });
              else {
                const o = safeConnect(r);
                if (o === 'unreadable') Object.assign(c, { actual: 'error', detail: `${node}: nc exited ${r.exitCode}: ${r.output.trim().slice(0, 200)}` });
                else Object.assign(c, { actual: o === 'connected', detail: `${node} -> ${t.name} on ${t.node}: TCP ${addr}:${p} ${o}` });
              }
              checks.push(c);
            }
          }
          if (absent) continue;
          // B's VIP: a port check where the node can carry VIP traffic; otherwise the node's diagnosis
          const vip = b.vips[net];
          if (vip && b.tasks.length) {
            for (const p of bPorts) {
              const r = ask(question('t', vip, p));
              const nodeAnswers = answers.byNode.get(node)?.get(net);
              if (isError(r)) continue;
              const o = safeConnect(r);
              if (nodeAnswers?.ipvs === false) {
                const taskOk = b.tasks.some((t) => t.addresses[net] && !isError(ask(question('t', t.addresses[net], p))) && safeConnect(ask(question('t', t.addresses[net], p)) as { exitCode: number; output: string }) === 'connected');
                const list = vipEvidence.get(node) ?? new Set<string>();
                list.add(`${b.key}'s VIP ${vip}:${p} on ${net}: ${o}${taskOk ? `, while ${b.key}'s tasks accept ${p} at their addresses` : ''}`);
                vipEvidence.set(node, list);
                continue;
              }
              const c: Check = { layer: 'port', target: `${vip}:${p}`, network: net, expected: expectedOn, actual: o === 'unreadable' ? 'error' : o === 'connected', detail: `${node}: TCP ${vip}:${p} (${b.key}'s VIP) ${o}`, addresses: [vip] };
              checks.push(c);
            }
          }
          // B's ports answering at an address the manager gives to someone else (or to nobody of B): a B container on
          // this network outside its service spec, e.g. `docker network connect` on a task. Only a surprise is reported.
          if (!expectedOn) {
            for (const [k, who] of owner) {
              const [onNet, addr] = k.split('|');
              if (onNet !== net || who.service === b) continue;
              const theirs = portsOf(who.service, expected);
              for (const p of bPorts) {
                if (theirs.includes(p)) continue;
                const r = ask(question('t', addr, p));
                if (isError(r) || safeConnect(r) !== 'connected') continue;
                checks.push({ layer: 'port', target: `${addr}:${p}`, network: net, expected: false, actual: true, addresses: [addr], detail: `${node}: TCP ${addr}:${p} connected: ${addr} is ${who.what} on ${net} by the manager's records, yet it accepts ${b.key}'s port ${p}: a container of ${b.key} is on ${net} outside its service spec (connected by hand?), a network ${b.key} is not on by ${expected?.source ?? "the services' specs on the engine"}` });
              }
            }
          }
        }
        // The sweep: addresses nobody has a record of that accept one of B's ports on a network B should not be on.
        for (const net of positionNets) {
          if (!a.networks.includes(net) || (fileNets(aKey).includes(net) && fileNets(b.key).includes(net))) continue;
          const qs = plan.questions[net] ?? [];
          const unswept = qs.filter((q, i) => q.startsWith('u:') && !answers.byNode.get(node)?.get(net)?.answers.has(i + 1)).length;
          if (unswept) checks.push({ layer: 'address', target: `${unswept} address(es) of ${net} nobody has a record of`, network: net, expected: false, actual: 'error', detail: answers.missing.get(node)?.get(net) ?? `the probe on ${node} (${net}) did not answer for them` });
          qs.forEach((q, i) => {
            if (!q.startsWith('u:')) return;
            const r = answers.byNode.get(node)?.get(net)?.answers.get(i + 1);
            const m = r && /^up((?: \d+)*)/.exec(r.output.trim());
            if (!m) return;
            const addr = q.slice(2, q.lastIndexOf(':'));
            if (live.services.some((x) => x.passing?.[net]?.includes(addr))) return; // a task that started during the run
            for (const p of m[1].trim().split(' ').filter(Boolean).map(Number)) {
              if (!bPorts.includes(p)) continue;
              checks.push({ layer: 'port', target: `${addr}:${p}`, network: net, expected: false, actual: true, addresses: [addr], detail: `${node}: TCP ${addr}:${p} connected: the manager has no record of ${addr} on ${net} (no task, no VIP), yet it accepts ${b.key}'s port ${p}: a container attached to ${net} by hand (a task of ${b.key} connected with docker network connect, or a standalone container serving that port), where ${b.key} is not by ${expected?.source ?? "the services' specs on the engine"}` });
            }
          });
        }
        if (!checks.length) continue;
        const span = expected?.spans?.[aKey];
        pairs.push(assemblePair(`${aKey}@${node}`, b.key, checks, span ? { span } : {}));
      }
    }
  }
  const diagnoses: NodeDiagnosis[] = [...vipEvidence].sort(([x], [y]) => x.localeCompare(y)).map(([node, ev]) => ({
    node,
    text: `${node} cannot carry service VIP traffic: its kernel has no IPVS (/proc/net/ip_vs is missing in the probe's namespace), so a VIP resolves but nothing behind it answers; tasks are reached at their own addresses. This is the node, not isolation: load the ip_vs module on ${node} (or use endpoint_mode: dnsrr). Seen: ${[...ev].join('; ')}`,
  }));
  const { mismatches, errors } = countReport(pairs, []);
  return { project: stack, stack, source: expected?.source ?? "the services' specs on the engine", nodes: live.nodes, pairs, egress: [], skipped, mismatches, errors, swept: extra.swept, diagnoses, ...(extra.incomplete ? { incomplete: extra.incomplete } : {}) };
}

function safeConnect(r: { exitCode: number; output: string }): ReturnType<typeof readConnect> | 'unreadable' {
  try {
    return readConnect(r);
  } catch (err) {
    if (err instanceof UnreadableAnswer) return 'unreadable';
    throw err;
  }
}

// ---- running it on the engine ----------------------------------------------------------------------------------
const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((r) => {
  const t = setTimeout(r, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); r(); }, { once: true });
});

const TERMINAL = new Set(['complete', 'failed', 'rejected', 'shutdown', 'orphaned', 'remove']);

/** `host/pid` of a starter on this machine whose process is gone (the same test as exec.ts's for probe containers). */
function starterGone(value: string | undefined): boolean {
  const m = /^(.*)\/(\d+)$/.exec(value ?? '');
  if (!m || m[1] !== os.hostname()) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Removes probe services earlier runs left: finished, older than `staleMs`, or whose starter on this machine is gone. */
export async function sweepProbeServices(docker: Docker, staleMs = 10 * 60_000, now = Date.now()): Promise<number> {
  const list = (await docker.listServices({ filters: JSON.stringify({ label: [PROBE_LABEL] }) })) as Array<{ ID: string; CreatedAt?: string; Spec?: { Labels?: Record<string, string> } }>;
  let removed = 0;
  for (const s of list) {
    const labels = s.Spec?.Labels ?? {};
    const created = Number(labels[PROBE_CREATED_LABEL]) || Date.parse(s.CreatedAt ?? '') || 0;
    if (now - created < staleMs && !starterGone(labels[PROBE_OWNER_LABEL])) continue;
    await docker.getService(s.ID).remove().then(() => removed++, () => undefined);
  }
  return removed;
}

/**
 * Verifies the stack through this (manager) engine. Throws EngineError when the engine cannot be used at all (not a
 * manager, unreachable) and StackNotDeployed when no service carries the stack's label; an engine lost mid-run is
 * the report's `incomplete`. Every probe service is removed before this resolves (and swept by the next run if not).
 */
export async function verifyStackOn(docker: Docker, at: EngineEndpoint, request: StackVerifyRequest, describe: (err: unknown) => EngineProblem): Promise<StackVerifyReport> {
  const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw err instanceof EngineError ? err : new EngineError(describe(err));
    }
  };
  const info = (await wrap(() => docker.info())) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; RemoteManagers?: Array<{ Addr?: string }> | null } };
  const endpoint = at.display;
  if (info.Swarm?.LocalNodeState !== 'active') throw new EngineError({ endpoint: at, reason: `${endpoint} is not part of a Swarm: there is no stack to verify`, hint: 'Point DOCKER_HOST (or the docker context) at a manager of the Swarm the stack runs on.' });
  if (!info.Swarm.ControlAvailable) {
    throw new EngineError({ endpoint: at, reason: `${endpoint} is a Swarm worker: only a manager can list the stack's services and run probe services`, hint: `Point DOCKER_HOST (or the docker context) at a manager${info.Swarm.RemoteManagers?.length ? ` (${info.Swarm.RemoteManagers.map((m) => m.Addr).join(', ')})` : ''}.` });
  }
  request.onProgress?.('reading the stack');
  const swept = await wrap(() => sweepProbeServices(docker));
  const expectedNets = [...new Set(Object.values(request.expected?.networks ?? {}).flat())];
  const deadline = Date.now() + (request.deadlineMs ?? 90_000);
  // A stack just deployed or updated has tasks on their way: wait for them (a third of the deadline at most).
  let live = await wrap(() => readLiveStack(docker, request.stack, expectedNets));
  const settleBy = Date.now() + (deadline - Date.now()) / 3;
  while (live.services.length && live.settling.length && Date.now() < settleBy && !request.signal?.aborted) {
    await sleep(1000, request.signal);
    live = await wrap(() => readLiveStack(docker, request.stack, expectedNets));
  }
  if (!live.services.length) throw new StackNotDeployed(`stack "${request.stack}" is not deployed on ${endpoint}: no service carries the label ${STACK_LABEL}=${request.stack} (docker stack ls lists the stacks)`);
  // Nodes that lack a service's image pull it: without consent, the manager must have it (workers cannot be asked).
  const hasImage = await wrap(() => docker.getImage(request.probeImage).inspect().then(() => true, (err: { statusCode?: number }) => (err?.statusCode === 404 ? false : Promise.reject(err))));
  if (!hasImage && !request.allowPull) throw new ProbeImageMissing(request.probeImage);
  const plan = planQuestions(live, request.expected, { sweep: request.sweep === true });
  const nonce = crypto.randomBytes(6).toString('hex');
  const answers: ProbeAnswers = { byNode: new Map(), missing: new Map() };
  const created: string[] = [];
  let incomplete: string | undefined;
  try {
    const probes = await Promise.all(
      Object.entries(plan.questions).map(async ([net, qs], i) => {
        const svc = await wrap(() =>
          docker.createService({
            Name: `dn-probe-${nonce}-${i}`,
            Labels: { [PROBE_LABEL]: `stack:${request.stack}`, [PROBE_OWNER_LABEL]: `${os.hostname()}/${process.pid}`, [PROBE_CREATED_LABEL]: String(Date.now()) },
            TaskTemplate: {
              ContainerSpec: { Image: request.probeImage, Command: ['sh', '-c', PROBE_SCRIPT, 'dnprobe', nonce, ...qs], Env: ['NODE={{.Node.Hostname}}'], Labels: { [PROBE_LABEL]: `stack:${request.stack}` } },
              Networks: [{ Target: live.networkIds[net] }],
              RestartPolicy: { Condition: 'none', MaxAttempts: 0 },
            },
            Mode: { GlobalJob: {} },
          } as Docker.CreateServiceOptions),
        );
        const id = (svc as { id?: string; ID?: string }).id ?? (svc as { ID?: string }).ID ?? '';
        created.push(id);
        return { net, id };
      }),
    );
    // Wait until each probe has a finished task on every node (or the deadline), then read every node's lines.
    const nodeOf = new Map<string, string>();
    for (const n of (await wrap(() => docker.listNodes())) as Array<{ ID: string; Description?: { Hostname?: string } }>) nodeOf.set(n.ID, n.Description?.Hostname ?? n.ID.slice(0, 12));
    const pending = new Set(probes.map((p) => p.id));
    const states = new Map<string, Map<string, { state: string; err?: string }>>();
    while (pending.size && Date.now() < deadline && !request.signal?.aborted) {
      request.onProgress?.(`probing from ${live.nodes.length} node(s): ${probes.length - pending.size}/${probes.length} overlay(s) answered`, (probes.length - pending.size) / Math.max(1, probes.length));
      for (const p of probes) {
        if (!pending.has(p.id)) continue;
        const tasks = (await wrap(() => docker.listTasks({ filters: JSON.stringify({ service: [p.id] }) }))) as RawTask[];
        const byNode = new Map<string, { state: string; err?: string }>();
        for (const t of tasks) byNode.set(nodeOf.get(t.NodeID ?? '') ?? (t.NodeID ?? '?'), { state: t.Status?.State ?? 'unknown', ...(t.Status?.Err ? { err: t.Status.Err } : {}) });
        states.set(p.id, byNode);
        if (live.nodes.every((n) => TERMINAL.has(byNode.get(n)?.state ?? ''))) pending.delete(p.id);
      }
      if (pending.size) await sleep(1000, request.signal);
    }
    request.onProgress?.('reading the answers', 1);
    // The logs: a finished task's lines reach the manager from its node shortly after; ask again until every
    // finished node's "done" line is there (or the deadline).
    for (const p of probes) {
      const nodeStates = states.get(p.id) ?? new Map();
      const expectDone = live.nodes.filter((n) => nodeStates.get(n)?.state === 'complete');
      let parsed = new Map<string, NodeAnswers>();
      for (let attempt = 0; ; attempt++) {
        // follow: false answers with the whole log as one body (dockerode's types only know the stream)
        const raw = await wrap(() => (docker.getService(p.id) as unknown as { logs(o: object): Promise<Buffer | string> }).logs({ stdout: true, stderr: true, follow: false }));
        parsed = parseProbeLogs(demuxLogs(raw), nonce);
        if (expectDone.every((n) => parsed.get(n)?.done) || Date.now() >= deadline || attempt >= 10) break;
        await sleep(500, request.signal);
      }
      for (const node of live.nodes) {
        const got = parsed.get(node);
        if (got) {
          let m = answers.byNode.get(node);
          if (!m) answers.byNode.set(node, (m = new Map()));
          m.set(p.net, got);
        }
        if (!got?.done) {
          const st = nodeStates.get(node);
          const why = !st
            ? `no probe task was scheduled on ${node} within the deadline`
            : st.state === 'complete'
              ? `the probe on ${node} finished but its logs did not reach the manager in time`
              : TERMINAL.has(st.state)
                ? `the probe on ${node} ${st.state}${st.err ? `: ${st.err}` : ''}${/No such image|image/i.test(st.err ?? '') ? ` (the node needs the probe image ${request.probeImage}; set --probe-image to an image every node has)` : ''}`
                : `the probe on ${node} was still ${st.state} at the deadline`;
          let m = answers.missing.get(node);
          if (!m) answers.missing.set(node, (m = new Map()));
          m.set(p.net, why);
        }
      }
    }
    if (request.signal?.aborted) incomplete = 'verification cancelled';
    // Tasks replaced while the probes ran: their addresses still count as B's when a name resolves to them.
    const after = await wrap(() => readLiveStack(docker, request.stack, expectedNets));
    for (const s of live.services) {
      const known = new Set(s.tasks.map((t) => t.id));
      const moved = after.services.find((x) => x.key === s.key)?.tasks.filter((t) => !known.has(t.id)) ?? [];
      if (!moved.length) continue;
      s.passing = {};
      for (const t of moved) for (const [net, a] of Object.entries(t.addresses)) (s.passing[net] ??= []).push(a);
      live.settling.push(...moved.map((t) => `${t.name} started during the run`));
    }
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    incomplete = `lost the engine during the run: ${err.problem.reason}`;
  } finally {
    await Promise.allSettled(created.map((id) => docker.getService(id).remove()));
  }
  return assembleStackReport(request.stack, live, request.expected, plan, answers, { swept, ...(incomplete ? { incomplete } : {}) });
}
