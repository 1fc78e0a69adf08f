// "Show resolved network model": the active compose file's project as `compose-net config` prints it (the shape of
// `docker compose config`, networking keys), in a read-only YAML document beside the editor (never "unsaved").
import * as path from 'path';
import * as vscode from 'vscode';
import { formatConfig, toComposeConfig } from '../../compose/config';
import { isComposeDocument, type ComposeProjects } from '../projects';
import { fail, type CommandResult } from './run';

const SCHEME = 'docker-networking-model';
const contents = new Map<string, string>();
const changed = new vscode.EventEmitter<vscode.Uri>();
let provider: vscode.Disposable | undefined;

/** Read-only documents whose text this module sets; registered on first use, for the extension's lifetime. */
function modelUri(projectName: string, text: string): vscode.Uri {
  provider ??= vscode.workspace.registerTextDocumentContentProvider(SCHEME, { onDidChange: changed.event, provideTextDocumentContent: (uri) => contents.get(uri.toString()) ?? '' });
  const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${projectName || 'project'} (resolved).yaml` });
  contents.set(uri.toString(), text);
  changed.fire(uri);
  return uri;
}

export async function showResolvedModel(projects: ComposeProjects, target?: vscode.Uri): Promise<CommandResult<string>> {
  try {
    const doc = target ? await vscode.workspace.openTextDocument(target) : vscode.window.activeTextEditor?.document;
    if (!doc || !isComposeDocument(doc)) {
      const message = 'Open a compose file first: the resolved model is shown for the project of the active file.';
      void vscode.window.showWarningMessage(message);
      return { ok: false, message };
    }
    const { project } = await projects.analysisReady(doc);
    const main = project.mainFile ? [...project.files.keys()].filter((f) => f === project.mainFile || path.dirname(f) === path.dirname(project.mainFile!)) : [];
    const profiles = project.activeProfiles?.length ? `, profiles: ${project.activeProfiles.join(', ')}` : '';
    const header = `# Resolved network model of project "${project.name}" (docker compose config shape, networking keys${profiles})\n# Files: ${main.map((f) => path.basename(f)).join(', ')}\n`;
    const text = header + formatConfig(toComposeConfig(project), 'yaml');
    const shown = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(modelUri(project.name, text)), 'yaml');
    await vscode.window.showTextDocument(shown, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return { ok: true, message: `Resolved model of "${project.name}"`, value: text };
  } catch (err) {
    return fail('Show resolved network model', err);
  }
}
