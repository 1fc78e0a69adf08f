// Filter and sort the Networks view: two toggles and an order, kept in the workspace's settings.
import * as vscode from 'vscode';
import type { NetworkSort } from '../../engine/networkFilter';
import { networksViewFilter, NETWORKS_VIEW_SECTION } from '../networksTree';
import { cancelled, type CommandResult } from './run';

const SORTS: Array<{ label: string; sort: NetworkSort }> = [
  { label: 'By name', sort: 'name' },
  { label: 'Newest first', sort: 'created' },
  { label: 'By subnet', sort: 'subnet' },
];

export async function filterNetworks(): Promise<CommandResult> {
  const current = networksViewFilter();
  const toggles = [
    { label: 'Show built-in networks', detail: 'bridge, host and none', key: 'showBuiltIn', picked: current.showBuiltIn },
    { label: "Only this workspace's Compose projects", detail: 'projects started from a compose file in the open folder', key: 'workspaceProjectsOnly', picked: current.workspaceProjectsOnly },
  ];
  const shown = await vscode.window.showQuickPick(toggles, { title: 'Networks view (1/2): show', canPickMany: true });
  if (!shown) return cancelled;
  const order = await vscode.window.showQuickPick(
    SORTS.map((s) => ({ ...s, description: s.sort === current.sortBy ? 'current' : '' })),
    { title: 'Networks view (2/2): order of networks in each group' },
  );
  if (!order) return cancelled;
  const config = vscode.workspace.getConfiguration(NETWORKS_VIEW_SECTION);
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  for (const t of toggles) await config.update(t.key, shown.includes(t), target);
  await config.update('sortBy', order.sort, target);
  return { ok: true, message: 'Networks view filter updated.' };
}
