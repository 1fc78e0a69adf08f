// "Show resolved network model": the active compose file's project as `compose-net config` prints it (the shape of
// `docker compose config`, networking keys), in a read-only YAML document beside the editor.
import * as path from 'path';
import * as vscode from 'vscode';
import { formatConfig, toComposeConfig } from '../../compose/config';
import { isComposeDocument, type ComposeProjects } from '../projects';
import { fail, type CommandResult } from './run';

export async function showResolvedModel(projects: ComposeProjects, target?: vscode.Uri): Promise<CommandResult<string>> {
  try {
    const doc = target ? await vscode.workspace.openTextDocument(target) : vscode.window.activeTextEditor?.document;
    if (!doc || !isComposeDocument(doc)) {
      const message = 'Open a compose file first: the resolved model is shown for the project of the active file.';
      void vscode.window.showWarningMessage(message);
      return { ok: false, message };
    }
    const analysis = await projects.analysisReady(doc);
    const { project } = analysis;
    const files = [...project.files.keys()].filter((f) => !project.mainFile || f === project.mainFile || !path.relative(path.dirname(project.mainFile), f).startsWith('..'));
    const profiles = project.activeProfiles?.length ? `, profiles: ${project.activeProfiles.join(', ')}` : '';
    const header = `# Resolved network model of project "${project.name}" (docker compose config shape, networking keys${profiles})\n# Files: ${files.map((f) => path.basename(f)).join(', ')}\n`;
    const text = header + formatConfig(toComposeConfig(project), 'yaml');
    const shown = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
    await vscode.window.showTextDocument(shown, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return { ok: true, message: `Resolved model of "${project.name}"`, value: text };
  } catch (err) {
    return fail('Show resolved network model', err);
  }
}
