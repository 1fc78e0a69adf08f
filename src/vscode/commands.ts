// Commands as data: one record of handlers, registered by one loop.
import * as vscode from 'vscode';
import { RULES } from '../compose/rules/catalogue';
import { COMMANDS, SETTINGS } from './commandIds';
import type { NetworksTreeProvider } from './networksTree';
import { setRuleSeverity } from './settings';

export interface CommandContext {
  networksTree: NetworksTreeProvider;
  refreshEngineFacts: () => Promise<void>;
}

export function createCommands(ctx: CommandContext): Record<string, (...args: unknown[]) => unknown> {
  return {
    [COMMANDS.refresh]: () => {
      ctx.networksTree.refresh();
      return ctx.refreshEngineFacts();
    },
    [COMMANDS.openSettings]: () => vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS.section}.${SETTINGS.dockerHost}`),
    [COMMANDS.turnOffRule]: async (rule?: unknown) => {
      const id =
        typeof rule === 'string'
          ? rule
          : (await vscode.window.showQuickPick(RULES.map((r) => ({ label: r.id, description: r.summary })), { placeHolder: 'Rule to turn off' }))?.label;
      if (!id) return;
      if (!RULES.some((r) => r.id === id)) throw new Error(`Unknown rule "${id}".`);
      await setRuleSeverity(id, 'off');
      void vscode.window.showInformationMessage(`Docker Networking: rule ${id} is off. Turn it back on in the setting "dockerNetworking.rules.severity".`);
    },
  };
}

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(createCommands(ctx)).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
