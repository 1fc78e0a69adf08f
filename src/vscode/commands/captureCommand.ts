// "Capture Traffic…": on a container, a network or a compose service; a duration or a packet count, an optional
// filter, where to save the .pcap; then a readable summary in an editor, and "Open in Wireshark" when it is there.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { captureSites, resolveCaptureTarget, type CaptureTarget } from '../../engine/captureTargets';
import { parseDuration, validateCaptureFilter } from '../../traffic/captureOptions';
import { readPcap } from '../../traffic/pcap';
import { summarize, summaryText } from '../../traffic/summary';
import { SETTINGS } from '../commandIds';
import type { NetworksNode, NetworksTreeProvider } from '../networksTree';
import { cancelled, fail, type CommandResult } from './run';

/** Scripted use (tests, other extensions): every answer given, nothing asked. */
export interface CaptureArgs {
  container?: string;
  network?: string;
  service?: string;
  project?: string;
  duration?: string;
  count?: number;
  filter?: string;
  output?: string;
  /** The user already agreed to pull the capture image. */
  allowPull?: boolean;
  /** Do not open the summary editor (tests read the value instead). */
  quiet?: boolean;
}

export interface CaptureValue {
  file: string;
  summary: string;
  packets: number;
  cancelled: boolean;
}

async function pickTarget(tree: NetworksTreeProvider, node: unknown, args: CaptureArgs): Promise<CaptureTarget | undefined> {
  const n = node as NetworksNode | undefined;
  if (n && typeof n === 'object' && n.kind === 'attachment') return { container: n.attachment.container.name };
  if (n && typeof n === 'object' && n.kind === 'network') return { network: n.network.name };
  if (args.container) return { container: args.container };
  if (args.network) return { network: args.network };
  if (args.service && args.project) return { service: args.service, project: args.project };
  const { containers, networks } = await tree.state();
  const running = containers.filter((c) => c.state === 'running');
  const services = new Map<string, { service: string; project: string }>();
  for (const c of running) if (c.composeProject && c.composeService) services.set(`${c.composeProject}/${c.composeService}`, { service: c.composeService, project: c.composeProject });
  const items: Array<vscode.QuickPickItem & { target?: CaptureTarget }> = [
    { label: 'Compose services', kind: vscode.QuickPickItemKind.Separator },
    ...[...services.values()].map((s) => ({ label: `$(layers) ${s.service}`, description: `service of ${s.project}`, target: s })),
    { label: 'Containers', kind: vscode.QuickPickItemKind.Separator },
    ...running.map((c) => ({ label: `$(vm-running) ${c.name}`, description: c.image, target: { container: c.name } })),
    { label: 'Networks', kind: vscode.QuickPickItemKind.Separator },
    ...networks.filter((x) => x.driver !== 'null' && x.driver !== 'host').map((x) => ({ label: `$(type-hierarchy-sub) ${x.name}`, description: x.driver, target: { network: x.name } })),
  ];
  return (await vscode.window.showQuickPick(items, { placeHolder: 'Capture the traffic of…', matchOnDescription: true }))?.target;
}

async function pickLimit(args: CaptureArgs): Promise<{ durationMs?: number; count?: number } | undefined> {
  if (args.count) return { count: args.count };
  if (args.duration) {
    const ms = parseDuration(args.duration);
    if (ms === undefined) throw new Error(`"${args.duration}" is not a duration like 10s, 2m or 500ms (at most 1 hour).`);
    return { durationMs: ms };
  }
  const pick = await vscode.window.showQuickPick(
    [
      { label: '10 seconds', limit: { durationMs: 10_000 } },
      { label: '30 seconds', limit: { durationMs: 30_000 } },
      { label: '2 minutes', limit: { durationMs: 120_000 } },
      { label: '100 packets', limit: { count: 100 } },
      { label: '1000 packets', limit: { count: 1000 } },
      { label: 'Other duration…', limit: undefined },
    ],
    { placeHolder: 'Capture for how long? (Cancel in the notification stops early and keeps what was captured)' },
  );
  if (!pick) return undefined;
  if (pick.limit) return pick.limit;
  const text = await vscode.window.showInputBox({ prompt: 'Duration, like 45s, 5m or 1500ms (at most 1 hour)', validateInput: (v) => (parseDuration(v) ? undefined : 'Write a number of seconds, or 45s, 5m, 1500ms (at most 1 hour).') });
  return text ? { durationMs: parseDuration(text)! } : undefined;
}

async function pickFilter(args: CaptureArgs): Promise<string | undefined> {
  if (args.filter !== undefined || args.output) return args.filter ?? '';
  return vscode.window.showInputBox({ prompt: 'Capture filter in pcap syntax (optional), e.g. "tcp port 5432" or "icmp or port 53"', placeHolder: 'everything', validateInput: (v) => validateCaptureFilter(v) ?? undefined });
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 60);
}

async function pickOutput(args: CaptureArgs, label: string): Promise<string | undefined> {
  if (args.output) return args.output;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `${slug(label)}-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.pcap`;
  const uri = await vscode.window.showSaveDialog({ saveLabel: 'Capture here', filters: { 'Packet capture': ['pcap'] }, ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}) });
  return uri?.fsPath;
}

/**
 * Runs `run` without pulling; when the capture image is missing, asks once (showing the image) and, on yes, runs
 * it again allowed to pull. Never pulls without consent. Resolves undefined when the user says no.
 */
export async function withCaptureImage<T>(image: string, allowPull: boolean, action: string, why: string, run: (allowPull: boolean) => Thenable<T>): Promise<T | undefined> {
  try {
    return await run(allowPull);
  } catch (err) {
    if (!/is not on the engine/.test((err as Error).message) || allowPull) throw err;
    const answer = await vscode.window.showWarningMessage(`The capture image "${image}" is not on the engine. Pull it now?`, { modal: true, detail: `${why} Change it in the setting "dockerNetworking.captureImage".` }, action);
    return answer === action ? run(true) : undefined;
  }
}

/** Wireshark on PATH, without a shell. */
function wiresharkPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, process.platform === 'win32' ? 'Wireshark.exe' : 'wireshark');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

export async function captureTraffic(tree: NetworksTreeProvider, node?: unknown, args: CaptureArgs = {}): Promise<CommandResult> {
  const title = 'Capture traffic';
  try {
    const target = await pickTarget(tree, node, args);
    if (!target) return cancelled;
    const limit = await pickLimit(args);
    if (!limit) return cancelled;
    const filter = await pickFilter(args);
    if (filter === undefined) return cancelled;
    const problem = filter ? validateCaptureFilter(filter) : undefined;
    if (problem) throw new Error(`invalid filter: ${problem}`);
    const engine = tree.engine;
    const resolved = await resolveCaptureTarget(engine, target);
    const output = await pickOutput(args, resolved.label);
    if (!output) return cancelled;
    const image = vscode.workspace.getConfiguration(SETTINGS.section).get<string>(SETTINGS.captureImage, 'nicolaka/netshoot:latest');
    const run = (allowPull: boolean) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Capturing ${resolved.label}`, cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        progress.report({ message: 'starting tcpdump…' });
        return captureSites(engine, resolved.sites, {
          image,
          ...limit,
          ...(filter ? { filter } : {}),
          allowPull,
          signal: abort.signal,
          owner: 'vscode capture',
          onReady: () => progress.report({ message: limit.durationMs ? `listening for ${limit.durationMs / 1000} s (Cancel stops and keeps what was captured)` : `listening until ${limit.count} packets` }),
        });
      });
    const result = await withCaptureImage(image, args.allowPull === true, 'Pull and Capture', 'It runs tcpdump next to the target, inside its network namespace.', run);
    if (!result) return cancelled;
    fs.writeFileSync(output, result.pcap);
    fs.writeFileSync(`${output}.names.json`, JSON.stringify(resolved.book, null, 2));
    const summary = summarize(readPcap(result.pcap), resolved.book);
    const text = summaryText(summary, `${resolved.label} -> ${output}${result.cancelled ? ' (stopped early)' : ''}`) + `\n${result.reports.join('\n')}\n`;
    if (!args.quiet) {
      const doc = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
      await vscode.window.showTextDocument(doc, { preview: false });
      const wireshark = wiresharkPath();
      const message = `Captured ${summary.packets} packets of ${resolved.label} to ${path.basename(output)}${result.cancelled ? ' (stopped early)' : ''}.`;
      void (wireshark ? vscode.window.showInformationMessage(message, 'Open in Wireshark') : vscode.window.showInformationMessage(message)).then((choice) => {
        if (choice === 'Open in Wireshark' && wireshark) spawn(wireshark, ['-r', output], { detached: true, stdio: 'ignore' }).unref();
      });
    }
    return { ok: true, message: `Captured ${summary.packets} packets to ${output}`, value: { file: output, summary: text, packets: summary.packets, cancelled: result.cancelled } };
  } catch (err) {
    return fail(title, err);
  }
}
