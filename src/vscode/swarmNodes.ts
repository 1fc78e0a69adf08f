// The Swarm part of the Networks view: on a manager, the nodes and the overlay networks with their services (VIP,
// endpoint mode) and tasks (node, state, address); on a worker or a standalone engine, one item saying what this
// engine can see and why not more. On a manager also the stacks (services by their com.docker.stack.namespace label),
// each with "Verify Isolation of the Stack" (commands/verifyStack.ts). networksTree.ts puts the root first and hands these nodes' children to here.
import * as vscode from 'vscode';
import {
  nodeDescription,
  overlayDescription,
  serviceDescription,
  stackDescription,
  taskDescription,
  type OverlayNetwork,
  type SwarmNode,
  type SwarmService,
  type SwarmStack,
  type SwarmTask,
  type SwarmView,
} from '../engine/swarm';
import { escapeMarkdown, markdownCode } from '../shared/escape';

export type SwarmTreeNode =
  | { kind: 'swarm'; view: SwarmView }
  | { kind: 'swarmSection'; section: 'nodes' | 'overlays' | 'stacks'; view: SwarmView; parent: SwarmTreeNode }
  | { kind: 'swarmStack'; stack: SwarmStack; parent: SwarmTreeNode }
  | { kind: 'swarmStackService'; service: SwarmStack['services'][number]; stack: SwarmStack; parent: SwarmTreeNode }
  | { kind: 'swarmInfo'; label: string; tooltip: string; parent: SwarmTreeNode }
  | { kind: 'swarmNode'; node: SwarmNode; parent: SwarmTreeNode }
  | { kind: 'swarmOverlay'; overlay: OverlayNetwork; parent: SwarmTreeNode }
  | { kind: 'swarmService'; service: SwarmService; overlay: OverlayNetwork; parent: SwarmTreeNode }
  | { kind: 'swarmTask'; task: SwarmTask; service: SwarmService; parent: SwarmTreeNode };

const KINDS = new Set(['swarm', 'swarmSection', 'swarmInfo', 'swarmNode', 'swarmOverlay', 'swarmService', 'swarmTask', 'swarmStack', 'swarmStackService']);

export function isSwarmNode(node: { kind: string }): node is SwarmTreeNode {
  return KINDS.has(node.kind);
}

export function swarmChildren(node: SwarmTreeNode): SwarmTreeNode[] {
  switch (node.kind) {
    case 'swarm': {
      const v = node.view;
      if (v.role === 'manager')
        return [
          { kind: 'swarmSection', section: 'nodes', view: v, parent: node },
          { kind: 'swarmSection', section: 'overlays', view: v, parent: node },
          // Stacks (docker stack deploy), from the services' com.docker.stack.namespace label: verify one from here.
          ...(v.stacks.length ? [{ kind: 'swarmSection' as const, section: 'stacks' as const, view: v, parent: node }] : []),
        ];
      if (v.role === 'worker')
        return [
          { kind: 'swarmInfo', label: 'Nodes, services and tasks: only on a manager', tooltip: v.why, parent: node },
          ...(v.managers.length ? [{ kind: 'swarmInfo' as const, label: `Managers: ${v.managers.join(', ')}`, tooltip: 'Connect to one of these (a docker context or "dockerNetworking.dockerHost") to see the whole Swarm.', parent: node }] : []),
          { kind: 'swarmSection', section: 'overlays', view: v, parent: node },
        ];
      return [];
    }
    case 'swarmSection':
      if (node.view.role === 'none') return [];
      if (node.section === 'nodes') return node.view.role === 'manager' ? node.view.nodes.map((n) => ({ kind: 'swarmNode', node: n, parent: node })) : [];
      if (node.section === 'stacks') return node.view.role === 'manager' ? node.view.stacks.map((st) => ({ kind: 'swarmStack', stack: st, parent: node })) : [];
      return node.view.overlays.map((o) => ({ kind: 'swarmOverlay', overlay: o, parent: node }));
    case 'swarmOverlay':
      return node.overlay.services.map((s) => ({ kind: 'swarmService', service: s, overlay: node.overlay, parent: node }));
    case 'swarmStack':
      return node.stack.services.map((sv) => ({ kind: 'swarmStackService', service: sv, stack: node.stack, parent: node }));
    case 'swarmService':
      return node.service.tasks.map((t) => ({ kind: 'swarmTask', task: t, service: node.service, parent: node }));
    default:
      return [];
  }
}

const SECTION_LABELS = { nodes: 'Nodes', overlays: 'Overlay networks', stacks: 'Stacks' } as const;

function md(lines: string[]): vscode.MarkdownString {
  return new vscode.MarkdownString(lines.join('\n\n'));
}

export function swarmTreeItem(node: SwarmTreeNode): vscode.TreeItem {
  const None = vscode.TreeItemCollapsibleState.None;
  const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
  const Expanded = vscode.TreeItemCollapsibleState.Expanded;
  switch (node.kind) {
    case 'swarm': {
      const v = node.view;
      if (v.role === 'none') {
        const item = new vscode.TreeItem('Swarm: not active', None);
        item.id = 'swarm';
        item.description = v.state === 'inactive' ? 'standalone engine' : v.state;
        item.tooltip = v.why;
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        item.contextValue = 'swarmInactive';
        return item;
      }
      const item = new vscode.TreeItem('Swarm', Expanded);
      item.id = 'swarm';
      item.description =
        v.role === 'manager'
          ? `manager · ${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'} · ${v.overlays.length} overlay network${v.overlays.length === 1 ? '' : 's'}`
          : `worker · ${v.nodeAddr}`;
      item.tooltip = v.role === 'manager' ? `This engine is a Swarm manager (node ${v.nodeId.slice(0, 12)}, ${v.nodeAddr}).` : v.why;
      item.iconPath = new vscode.ThemeIcon('cloud');
      item.contextValue = v.role === 'manager' ? 'swarmManager' : 'swarmWorker';
      return item;
    }
    case 'swarmSection': {
      const v = node.view;
      const count = v.role === 'none' ? 0 : node.section === 'nodes' ? (v.role === 'manager' ? v.nodes.length : 0) : node.section === 'stacks' ? (v.role === 'manager' ? v.stacks.length : 0) : v.overlays.length;
      const item = new vscode.TreeItem(SECTION_LABELS[node.section], node.section === 'nodes' ? Expanded : Collapsed);
      item.id = `swarm:${node.section}`;
      item.description = String(count);
      item.iconPath = new vscode.ThemeIcon(node.section === 'nodes' ? 'server' : node.section === 'stacks' ? 'layers' : 'type-hierarchy');
      item.contextValue = node.section === 'stacks' ? 'swarmStacks' : 'swarmSection';
      return item;
    }
    case 'swarmStack': {
      const st = node.stack;
      const item = new vscode.TreeItem(st.name, st.services.length ? Collapsed : None);
      item.id = `swarm:stack:${st.name}`;
      item.description = stackDescription(st);
      item.iconPath = new vscode.ThemeIcon('layers');
      // Menus: "Verify Isolation of the Stack" (package.json, viewItem == swarmStack).
      item.contextValue = 'swarmStack';
      item.tooltip = md([
        `**${escapeMarkdown(st.name)}** (stack: services labelled ${markdownCode(`com.docker.stack.namespace=${st.name}`)})`,
        st.services.map((sv) => `- ${markdownCode(sv.name)}: ${escapeMarkdown(sv.mode)}, ${sv.running}${sv.replicas !== undefined ? `/${sv.replicas}` : ''} running${sv.networks.length ? ` on ${sv.networks.map(markdownCode).join(', ')}` : ''}`).join('\n'),
      ]);
      item.accessibilityInformation = { label: `Stack ${st.name}, ${item.description}` };
      return item;
    }
    case 'swarmStackService': {
      const sv = node.service;
      const item = new vscode.TreeItem(sv.name, None);
      item.id = `swarm:stack:${node.stack.name}:${sv.name}`;
      item.description = [sv.mode === 'replicated' && sv.replicas !== undefined ? `${sv.running}/${sv.replicas}` : `${sv.mode} ${sv.running} running`, ...sv.networks].join(' · ');
      item.iconPath = new vscode.ThemeIcon('symbol-class');
      item.contextValue = 'swarmStackService';
      item.accessibilityInformation = { label: `Stack service ${sv.name}, ${item.description}` };
      return item;
    }
    case 'swarmInfo': {
      const item = new vscode.TreeItem(node.label, None);
      item.tooltip = node.tooltip;
      item.iconPath = new vscode.ThemeIcon('info');
      return item;
    }
    case 'swarmNode': {
      const n = node.node;
      const item = new vscode.TreeItem(n.hostname, None);
      item.id = `swarm:node:${n.id}`;
      item.description = `${nodeDescription(n)}${n.self ? ' · this engine' : ''}`;
      const ok = n.state === 'ready' && n.availability === 'active';
      item.iconPath = new vscode.ThemeIcon(n.role === 'manager' ? 'server-process' : 'server', new vscode.ThemeColor(ok ? 'testing.iconPassed' : 'list.warningForeground'));
      item.contextValue = `swarmNode:${n.role}`;
      item.tooltip = md([
        `**${escapeMarkdown(n.hostname)}** (${escapeMarkdown(n.role)}${n.leader ? ', leader' : ''})`,
        `- ID: ${markdownCode(n.id)}\n- address: ${n.address ? markdownCode(n.address) : 'unknown'}\n- availability: ${escapeMarkdown(n.availability)}\n- state: ${escapeMarkdown(n.state)}${n.engineVersion ? `\n- engine: ${escapeMarkdown(n.engineVersion)}` : ''}`,
      ]);
      item.accessibilityInformation = { label: `Swarm node ${n.hostname}, ${item.description}` };
      return item;
    }
    case 'swarmOverlay': {
      const o = node.overlay;
      const item = new vscode.TreeItem(o.name, o.services.length ? Collapsed : None);
      item.id = `swarm:overlay:${o.id}`;
      item.description = overlayDescription(o);
      item.iconPath = new vscode.ThemeIcon(o.encrypted ? 'lock' : o.ingress ? 'globe' : 'type-hierarchy-sub');
      item.contextValue = 'swarmOverlay';
      const flags = (['attachable', 'encrypted', 'ingress', 'internal'] as const).map((f) => `${f}: ${o[f] ? 'yes' : 'no'}`).join(', ');
      item.tooltip = md([
        `**${escapeMarkdown(o.name)}** (overlay, scope ${escapeMarkdown(o.scope)})`,
        `- subnet: ${o.subnets.map(markdownCode).join(', ') || 'none'}\n- VXLAN ID: ${o.vxlanIds.map(markdownCode).join(', ') || 'not allocated yet'}\n- ${flags}${o.mtu ? `\n- MTU: ${markdownCode(o.mtu)}` : ''}${o.stack ? `\n- stack: ${markdownCode(o.stack)}` : ''}`,
        o.encrypted ? 'Encrypted: IPsec (ESP, IP protocol 50) must pass between the nodes, or traffic is dropped silently.' : '',
        o.ingress ? "Swarm's routing mesh for published ports (needs IPVS in each node's kernel)." : '',
      ].filter(Boolean));
      item.accessibilityInformation = { label: `Overlay network ${o.name}, ${item.description}` };
      return item;
    }
    case 'swarmService': {
      const s = node.service;
      const item = new vscode.TreeItem(s.name, s.tasks.length ? Collapsed : None);
      item.id = `swarm:service:${node.overlay.id}:${s.id}`;
      item.description = serviceDescription(s);
      item.iconPath = new vscode.ThemeIcon('layers');
      item.contextValue = 'swarmService';
      item.accessibilityInformation = { label: `Swarm service ${s.name}, ${item.description}` };
      item.tooltip = md([
        `**${escapeMarkdown(s.name)}** on ${markdownCode(node.overlay.name)}`,
        `- endpoint mode: ${markdownCode(s.endpointMode)}${s.endpointMode === 'vip' ? `\n- VIP: ${s.vip ? markdownCode(s.vip) : 'none on this network'}` : ''}\n- mode: ${escapeMarkdown(s.mode)}${s.replicas !== undefined ? ` (${s.replicas} replicas)` : ''}\n- DNS: ${markdownCode(s.name)} (${s.endpointMode === 'vip' ? 'the VIP' : 'every task'}), ${markdownCode(`tasks.${s.name}`)} (every task)${s.ports.length ? `\n- published: ${s.ports.map(markdownCode).join(', ')}` : ''}`,
      ]);
      return item;
    }
    case 'swarmTask': {
      const t = node.task;
      const item = new vscode.TreeItem(t.name, None);
      item.id = `swarm:task:${node.parent.kind === 'swarmService' ? node.parent.overlay.id : ''}:${t.id}`;
      item.description = taskDescription(t);
      const running = t.state === 'running';
      item.iconPath = new vscode.ThemeIcon(running ? 'vm-running' : t.state === 'failed' || t.state === 'rejected' ? 'error' : 'vm-outline', running ? new vscode.ThemeColor('testing.iconPassed') : undefined);
      item.contextValue = 'swarmTask';
      item.accessibilityInformation = { label: `Swarm task ${t.name}, ${item.description}` };
      item.tooltip = md([
        `**${escapeMarkdown(t.name)}** (${markdownCode(t.id.slice(0, 12))})`,
        `- node: ${escapeMarkdown(t.node ?? t.nodeId)}\n- state: ${escapeMarkdown(t.state)} (desired: ${escapeMarkdown(t.desiredState)})\n- address: ${t.address ? markdownCode(t.address) : 'none'}${t.error ? `\n- error: ${escapeMarkdown(t.error)}` : ''}`,
      ]);
      return item;
    }
  }
}
