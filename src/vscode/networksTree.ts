// The Networks view: the engine's networks, or one actionable item when the engine cannot be reached.
import * as vscode from 'vscode';
import type { EngineClient } from '../engine/client';
import { EngineError, type EngineProblem } from '../engine/errors';
import type { NetworkSummary } from '../engine/model';
import { COMMANDS } from './commandIds';

export type NetworksNode =
  | { kind: 'network'; network: NetworkSummary }
  | { kind: 'unreachable'; problem: EngineProblem }
  | { kind: 'action'; label: string; icon: string; command: vscode.Command; parent: NetworksNode };

export class NetworksTreeProvider implements vscode.TreeDataProvider<NetworksNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<NetworksNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private client: EngineClient) {}

  /** Swap the engine client (the endpoint setting changed) and reload. */
  setClient(client: EngineClient): void {
    this.client = client;
    this.refresh();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: NetworksNode): Promise<NetworksNode[]> {
    if (!node) return this.loadRoots();
    if (node.kind === 'unreachable') {
      return [
        { kind: 'action', label: 'Retry', icon: 'refresh', command: { command: COMMANDS.refresh, title: 'Retry' }, parent: node },
        { kind: 'action', label: 'Open Settings', icon: 'settings-gear', command: { command: COMMANDS.openSettings, title: 'Open Settings' }, parent: node },
      ];
    }
    return [];
  }

  getParent(node: NetworksNode): NetworksNode | undefined {
    return node.kind === 'action' ? node.parent : undefined;
  }

  getTreeItem(node: NetworksNode): vscode.TreeItem {
    switch (node.kind) {
      case 'network':
        return networkItem(node.network);
      case 'unreachable':
        return unreachableItem(node.problem);
      case 'action': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.command = node.command;
        return item;
      }
    }
  }

  private async loadRoots(): Promise<NetworksNode[]> {
    try {
      const networks = await this.client.listNetworks();
      return networks.map((network) => ({ kind: 'network', network }));
    } catch (err) {
      if (err instanceof EngineError) return [{ kind: 'unreachable', problem: err.problem }];
      throw err;
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function networkItem(network: NetworkSummary): vscode.TreeItem {
  const item = new vscode.TreeItem(network.name, vscode.TreeItemCollapsibleState.None);
  item.id = `network:${network.id}`;
  item.description = network.driver;
  item.iconPath = new vscode.ThemeIcon(network.internal ? 'lock' : 'type-hierarchy-sub');
  item.contextValue = network.builtIn ? 'defaultNetwork' : 'customNetwork';
  item.tooltip = `${network.name} (${network.driver}, ${network.scope})\nID: ${network.id.slice(0, 12)}`;
  item.accessibilityInformation = { label: `Network ${network.name}, driver ${network.driver}` };
  return item;
}

function unreachableItem(problem: EngineProblem): vscode.TreeItem {
  const item = new vscode.TreeItem('Cannot reach the Docker Engine', vscode.TreeItemCollapsibleState.Expanded);
  item.id = 'engine-unreachable';
  item.description = problem.endpoint.display;
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  item.contextValue = 'engineUnreachable';
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**Tried:** \`${problem.endpoint.display}\` (from ${problem.endpoint.source})\n\n`);
  tooltip.appendMarkdown(`**Failed:** `).appendText(problem.reason);
  tooltip.appendMarkdown(`\n\n**What to do:** ${problem.hint}`); // our own text, written as Markdown
  item.tooltip = tooltip;
  return item;
}
