// Verify isolation of a deployed stack across Swarm nodes (engine/swarmVerify.ts) from the editor: a stack's node in
// the Networks view (Swarm > Stacks), or the palette (pick among the engine's stacks). The expectation is the stack
// file when there is one (`file`, or the active editor's compose project named like the stack), else the services'
// specs on the engine, as `compose-net verify --stack` does. Progress with cancel; the result in the Isolation panel
// (one per stack, reused by the next run), with the Compose verify's verdicts: "no answer" is never isolation.
import * as vscode from 'vscode';
import type { Analysis } from '../../compose/analyze';
import { ProbeImageMissing } from '../../engine/exec';
import { stackDescription, type SwarmStack } from '../../engine/swarm';
import type { StackVerifyReport } from '../../engine/swarmVerify';
import { exitStatus } from '../../engine/verify';
import type { NetworksTreeProvider } from '../networksTree';
import { isComposeDocument, type ComposeProjects } from '../projects';
import type { SwarmTreeNode } from '../swarmNodes';
import { showVerifyReport } from '../verifyPanel';
import { probeImage } from './probeCommands';
import { cancelled, fail, type CommandResult } from './run';

const TITLE = 'Verify isolation of the stack';

/** Options for scripts and tests: the stack file to read the expectation from, consent to pull, a longer deadline. */
export interface VerifyStackOptions {
  /** Absolute path of the stack file (what was deployed); omitted: the active editor's project if named like the stack. */
  file?: string;
  allowPull?: boolean;
  /** Deadline of the whole probing, ms (the engine layer's default is 90 s); at most 10 minutes. */
  deadlineMs?: number;
}

/** The engine's stacks, or why there are none to verify (not a manager, none deployed). */
async function stacksOn(tree: NetworksTreeProvider): Promise<SwarmStack[] | Error> {
  const client = tree.engine;
  if (!client.swarm) return new Error(`${client.endpoint.display} cannot list Swarm stacks.`);
  const view = await client.swarm();
  if (view.role === 'none') return new Error(view.why);
  if (view.role === 'worker') return new Error(`${client.endpoint.display} is a Swarm worker: only a manager can list stacks and run the probe services.${view.managers.length ? ` Managers: ${view.managers.join(', ')}.` : ''}`);
  if (!view.stacks.length) return new Error(`No stack is deployed on ${client.endpoint.display} (docker stack deploy -c FILE NAME deploys one).`);
  return view.stacks;
}

/** The stack to verify: the Networks view's stack node, a name (scripts), or one the user picks among the engine's. */
async function stackName(tree: NetworksTreeProvider, arg: unknown): Promise<string | Error | 'cancelled'> {
  const { isStackName } = await import('../../engine/swarmVerify');
  const node = arg as SwarmTreeNode | undefined;
  if (node && typeof node === 'object' && node.kind === 'swarmStack') return node.stack.name;
  if (typeof arg === 'string') return isStackName(arg) ? arg : new Error(`"${arg}" is not a stack name (letters, digits, "_", "." or "-").`);
  const stacks = await stacksOn(tree);
  if (stacks instanceof Error) return stacks;
  const pick = await vscode.window.showQuickPick(
    stacks.map((st) => ({ label: st.name, description: stackDescription(st) })),
    { title: `Verify isolation of which stack on ${tree.engine.endpoint.display}?` },
  );
  return pick ? pick.label : 'cancelled';
}

/** The stack file's analysis: the given file, or the active editor's compose project when it is named like the stack. */
async function stackFile(projects: ComposeProjects, stack: string, file: string | undefined): Promise<Analysis | undefined> {
  if (file) return projects.analysisReady(await vscode.workspace.openTextDocument(vscode.Uri.file(file)), 30_000);
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || !isComposeDocument(doc)) return undefined;
  const analysis = await projects.analysisReady(doc, 30_000);
  return analysis.project.name === stack ? analysis : undefined;
}

export async function verifyStack(tree: NetworksTreeProvider, projects: ComposeProjects, arg?: unknown, options: VerifyStackOptions = {}): Promise<CommandResult<StackVerifyReport>> {
  try {
    const stack = await stackName(tree, arg);
    if (stack === 'cancelled') return cancelled as CommandResult<StackVerifyReport>;
    if (stack instanceof Error) return fail(TITLE, stack);
    const client = tree.engine;
    if (!client.verifyStack) return fail(TITLE, new Error(`${client.endpoint.display} cannot verify stacks.`));
    const { stackExpectation, StackNotDeployed } = await import('../../engine/swarmVerify');
    const analysis = await stackFile(projects, stack, typeof options.file === 'string' && options.file ? options.file : undefined);
    const run = (allowPull: boolean) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Verifying isolation of stack "${stack}"`, cancellable: true }, (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let last = 0;
        return client.verifyStack!({
          stack,
          probeImage: probeImage(),
          ...(analysis ? { expected: stackExpectation(analysis, stack) } : {}),
          ...(allowPull ? { allowPull } : {}),
          ...(typeof options.deadlineMs === 'number' && options.deadlineMs > 0 ? { deadlineMs: Math.min(options.deadlineMs, 600_000) } : {}),
          signal: abort.signal,
          onProgress: (message, fraction) => {
            const now = fraction === undefined ? last : Math.max(last, fraction);
            progress.report({ message, increment: (now - last) * 100 });
            last = now;
          },
        });
      });
    let report: StackVerifyReport;
    try {
      report = await run(options.allowPull === true);
    } catch (err) {
      if (err instanceof StackNotDeployed) return fail(TITLE, err);
      if (!(err instanceof ProbeImageMissing) || options.allowPull !== undefined) throw err;
      // Swarm makes every node pull a service's image it lacks: only with the user's consent.
      const pull = `Pull ${err.image}`;
      const answer = await vscode.window.showWarningMessage(
        `The probe image "${err.image}" is not on ${client.endpoint.display}. Verify runs it as a short-lived service on every node of the Swarm, so each node that lacks it would pull it from its registry. Pull it?`,
        { modal: true },
        pull,
      );
      if (answer !== pull) return fail(TITLE, err) as Promise<CommandResult<StackVerifyReport>>;
      report = await run(true);
    }
    showVerifyReport(report, analysis);
    const status = exitStatus(report);
    const message =
      status === 2
        ? `Verification of stack "${stack}" is incomplete: ${report.incomplete ?? `${report.errors} pair(s) could not be probed`}.`
        : report.mismatches
          ? `${report.mismatches} mismatch(es) between ${report.source} and stack "${stack}" on ${report.nodes.length} node(s).`
          : `Stack "${stack}" is isolated as expected from ${report.source}, on ${report.nodes.length} node(s).`;
    void (status === 2 ? vscode.window.showErrorMessage(message) : report.mismatches ? vscode.window.showWarningMessage(message) : vscode.window.showInformationMessage(message));
    return { ok: status !== 2, message, value: report };
  } catch (err) {
    // EngineError (not a manager, unreachable), a refused pull: the engine's words and what to do.
    return fail(TITLE, err) as Promise<CommandResult<StackVerifyReport>>;
  }
}
