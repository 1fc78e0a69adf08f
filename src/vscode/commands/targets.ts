// Resolving what a command acts on: a tree node when invoked from the view, a name or ID when scripted.
import * as vscode from 'vscode';
import type { ContainerSummary, NetworkSummary } from '../../engine/model';
import type { NetworksNode, NetworksTreeProvider } from '../networksTree';

export async function resolveNetwork(tree: NetworksTreeProvider, arg: unknown, placeHolder: string, filter: (n: NetworkSummary) => boolean = () => true): Promise<NetworkSummary | undefined> {
  const node = arg as NetworksNode | undefined;
  if (node && typeof node === 'object' && node.kind === 'network') return node.network;
  if (node && typeof node === 'object' && node.kind === 'attachment') return node.parent.network;
  if (typeof arg === 'string') {
    const match = (n: NetworkSummary) => n.name === arg || n.id === arg || (arg.length >= 12 && n.id.startsWith(arg));
    const found = (await tree.state()).networks.find(match) ?? (await fresh(tree)).networks.find(match);
    if (!found) throw new Error(`No network named "${arg}" on the engine.`);
    return found;
  }
  const { networks } = await tree.state();
  const pick = await vscode.window.showQuickPick(
    networks.filter(filter).map((n) => ({ label: n.name, description: `${n.driver}${n.subnets.length ? ` · ${n.subnets.map((s) => s.subnet).join(', ')}` : ''}`, network: n })),
    { placeHolder, matchOnDescription: true },
  );
  return pick?.network;
}

export async function resolveContainer(tree: NetworksTreeProvider, arg: unknown, placeHolder: string, filter: (c: ContainerSummary) => boolean = () => true): Promise<ContainerSummary | undefined> {
  if (typeof arg === 'string') {
    const match = (c: ContainerSummary) => c.name === arg || c.id === arg || (arg.length >= 12 && c.id.startsWith(arg));
    const found = (await tree.state()).containers.find(match) ?? (await fresh(tree)).containers.find(match);
    if (!found) throw new Error(`No container named "${arg}" on the engine.`);
    return found;
  }
  const { containers } = await tree.state();
  const pick = await vscode.window.showQuickPick(
    containers.filter(filter).map((c) => ({ label: c.name, description: `${c.state} · ${c.image}`, container: c })),
    { placeHolder, matchOnDescription: true },
  );
  return pick?.container;
}

/** The view's state may lag the engine by a debounce: reload once before saying a name does not exist. */
function fresh(tree: NetworksTreeProvider) {
  tree.refresh();
  return tree.state();
}
