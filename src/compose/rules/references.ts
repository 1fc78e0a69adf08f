// Catalogue A: references that `docker compose config` rejects.
import { deleteSpan, replaceSpan } from '../edits';
import { IMPLICIT_DEFAULT } from '../model';
import { closest } from '../names';
import type { Finding, Fix } from '../types';
import { declareNetworkFix, finding, type Rule } from './context';

export const undefinedNetwork: Rule = ({ project }) => {
  const out: Finding[] = [];
  const declared = [...project.networks.keys()];
  for (const svc of project.services.values()) {
    for (const ref of svc.networks?.values() ?? []) {
      const name = ref.name.value;
      if (ref.name.unknown || name === IMPLICIT_DEFAULT || project.networks.has(name)) continue;
      const fixes: Fix[] = [];
      const near = closest(name, declared);
      if (near) fixes.push({ title: `Change to "${near}"`, edits: [replaceSpan(ref.name.span, near, { quote: true })], preferred: true });
      const declare = declareNetworkFix(project, name);
      if (declare) fixes.push({ ...declare, preferred: !near });
      out.push(finding('undefined-network', ref.name.span, `service "${svc.name}" refers to undefined network "${name}"`, { fixes }));
    }
  }
  return out;
};

export const networkModeWithNetworks: Rule = ({ project }) => {
  const out: Finding[] = [];
  for (const svc of project.services.values()) {
    const mode = svc.entries.get('network_mode');
    const nets = svc.entries.get('networks');
    if (!mode || !nets) continue;
    out.push(
      finding('network-mode-with-networks', mode.keySpan, `service "${svc.name}": network_mode and networks are mutually exclusive`, {
        related: [{ span: nets.keySpan, message: `the networks of "${svc.name}"` }],
        fixes: [
          { title: 'Delete network_mode', edits: [deleteSpan(project, mode.span)] },
          { title: 'Delete networks', edits: [deleteSpan(project, nets.span)] },
        ],
      }),
    );
  }
  return out;
};

export const networkModeUnknownService: Rule = ({ project }) => {
  const out: Finding[] = [];
  for (const svc of project.services.values()) {
    const mode = svc.networkMode;
    if (!mode || mode.unknown || !mode.value.startsWith('service:')) continue;
    const target = mode.value.slice('service:'.length);
    if (project.services.has(target)) continue;
    const others = [...project.services.keys()].filter((s) => s !== svc.name);
    const near = closest(target, others);
    const ordered = near ? [near, ...others.filter((o) => o !== near)] : others;
    const fixes = ordered.slice(0, 5).map((o, i) => ({ title: `Use service "${o}"`, edits: [replaceSpan(mode.span, `service:${o}`, { quote: true })], preferred: i === 0 && !!near }));
    out.push(finding('network-mode-unknown-service', mode.span, `service "${svc.name}": network_mode refers to unknown service "${target}"`, { fixes }));
  }
  return out;
};
