// How networks and containers are presented (groups, descriptions, tooltips): pure, so it is unit-tested.
import type { ContainerSummary, Endpoint, NetworkSummary } from './model';
import { escapeMarkdown, markdownCode } from '../shared/escape';

export interface NetworkGroup {
  id: string;
  label: string;
  networks: NetworkSummary[];
}

/** Compose projects first (by the project label), then other user-defined networks, then the built-in ones. */
export function groupNetworks(networks: NetworkSummary[]): NetworkGroup[] {
  const projects = new Map<string, NetworkSummary[]>();
  const user: NetworkSummary[] = [];
  const builtIn: NetworkSummary[] = [];
  for (const n of [...networks].sort((a, b) => a.name.localeCompare(b.name))) {
    if (n.builtIn) builtIn.push(n);
    else if (n.composeProject) projects.set(n.composeProject, [...(projects.get(n.composeProject) ?? []), n]);
    else user.push(n);
  }
  const groups: NetworkGroup[] = [...projects]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([project, nets]) => ({ id: `project:${project}`, label: `Compose project: ${project}`, networks: nets }));
  if (user.length) groups.push({ id: 'user', label: 'User-defined networks', networks: user });
  if (builtIn.length) groups.push({ id: 'builtin', label: 'Built-in networks', networks: builtIn });
  return groups;
}

export function networkFlags(n: NetworkSummary): string[] {
  return [n.internal ? 'internal' : '', n.attachable ? 'attachable' : '', n.ipv6 ? 'IPv6' : ''].filter(Boolean);
}

/** A network Compose did not create, that containers of a Compose project use (`external: true`). */
export function isExternalToCompose(n: NetworkSummary, containers: ContainerSummary[] | Map<string, Attachment[]>): boolean {
  return !n.builtIn && !n.composeProject && attachmentsOf(n, containers).some((a) => a.container.composeProject);
}

export function networkDescription(n: NetworkSummary, containers: ContainerSummary[] | Map<string, Attachment[]> = []): string {
  return [n.driver, ...n.subnets.map((s) => s.subnet), ...networkFlags(n), isExternalToCompose(n, containers) ? 'external to compose' : ''].filter(Boolean).join(' · ');
}

// Tooltips are Markdown: engine values (names, labels, options) go in code spans or escaped, never as raw Markdown.
const code = markdownCode;

export function networkTooltip(n: NetworkSummary): string {
  const lines = [
    `**${escapeMarkdown(n.name)}**`,
    '',
    `- ID: ${code(n.id.slice(0, 12))}`,
    `- driver: ${code(n.driver)}, scope: ${code(n.scope)}`,
    `- internal: ${n.internal ? 'yes' : 'no'}, attachable: ${n.attachable ? 'yes' : 'no'}, IPv6: ${n.ipv6 ? 'yes' : 'no'}`,
  ];
  if (n.subnets.length) {
    lines.push('', '**IPAM**');
    for (const s of n.subnets) lines.push(`- subnet ${code(s.subnet)}${s.gateway ? `, gateway ${code(s.gateway)}` : ''}${s.ipRange ? `, range ${code(s.ipRange)}` : ''}`);
  }
  const options = Object.entries(n.options);
  if (options.length) {
    lines.push('', '**Options**');
    for (const [k, v] of options) lines.push(`- ${code(k)}: ${code(v)}`);
  }
  const labels = Object.entries(n.labels);
  if (labels.length) {
    lines.push('', '**Labels**');
    for (const [k, v] of labels) lines.push(`- ${code(k)}: ${code(v)}`);
  }
  return lines.join('\n');
}

export interface Attachment {
  container: ContainerSummary;
  endpoint: Endpoint;
}

/** Every network's attachments, joined once (by network ID, or name for endpoints without one). */
export function indexAttachments(containers: ContainerSummary[]): Map<string, Attachment[]> {
  const index = new Map<string, Attachment[]>();
  for (const container of containers) {
    for (const endpoint of container.endpoints) {
      const key = endpoint.networkId || `name:${endpoint.networkName}`;
      const list = index.get(key);
      if (list) list.push({ container, endpoint });
      else index.set(key, [{ container, endpoint }]);
    }
  }
  for (const list of index.values()) list.sort((a, b) => (a.container.name < b.container.name ? -1 : a.container.name > b.container.name ? 1 : 0));
  return index;
}

export function attachmentsOf(network: NetworkSummary, containers: ContainerSummary[] | Map<string, Attachment[]>): Attachment[] {
  const index = containers instanceof Map ? containers : indexAttachments(containers);
  return [...(index.get(network.id) ?? []), ...(index.get(`name:${network.name}`) ?? [])];
}

export function attachmentDescription({ container, endpoint }: Attachment): string {
  return [container.state, endpoint.ipv4, endpoint.ipv6, endpoint.aliases?.length ? `aliases ${endpoint.aliases.join(', ')}` : ''].filter(Boolean).join(' · ');
}

export function attachmentTooltip({ container, endpoint }: Attachment): string {
  return [
    `**${escapeMarkdown(container.name)}** on ${code(endpoint.networkName)}`,
    '',
    `- state: ${escapeMarkdown(container.state)} (${escapeMarkdown(container.status)})`,
    `- image: ${code(container.image)}`,
    `- IPv4: ${endpoint.ipv4 ? code(endpoint.ipv4) : 'none'}`,
    `- IPv6: ${endpoint.ipv6 ? code(endpoint.ipv6) : 'none'}`,
    `- MAC: ${endpoint.mac ? code(endpoint.mac) : 'none'}`,
    `- aliases: ${endpoint.aliases === undefined ? 'loading…' : endpoint.aliases.length ? endpoint.aliases.map(code).join(', ') : 'none'}`,
    ...(container.composeService ? [`- compose service: ${code(container.composeService)} of ${code(container.composeProject ?? '')}`] : []),
  ].join('\n');
}
