// Activation wiring: build the engine client from settings, register the view and commands.
import * as vscode from 'vscode';
import { createEngineClient } from '../engine/dockerodeClient';
import { SETTINGS, VIEWS } from './commandIds';
import { registerCommands } from './commands';
import { NetworksTreeProvider } from './networksTree';

/** What the extension exposes to other extensions and to its own host tests. */
export interface DockerNetworkingApi {
  networksTree: NetworksTreeProvider;
}

function configuredHost(): string {
  return vscode.workspace.getConfiguration(SETTINGS.section).get<string>(SETTINGS.dockerHost, '');
}

export function activate(context: vscode.ExtensionContext): DockerNetworkingApi {
  const networksTree = new NetworksTreeProvider(createEngineClient(configuredHost()));
  context.subscriptions.push(
    networksTree,
    vscode.window.createTreeView(VIEWS.networks, { treeDataProvider: networksTree, showCollapseAll: false }),
    ...registerCommands({ networksTree }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTINGS.section}.${SETTINGS.dockerHost}`)) networksTree.setClient(createEngineClient(configuredHost()));
    }),
  );
  return { networksTree };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
