// Commands as data: one record of handlers, registered by one loop.
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from './commandIds';
import type { NetworksTreeProvider } from './networksTree';

export interface CommandContext {
  networksTree: NetworksTreeProvider;
}

export function createCommands(ctx: CommandContext): Record<string, (...args: unknown[]) => unknown> {
  return {
    [COMMANDS.refresh]: () => ctx.networksTree.refresh(),
    [COMMANDS.openSettings]: () =>
      vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS.section}.${SETTINGS.dockerHost}`),
  };
}

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(createCommands(ctx)).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
