// Verify isolation: the reachability the compose file promises, against what probes from inside the running
// containers find. Expected comes from the analyzer's model; actual from ping by name, pair by pair.
import type { Analysis } from '../compose/analyze';
import type { Span } from '../compose/types';
import type { EngineClient } from './client';
import type { ContainerSummary } from './model';
import { parsePing } from './probeOutput';
import { pingArgv, tcpArgv, validatePort, validateTarget } from './probes';

export type Reach = 'reachable' | 'isolated';

export interface PairResult {
  from: string;
  to: string;
  expected: Reach;
  actual: Reach | 'error';
  detail: string;
  /** Where the file decides it: the source service's declaration. */
  span?: Span;
}

export interface EgressResult {
  service: string;
  expected: 'none' | 'allowed';
  actual: 'none' | 'allowed' | 'error' | 'not-probed';
  detail?: string;
}

export interface VerifyReport {
  project: string;
  pairs: PairResult[];
  egress: EgressResult[];
  mismatches: number;
}

export interface VerifyOptions {
  probeImage: string;
  /** ADDRESS or ADDRESS:PORT outside the project's networks. */
  egressTarget?: string;
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export class ProjectNotRunning extends Error {}

/** Expected: A reaches B by name iff they share a network on which B answers to its service name. */
export function expectedReach(analysis: Analysis, from: string, to: string): Reach {
  return analysis.topology.canReach(from, to) ? 'reachable' : 'isolated';
}

/** Expected egress: a service with at least one non-internal network has a way out. */
export function expectedEgress(analysis: Analysis, service: string): 'none' | 'allowed' {
  const { topology } = analysis;
  if (topology.mode(service) === 'host') return 'allowed';
  return topology.networksOf(service).some((n) => !topology.isInternal(n)) ? 'allowed' : 'none';
}

async function pool<T>(items: T[], limit: number, signal: AbortSignal | undefined, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function explainMismatch(analysis: Analysis, pair: PairResult, containers: Map<string, ContainerSummary>): string {
  const { topology } = analysis;
  const shared = topology.shared(pair.from, pair.to);
  if (pair.expected === 'reachable') return `the file puts them on ${shared.join(', ')}, but "${pair.to}" did not answer from "${pair.from}": ${pair.detail}`;
  const a = containers.get(pair.from)?.endpoints.map((e) => e.networkName) ?? [];
  const b = containers.get(pair.to)?.endpoints.map((e) => e.networkName) ?? [];
  const live = a.filter((n) => b.includes(n));
  return `the file gives them no shared network, but "${pair.from}" reached "${pair.to}" by name${live.length ? `: the running containers share ${live.join(', ')} (connected outside the compose file?)` : ''}`;
}

export async function verifyProject(analysis: Analysis, client: EngineClient, options: VerifyOptions): Promise<VerifyReport> {
  const project = analysis.project.name;
  const all = await client.listContainers();
  const running = new Map<string, ContainerSummary>();
  for (const c of all) if (c.composeProject === project && c.composeService && c.state === 'running' && !running.has(c.composeService)) running.set(c.composeService, c);
  if (running.size === 0) throw new ProjectNotRunning(`compose project "${project}" is not running on ${client.endpoint.display} (no running containers labelled com.docker.compose.project=${project}); start it with docker compose up`);
  // Services with their own DNS name, running: namespace tenants are probed through their owner.
  const services = [...analysis.project.services.keys()].filter((s) => running.has(s) && analysis.topology.hasOwnDnsName(s)).sort();
  const pairs: PairResult[] = [];
  for (const from of services) for (const to of services) if (from !== to) pairs.push({ from, to, expected: expectedReach(analysis, from, to), actual: 'error', detail: '', span: analysis.project.services.get(from)!.nameSpan });
  const egress: EgressResult[] = services.map((service) => ({ service, expected: expectedEgress(analysis, service), actual: 'not-probed' }));
  let egressArgv: string[] | undefined;
  if (options.egressTarget) {
    const [host, port] = options.egressTarget.split(/:(?=\d+$)/);
    const problem = validateTarget(host) ?? (port ? validatePort(Number(port)) : undefined);
    if (problem) throw new Error(`egress target: ${problem}`);
    egressArgv = port ? tcpArgv(host, Number(port)) : pingArgv(host, 1);
  }
  const total = pairs.length + (egressArgv ? egress.length : 0);
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);
  const jobs: Array<() => Promise<void>> = [
    ...pairs.map((p) => async () => {
      try {
        const r = await client.probe(running.get(p.from)!.id, pingArgv(p.to, 1), { probeImage: options.probeImage, ...(options.signal ? { signal: options.signal } : {}) });
        const ping = parsePing(r.output);
        if (/bad address|unknown host|Name or service not known/i.test(r.output)) [p.actual, p.detail] = ['isolated', `"${p.to}" does not resolve from "${p.from}"`];
        else if (r.exitCode === 0 && ping && ping.received > 0) [p.actual, p.detail] = ['reachable', `ping by name answered${ping.avgMs !== undefined ? ` in ${ping.avgMs} ms` : ''}`];
        else if (ping) [p.actual, p.detail] = ['isolated', `"${p.to}" resolves but did not answer (${ping.lossPercent}% loss)`];
        else [p.actual, p.detail] = ['error', r.output.trim().split('\n').pop() ?? `exit ${r.exitCode}`];
      } catch (err) {
        [p.actual, p.detail] = ['error', (err as Error).message];
      }
      tick();
    }),
    ...(egressArgv
      ? egress.map((e) => async () => {
          try {
            const r = await client.probe(running.get(e.service)!.id, egressArgv!, { probeImage: options.probeImage, ...(options.signal ? { signal: options.signal } : {}) });
            e.actual = r.exitCode === 0 ? 'allowed' : 'none';
            e.detail = r.exitCode === 0 ? `reached ${options.egressTarget}` : `could not reach ${options.egressTarget}`;
          } catch (err) {
            [e.actual, e.detail] = ['error', (err as Error).message];
          }
          tick();
        })
      : []),
  ];
  await pool(jobs, options.concurrency ?? 4, options.signal, (job) => job());
  if (options.signal?.aborted) throw new Error('verification cancelled');
  for (const p of pairs) if (p.actual !== 'error' && p.actual !== p.expected) p.detail = explainMismatch(analysis, p, running);
  const mismatches = pairs.filter((p) => p.actual !== p.expected).length + egress.filter((e) => e.actual !== 'not-probed' && e.actual !== e.expected).length;
  return { project, pairs, egress, mismatches };
}
