// What the Networks view shows: built-in networks or not, every Compose project or only those started from
// this workspace's files, and the order of networks in each group. Pure, so unit tests pin it down.
import { parseCidr } from '../compose/ip';
import type { ContainerSummary, NetworkSummary } from './model';
import type { NetworkGroup } from './view';

export type NetworkSort = 'name' | 'created' | 'subnet';

export interface NetworkFilter {
  showBuiltIn: boolean;
  /** Only Compose projects whose containers were started from a compose file inside the workspace. */
  workspaceProjectsOnly: boolean;
  sortBy: NetworkSort;
}

export const SHOW_ALL: NetworkFilter = { showBuiltIn: true, workspaceProjectsOnly: false, sortBy: 'name' };

/** The groups to show; `inWorkspace` says whether a compose file path belongs to the open workspace. */
export function filterGroups(groups: NetworkGroup[], containers: ContainerSummary[], filter: NetworkFilter, inWorkspace: (file: string) => boolean): NetworkGroup[] {
  const ours = new Set(containers.filter((c) => c.composeProject && c.composeFiles?.some(inWorkspace)).map((c) => c.composeProject!));
  return groups
    .filter((g) => (g.id === 'builtin' ? filter.showBuiltIn : !g.id.startsWith('project:') || !filter.workspaceProjectsOnly || ours.has(g.id.slice('project:'.length))))
    .map((g) => ({ ...g, networks: sortNetworksBy(g.networks, filter.sortBy) }));
}

export function sortNetworksBy(networks: NetworkSummary[], sortBy: NetworkSort): NetworkSummary[] {
  const byName = (a: NetworkSummary, b: NetworkSummary) => a.name.localeCompare(b.name);
  if (sortBy === 'created') return [...networks].sort((a, b) => (b.created ?? '').localeCompare(a.created ?? '') || byName(a, b)); // newest first
  if (sortBy === 'subnet') {
    // By family then address; networks without a subnet (host, none) last.
    const key = (n: NetworkSummary) => {
      const c = n.subnets[0] ? parseCidr(n.subnets[0].subnet) : undefined;
      return c ? { rank: c.family, base: c.base, prefix: c.prefix } : { rank: 99, base: 0n, prefix: 0 };
    };
    return [...networks].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      return x.rank - y.rank || (x.base < y.base ? -1 : x.base > y.base ? 1 : 0) || x.prefix - y.prefix || byName(a, b);
    });
  }
  return [...networks].sort(byName);
}

/** What the view hides or how it orders, in words for its message line; empty when everything shows by name. */
export function filterNote(filter: NetworkFilter): string {
  const parts = [filter.showBuiltIn ? '' : 'built-in networks hidden', filter.workspaceProjectsOnly ? "only this workspace's Compose projects" : '', filter.sortBy === 'name' ? '' : `sorted by ${filter.sortBy === 'created' ? 'newest' : 'subnet'}`];
  return parts.filter(Boolean).join(', ');
}
