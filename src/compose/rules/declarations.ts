// Network declarations: unused, external with ignored settings, drivers that need more than Compose gives them.
import { addToMapping, deleteSpan, entrySpan, replaceSpan } from '../edits';
import { IMPLICIT_DEFAULT } from '../model';
import type { Finding } from '../types';
import { finding, type Rule } from './context';

export const unusedNetwork: Rule = ({ project, topology }) => {
  const used = new Set<string>();
  for (const svc of project.services.keys()) for (const n of topology.networksOf(svc)) used.add(n);
  for (const svc of project.services.values()) {
    // `network_mode: <network>` uses that network too.
    if (svc.networkMode && !svc.networkMode.unknown) used.add(svc.networkMode.value);
  }
  return [...project.networks.values()]
    .filter((n) => !n.external && !used.has(n.name) && !(n.name === IMPLICIT_DEFAULT && project.services.size === 0))
    .map((n) =>
      finding('unused-network', n.nameSpan, `network "${n.name}" is declared but no service uses it; Compose will not create it`, {
        fixes: [{ title: `Delete network "${n.name}"`, edits: [deleteSpan(project, entrySpan(n.nameSpan.file, n.pair))] }],
      }),
    );
};

const ALLOWED_ON_EXTERNAL = new Set(['external', 'name']);

export const externalNetworkWithConfig: Rule = ({ project }) => {
  const out: Finding[] = [];
  for (const net of project.networks.values()) {
    if (!net.external) continue;
    for (const [key, entry] of net.entries) {
      if (ALLOWED_ON_EXTERNAL.has(key) || key.startsWith('x-')) continue;
      out.push(finding('external-network-with-config', entry.keySpan, `network "${net.name}" is external: its "${key}" is ignored (Compose does not create or change external networks)`, {
        fixes: [{ title: `Delete ${key}`, edits: [deleteSpan(project, entry.span)], preferred: true }],
      }));
    }
  }
  return out;
};

export const macvlanWithoutParent: Rule = ({ project, engine }) => {
  const out: Finding[] = [];
  for (const net of project.networks.values()) {
    const driver = net.driver?.value;
    if (net.external || !net.driver || net.driver.unknown || (driver !== 'macvlan' && driver !== 'ipvlan') || net.driverOpts.has('parent')) continue;
    const optsEntry = net.entries.get('driver_opts');
    const fixes = (engine?.hostInterfaces ?? []).map((iface) => ({
      title: `Use host interface "${iface}" as parent`,
      edits: [
        optsEntry
          ? addToMapping(project, { file: optsEntry.keySpan.file, pair: optsEntry.pair }, 'parent', iface)
          : addToMapping(project, { file: net.nameSpan.file, pair: net.pair }, 'driver_opts', { parent: iface }),
      ],
    }));
    out.push(finding('macvlan-without-parent', net.driver.span, `${driver} network "${net.name}" has no driver_opts.parent: it gets a dummy parent interface and is isolated from the host's network`, { fixes }));
  }
  return out;
};

export const overlayRequiresSwarm: Rule = ({ project, engine }) => {
  if (project.isStack) return []; // stack files are deployed to Swarm, where overlay is the norm
  const out: Finding[] = [];
  for (const net of project.networks.values()) {
    if (net.external || net.driver?.value !== 'overlay' || net.driver.unknown) continue;
    const inactive = engine?.swarmActive === false;
    out.push(finding('overlay-requires-swarm', net.driver.span, `overlay network "${net.name}" needs Swarm mode${inactive ? ', and Swarm is not active on this engine' : ''}; with docker compose use bridge, or run docker swarm init`, {
      severity: inactive ? 'warning' : 'info',
      fixes: [{ title: 'Use the bridge driver', edits: [replaceSpan(net.driver.span, 'bridge')] }],
    }));
  }
  return out;
};

export const externalNetworkMissing: Rule = ({ project, engine }) => {
  if (!engine) return [];
  const existing = new Set(engine.networkNames);
  const out: Finding[] = [];
  for (const net of project.networks.values()) {
    if (!net.external || net.externalName?.unknown) continue;
    const name = net.externalName?.value ?? net.name;
    if (!existing.has(name)) {
      out.push(finding('external-network-missing', net.nameSpan, `network "${name}" is declared as external, but it does not exist on the engine; create it (docker network create ${name}) before docker compose up`));
    }
  }
  return out;
};
