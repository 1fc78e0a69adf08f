// Runs inside the extension host (as extensionTestsPath): edit -> published diagnostics on a 300-service project.
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import { analyze } from '../../src/compose/analyze';
import type { DockerNetworkingApi } from '../../src/vscode/extension';
import { median } from '../measure';

const EDITS = 50;

/**
 * CPU time (user + system, ms) of the processes on this machine whose command line matches, from /proc (Linux; 0
 * elsewhere): the workbench's share of an edit is spent in the browser's renderer and in code-server's own process,
 * and CPU time, unlike wall time, hardly moves with the machine's load.
 */
function processesCpuMs(match: (cmdline: string, pid: number) => boolean): number {
  let ticks = 0;
  let pids: string[] = [];
  try {
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!match(cmdline, Number(pid))) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** CPU so far of: the browser's renderers, code-server's other processes, and this extension host (ms). */
function cpuByRole(): { renderer: number; server: number; extensionHost: number } {
  const own = process.cpuUsage();
  return {
    renderer: processesCpuMs((c) => /chrom/i.test(c) && c.includes('--type=renderer')),
    server: processesCpuMs((c, pid) => pid !== process.pid && /code-server/.test(c) && !/chrom/i.test(c)),
    extensionHost: (own.user + own.system) / 1000,
  };
}

/** Starts sampling this thread's CPU; the returned function stops and gives the profile (Chrome's .cpuprofile). */
async function startProfile(): Promise<() => Promise<object>> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<Record<string, unknown>>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res as Record<string, unknown>))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return async () => {
    const { profile } = await post('Profiler.stop');
    session.disconnect();
    return profile as object;
  };
}

/** Applies `edit` to `document`; the ms from `applyEdit` to the extension host's change event for it. */
async function timeToChange(document: vscode.TextDocument, edit: vscode.WorkspaceEdit): Promise<number> {
  const seen = new Promise<number>((resolve) => {
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === document && e.contentChanges.length) {
        sub.dispose();
        resolve(performance.now());
      }
    });
  });
  const start = performance.now();
  await vscode.workspace.applyEdit(edit);
  return (await seen) - start;
}

/** The benchmark's edit: a typo in (or its correction of) the network name at `at`, so every edit changes a finding. */
function typoEdit(document: vscode.TextDocument, at: number, i: number): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(at), document.positionAt(at + 4)), i % 2 === 0 ? 'nxt1' : 'net1');
  return edit;
}

export async function run(): Promise<void> {
  const out = process.env.DOCKER_NET_HOST_RESULTS!;
  const file = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'compose.yaml');
  const ext = vscode.extensions.getExtension<DockerNetworkingApi>('docker-networking-dev.docker-networking')!;
  const api = await ext.activate();
  const published = () =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no diagnostics published within 30 s')), 30_000);
      const sub = api.diagnostics.onDidPublish((uris) => {
        if (uris.some((u) => u.fsPath === file)) {
          sub.dispose();
          clearTimeout(timer);
          resolve(performance.now());
        }
      });
    });
  // Where the time goes: analyses on the extension host's thread (providers such as code lenses ask for the model)
  // and the worker's round trips, each timed while the edits run.
  const hostAnalyses: number[] = [];
  const workerTrips: number[] = [];
  const projects = api.projects as unknown as Record<string, (...args: unknown[]) => unknown>;
  const analysisFor = projects.analysisFor.bind(api.projects);
  projects.analysisFor = (...args: unknown[]) => {
    const t = performance.now();
    const r = analysisFor(...args);
    const ms = performance.now() - t;
    if (ms > 2) {
      hostAnalyses.push(ms); // a cache hit takes microseconds
      // DN_BENCH_CALLERS=file: who asked for each of them (the first frames of the stack).
      if (process.env.DN_BENCH_CALLERS) fs.appendFileSync(process.env.DN_BENCH_CALLERS, `${ms.toFixed(0)} ${new Error().stack?.split('\n').slice(2, 6).join(' < ')}\n`);
    }
    return r;
  };
  const inBackground = projects.analyzeInBackground.bind(api.projects);
  projects.analyzeInBackground = async (...args: unknown[]) => {
    const t = performance.now();
    const r = await inBackground(...args);
    workerTrips.push(performance.now() - t);
    return r;
  };
  const opened = published(); // subscribe before opening: the first analysis runs as soon as the file opens
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  await opened;
  const latencies: number[] = [];
  // applyEdit goes through the workbench (the browser, for code-server) before the extension host sees the change:
  // that part is not ours, so it is timed apart.
  const toChange: number[] = [];
  /** Of that, how long the extension host's own thread was busy (event loop utilisation, ms). */
  const busyToChange: number[] = [];
  let changedAt = 0;
  const changes = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document === doc && e.contentChanges.length) changedAt = performance.now();
  });
  hostAnalyses.length = 0;
  workerTrips.length = 0;
  const text0 = doc.getText();
  const target = text0.indexOf('networks: [net1,') + 'networks: ['.length;
  // DN_BENCH_HOST_PROFILE=file: a CPU profile of the extension host's own thread over the edit loop.
  const profiler = process.env.DN_BENCH_HOST_PROFILE ? await startProfile() : undefined;
  const cpuBefore = cpuByRole();
  for (let i = 0; i < EDITS; i++) {
    const edit = typoEdit(doc, target, i);
    const done = published();
    const start = performance.now();
    changedAt = 0;
    const elu = performance.eventLoopUtilization();
    await vscode.workspace.applyEdit(edit);
    busyToChange.push(performance.eventLoopUtilization(elu).active);
    const end = await done;
    latencies.push(end - start);
    if (changedAt) toChange.push(changedAt - start);
    // DN_BENCH_GAP_MS=n: pause n ms after each publish, as a person reading the result would, before the next edit.
    if (process.env.DN_BENCH_GAP_MS) await new Promise((r) => setTimeout(r, Number(process.env.DN_BENCH_GAP_MS)));
  }
  const cpuAfter = cpuByRole();
  if (profiler) fs.writeFileSync(process.env.DN_BENCH_HOST_PROFILE!, JSON.stringify(await profiler()));
  const cpuPerEdit = { renderer: (cpuAfter.renderer - cpuBefore.renderer) / EDITS, server: (cpuAfter.server - cpuBefore.server) / EDITS, extensionHost: (cpuAfter.extensionHost - cpuBefore.extensionHost) / EDITS };
  changes.dispose();
  // The same round trip for a plain text file that no extension analyses: the workbench's own floor at this load.
  const plain = await vscode.workspace.openTextDocument({ content: 'x\n'.repeat(100), language: 'plaintext' });
  const plainToChange: number[] = [];
  for (let i = 0; i < 20; i++) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(plain.uri, new vscode.Range(0, 0, 0, 1), i % 2 ? 'x' : 'y');
    plainToChange.push(await timeToChange(plain, edit));
  }
  // The same text as a YAML file that the extension does not analyse (not a compose file name), shown and edited the
  // same way at the same pace: what the workbench itself spends on an edit of this file, without our diagnostics.
  const twinFile = path.join(path.dirname(file), 'twin-of-compose.yaml');
  fs.writeFileSync(twinFile, text0);
  const twin = await vscode.workspace.openTextDocument(twinFile);
  await vscode.window.showTextDocument(twin);
  const pace = median(latencies);
  const twinToChange: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const start = performance.now();
    twinToChange.push(await timeToChange(twin, typoEdit(twin, target, i)));
    const rest = pace - (performance.now() - start);
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  }
  // DN_BENCH_MARKER_VARIANTS=1 (an experiment): the control file given our 300 diagnostics by a collection of the
  // benchmark's own, with parts of each diagnostic left out, each publish followed at once by the next edit.
  const markerVariants: Record<string, number> = {};
  if (process.env.DN_BENCH_MARKER_VARIANTS) {
    const ours = vscode.languages.getDiagnostics(doc.uri);
    for (const variant of ['none', 'plain', 'code', 'related', 'full']) {
      const collection = vscode.languages.createDiagnosticCollection(`bench-${variant}`);
      const times: number[] = [];
      for (let i = 0; i < 30; i++) {
        const list = variant === 'none' ? [] : ours.map((o, k) => {
          const d = new vscode.Diagnostic(o.range, k === 0 ? `${o.message} ${i}` : o.message, o.severity);
          d.source = o.source;
          if (variant === 'code' || variant === 'full') d.code = o.code;
          else if (typeof o.code === 'object') d.code = o.code.value;
          if (variant === 'related' || variant === 'full') d.relatedInformation = o.relatedInformation?.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(twin.uri, r.location.range), r.message));
          return d;
        });
        collection.set(twin.uri, list);
        times.push(await timeToChange(twin, typoEdit(twin, target, i)));
        await new Promise((r) => setTimeout(r, 150));
      }
      collection.dispose();
      markerVariants[variant] = median(times);
    }
  }
  // DN_BENCH_LENS_OFF=1 (an experiment): the compose file's edit loop again with the editor's code lenses off.
  const lensOff: number[] = [];
  if (process.env.DN_BENCH_LENS_OFF) {
    await vscode.workspace.getConfiguration('editor').update('codeLens', false, vscode.ConfigurationTarget.Global);
    await vscode.window.showTextDocument(doc);
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 0; i < 30; i++) {
      const done = published();
      lensOff.push(await timeToChange(doc, typoEdit(doc, target, i)));
      await done;
    }
    await vscode.workspace.getConfiguration('editor').update('codeLens', undefined, vscode.ConfigurationTarget.Global);
  }
  const during = { hostAnalyses: [...hostAnalyses], workerTrips: [...workerTrips], toChange, busyToChange, plainToChange, twinToChange, markerVariants, lensOff, cpuPerEdit };
  // The reference: the bare analysis of the same text, in the same process.
  const text = doc.getText();
  const analyses = Array.from({ length: 11 }, () => {
    const t = performance.now();
    analyze({ dir: path.dirname(file), files: [file], env: {} }, { readFile: () => text });
    return performance.now() - t;
  });
  fs.writeFileSync(out, JSON.stringify({ kind: 'bench', latencies, analysisMs: median(analyses), ...during, passed: 1, failed: 0, skipped: 0, failures: [] }));
}
