// Ping, DNS lookup, TCP port and HTTP checks between containers: output streams into the probes channel,
// each run ends with a summary and can be cancelled. Scripts pass { from, to, ... } and skip the prompts.
import * as vscode from 'vscode';
import { ProbeCancelled, ProbeDeadline, ProbeImageMissing, probeEndText } from '../../engine/exec';
import type { ContainerSummary } from '../../engine/model';
import { parseNslookup, parsePing, DOCKER_EMBEDDED_DNS } from '../../engine/probeOutput';
import { dnsArgv, httpArgv, pingArgv, tcpArgv, validatePortText, validateTarget, validateUrl } from '../../engine/probes';
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
}

export function probeImage(): string {
  return vscode.workspace.getConfiguration(SECTION).get<string>('probeImage', 'busybox:latest');
}

/** Names the source can resolve on its user-defined networks: containers, compose services, aliases. */
function namesSeenFrom(source: ContainerSummary, containers: ContainerSummary[]): vscode.QuickPickItem[] {
  const mine = new Set(source.endpoints.map((e) => e.networkId));
  const items: vscode.QuickPickItem[] = [];
  for (const c of containers) {
    if (c.id === source.id) continue;
    for (const e of c.endpoints) {
      if (!mine.has(e.networkId)) continue;
      const where = `on ${e.networkName}${e.ipv4 ? ` · ${e.ipv4}` : ''}`;
      items.push({ label: c.name, description: where });
      if (c.composeService) items.push({ label: c.composeService, description: `service · ${where}` });
      if (e.ipv4) items.push({ label: e.ipv4, description: `${c.name} ${where}` });
    }
  }
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(i.label) && seen.add(i.label));
}

async function pickTarget(prompt: string, items: vscode.QuickPickItem[], validate: (v: string) => string | undefined): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick();
  qp.title = prompt;
  qp.placeholder = 'A name this container can resolve, an alias, or an address (type your own)';
  qp.items = items;
  return new Promise((resolve) => {
    qp.onDidChangeValue((v) => {
      qp.items = v && !items.some((i) => i.label === v) ? [{ label: v, description: validate(v) ?? 'use this' }, ...items] : items;
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

function summarise(kind: ProbeKind, exitCode: number, output: string, target: string): { ok: boolean; summary: string } {
  if (kind === 'ping') {
    const p = parsePing(output);
    if (/bad address/.test(output)) return { ok: false, summary: `✘ ${target} does not resolve from here (no shared network with that name?)` };
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
    const { containers } = await tree.state();
    const suggestions = namesSeenFrom(source, containers);
    let argv: string[];
    let target: string;
    if (kind === 'http') {
      const url = scripted.url ?? (await pickTarget(`${title} from ${source.name}: URL`, suggestions.map((s) => ({ ...s, label: `http://${s.label}/` })), (v) => validateUrl(v)));
      if (!url) return cancelled as CommandResult<ProbeOutcome>;
      [argv, target] = [httpArgv(url), url];
    } else {
      const to = scripted.to ?? (await pickTarget(`${title} from ${source.name}: to`, suggestions, (v) => validateTarget(v)));
      if (!to) return cancelled as CommandResult<ProbeOutcome>;
      target = to;
      if (kind === 'tcp') {
        const port = scripted.port ?? Number(await vscode.window.showInputBox({ title: `${title}: port on ${to}`, validateInput: (v) => validatePortText(v) }));
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
    const { ok, summary } = summarise(kind, result.exitCode, result.output, target);
    channel.appendLine(`■ ${summary}`);
    channel.appendLine('');
    return { ok: true, message: summary, value: { ok, exitCode: result.exitCode, summary, via: result.via } };
  } catch (err) {
    // Our deadline ending a probe is a timeout ("timed out after 60 s"); "cancelled" is only the user's Cancel.
    channel.appendLine(`✘ ${probeEndText(err)}`);
    return fail(title, err instanceof ProbeDeadline || err instanceof ProbeCancelled ? new Error(probeEndText(err)) : err) as Promise<CommandResult<ProbeOutcome>>;
  }
}
