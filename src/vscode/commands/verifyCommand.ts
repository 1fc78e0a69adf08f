// Verify isolation of a running compose project: from its compose file (editor title, explorer), its project node
// in the Networks view, or the palette (pick among the running projects). A missing probe image is pulled only
// after the user says yes; a run that could not finish says so and never reads as "isolated".
import * as vscode from 'vscode';
import { ProbeImageMissing } from '../../engine/exec';
import { ProjectNotRunning, verifyProject, exitStatus, type VerifyReport } from '../../engine/verify';
import type { NetworksNode, NetworksTreeProvider } from '../networksTree';
import { isComposeDocument, type ComposeProjects } from '../projects';
import { showVerifyReport } from '../verifyPanel';
import { probeImage } from './probeCommands';
import { cancelled, fail, type CommandResult } from './run';

/** The compose files of the running projects, from the labels Compose puts on their containers. */
async function runningProjects(tree: NetworksTreeProvider): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const c of await tree.engine.listContainers()) {
    if (!c.composeProject || c.state !== 'running' || !c.composeFiles?.length) continue;
    if (!out.has(c.composeProject)) out.set(c.composeProject, c.composeFiles);
  }
  return out;
}

/** The compose file to verify: the argument, the project node's, the active editor's, or one the user picks. */
export async function composeFileFor(tree: NetworksTreeProvider, arg: unknown): Promise<vscode.Uri | undefined | 'cancelled'> {
  if (arg instanceof vscode.Uri) return arg;
  const node = arg as NetworksNode | undefined;
  if (node && typeof node === 'object' && node.kind === 'group' && node.group.id.startsWith('project:')) {
    const files = (await runningProjects(tree)).get(node.group.id.slice('project:'.length));
    return files?.[0] ? vscode.Uri.file(files[0]) : undefined;
  }
  const editor = vscode.window.activeTextEditor;
  if (editor && isComposeDocument(editor.document)) return editor.document.uri;
  const projects = await runningProjects(tree);
  if (projects.size === 0) return undefined;
  const pick = await vscode.window.showQuickPick(
    [...projects].map(([name, files]) => ({ label: name, description: files.map((f) => vscode.workspace.asRelativePath(f)).join(', '), file: files[0] })),
    { title: 'Verify isolation of which running project?' },
  );
  return pick ? vscode.Uri.file(pick.file) : 'cancelled';
}

export async function verifyIsolation(tree: NetworksTreeProvider, projects: ComposeProjects, arg?: unknown, options: { egressTarget?: string; allowPull?: boolean; probeDeadlineMs?: number } = {}): Promise<CommandResult<VerifyReport>> {
  try {
    const uri = await composeFileFor(tree, arg);
    if (uri === 'cancelled') return cancelled as CommandResult<VerifyReport>;
    if (!uri) return fail('Verify isolation', new Error('No running compose project found: start one with docker compose up, or open its compose file.'));
    // Not analysisFor: right after opening, the worker may not have read the project's .env yet (COMPOSE_PROJECT_NAME),
    // and the project would be named after its folder, which is not running.
    const analysis = await projects.analysisReady(await vscode.workspace.openTextDocument(uri), 30_000);
    let egressTarget = options.egressTarget;
    if (egressTarget === undefined && arg === undefined) {
      const answer = await vscode.window.showInputBox({ title: `Verify isolation of "${analysis.project.name}"`, prompt: 'Optional: an address outside the project (ADDRESS, ADDRESS:PORT, IPv6 or [IPv6]:PORT) to check egress from every service; empty to skip' });
      if (answer === undefined) return cancelled as CommandResult<VerifyReport>;
      egressTarget = answer.trim() || undefined;
    }
    const run = (allowPull: boolean) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Verifying isolation of "${analysis.project.name}"`, cancellable: true }, (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let last = 0;
        return verifyProject(analysis, tree.engine, {
          probeImage: probeImage(),
          ...(egressTarget ? { egressTarget } : {}),
          ...(allowPull ? { allowPull } : {}),
          // Scripts and tests on a loaded machine may allow each probe longer than the engine layer's default.
          ...(typeof options.probeDeadlineMs === 'number' && options.probeDeadlineMs > 0 ? { probeDeadlineMs: Math.min(options.probeDeadlineMs, 600_000) } : {}),
          signal: abort.signal,
          onProgress: (done, total) => {
            progress.report({ message: `${done}/${total} probes`, increment: ((done - last) / total) * 100 });
            last = done;
          },
        });
      });
    let report: VerifyReport;
    try {
      report = await run(options.allowPull === true);
    } catch (err) {
      if (!(err instanceof ProbeImageMissing) || options.allowPull !== undefined) throw err;
      // Some container lacks the tools and the probe image is not on the engine: pull it only if the user says so.
      const pull = `Pull ${err.image}`;
      const answer = await vscode.window.showWarningMessage(`Some containers of "${analysis.project.name}" lack nslookup, nc or cat. Verify runs them from the probe image "${err.image}", which is not on the engine. Pull it from its registry?`, { modal: true }, pull);
      if (answer !== pull) return fail('Verify isolation', err) as Promise<CommandResult<VerifyReport>>;
      report = await run(true);
    }
    showVerifyReport(report, analysis);
    const status = exitStatus(report);
    const message =
      status === 2
        ? `Verification of "${report.project}" is incomplete: ${report.incomplete ?? `${report.errors} pair(s) could not be probed`}.`
        : report.mismatches
          ? `${report.mismatches} mismatch(es) between ${vscode.workspace.asRelativePath(uri)} and the running containers.`
          : `"${report.project}" is isolated as its compose file says.`;
    void (status === 2 ? vscode.window.showErrorMessage(message) : report.mismatches ? vscode.window.showWarningMessage(message) : vscode.window.showInformationMessage(message));
    return { ok: status !== 2, message, value: report };
  } catch (err) {
    if (err instanceof ProjectNotRunning) return fail('Verify isolation', err);
    return fail('Verify isolation', err) as Promise<CommandResult<VerifyReport>>;
  }
}
