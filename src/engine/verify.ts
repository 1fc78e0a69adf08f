// Verify isolation: the reachability the compose file promises against what probes from inside the running
// containers find, for every ordered pair, at three layers (name, address, port: src/engine/probes/layers.ts),
// each probe under its own deadline. Expected: src/engine/probes/expected.ts; the verdicts: probes/report.ts.
// A run that cannot finish (engine lost or frozen, cancelled) says so: it never passes as "isolated".
import { setMaxListeners } from 'events';
import type { Analysis } from '../compose/analyze';
import type { EngineClient } from './client';
import { EngineError } from './errors';
import { ProbeCancelled, ProbeDeadline, ProbeImageMissing, type ExecResult } from './exec';
import { BATCH_MAX_JOBS, batchArgv, batchNoShell, readBatch, stoppedByTimeout } from './probes/batch';
import type { ContainerSummary } from './model';
import { parsePing, toolMissing, toolUnusable } from './probeOutput';
import { pingArgv, tcpArgv, validatePort, validateTarget } from './probes';
import { engineNetworkNames, expectAddress, expectName, modelSide, nameOnSharedNetwork, namesToProbe, peersIsolatedIn, type VerifyNode } from './probes/expected';
import { listeningPorts, parseListening, probeAddress, probeName, probePort, type Listener, type Run } from './probes/layers';
import { assemblePair, countReport, exitStatus, type Check, type EgressResult, type PairResult, type Reach, type VerifyReport } from './probes/report';

export type { Check, EgressResult, Layer, PairResult, Reach, VerifyReport } from './probes/report';
export { exitStatus } from './probes/report';

export interface VerifyOptions {
  probeImage: string;
  /** ADDRESS, ADDRESS:PORT, IPv6 ADDRESS or [ADDRESS]:PORT outside the project's networks. */
  egressTarget?: string;
  /**
   * Sources probed at a time (default 8). Each source's questions of a round run together in one exec (a small
   * `sh` script, see probes/batch.ts); a source without a shell asks them one exec each.
   */
  concurrency?: number;
  /** Each probe's deadline (default 10 s; starting a probe sidecar gets twice that). */
  probeDeadlineMs?: number;
  /** May a missing probe image be pulled? Only with the user's consent. */
  allowPull?: boolean;
  /** Also probe other containers attached to the project's networks. */
  includeForeign?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export class ProjectNotRunning extends Error {}

/** Expected: A reaches B iff they share a network whose containers may talk to each other. */
export function expectedReach(analysis: Analysis, from: string, to: string): Reach {
  return analysis.topology.canReach(from, to) ? 'reachable' : 'isolated';
}

/** Expected egress: a service with at least one network that leads out (not internal, masquerading) has a way out. */
export function expectedEgress(analysis: Analysis, service: string): 'none' | 'allowed' {
  const topology = analysis.topology as Analysis['topology'] & { canEgress?: (s: string) => boolean };
  if (topology.canEgress) return topology.canEgress(service) ? 'allowed' : 'none';
  if (topology.mode(service) === 'host') return 'allowed';
  return topology.networksOf(service).some((n) => !topology.isInternal(n)) ? 'allowed' : 'none';
}

/** ADDRESS, ADDRESS:PORT, IPv6 ADDRESS, [IPv6]:PORT: the egress probe's argv. */
export function egressArgv(target: string): string[] {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(target);
  const [host, port] = bracketed ? [bracketed[1], bracketed[2]] : target.split(':').length > 2 ? [target, undefined] : (target.split(/:(?=\d+$)/) as [string, string | undefined]);
  const problem = validateTarget(host) ?? (port !== undefined ? validatePort(Number(port)) : undefined);
  if (problem) throw new Error(`egress target: ${problem}`);
  return port !== undefined ? tcpArgv(host, Number(port)) : pingArgv(host, 1);
}

async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** An error that says the engine itself may be gone (not a tool's answer). */
function engineTrouble(err: unknown): boolean {
  return err instanceof EngineError || (err instanceof ProbeDeadline && !err.stoppedBy) || /connection to the engine lost|socket hang up|ECONNRESET|EPIPE/i.test((err as Error)?.message ?? '');
}

/** The probe (or its whole round) did not finish in time: on a loaded machine, worth one more try. */
function outOfTime(err: unknown): boolean {
  return err instanceof ProbeDeadline;
}

interface Plan {
  from: VerifyNode;
  to: VerifyNode;
  checks: Array<Check & { ask: () => Promise<void> }>;
}

export async function verifyProject(analysis: Analysis, client: EngineClient, options: VerifyOptions): Promise<VerifyReport> {
  const project = analysis.project.name;
  const deadlineMs = options.probeDeadlineMs ?? 10_000;
  // The run's own stop: a cancel from the caller, or the engine found gone; every probe listens to it.
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // every probe in flight listens to it
  let incomplete: string | undefined;
  const halt = (why: string) => {
    if (incomplete) return;
    incomplete = why;
    stop.abort();
  };
  const onCancel = () => halt('verification cancelled');
  if (options.signal?.aborted) throw new Error('verification cancelled');
  options.signal?.addEventListener('abort', onCancel, { once: true });
  try {
    // Leftovers of a killed run go first (an engine that does not answer stops the run here: exit 2).
    const swept = await client.sweepProbes();
    const [all, networks] = await Promise.all([client.listContainers(), client.listNetworks()]);
    const byService = new Map<string, ContainerSummary>();
    for (const c of all) if (c.composeProject === project && c.composeService && c.state === 'running' && !byService.has(c.composeService)) byService.set(c.composeService, c);
    if (byService.size === 0) throw new ProjectNotRunning(`compose project "${project}" is not running on ${client.endpoint.display} (no running containers labelled com.docker.compose.project=${project}); start it with docker compose up`);

    const skipped: VerifyReport['skipped'] = [];
    const nodes: VerifyNode[] = [];
    const { topology } = analysis;
    const facts = async (c: ContainerSummary) => client.containerFacts(c.id);
    const factsOf = new Map<string, Awaited<ReturnType<typeof facts>>>();
    for (const service of [...analysis.project.services.keys()].sort()) {
      const c = byService.get(service);
      if (!c) skipped.push({ service, reason: 'not running' });
      else if (!topology.hasOwnDnsName(service)) skipped.push({ service, reason: topology.namespaceOwner(service) ? `shares the network namespace of "${topology.namespaceOwner(service)}": probed through it` : `network_mode ${topology.mode(service)}: not on the project's networks` });
      else {
        const f = await facts(c);
        factsOf.set(c.id, f);
        nodes.push({ key: service, foreign: false, containerId: c.id, containerName: c.name, endpoints: c.endpoints.map((e) => ({ network: e.networkName, ...(e.ipv4 ? { ipv4: e.ipv4 } : {}), ...(e.ipv6 ? { ipv6: e.ipv6 } : {}), aliases: f.aliases[e.networkName] ?? [] })), ...(f.hostname ? { hostname: f.hostname } : {}), ...modelSide(analysis, service) });
      }
    }
    if (options.includeForeign) {
      const engineNames = engineNetworkNames(analysis);
      const projectNets = new Set([...networks.filter((n) => n.composeProject === project).map((n) => n.name), ...engineNames.values()]);
      const externalNets = new Set([...engineNames].filter(([key]) => analysis.project.networks.get(key)?.external).map(([, name]) => name));
      for (const c of all) {
        if (c.state !== 'running' || c.composeProject === project || !c.endpoints.some((e) => projectNets.has(e.networkName))) continue;
        const f = await facts(c);
        factsOf.set(c.id, f);
        // Not in the file: it belongs only on the project's external networks (shared with other projects on purpose).
        const on = c.endpoints.map((e) => e.networkName).filter((n) => externalNets.has(n));
        nodes.push({ key: c.name, foreign: true, containerId: c.id, containerName: c.name, endpoints: c.endpoints.map((e) => ({ network: e.networkName, ...(e.ipv4 ? { ipv4: e.ipv4 } : {}), ...(e.ipv6 ? { ipv6: e.ipv6 } : {}), aliases: f.aliases[e.networkName] ?? [] })), ...(f.hostname ? { hostname: f.hostname } : {}), modelNetworks: on, modelNames: new Map(on.map((n) => [n, new Set<string>()])) });
      }
    }
    const peersIsolated = peersIsolatedIn(analysis, new Map(networks.map((n) => [n.name, n.options])));

    // One runner per container: each distinct question asked once (the address layer's connect is often the port
    // layer's too). The questions a source has at one moment (a round) run together as the jobs of one exec.
    // A tool the container lacks (exit 126/127 of a job that ran) or cannot use (ping without NET_RAW) runs in a
    // probe sidecar in its network namespace, one per container, removed at the end; so does everything when the
    // image has no shell to run the jobs (then one exec per question, as the tools are there or not).
    const runners = new Map<string, { memo: Run; fresh: Run }>();
    const sidecars: Array<Promise<{ id: string; close(): Promise<void> }>> = [];
    const base = { probeImage: options.probeImage, signal: stop.signal, owner: project, ...(options.allowPull ? { allowPull: true } : {}) };
    const batchers = new Map<string, (argv: string[], ms: number) => Promise<ExecResult | 'no-shell'>>();
    const batcher = (containerId: string, via: ExecResult['via']) => {
      const known = batchers.get(containerId);
      if (known) return known;
      type Job = { argv: string[]; ms: number; resolve: (r: ExecResult | 'no-shell') => void; reject: (e: unknown) => void };
      let queue: Job[] = [];
      const runChunk = async (jobs: Job[]) => {
        const ms = Math.max(...jobs.map((j) => j.ms));
        try {
          // The jobs run side by side: the script's deadline is one job's; its watchdog stops it a second before
          // (so a stalled tool reads as that job's deadline, and the jobs that finished still answer).
          const timeoutS = Math.max(1, Math.ceil(ms / 1000) - 1);
          // The watchdog counts from the script's start; the engine gets half as long again to start the exec and return
          // the answers on a busy machine, where a late start would otherwise lose a whole round's finished answers.
          const r = await client.probe(containerId, batchArgv(jobs.map((j) => j.argv), timeoutS), { ...base, deadlineMs: Math.round(ms * 1.5), fallback: false });
          if (batchNoShell(r)) return jobs.forEach((j) => j.resolve('no-shell'));
          const answers = readBatch(r.output, jobs.length);
          const where = via === 'exec' ? 'in the container' : 'in a probe container';
          jobs.forEach((j, i) => {
            const x = answers[i];
            if (!x && r.exitCode === 137) j.reject(new ProbeDeadline(j.argv, timeoutS * 1000, where, "the probe script's deadline stopped it"));
            else if (!x) j.reject(new Error(`no answer from ${j.argv[0]}: the probe script ended (exit ${r.exitCode}) before it did${r.output.trim() && !/^\d+[|=]/.test(r.output) ? `: ${r.output.trim().split('\n')[0].slice(0, 160)}` : ''}`));
            else if (stoppedByTimeout(x.exitCode)) j.reject(new ProbeDeadline(j.argv, timeoutS * 1000, where, `stopped by timeout, exit ${x.exitCode}${x.output.trim() ? `: ${x.output.trim().split('\n').pop()!.slice(0, 160)}` : ''}`));
            else j.resolve({ ...x, via });
          });
        } catch (err) {
          jobs.forEach((j) => j.reject(err));
        }
      };
      const flush = () => {
        const jobs = queue;
        queue = [];
        for (let i = 0; i < jobs.length; i += BATCH_MAX_JOBS) void runChunk(jobs.slice(i, i + BATCH_MAX_JOBS));
      };
      const submit = (argv: string[], ms: number) =>
        new Promise<ExecResult | 'no-shell'>((resolve, reject) => {
          // Everything asked in this turn of the event loop goes in one exec.
          if (!queue.length) setImmediate(flush);
          queue.push({ argv, ms, resolve, reject });
        });
      batchers.set(containerId, submit);
      return submit;
    };
    const runnersOf = (node: VerifyNode): { memo: Run; fresh: Run } => {
      const known = runners.get(node.containerId);
      if (known) return known;
      const missing = new Set<string>();
      const asked = new Map<string, Promise<ExecResult>>();
      let noShell = false;
      let sidecar: Promise<{ id: string; close(): Promise<void> }> | undefined;
      const inSidecar = async (argv: string[], ms: number): Promise<ExecResult> => {
        if (!sidecar) {
          sidecar = client.probeSidecar(node.containerId, { ...base, deadlineMs: ms * 2 });
          sidecars.push(sidecar);
        }
        const { id } = await sidecar;
        const r = await batcher(id, 'probe-container')(argv, ms);
        return r === 'no-shell' ? { ...(await client.probe(id, argv, { ...base, deadlineMs: ms, fallback: false })), via: 'probe-container' } : r;
      };
      const direct = async (argv: string[], ms: number): Promise<ExecResult> => {
        if (!noShell) {
          const r = await batcher(node.containerId, 'exec')(argv, ms);
          if (r !== 'no-shell') return r;
          noShell = true;
        }
        return client.probe(node.containerId, argv, { ...base, deadlineMs: ms, fallback: false });
      };
      const ask = async (argv: string[], ms: number, fallback: boolean): Promise<ExecResult> => {
        if (fallback && missing.has(argv[0])) return inSidecar(argv, ms);
        const r = await direct(argv, ms);
        if (!fallback || !(toolMissing(r.exitCode, r.output) || toolUnusable(argv[0], r.exitCode, r.output))) return r;
        missing.add(argv[0]);
        return inSidecar(argv, ms);
      };
      const memo: Run = (argv, { deadlineMs: ms, fallback }) => {
        const key = `${fallback}|${argv.join('\u0000')}`;
        let p = asked.get(key);
        if (!p) asked.set(key, (p = ask(argv, ms, fallback)));
        return p;
      };
      const fresh: Run = (argv, { deadlineMs: ms, fallback }) => ask(argv, ms, fallback);
      const both = { memo, fresh };
      runners.set(node.containerId, both);
      return both;
    };
    const runner = (node: VerifyNode): Run => runnersOf(node).memo;
    const freshRunner = (node: VerifyNode): Run => runnersOf(node).fresh;
    const closeSidecars = () => Promise.allSettled(sidecars.map((s) => s.then((x) => x.close())));

    // When a probe fails in a way that may mean the engine is gone, ask the engine once, under a deadline.
    let engineCheck: Promise<void> | undefined;
    let imageMissing: ProbeImageMissing | undefined;
    const checkEngine = (err: unknown) => {
      // No probe image and no consent to pull one: every fallback would fail the same way; stop and say so.
      if (err instanceof ProbeImageMissing) {
        imageMissing ??= err;
        halt(err.message);
      }
      if (!engineTrouble(err) || incomplete) return Promise.resolve();
      engineCheck ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          halt(`the engine at ${client.endpoint.display} stopped answering during the run (${(err as Error).message})`);
          resolve();
        }, Math.min(deadlineMs, 5_000));
        client.listContainers().then(
          () => {
            clearTimeout(timer);
            engineCheck = undefined;
            resolve();
          },
          (e: Error) => {
            clearTimeout(timer);
            halt(`lost the engine during the run: ${e.message}`);
            resolve();
          },
        );
      });
      return engineCheck;
    };

    const answer = async (check: Check, ask: () => Promise<void>) => {
      if (stop.signal.aborted) return;
      try {
        await ask();
      } catch (err) {
        if (err instanceof ProbeCancelled || stop.signal.aborted) return; // stays 'not-probed'
        check.actual = 'error';
        check.detail = (err as Error).message;
        await checkEngine(err);
      }
    };

    // B's listening sockets, read once per target before the pairs ask for its ports.
    const listening = new Map<string, Listener[] | Error>();
    await pool(nodes, options.concurrency ?? 8, async (b) => {
      if (stop.signal.aborted) return;
      try {
        // Read from this machine's /proc when the engine runs here (no exec), else by `cat` in B's namespace.
        const here = await client.socketTablesHere?.(b.containerId, factsOf.get(b.containerId)?.pid).catch(() => undefined);
        listening.set(b.containerId, here !== undefined ? parseListening(here) : await listeningPorts(runner(b), deadlineMs));
      } catch (err) {
        if (!(err instanceof ProbeCancelled)) listening.set(b.containerId, err as Error);
        await checkEngine(err);
      }
    });

    const plans: Plan[] = [];
    for (const a of nodes) {
      for (const b of nodes) {
        if (a === b) continue;
        const memo = runner(a);
        // A surprising "no" (the file promises it) is asked once more, uncached: a connect or a lookup that timed out
        // on a busy engine must not read as isolation. A "yes" needs no second opinion.
        const fresh = freshRunner(a);
        const checks: Plan['checks'] = [];
        const add = (c: Check, ask: (c: Check, run: Run) => Promise<void>) => {
          const twice = async (x: Check) => {
            try {
              await ask(x, memo);
            } catch (err) {
              // A probe that ran out of time on a busy machine is asked once more, later, before it counts as
              // unanswered; unless the engine itself turns out to be gone (then the run stops here).
              if (!outOfTime(err) || stop.signal.aborted) throw err;
              await checkEngine(err);
              if (stop.signal.aborted) throw err;
              await ask(x, fresh);
            }
            if (x.expected && x.actual === false && !stop.signal.aborted) {
              await ask(x, fresh);
              if (x.actual === false) x.detail += ' (confirmed on a second try)';
            }
          };
          const check = Object.assign(c, { ask: () => answer(check, () => twice(check)) });
          checks.push(check);
        };
        const bAddresses = b.endpoints.flatMap((e) => [e.ipv4, e.ipv6].filter((x): x is string => !!x));
        // The engine's own records answer the name layer when A and B share no network: Docker's DNS answers A only
        // from the networks A is on, so no name can lead to B (unless A's /etc/hosts says otherwise: extra_hosts).
        // Where they do share one, the records also say which of B's names the DNS has there: a name the file does
        // not promise and the records do not have is not asked (on an internal network that would be a wait for a
        // forwarded query nobody answers). A promised name is always asked: a "no" there is a finding.
        const sharedLive = a.endpoints.some((e) => b.endpoints.some((f) => f.network === e.network));
        const svcA = analysis.project.services.get(a.key);
        const ownHosts = a.foreign || (svcA?.extraHosts.length ?? 0) > 0 || (svcA?.links.length ?? 0) > 0;
        for (const name of namesToProbe(b)) {
          const expected = expectName(a, b, name);
          if (!sharedLive && !ownHosts) {
            add({ layer: 'name', target: name, expected, actual: false, detail: `"${name}" cannot lead to ${b.key} from ${a.key}: they share no network (engine records)` }, async () => undefined);
            continue;
          }
          if (!expected && !ownHosts && !nameOnSharedNetwork(a, b, name)) {
            add({ layer: 'name', target: name, expected, actual: false, detail: `"${name}" is not a name of ${b.key} on any network it shares with ${a.key} (engine records)` }, async () => undefined);
            continue;
          }
          add({ layer: 'name', target: name, expected, actual: 'not-probed', detail: 'not probed' }, async (c, run) => {
            const r = await probeName(run, name, bAddresses, deadlineMs);
            c.actual = r.ok;
            c.detail = r.detail;
            c.addresses = (r.addresses ?? []).filter((x) => bAddresses.includes(x));
          });
        }
        const listens = listening.get(b.containerId);
        const f = factsOf.get(b.containerId);
        const ports = [...new Set([...(Array.isArray(listens) ? listens.map((l) => l.port) : []), ...(f?.exposedTcp ?? []), ...(f?.publishedTcp ?? [])])].sort((x, y) => x - y);
        if (listens instanceof Error) add({ layer: 'port', target: '(listening sockets)', expected: false, actual: 'error', detail: `could not read the listening sockets of ${b.key}: ${listens.message}` }, async () => undefined);
        // Every network B is on in the engine, and every one the file promises them both (B may be missing from it).
        const networksOfB = [...new Set([...b.endpoints.map((e) => e.network), ...a.modelNetworks.filter((n) => b.modelNetworks.includes(n))])];
        for (const network of networksOfB) {
          const expected = expectAddress(a, b, network, peersIsolated);
          const ep = b.endpoints.find((e) => e.network === network);
          const addresses = ep ? [ep.ipv4, ep.ipv6].filter((x): x is string => !!x) : [];
          if (!addresses.length) {
            add({ layer: 'address', target: '(none)', network, expected, actual: false, detail: ep ? `${b.key} has no address on ${network}` : `${b.key} is not attached to ${network}` }, async () => undefined);
            continue;
          }
          for (const address of addresses) {
            // Connect where B listens when it does (one question answers both layers), else to a port nobody uses:
            // a refusal proves the address answers as well as an acceptance does.
            const port = ports[0] ?? 9;
            add({ layer: 'address', target: address, network, expected, actual: 'not-probed', detail: 'not probed', addresses: [address] }, async (c, run) => {
              const r = await probeAddress(run, address, port, deadlineMs, !expected);
              c.actual = r.ok;
              c.detail = r.detail;
            });
          }
          const portAddress = ep?.ipv4 ?? ep?.ipv6;
          if (!portAddress) continue;
          for (const port of ports) {
            add({ layer: 'port', target: `${portAddress.includes(':') ? `[${portAddress}]` : portAddress}:${port}`, network, expected, actual: 'not-probed', detail: 'not probed', addresses: [portAddress] }, async (c, run) => {
              const r = await probePort(run, portAddress, port, deadlineMs);
              c.actual = r.ok;
              c.detail = r.detail;
            });
          }
        }
        plans.push({ from: a, to: b, checks });
      }
    }

    const egress: EgressResult[] = nodes.filter((n) => !n.foreign).map((n) => ({ service: n.key, expected: expectedEgress(analysis, n.key), actual: 'not-probed' }));
    const outArgv = options.egressTarget ? egressArgv(options.egressTarget) : undefined;
    // Each source's questions together (one exec per round), sources side by side within the bound.
    const bySource = new Map<VerifyNode, Array<() => Promise<void>>>(nodes.map((n) => [n, []]));
    for (const p of plans) bySource.get(p.from)!.push(...p.checks.map((c) => c.ask));
    if (outArgv) {
      for (const e of egress) {
        const node = nodes.find((n) => n.key === e.service)!;
        e.detail = 'not probed';
        bySource.get(node)!.push(async () => {
          if (stop.signal.aborted) return;
          try {
            const r = await runner(node)(outArgv, { deadlineMs, fallback: true });
            const ping = outArgv[0] === 'ping' ? parsePing(r.output) : undefined;
            const ok = r.exitCode === 0 && (outArgv[0] !== 'ping' || (ping?.received ?? 0) > 0);
            e.actual = ok ? 'allowed' : 'none';
            e.detail = ok ? `reached ${options.egressTarget}` : `could not reach ${options.egressTarget}${r.output.trim() ? `: ${r.output.trim().split('\n').pop()!.slice(0, 160)}` : ''}`;
          } catch (err) {
            if (err instanceof ProbeCancelled || stop.signal.aborted) return;
            [e.actual, e.detail] = ['error', (err as Error).message];
            await checkEngine(err);
          }
        });
      }
    }
    const total = [...bySource.values()].reduce((k, asks) => k + asks.length, 0);
    let done = 0;
    await pool([...bySource.values()], options.concurrency ?? 8, async (asks) => {
      await Promise.all(
        asks.map(async (ask) => {
          await ask();
          options.onProgress?.(++done, total);
        }),
      );
    });
    // An engine that is gone cannot remove them: their own lifetime and the next run's sweep do.
    if (incomplete) void closeSidecars();
    else await closeSidecars();
    if (options.signal?.aborted) throw new Error('verification cancelled');
    // The caller decides: ask the user whether to pull (the extension), or say to pass --pull (the CLI).
    if (imageMissing) throw imageMissing;

    const pairs: PairResult[] = plans.map((p) => {
      const pair = assemblePair(p.from.key, p.to.key, p.checks.map(({ ask: _ask, ...c }) => c), { ...(p.from.span ? { span: p.from.span } : {}), ...(p.from.foreign || p.to.foreign ? { foreign: true } : {}) });
      // An unexpected reach over a network the file does not attach one of them to: that attachment is the fix.
      const stray = new Map<string, { container: string; network: string }>();
      for (const c of pair.checks) {
        if (c.layer === 'name' || c.actual !== true || c.expected || !c.network) continue;
        for (const n of [p.from, p.to]) if (!n.modelNetworks.includes(c.network) && n.endpoints.some((e) => e.network === c.network)) stray.set(`${n.containerName}/${c.network}`, { container: n.containerName, network: c.network });
      }
      return stray.size ? { ...pair, stray: [...stray.values()] } : pair;
    });
    const { mismatches, errors } = countReport(pairs, egress);
    return { project, pairs, egress, skipped, mismatches, errors, swept, ...(incomplete ? { incomplete } : {}) };
  } finally {
    options.signal?.removeEventListener('abort', onCancel);
  }
}

/** 0 nothing mismatches and everything was probed; 1 mismatches; 2 anything unanswered. */
export function verifyExitStatus(report: VerifyReport): 0 | 1 | 2 {
  return exitStatus(report);
}
