// Ping, DNS lookup, TCP port and HTTP checks between containers: output streams into the probes channel,
// each run ends with a summary and can be cancelled. Scripts pass { from, to, ... } and skip the prompts.
import * as vscode from 'vscode';
import { ProbeCancelled, ProbeDeadline, ProbeImageMissing, probeEndText } from '../../engine/exec';
import type { ContainerFacts } from '../../engine/client';
import type { ContainerSummary } from '../../engine/model';
import { parseNslookup, parsePing, DOCKER_EMBEDDED_DNS } from '../../engine/probeOutput';
import { dnsArgv, httpArgv, pingArgv, tcpArgv, validatePortText, validateTarget, validateUrl } from '../../engine/probes';
import { listeningPorts } from '../../engine/probes/layers';
import { containersAnswering, explainFailure, httpUrlOf, probeSuggestions, suggestedPorts, urlHost, type TargetSuggestion } from '../../engine/probeTargets';
import type { NetworksNode, NetworksTreeProvider } from '../networksTree';
import { SECTION } from '../settings';
import { cancelled, fail, type CommandResult } from './run';
import { resolveContainer } from './targets';

export type ProbeKind = 'ping' | 'dns' | 'tcp' | 'http';

const PROBE_DEADLINE_MS = 60_000;

export interface ProbeArgs {
  from?: string;
  to?: string;
  port?: number;
  url?: string;
  count?: number;
  /** Scripts: may a missing probe image be pulled (true), or never, without asking (false)? */
  allowPull?: boolean;
}

export interface ProbeOutcome {
  ok: boolean;
  exitCode: number;
  summary: string;
  via: 'exec' | 'probe-container';
  /** A failed probe: why, in terms of the topology (shared networks, names, state), when the topology explains it. */
  why?: string;
}

export function probeImage(): string {
  return vscode.workspace.getConfiguration(SECTION).get<string>('probeImage', 'busybox:latest');
}

/** The most containers whose aliases a failed probe's explanation reads (one inspect each). */
const MAX_INSPECTED = 200;

/** Facts (aliases, hostname, ports) of these containers, one inspect each, in parallel; a failed inspect is left out. */
async function factsOf(tree: NetworksTreeProvider, containers: ContainerSummary[]): Promise<Map<string, ContainerFacts>> {
  const out = new Map<string, ContainerFacts>();
  await Promise.all(
    containers.slice(0, MAX_INSPECTED).map(async (c) => {
      const facts = await tree.engine.containerFacts(c.id).catch(() => undefined);
      if (facts) out.set(c.id, facts);
    }),
  );
  return out;
}

/** How long reading a target's listening sockets may take before the pick goes on without them. */
const LISTEN_DEADLINE_MS = 4_000;
/** The most targets whose listening sockets the HTTP pick reads (one exec each, in parallel). */
const MAX_LISTEN_READS = 20;

/** The TCP ports a running container listens on (/proc/net/tcp read in it); none when that cannot be read. */
async function listeningOf(tree: NetworksTreeProvider, container: ContainerSummary): Promise<number[]> {
  if (container.state !== 'running') return [];
  const run = (argv: string[], o: { deadlineMs: number }) => tree.engine.probe(container.id, argv, { probeImage: probeImage(), deadlineMs: o.deadlineMs, fallback: false, owner: 'ports' });
  return listeningPorts(run, LISTEN_DEADLINE_MS).then((ls) => [...new Set(ls.map((l) => l.port))], () => []);
}

/** The containers on a network `source` is on (whose names it may resolve). */
function neighbours(source: ContainerSummary, containers: ContainerSummary[]): ContainerSummary[] {
  const mine = new Set(source.endpoints.map((e) => e.networkName));
  return containers.filter((c) => c.id !== source.id && c.endpoints.some((e) => mine.has(e.networkName)));
}

/** HTTP suggestions: each name of a running target, with each port it listens on or exposes (`http://api:3000/`), else port 80. */
function urlSuggestions(names: TargetSuggestion[], ports: Map<string, Array<{ port: number; why: string }>>): vscode.QuickPickItem[] {
  const items: vscode.QuickPickItem[] = [];
  for (const n of names.filter((s) => s.running)) {
    const host = n.label.includes(':') ? `[${n.label}]` : n.label;
    const offered = ports.get(n.containerId) ?? [];
    if (!offered.length) items.push({ label: `http://${host}/`, description: n.description });
    for (const { port, why } of offered) items.push({ label: port === 80 ? `http://${host}/` : `http://${host}:${port}/`, description: `${n.description} · ${port} ${why}` });
  }
  return items;
}

/** Ports each running neighbour offers (listening, exposed, published): one exec each, bounded. */
async function portsOf(tree: NetworksTreeProvider, containers: ContainerSummary[], facts: Map<string, ContainerFacts>): Promise<Map<string, Array<{ port: number; why: string }>>> {
  const running = containers.filter((c) => c.state === 'running').slice(0, MAX_LISTEN_READS);
  const listening = await Promise.all(running.map((c) => listeningOf(tree, c)));
  return new Map(running.map((c, i) => [c.id, suggestedPorts(facts.get(c.id), listening[i])]));
}

async function pickTarget(prompt: string, items: vscode.QuickPickItem[], validate: (v: string) => string | undefined, placeholder: string, meaning: (v: string) => string = () => 'use this'): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick();
  qp.title = prompt;
  qp.placeholder = placeholder;
  qp.items = items;
  qp.matchOnDescription = true;
  return new Promise((resolve) => {
    qp.onDidChangeValue((v) => {
      qp.items = v && !items.some((i) => i.label === v) ? [{ label: v, description: validate(v) ?? meaning(v), alwaysShow: true }, ...items] : items;
    });
    qp.onDidAccept(() => {
      const v = qp.selectedItems[0]?.label ?? qp.value;
      const problem = validate(v);
      if (problem) {
        qp.placeholder = problem; // QuickPick has no validation message in our minimum VS Code
        return;
      }
      resolve(v);
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

function summarise(kind: ProbeKind, exitCode: number, output: string, target: string, from: string): { ok: boolean; summary: string } {
  if (kind === 'ping') {
    const p = parsePing(output);
    if (/bad address/.test(output)) return { ok: false, summary: `✘ ${target} does not resolve from ${from}` };
    if (!p) return { ok: exitCode === 0, summary: `${exitCode === 0 ? '✔' : '✘'} ping exited ${exitCode}` };
    return { ok: p.received > 0, summary: `${p.sent} sent, ${p.received} received, ${p.lossPercent}% loss${p.avgMs !== undefined ? `, avg ${p.avgMs} ms` : ''}` };
  }
  if (kind === 'dns') {
    const a = parseNslookup(output);
    const resolver = a.server === DOCKER_EMBEDDED_DNS ? "Docker's embedded DNS (127.0.0.11)" : a.server ? `resolver ${a.server}` : 'unknown resolver';
    return a.addresses.length ? { ok: true, summary: `${target} → ${a.addresses.join(', ')} (from ${resolver})` } : { ok: false, summary: `✘ ${target} does not resolve (asked ${resolver})` };
  }
  if (kind === 'tcp') return exitCode === 0 ? { ok: true, summary: `✔ ${target} accepts connections` } : { ok: false, summary: `✘ ${target} refused or timed out` };
  const status = /HTTP\/\S+ (\d{3})/.exec(output)?.[1];
  return { ok: exitCode === 0, summary: `${exitCode === 0 ? '✔' : '✘'} ${target}${status ? ` answered HTTP ${status}` : ' did not answer'}` };
}

/** The topology's explanation of a failed probe; reads every running container's aliases (bounded) to find who answers to the name. */
async function whyItFailed(tree: NetworksTreeProvider, source: ContainerSummary, host: string, containers: ContainerSummary[], networks: Parameters<typeof explainFailure>[3], known: Map<string, ContainerFacts>, port?: number): Promise<string | undefined> {
  const missing = containers.filter((c) => c.state === 'running' && !known.has(c.id));
  const facts = new Map([...known, ...(await factsOf(tree, missing))]);
  const aliasesOf = (id: string) => facts.get(id)?.aliases;
  const target = containersAnswering(host, containers, aliasesOf).find((c) => c.id !== source.id);
  const ports = port === undefined || !target ? undefined : { port, exposed: suggestedPorts(facts.get(target.id), await listeningOf(tree, target)).map((p) => p.port) };
  return explainFailure(source, host, containers, networks, aliasesOf, ports);
}

export async function runProbeCommand(kind: ProbeKind, tree: NetworksTreeProvider, channel: vscode.OutputChannel, arg?: unknown, args: ProbeArgs = {}): Promise<CommandResult<ProbeOutcome>> {
  const title = { ping: 'Ping', dns: 'DNS lookup', tcp: 'Check port', http: 'HTTP check' }[kind];
  try {
    const node = arg as NetworksNode | undefined;
    const scripted = typeof arg === 'object' && arg !== null && !('kind' in arg) ? (arg as ProbeArgs) : args;
    const source =
      node && typeof node === 'object' && node.kind === 'attachment'
        ? node.attachment.container
        : await resolveContainer(tree, scripted.from, `${title}: from which container?`, (c) => c.state === 'running');
    if (!source) return cancelled as CommandResult<ProbeOutcome>;
    const { containers, networks } = await tree.state();
    const interactive = kind === 'http' ? scripted.url === undefined : scripted.to === undefined;
    // Aliases (service names, hostnames included) and ports of the containers the source may reach: one inspect each.
    const facts = interactive ? await factsOf(tree, neighbours(source, containers)) : new Map<string, ContainerFacts>();
    const aliasesOf = (id: string) => facts.get(id)?.aliases;
    const suggestions = interactive ? probeSuggestions(source, containers, networks, aliasesOf) : [];
    let argv: string[];
    let target: string;
    let host: string;
    let port: number | undefined;
    if (kind === 'http') {
      const typed =
        scripted.url ??
        (await pickTarget(`${title} from ${source.name}: URL`, urlSuggestions(suggestions, await portsOf(tree, neighbours(source, containers), facts)), (v) => validateUrl(httpUrlOf(v)), 'A URL, or a name (lb means http://lb/, lb:8080 means http://lb:8080/)', (v) => `means ${httpUrlOf(v)}`));
      if (!typed) return cancelled as CommandResult<ProbeOutcome>;
      // A bare name is a URL too: `lb` is http://lb/, `lb:8080` is http://lb:8080/.
      const url = httpUrlOf(typed);
      [argv, target, host] = [httpArgv(url), url, urlHost(url) ?? url];
    } else {
      const items = suggestions.map(({ label, description }) => ({ label, description }));
      const to = scripted.to ?? (await pickTarget(`${title} from ${source.name}: to`, items, (v) => validateTarget(v), 'A name this container can resolve, an alias, or an address (type your own)'));
      if (!to) return cancelled as CommandResult<ProbeOutcome>;
      [target, host] = [to, to];
      if (kind === 'tcp') {
        if (scripted.port === undefined) {
          // The ports the target exposes or publishes, then any the user types.
          const answering = containersAnswering(to, containers, aliasesOf).find((c) => c.id !== source.id);
          const ports = answering ? suggestedPorts(facts.get(answering.id), await listeningOf(tree, answering)) : [];
          const typed = await pickTarget(`${title} from ${source.name}: port on ${to}`, ports.map((p) => ({ label: String(p.port), description: `${answering!.name}: ${p.why}` })), (v) => validatePortText(v), 'A TCP port (1-65535)');
          port = typed === undefined ? undefined : Number(typed.trim());
        } else port = scripted.port;
        if (!port) return cancelled as CommandResult<ProbeOutcome>;
        [argv, target] = [tcpArgv(to, port), `${to}:${port}`];
      } else argv = kind === 'ping' ? pingArgv(to, scripted.count ?? 4) : dnsArgv(to);
    }
    channel.show(true);
    channel.appendLine(`▶ ${argv[0] === 'nc' ? 'tcp' : argv[0] === 'wget' ? 'http' : argv[0]} from ${source.name} to ${target}`);
    const attempt = (allowPull: boolean) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${title} from ${source.name} to ${target}`, cancellable: true }, async (_p, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        // The probe's own deadline: a tool without a timeout option, or an engine that stalls, cannot hang the command.
        return tree.engine.probe(source.id, argv, { probeImage: probeImage(), signal: abort.signal, deadlineMs: PROBE_DEADLINE_MS, owner: kind, onOutput: (s) => channel.append(s), ...(allowPull ? { allowPull } : {}) });
      });
    const result = await Promise.resolve(attempt(scripted.allowPull === true)).catch(async (err: unknown) => {
      if (!(err instanceof ProbeImageMissing) || scripted.allowPull !== undefined) throw err;
      // The container lacks the tool and the probe image is not on the engine: pull it only if the user says so.
      const pull = `Pull ${err.image}`;
      if ((await vscode.window.showWarningMessage(`${argv[0]} is not in ${source.name}'s image. Run it from "${err.image}", which is not on the engine: pull it from its registry?`, { modal: true }, pull)) !== pull) throw err;
      return attempt(true);
    });
    if (result.exitCode === 130) {
      channel.appendLine('✘ cancelled');
      return { ok: false, message: 'Cancelled.', value: { ok: false, exitCode: 130, summary: 'cancelled', via: result.via } };
    }
    const { ok, summary } = summarise(kind, result.exitCode, result.output, target, source.name);
    // The summary line carries its verdict first, so the channel's grammar colours success and failure apart.
    channel.appendLine(`■ ${ok ? '✔' : '✘'} ${summary.replace(/^[✔✘] /, '')}`);
    const why = ok ? undefined : await whyItFailed(tree, source, host, containers, networks, facts, port);
    if (why) channel.appendLine(`  ↳ ${why}`);
    channel.appendLine('');
    return { ok: true, message: why ? `${summary}: ${why}` : summary, value: { ok, exitCode: result.exitCode, summary, via: result.via, ...(why ? { why } : {}) } };
  } catch (err) {
    // Our deadline ending a probe is a timeout ("timed out after 60 s"); "cancelled" is only the user's Cancel.
    channel.appendLine(`✘ ${probeEndText(err)}`);
    return fail(title, err instanceof ProbeDeadline || err instanceof ProbeCancelled ? new Error(probeEndText(err)) : err) as Promise<CommandResult<ProbeOutcome>>;
  }
}
