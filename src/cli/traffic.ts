// compose-net capture | flows | exposure: what the running project really sends and exposes.
//   compose-net capture (--container NAME | --service NAME [--project-name P] | --network NAME)
//                       [--duration 10s | --count N] [--filter EXPR] [--capture-image IMAGE] [--pull] -o FILE.pcap [PATH]
//   compose-net capture --summary FILE.pcap [--format text|json]
//   compose-net flows [-f FILE]... [--project-name NAME] --duration 10s [--capture-image IMAGE] [--pull] [--format text|json] [PATH]
//   compose-net exposure [-f FILE]... [--project-name NAME] [--probe-image IMAGE] [--format text|json] [PATH]
// Exit status: capture 0 written; flows 0 nothing unexpected, 1 a flow the file keeps apart; exposure 0 listed;
// 2 the command could not run (engine unreachable, no such target, capture failed). Never 0 for a run that did not finish.
import * as fs from 'fs';
import * as path from 'path';
import type { Analysis } from '../compose/analyze';
import { normalizeProjectName } from '../compose/project';
import { escapeTerminal } from '../shared/escape';
import { compareFlows, flowsText } from '../traffic/flowsVsModel';
import { exposureReport, exposureText, FIREWALL_REMINDER, type DeclaredPort, type RunningPort } from '../traffic/exposure';
import { parseDuration, validateCaptureFilter } from '../traffic/captureOptions';
import { readPcap } from '../traffic/pcap';
import { parseProcNetSockets } from '../traffic/sockets';
import { summarize, summaryText, type AddressBook } from '../traffic/summary';

export class TrafficUsageError extends Error {}

/** What main.ts lends: its shared parser (-f, -o, --format, --project-name, --probe-image, PATH) and the analyzer. */
export interface TrafficDeps {
  parseArgs(argv: string[]): { files: string[]; dir: string; output?: string; projectName?: string; probeImage?: string; format: string };
  analyzeArgs(args: ReturnType<TrafficDeps['parseArgs']>): Analysis;
}

interface TrafficArgs {
  container?: string;
  service?: string;
  network?: string;
  durationMs?: number;
  count?: number;
  filter?: string;
  captureImage?: string;
  pull: boolean;
  summary?: string;
  rest: string[];
}

const DEFAULT_PROBE_IMAGE = 'busybox:latest';

function parseTrafficArgs(argv: string[]): TrafficArgs {
  const out: TrafficArgs = { pull: false, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new TrafficUsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--container') out.container = value();
    else if (flag === '--service') out.service = value();
    else if (flag === '--network') out.network = value();
    else if (flag === '--duration') {
      const v = value();
      out.durationMs = parseDurationOrThrow(v);
    } else if (flag === '--count') {
      const v = value();
      if (!/^\d{1,7}$/.test(v) || Number(v) < 1) throw new TrafficUsageError(`--count needs a number of packets (1-9999999), not "${v}"`);
      out.count = Number(v);
    } else if (flag === '--filter') out.filter = value();
    else if (flag === '--capture-image') out.captureImage = value();
    else if (flag === '--pull') out.pull = true;
    else if (flag === '--summary') out.summary = value();
    else out.rest.push(a);
  }
  return out;
}

function parseDurationOrThrow(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new TrafficUsageError(`--duration needs a time up to 1 hour like 10s, 2m or 500ms, not "${text}"`);
  return ms;
}

/** Multi-line text for a terminal: each line's control characters shown as escapes, the line breaks kept. */
function forTerminal(text: string): string {
  return text.split('\n').map(escapeTerminal).join('\n');
}

function captureImage(args: TrafficArgs): string {
  return args.captureImage ?? process.env.DOCKER_NET_CAPTURE_IMAGE ?? 'nicolaka/netshoot:latest';
}

/** Ctrl-C ends a capture early and keeps what it has; a second Ctrl-C is Node's default (exit). */
function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onInt = () => {
    process.removeListener('SIGINT', onInt);
    controller.abort();
  };
  process.on('SIGINT', onInt);
  return { signal: controller.signal, dispose: () => process.removeListener('SIGINT', onInt) };
}

function readCaptureFile(file: string): Buffer {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) throw new TrafficUsageError(`no such file: ${file}`);
  if (!stat.isFile()) throw new TrafficUsageError(`${file} is not a regular file`);
  if (stat.size > 1024 * 1024 * 1024) throw new TrafficUsageError(`${file} is larger than 1 GiB: summarise a shorter capture`);
  return fs.readFileSync(file);
}

/** The address book written beside a capture, so a summary later names what the engine had then. */
export function namesFileOf(pcapFile: string): string {
  return `${pcapFile}.names.json`;
}

function readNames(pcapFile: string): AddressBook {
  try {
    const parsed = JSON.parse(fs.readFileSync(namesFileOf(pcapFile), 'utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object') return {};
    const book: AddressBook = Object.create(null) as AddressBook;
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (v && typeof v === 'object' && typeof (v as { container?: unknown }).container === 'string') book[k] = v as AddressBook[string];
    }
    return book;
  } catch {
    return {};
  }
}

function formatOf(rest: string[], deps: TrafficDeps): 'text' | 'json' {
  const f = deps.parseArgs(rest).format;
  if (f !== 'text' && f !== 'json') throw new TrafficUsageError(`unknown format "${f}": use text or json`);
  return f;
}

export async function captureCommand(argv: string[], out: NodeJS.WritableStream, deps: TrafficDeps): Promise<number> {
  const args = parseTrafficArgs(argv);
  if (args.summary) {
    const format = formatOf(args.rest, deps);
    const summary = summarize(readPcap(readCaptureFile(args.summary)), readNames(args.summary));
    out.write(format === 'json' ? `${JSON.stringify(summary, null, 2)}\n` : forTerminal(summaryText(summary, path.basename(args.summary))));
    return summary.error && summary.packets === 0 ? 2 : 0;
  }
  const common = deps.parseArgs(args.rest);
  const targets = [args.container, args.service, args.network].filter((x) => x !== undefined).length;
  if (targets !== 1) throw new TrafficUsageError('name exactly one of --container, --service or --network');
  if (!common.output) throw new TrafficUsageError('name the .pcap to write with -o FILE.pcap');
  if (!args.durationMs && !args.count) throw new TrafficUsageError('give --duration (e.g. 10s) or --count N');
  if (args.filter) {
    const problem = validateCaptureFilter(args.filter);
    if (problem) throw new TrafficUsageError(`invalid --filter: ${problem}`);
  }
  const { createEngineClient } = await import('../engine/dockerodeClient');
  const { resolveCaptureTarget, captureSites } = await import('../engine/captureTargets');
  const engine = createEngineClient(undefined);
  await (await engine.traffic?.())?.sweep();
  const project = args.service ? (common.projectName ?? normalizeProjectName(deps.analyzeArgs(common).project.name)) : '';
  const target = args.container ? { container: args.container } : args.service ? { service: args.service, project } : { network: args.network! };
  const resolved = await resolveCaptureTarget(engine, target);
  const interrupt = interruptSignal();
  process.stderr.write(`capturing ${escapeTerminal(resolved.label)} (${resolved.sites.map((s) => escapeTerminal(s.what)).join(', ')}) ${args.durationMs ? `for ${args.durationMs / 1000} s` : `until ${args.count} packets`}; Ctrl-C stops early\n`);
  try {
    const run = await captureSites(engine, resolved.sites, {
      image: captureImage(args),
      ...(args.durationMs ? { durationMs: args.durationMs } : {}),
      ...(args.count ? { count: args.count } : {}),
      ...(args.filter ? { filter: args.filter } : {}),
      allowPull: args.pull,
      signal: interrupt.signal,
      owner: 'compose-net capture',
      onReady: () => process.stderr.write('listening\n'),
    });
    fs.writeFileSync(common.output, run.pcap);
    fs.writeFileSync(namesFileOf(common.output), JSON.stringify(resolved.book, null, 2));
    const summary = summarize(readPcap(run.pcap), resolved.book);
    const format = common.format === 'json' ? 'json' : 'text';
    if (format === 'json') out.write(`${JSON.stringify({ file: common.output, cancelled: run.cancelled, truncated: run.truncated, tcpdump: run.reports, ...summary }, null, 2)}\n`);
    else out.write(forTerminal(summaryText(summary, `${resolved.label} -> ${common.output}`)));
    process.stderr.write(`${forTerminal(run.reports.join('\n'))}\n`);
    if (run.truncated) process.stderr.write('the capture reached its size limit and was stopped early\n');
    // Ctrl-C is the user's choice: the file is written and complete up to then; say so, and do not claim success.
    return run.cancelled ? 130 : 0;
  } finally {
    interrupt.dispose();
  }
}

export async function flowsCommand(argv: string[], out: NodeJS.WritableStream, deps: TrafficDeps): Promise<number> {
  const args = parseTrafficArgs(argv);
  const common = deps.parseArgs(args.rest);
  const format = formatOf(args.rest, deps);
  if (!args.durationMs) throw new TrafficUsageError('give --duration (e.g. 10s): how long to record');
  const analysis = deps.analyzeArgs(common);
  const project = common.projectName ?? normalizeProjectName(analysis.project.name);
  const { createEngineClient } = await import('../engine/dockerodeClient');
  const { recordProjectFlows } = await import('../engine/flowRecording');
  const engine = createEngineClient(undefined);
  await (await engine.traffic?.())?.sweep();
  const interrupt = interruptSignal();
  process.stderr.write(`recording the networks of project "${escapeTerminal(project)}" for ${args.durationMs / 1000} s\n`);
  try {
    const recording = await recordProjectFlows(engine, project, { image: captureImage(args), durationMs: args.durationMs, allowPull: args.pull, signal: interrupt.signal, onReady: () => process.stderr.write('listening\n') });
    const flows = recording.flows;
    const services = [...analysis.project.services.keys()];
    const comparison = compareFlows(flows, { services, canReach: (a, b) => analysis.topology.canReach(a, b) });
    if (format === 'json') out.write(`${JSON.stringify({ project, seconds: args.durationMs / 1000, networks: recording.networks, packets: recording.packets, ...comparison }, null, 2)}\n`);
    else out.write(forTerminal(flowsText(comparison, project, args.durationMs / 1000)));
    return comparison.unexpected.length ? 1 : 0;
  } finally {
    interrupt.dispose();
  }
}

export async function exposureCommand(argv: string[], out: NodeJS.WritableStream, deps: TrafficDeps): Promise<number> {
  const args = parseTrafficArgs(argv);
  const common = deps.parseArgs(args.rest);
  const format = formatOf(args.rest, deps);
  const analysis = deps.analyzeArgs(common);
  const project = common.projectName ?? normalizeProjectName(analysis.project.name);
  const { createEngineClient } = await import('../engine/dockerodeClient');
  const engine = createEngineClient(undefined);
  await (await engine.traffic?.())?.sweep();
  const containers = (await engine.listContainers()).filter((c) => c.composeProject === project && c.state === 'running');
  if (!containers.length) throw new Error(`compose project "${project}" has no running container on ${engine.endpoint.display}: start it or name it with --project-name`);
  const running: RunningPort[] = containers.flatMap((c) =>
    (c.published ?? []).map((p) => ({ service: c.composeService ?? c.name, container: c.name, hostIp: p.hostIp, hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol })),
  );
  const declared: DeclaredPort[] = [...analysis.project.services.values()].flatMap((s) =>
    s.ports.map((p) => ({ service: s.name, text: p.raw || [p.hostIp, p.published, p.target].filter(Boolean).join(':'), ...(p.hostIp ? { hostIp: p.hostIp } : {}), ...(p.published ? { published: p.published } : {}), ...(p.target ? { target: p.target } : {}), ...(p.protocol ? { protocol: p.protocol } : {}) })),
  );
  const tables = await (await engine.traffic?.())?.hostSocketTables(common.probeImage ?? process.env.DOCKER_NET_PROBE_IMAGE ?? DEFAULT_PROBE_IMAGE);
  const entries = exposureReport(running, declared, tables ? parseProcNetSockets(tables) : undefined);
  if (format === 'json') out.write(`${JSON.stringify({ project, endpoint: engine.endpoint.display, ports: entries, ...(entries.some((e) => e.all_interfaces) ? { note: FIREWALL_REMINDER } : {}) }, null, 2)}\n`);
  else out.write(forTerminal(exposureText(entries, project)));
  return 0;
}
