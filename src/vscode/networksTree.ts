// The Networks view: networks grouped by Compose project, their containers with addresses and aliases,
// or one actionable item when the engine cannot be reached. Two API calls per refresh; aliases load on expand.
import * as vscode from 'vscode';
import type { EngineClient } from '../engine/client';
import { EngineError, type EngineProblem } from '../engine/errors';
import type { ContainerSummary, NetworkSummary, PublishedPort } from '../engine/model';
import { capabilitiesOf } from '../engine/networkCapabilities';
import { filterGroups, type NetworkFilter, type NetworkSort } from '../engine/networkFilter';
import { swarmConverging, type SwarmView } from '../engine/swarm';
import { attachmentDescription, attachmentsOf, attachmentTooltip, groupNetworks, indexAttachments, networkDescription, networkTooltip, type Attachment, type NetworkGroup } from '../engine/view';
import { escapeMarkdown, markdownCode } from '../shared/escape';
import { FIREWALL_REMINDER } from '../traffic/exposure';
import { isWildcard } from '../traffic/sockets';
import { rateText, type Rate } from '../traffic/rates';
import { COMMANDS } from './commandIds';
import { isSwarmNode, swarmChildren, swarmTreeItem, type SwarmTreeNode } from './swarmNodes';

/** Live rates shown beside containers and networks (liveRates.ts); absent until the view is visible. */
export interface RateSource {
  rateOf(containerId: string, network: string): Rate | undefined;
  networkRate(network: string): Rate | undefined;
}

export type NetworksNode =
  | { kind: 'group'; group: NetworkGroup }
  | { kind: 'network'; network: NetworkSummary; parent?: NetworksNode }
  | { kind: 'attachment'; attachment: Attachment; parent: NetworksNode & { kind: 'network' } }
  | { kind: 'unreachable'; problem: EngineProblem }
  | { kind: 'host'; ports: HostPort[] }
  | { kind: 'hostPort'; port: HostPort; parent: NetworksNode & { kind: 'host' } }
  | { kind: 'action'; label: string; icon: string; command: vscode.Command; parent: NetworksNode }
  | SwarmTreeNode;

/** A container port published on the engine's host, as the engine bound it. */
interface HostPort {
  container: ContainerSummary;
  port: PublishedPort;
}

interface Loaded {
  networks: NetworkSummary[];
  containers: ContainerSummary[];
  attachments: Map<string, Attachment[]>;
}

export class NetworksTreeProvider implements vscode.TreeDataProvider<NetworksNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<NetworksNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private loaded: Promise<Loaded> | undefined;
  /** Attachments of the last successful load, for descriptions that need them ("external to compose"). */
  private attachmentIndex = new Map<string, Attachment[]>();
  private readonly aliasCache = new Map<string, Promise<Record<string, string[]>>>();
  private swarmLoaded: Promise<SwarmView | undefined> | undefined;
  /**
   * Swarm tasks on their way to their desired state after a service or node event (the manager sends no event when a
   * task on another node starts): the Swarm part is read again shortly, a bounded number of times.
   */
  private convergeTimer: NodeJS.Timeout | undefined;
  private convergeReads = 0;
  private rates: RateSource | undefined;
  /**
   * What the user expanded or collapsed, by item id. A refresh keeps VS Code's own state (same ids), but an engine
   * outage replaces every row with the "cannot reach" item: when the networks come back, they come back as they were.
   */
  private readonly expansion = new Map<string, boolean>();
  /** Network names the engine holds twice (Swarm can): those rows fall back to the ID in their item id. */
  private duplicateNames = new Set<string>();

  /** Filter and sort settings redraw the view without reloading the engine state. */
  private readonly filterListener = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(NETWORKS_VIEW_SECTION)) this.changed.fire(undefined);
  });

  constructor(private client: EngineClient) {}

  /** Records what the user expands and collapses in `view`, so `getTreeItem` can restore it after a reconnect. */
  followExpansion(view: vscode.TreeView<NetworksNode>): vscode.Disposable {
    const remember = (node: NetworksNode, expanded: boolean) => {
      const id = this.getTreeItem(node).id;
      if (!id) return;
      this.expansion.delete(id);
      this.expansion.set(id, expanded);
      if (this.expansion.size > MAX_REMEMBERED) this.expansion.delete(this.expansion.keys().next().value!);
    };
    return vscode.Disposable.from(
      view.onDidExpandElement((e) => remember(e.element, true)),
      view.onDidCollapseElement((e) => remember(e.element, false)),
    );
  }

  get engine(): EngineClient {
    return this.client;
  }

  /** Swap the engine client (the endpoint setting changed) and reload. */
  setClient(client: EngineClient): void {
    this.client = client;
    this.refresh();
  }

  /** Shows live rates from `source`; `repaint` redraws the items without reloading the engine state. */
  showRates(source: RateSource): void {
    this.rates = source;
  }

  repaint(): void {
    this.changed.fire(undefined);
  }

  refresh(): void {
    this.loaded = undefined;
    this.swarmLoaded = undefined;
    this.convergeReads = 0;
    this.aliasCache.clear();
    this.changed.fire(undefined);
  }

  /** The engine state behind the current tree (loads it if needed); rejects with EngineError. */
  state(): Promise<Loaded> {
    this.loaded ??= Promise.all([this.client.listNetworks(), this.client.listContainers()]).then(([networks, containers]) => {
      this.attachmentIndex = indexAttachments(containers);
      return { networks, containers, attachments: this.attachmentIndex };
    });
    const current = this.loaded;
    current.catch(() => {
      if (this.loaded === current) this.loaded = undefined; // do not keep a failure: the next look retries
    });
    return current;
  }

  async getChildren(node?: NetworksNode): Promise<NetworksNode[]> {
    if (!node) return this.rootsWithSwarm();
    if (isSwarmNode(node)) return swarmChildren(node);
    switch (node.kind) {
      case 'group':
        return node.group.networks.map((network) => ({ kind: 'network', network, parent: node }));
      case 'network':
        return this.attachments(node);
      case 'host':
        return node.ports.map((port) => ({ kind: 'hostPort', port, parent: node }));
      case 'unreachable':
        return [
          { kind: 'action', label: 'Retry', icon: 'refresh', command: { command: COMMANDS.refresh, title: 'Retry' }, parent: node },
          { kind: 'action', label: 'Open Settings', icon: 'settings-gear', command: { command: COMMANDS.openSettings, title: 'Open Settings' }, parent: node },
        ];
      default:
        return [];
    }
  }

  getParent(node: NetworksNode): NetworksNode | undefined {
    return 'parent' in node ? node.parent : undefined;
  }

  getTreeItem(node: NetworksNode): vscode.TreeItem {
    const item = this.treeItem(node);
    const expanded = item.id !== undefined && item.collapsibleState !== vscode.TreeItemCollapsibleState.None ? this.expansion.get(item.id) : undefined;
    if (expanded !== undefined) item.collapsibleState = expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    return item;
  }

  private treeItem(node: NetworksNode): vscode.TreeItem {
    if (isSwarmNode(node)) return swarmTreeItem(node);
    switch (node.kind) {
      case 'group': {
        const item = new vscode.TreeItem(node.group.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `group:${node.group.id}`;
        item.description = `${node.group.networks.length}`;
        item.iconPath = new vscode.ThemeIcon(node.group.id.startsWith('project:') ? 'layers' : node.group.id === 'builtin' ? 'server-environment' : 'type-hierarchy');
        item.contextValue = node.group.id.startsWith('project:') ? 'composeProjectGroup' : 'group';
        return item;
      }
      case 'network':
        return this.networkItem(node.network);
      case 'attachment': {
        const item = attachmentItem(node.attachment);
        const rate = this.rates?.rateOf(node.attachment.container.id, node.attachment.endpoint.networkName);
        if (rate) item.description = `${item.description ?? ''}  ${rateText(rate)}`.trim();
        return item;
      }
      case 'unreachable':
        return unreachableItem(node.problem);
      case 'host':
        return hostItem(node.ports);
      case 'hostPort':
        return hostPortItem(node.port);
      case 'action': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.command = node.command;
        return item;
      }
    }
  }

  /** Swarm state (swarmNodes.ts) first when the engine answers it, then the rest; loaded once per refresh. */
  private async rootsWithSwarm(): Promise<NetworksNode[]> {
    const client = this.client;
    this.swarmLoaded ??= client.swarm ? client.swarm().catch(() => undefined) : Promise.resolve(undefined);
    const [swarm, roots] = await Promise.all([this.swarmLoaded, this.roots()]);
    if (!swarm || roots.some((r) => r.kind === 'unreachable')) return roots;
    if (!swarmConverging(swarm)) this.convergeReads = 0;
    else if (!this.convergeTimer && this.convergeReads < MAX_CONVERGE_READS) {
      this.convergeReads++;
      this.convergeTimer = setTimeout(() => {
        this.convergeTimer = undefined;
        this.swarmLoaded = undefined;
        this.changed.fire(undefined);
      }, CONVERGE_READ_MS);
    }
    return [{ kind: 'swarm', view: swarm }, ...roots];
  }

  private async roots(): Promise<NetworksNode[]> {
    try {
      const { networks, containers } = await this.state();
      const seen = new Set<string>();
      this.duplicateNames = new Set(networks.filter((n) => seen.has(n.name) || !seen.add(n.name)).map((n) => n.name));
      const groups: NetworksNode[] = filterGroups(groupNetworks(networks), containers, networksViewFilter(), inWorkspace).map((group) => ({ kind: 'group', group }));
      // What is exposed on the engine's host: every published port of a running container, as bound.
      const ports = containers.filter((c) => c.state === 'running').flatMap((container) => (container.published ?? []).map((port) => ({ container, port })));
      return ports.length ? [{ kind: 'host', ports: ports.sort((a, b) => a.port.hostPort - b.port.hostPort || a.port.hostIp.localeCompare(b.port.hostIp)) }, ...groups] : groups;
    } catch (err) {
      if (err instanceof EngineError) return [{ kind: 'unreachable', problem: err.problem }];
      throw err;
    }
  }

  private async attachments(node: NetworksNode & { kind: 'network' }): Promise<NetworksNode[]> {
    const { attachments } = await this.state();
    const list = attachmentsOf(node.network, attachments);
    // Aliases are not in the container list: one inspect per container, only for what the user expands.
    await Promise.all(
      list.map(async (a) => {
        if (a.endpoint.aliases) return;
        let aliases = this.aliasCache.get(a.container.id);
        if (!aliases) this.aliasCache.set(a.container.id, (aliases = this.client.aliasesOf(a.container.id).catch(() => ({}))));
        a.endpoint.aliases = (await aliases)[a.endpoint.networkName] ?? [];
      }),
    );
    return list.map((attachment) => ({ kind: 'attachment', attachment, parent: node }));
  }

  private networkItem(network: NetworkSummary): vscode.TreeItem {
    const item = new vscode.TreeItem(network.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = networkItemId(network, this.duplicateNames);
    item.description = networkDescription(network, this.attachmentIndex);
    const rate = this.rates?.networkRate(network.name);
    if (rate) item.description = `${item.description}  ${rateText(rate)}`;
    item.iconPath = new vscode.ThemeIcon(network.internal ? 'lock' : 'type-hierarchy-sub');
    item.contextValue = networkContextValue(network);
    item.tooltip = new vscode.MarkdownString(networkTooltip(network));
    item.accessibilityInformation = { label: `Network ${network.name}, ${item.description}` };
    return item;
  }

  dispose(): void {
    clearTimeout(this.convergeTimer);
    this.filterListener.dispose();
    this.changed.dispose();
  }
}

/** Swarm tasks converging: read the Swarm again after this long, at most this many times in a row (about a minute). */
const CONVERGE_READ_MS = 2000;
const MAX_CONVERGE_READS = 30;

/** How many expanded/collapsed rows the view remembers (the oldest are forgotten first). */
const MAX_REMEMBERED = 500;

/**
 * A network row's id: its name, which survives the network being re-created (`compose down` then `up`) and a new
 * engine client after a reconnect; its ID only when two networks share the name.
 */
export function networkItemId(network: NetworkSummary, duplicateNames: ReadonlySet<string> = new Set()): string {
  return duplicateNames.has(network.name) ? `network:id:${network.id}` : `network:${network.name}`;
}

/** Settings of the Networks view: `dockerNetworking.networks.{showBuiltIn,workspaceProjectsOnly,sortBy}`. */
export const NETWORKS_VIEW_SECTION = 'dockerNetworking.networks';

export function networksViewFilter(): NetworkFilter {
  const c = vscode.workspace.getConfiguration(NETWORKS_VIEW_SECTION);
  return { showBuiltIn: c.get<boolean>('showBuiltIn', true), workspaceProjectsOnly: c.get<boolean>('workspaceProjectsOnly', false), sortBy: c.get<NetworkSort>('sortBy', 'name') };
}

/** A compose file inside one of the open workspace folders (the engine's path, so only meaningful for a local engine). */
function inWorkspace(file: string): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some((f) => f.uri.scheme === 'file' && (file === f.uri.fsPath || file.startsWith(f.uri.fsPath.replace(/\/?$/, '/'))));
}

/** `customNetwork`/`defaultNetwork` then what Docker allows on it, for menus' `when` clauses (e.g. `viewItem =~ /;connect\b/`). */
export function networkContextValue(network: NetworkSummary): string {
  const can = capabilitiesOf(network);
  return [network.builtIn ? 'defaultNetwork' : 'customNetwork', ...(can.connect ? ['connect'] : []), ...(can.aliases ? ['aliases'] : []), ...(can.subnet ? ['subnet'] : [])].join(';');
}

function attachmentItem(a: Attachment): vscode.TreeItem {
  const item = new vscode.TreeItem(a.container.name, vscode.TreeItemCollapsibleState.None);
  item.id = `attachment:${a.endpoint.networkId}:${a.container.id}`;
  item.description = attachmentDescription(a);
  const running = a.container.state === 'running';
  item.iconPath = new vscode.ThemeIcon(running ? 'vm-running' : 'vm-outline', running ? new vscode.ThemeColor('testing.iconPassed') : undefined);
  item.contextValue = running ? 'attachment:running' : 'attachment';
  item.tooltip = new vscode.MarkdownString(attachmentTooltip(a));
  item.accessibilityInformation = { label: `Container ${a.container.name}, ${item.description}` };
  return item;
}

function hostItem(ports: HostPort[]): vscode.TreeItem {
  const item = new vscode.TreeItem('Host', vscode.TreeItemCollapsibleState.Collapsed);
  item.id = 'host';
  const open = ports.filter((p) => isWildcard(p.port.hostIp)).length;
  item.description = `${ports.length} published port${ports.length === 1 ? '' : 's'}${open ? `, ${open} on every interface` : ''}`;
  item.iconPath = new vscode.ThemeIcon('globe');
  item.contextValue = 'hostPorts';
  const tooltip = new vscode.MarkdownString('Ports published on the engine\'s host by running containers, as the engine bound them.\n\n');
  if (open) tooltip.appendText(FIREWALL_REMINDER);
  item.tooltip = tooltip;
  return item;
}

function hostPortItem({ container, port }: HostPort): vscode.TreeItem {
  const everywhere = isWildcard(port.hostIp);
  const address = port.hostIp.includes(':') ? `[${port.hostIp}]` : port.hostIp;
  const item = new vscode.TreeItem(`${address}:${port.hostPort}/${port.protocol}`, vscode.TreeItemCollapsibleState.None);
  item.id = `hostPort:${container.id}:${port.hostIp}:${port.hostPort}:${port.protocol}`;
  item.description = `→ ${container.composeService ?? container.name}:${port.containerPort}${everywhere ? ' · every interface' : ''}`;
  item.iconPath = new vscode.ThemeIcon(everywhere ? 'warning' : 'plug', everywhere ? new vscode.ThemeColor('list.warningForeground') : undefined);
  item.contextValue = everywhere ? 'hostPort:open' : 'hostPort';
  const tooltip = new vscode.MarkdownString();
  tooltip.appendText(`${container.name} (${container.image}) publishes container port ${port.containerPort}/${port.protocol} on ${everywhere ? 'every interface of the engine host' : port.hostIp}.`);
  if (everywhere) tooltip.appendMarkdown('\n\n').appendText(FIREWALL_REMINDER);
  item.tooltip = tooltip;
  item.accessibilityInformation = { label: `Host port ${port.hostPort} ${port.protocol} to ${container.name} port ${port.containerPort}${everywhere ? ', on every interface' : ''}` };
  return item;
}

function unreachableItem(problem: EngineProblem): vscode.TreeItem {
  const item = new vscode.TreeItem('Cannot reach the Docker Engine', vscode.TreeItemCollapsibleState.Expanded);
  item.id = 'engine-unreachable';
  item.description = problem.endpoint.display;
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  item.contextValue = 'engineUnreachable';
  const tooltip = new vscode.MarkdownString();
  // The endpoint comes from DOCKER_HOST, a docker context or the settings: a code span, never raw Markdown.
  tooltip.appendMarkdown(`**Tried:** ${markdownCode(problem.endpoint.display)} (from ${escapeMarkdown(problem.endpoint.source)})\n\n`);
  tooltip.appendMarkdown(`**Failed:** `).appendText(problem.reason);
  tooltip.appendMarkdown(`\n\n**What to do:** ${problem.hint}`); // our own text, written as Markdown
  item.tooltip = tooltip;
  return item;
}
