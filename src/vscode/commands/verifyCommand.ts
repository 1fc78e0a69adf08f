// Verify isolation of the running compose project of the active (or given) compose file.
import * as vscode from 'vscode';
import { ProjectNotRunning, verifyProject, type VerifyReport } from '../../engine/verify';
import type { NetworksTreeProvider } from '../networksTree';
import { isComposeDocument, type ComposeProjects } from '../projects';
import { showVerifyReport } from '../verifyPanel';
import { probeImage } from './probeCommands';
import { cancelled, fail, type CommandResult } from './run';

export async function verifyIsolation(tree: NetworksTreeProvider, projects: ComposeProjects, arg?: unknown, options: { egressTarget?: string } = {}): Promise<CommandResult<VerifyReport>> {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor && isComposeDocument(vscode.window.activeTextEditor.document) ? vscode.window.activeTextEditor.document.uri : undefined;
  if (!uri) return fail('Verify isolation', new Error('Open the compose file of a running project first.'));
  const analysis = projects.analysisFor(await vscode.workspace.openTextDocument(uri));
  let egressTarget = options.egressTarget;
  if (egressTarget === undefined && !(arg instanceof vscode.Uri)) {
    const answer = await vscode.window.showInputBox({ title: `Verify isolation of "${analysis.project.name}"`, prompt: 'Optional: an address outside the project (ADDRESS or ADDRESS:PORT) to check egress from every service; empty to skip' });
    if (answer === undefined) return cancelled as CommandResult<VerifyReport>;
    egressTarget = answer.trim() || undefined;
  }
  try {
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Verifying isolation of "${analysis.project.name}"`, cancellable: true }, (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let last = 0;
      return verifyProject(analysis, tree.engine, {
        probeImage: probeImage(),
        ...(egressTarget ? { egressTarget } : {}),
        signal: abort.signal,
        onProgress: (done, total) => {
          progress.report({ message: `${done}/${total} probes`, increment: ((done - last) / total) * 100 });
          last = done;
        },
      });
    });
    showVerifyReport(report, analysis);
    const message = report.mismatches ? `${report.mismatches} mismatch(es) between ${vscode.workspace.asRelativePath(uri)} and the running containers.` : `"${report.project}" is isolated as its compose file says.`;
    void (report.mismatches ? vscode.window.showWarningMessage(message) : vscode.window.showInformationMessage(message));
    return { ok: true, message, value: report };
  } catch (err) {
    if (err instanceof ProjectNotRunning) return fail('Verify isolation', err);
    return fail('Verify isolation', err) as Promise<CommandResult<VerifyReport>>;
  }
}
