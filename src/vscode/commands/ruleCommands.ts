// "Turn off rule X" and its way back. A rule turned off hides its diagnostics, so the way back is offered where the
// user looks: the notification after turning it off, the palette (Turn Rule Back On…) and the quick-fix menu of the
// file's remaining problems (codeActions.ts).
import * as vscode from 'vscode';
import { RULES } from '../../compose/rules/catalogue';
import { COMMANDS } from '../commandIds';
import { ruleSeverities, SECTION, setRuleSeverity, type SeveritySetting } from '../settings';
import type { CommandResult } from './run';

const SETTING = 'rules.severity';
const TURN_BACK_ON = 'Turn Back On';

/** The settings scopes `rules.severity` can be written in (a window-scoped setting: no folder scope). */
const SCOPES = [
  { target: vscode.ConfigurationTarget.Workspace, name: 'workspace settings', value: 'workspaceValue' },
  { target: vscode.ConfigurationTarget.Global, name: 'user settings', value: 'globalValue' },
] as const;

/** Rules whose effective severity is `off`, with the scopes that say so. */
export function rulesTurnedOff(): Array<{ rule: string; scopes: string[] }> {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<Record<string, SeveritySetting>>(SETTING);
  return Object.entries(ruleSeverities())
    .filter(([, severity]) => severity === 'off')
    .map(([rule]) => ({ rule, scopes: SCOPES.filter((s) => inspected?.[s.value]?.[rule] === 'off').map((s) => s.name) }))
    .sort((a, b) => a.rule.localeCompare(b.rule));
}

export async function turnOffRule(rule?: unknown): Promise<CommandResult<string> | undefined> {
  const id =
    typeof rule === 'string' ? rule : (await vscode.window.showQuickPick(RULES.map((r) => ({ label: r.id, description: r.summary })), { placeHolder: 'Rule to turn off' }))?.label;
  if (!id) return undefined;
  if (!RULES.some((r) => r.id === id)) throw new Error(`Unknown rule "${id}".`);
  await setRuleSeverity(id, 'off');
  const where = vscode.workspace.workspaceFolders?.length ? 'workspace settings' : 'user settings';
  const message = `Docker Networking: rule ${id} turned off in the ${where}; its problems are hidden.`;
  // Not awaited: the command is done; the button stays available as long as the notification is.
  void vscode.window.showInformationMessage(message, TURN_BACK_ON).then((picked) => (picked === TURN_BACK_ON ? turnRuleBackOn(id) : undefined));
  return { ok: true, message, value: id };
}

/**
 * Removes `off` for a rule from every scope that says it (the rule gets its default severity back, or what another
 * scope sets). Without an argument, the user picks among the rules turned off.
 */
export async function turnRuleBackOn(rule?: unknown): Promise<CommandResult<string>> {
  const off = rulesTurnedOff();
  let id = typeof rule === 'string' ? rule : undefined;
  if (id === undefined) {
    if (off.length === 0) {
      const message = 'Docker Networking: no rule is turned off.';
      void vscode.window.showInformationMessage(message);
      return { ok: true, message };
    }
    const summary = new Map(RULES.map((r) => [r.id, r.summary]));
    const picked = await vscode.window.showQuickPick(
      off.map((o) => ({ label: o.rule, description: `off in the ${o.scopes.join(' and ')}`, detail: summary.get(o.rule) })),
      { placeHolder: 'Rule to turn back on' },
    );
    if (!picked) return { ok: false, message: 'Cancelled.' };
    id = picked.label;
  }
  const entry = off.find((o) => o.rule === id);
  if (!entry) {
    const message = `Docker Networking: rule ${id} is not turned off.`;
    void vscode.window.showInformationMessage(message);
    return { ok: true, message, value: id };
  }
  if (entry.scopes.length === 0) {
    const message = `Docker Networking: rule ${id} is turned off somewhere this command does not write (look for "dockerNetworking.rules.severity" in your settings).`;
    void vscode.window.showWarningMessage(message);
    return { ok: false, message, value: id };
  }
  const config = vscode.workspace.getConfiguration(SECTION);
  const inspected = config.inspect<Record<string, SeveritySetting>>(SETTING);
  for (const scope of SCOPES) {
    const current = inspected?.[scope.value];
    if (current?.[id] !== 'off') continue;
    const rest = { ...current };
    delete rest[id];
    await config.update(SETTING, Object.keys(rest).length ? rest : undefined, scope.target);
  }
  const message = `Docker Networking: rule ${id} is back on.`;
  void vscode.window.showInformationMessage(message);
  return { ok: true, message, value: id };
}

export const ruleCommands = {
  [COMMANDS.turnOffRule]: turnOffRule,
  [COMMANDS.turnRuleBackOn]: turnRuleBackOn,
};
