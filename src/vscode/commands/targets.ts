// Resolving what a command acts on: a tree node when invoked from the view, a name or ID when scripted,
// else a pick from the engine's current objects.
import * as vscode from 'vscode';
import type { ContainerSummary, NetworkSummary } from '../../engine/model';
import type { NetworksNode, NetworksTreeProvider } from '../networksTree';

type EngineState = Awaited<ReturnType<NetworksTreeProvider['state']>>;

interface Target<T extends { id: string; name: string }> {
  kind: string;
  list: (s: EngineState) => T[];
  describe: (t: T) => string;
}

const NETWORK: Target<NetworkSummary> = {
  kind: 'network',
  list: (s) => s.networks,
  describe: (n) => `${n.driver}${n.subnets.length ? ` · ${n.subnets.map((s) => s.subnet).join(', ')}` : ''}`,
};

const CONTAINER: Target<ContainerSummary> = {
  kind: 'container',
  list: (s) => s.containers,
  describe: (c) => `${c.state} · ${c.image}`,
};

/** A name, a full ID or an ID prefix of 12+ characters; else a quick pick among those `filter` keeps. */
async function resolve<T extends { id: string; name: string }>(tree: NetworksTreeProvider, target: Target<T>, arg: unknown, placeHolder: string, filter: (t: T) => boolean): Promise<T | undefined> {
  if (typeof arg === 'string') {
    const match = (t: T) => t.name === arg || t.id === arg || (arg.length >= 12 && t.id.startsWith(arg));
    // The view's state may lag the engine by a debounce: reload once before saying a name does not exist.
    let found = target.list(await tree.state()).find(match);
    if (!found) {
      tree.refresh();
      found = target.list(await tree.state()).find(match);
    }
    if (!found) throw new Error(`No ${target.kind} named "${arg}" on the engine.`);
    return found;
  }
  // Running containers first (what a user probes or connects), then the rest; each group by name.
  const running = (t: T) => ((t as Partial<ContainerSummary>).state === 'running' ? 0 : 1);
  const items = target.list(await tree.state()).filter(filter).sort((a, b) => running(a) - running(b) || a.name.localeCompare(b.name));
  const pick = await vscode.window.showQuickPick(items.map((t) => ({ label: t.name, description: target.describe(t), target: t })), { placeHolder, matchOnDescription: true });
  return pick?.target;
}

export async function resolveNetwork(tree: NetworksTreeProvider, arg: unknown, placeHolder: string, filter: (n: NetworkSummary) => boolean = () => true): Promise<NetworkSummary | undefined> {
  const node = arg as NetworksNode | undefined;
  if (node && typeof node === 'object' && node.kind === 'network') return node.network;
  if (node && typeof node === 'object' && node.kind === 'attachment') return node.parent.network;
  return resolve(tree, NETWORK, arg, placeHolder, filter);
}

export function resolveContainer(tree: NetworksTreeProvider, arg: unknown, placeHolder: string, filter: (c: ContainerSummary) => boolean = () => true): Promise<ContainerSummary | undefined> {
  return resolve(tree, CONTAINER, arg, placeHolder, filter);
}
