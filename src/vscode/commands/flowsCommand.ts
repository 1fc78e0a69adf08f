// "Record Flows…": who talks to whom in a running compose project for N seconds, against what its file allows:
// flows between services the file keeps apart (connected by hand), and allowed paths nobody used (candidates to close).
import * as vscode from 'vscode';
import { recordProjectFlows } from '../../engine/flowRecording';
import { parseDuration } from '../../traffic/captureOptions';
import { compareFlows, flowsText, type FlowComparison } from '../../traffic/flowsVsModel';
import { SETTINGS } from '../commandIds';
import type { NetworksTreeProvider } from '../networksTree';
import type { ComposeProjects } from '../projects';
import { withCaptureImage } from './captureCommand';
import { cancelled, fail, type CommandResult } from './run';
import { composeFileFor } from './verifyCommand';

export interface FlowsArgs {
  duration?: string;
  allowPull?: boolean;
  quiet?: boolean;
}

/** `onRecorded`: where else the recording shows (the tier diagram of that project draws the observed flows). */
export async function recordFlows(tree: NetworksTreeProvider, projects: ComposeProjects, arg?: unknown, args: FlowsArgs = {}, onRecorded?: (project: string, comparison: FlowComparison, seconds: number) => void): Promise<CommandResult> {
  try {
    const uri = await composeFileFor(tree, arg);
    if (uri === 'cancelled') return cancelled;
    if (!uri) throw new Error('no running compose project found: start one with docker compose up, or open its compose file');
    // Every file of the project read (its .env names the project) before the project is named.
    const analysis = await projects.analysisReady(await vscode.workspace.openTextDocument(uri), 30_000);
    const project = analysis.project.name;
    const text = args.duration ?? (await vscode.window.showInputBox({ title: `Record flows of "${project}"`, prompt: 'For how long? (10s, 1m, …; generate the traffic you care about meanwhile)', value: '30s', validateInput: (v) => (parseDuration(v) ? undefined : 'Write a duration like 30s, 2m or 1500ms (at most 1 hour).') }));
    if (text === undefined) return cancelled;
    const durationMs = parseDuration(text);
    if (!durationMs) throw new Error(`"${text}" is not a duration like 30s or 2m`);
    const image = vscode.workspace.getConfiguration(SETTINGS.section).get<string>(SETTINGS.captureImage, 'nicolaka/netshoot:latest');
    const run = (allowPull: boolean) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Recording flows of "${project}"`, cancellable: true }, (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return recordProjectFlows(tree.engine, project, { durationMs, image, allowPull, signal: abort.signal, onReady: () => progress.report({ message: `listening on every network of the project for ${durationMs / 1000} s` }) });
      });
    const recording = await withCaptureImage(image, args.allowPull === true, 'Pull and Record', "It runs tcpdump on each of the project's networks.", run);
    if (!recording) return cancelled;
    const comparison: FlowComparison = compareFlows(recording.flows, { services: [...analysis.project.services.keys()], canReach: (a, b) => analysis.topology.canReach(a, b) });
    const report = flowsText(comparison, project, durationMs / 1000);
    onRecorded?.(project, comparison, durationMs / 1000);
    if (!args.quiet) {
      const doc = await vscode.workspace.openTextDocument({ content: report, language: 'plaintext' });
      await vscode.window.showTextDocument(doc, { preview: false });
      if (comparison.unexpected.length) void vscode.window.showWarningMessage(`${comparison.unexpected.length} flow(s) in "${project}" between services its compose file keeps apart: something was connected by hand.`);
    }
    return { ok: true, message: `Recorded ${recording.flows.length} flows (${recording.packets} packets) in "${project}"`, value: { comparison, report } };
  } catch (err) {
    return fail('Record flows', err);
  }
}
