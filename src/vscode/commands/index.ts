// Commands as data: one record of handlers, registered by one loop.
import * as vscode from 'vscode';
import { RULES } from '../../compose/rules/catalogue';
import { COMMANDS, SETTINGS } from '../commandIds';
import { InspectDocuments } from '../inspectDocuments';
import type { NetworksTreeProvider } from '../networksTree';
import { setRuleSeverity } from '../settings';
import { createNetwork } from './createNetwork';
import { connectContainer, copy, disconnectContainer, pruneNetworks, removeNetwork } from './networkCommands';
import { cancelled, fail } from './run';
import { resolveNetwork } from './targets';

export interface CommandContext {
  networksTree: NetworksTreeProvider;
  refreshEngineFacts: () => Promise<void>;
}

export function createCommands(ctx: CommandContext): Record<string, (...args: never[]) => unknown> {
  const tree = ctx.networksTree;
  const hostInterfaces = async () => (await tree.engine.snapshot()).hostInterfaces ?? [];
  return {
    [COMMANDS.refresh]: () => {
      tree.refresh();
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
    [COMMANDS.createNetwork]: (arg?: unknown) => createNetwork(tree, hostInterfaces, arg),
    [COMMANDS.removeNetwork]: (arg?: unknown, options?: { confirmed?: boolean }) => removeNetwork(tree, arg, options),
    [COMMANDS.pruneNetworks]: (options?: { confirmed?: boolean }) => pruneNetworks(tree, options),
    [COMMANDS.connectContainer]: (arg?: unknown, options?: { container?: string; aliases?: string[]; ipv4?: string }) => connectContainer(tree, arg, options),
    [COMMANDS.disconnectContainer]: (arg?: unknown, options?: { confirmed?: boolean; network?: string; container?: string; force?: boolean }) => disconnectContainer(tree, arg, options),
    [COMMANDS.inspectNetwork]: async (arg?: unknown) => {
      try {
        const network = await resolveNetwork(tree, arg, 'Network to inspect');
        if (!network) return cancelled;
        const doc = await vscode.workspace.openTextDocument(InspectDocuments.uriFor(network));
        await vscode.languages.setTextDocumentLanguage(doc, 'json');
        await vscode.window.showTextDocument(doc, { preview: true });
        return { ok: true, message: `Inspecting "${network.name}"`, value: doc.uri.toString() };
      } catch (err) {
        return fail('Inspect network', err);
      }
    },
    [COMMANDS.copyName]: (arg?: unknown) => copy('name', arg),
    [COMMANDS.copyId]: (arg?: unknown) => copy('id', arg),
    [COMMANDS.copyIp]: (arg?: unknown) => copy('ip', arg),
  };
}

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(createCommands(ctx)).map(([id, handler]) => vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown));
}
