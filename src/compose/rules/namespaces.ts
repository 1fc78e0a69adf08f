// Shared network namespaces (network_mode service:/container:/host) and what conflicts with them.
import { deleteSpan, replaceSpan } from '../edits';
import type { Finding } from '../types';
import { finding, type Rule } from './context';

/** Keys Docker refuses together with a container network mode (moby runconfig: validateNetContainerMode). */
const CONFLICTS_WITH_SHARED_NETNS = ['ports', 'expose', 'hostname', 'dns', 'extra_hosts', 'links', 'mac_address'];

export const sharedNetnsConflict: Rule = ({ project }) => {
  const out: Finding[] = [];
  for (const svc of project.services.values()) {
    const mode = svc.networkMode;
    if (!mode || mode.unknown || !/^(service|container):/.test(mode.value)) continue;
    for (const key of CONFLICTS_WITH_SHARED_NETNS) {
      const entry = svc.entries.get(key);
      if (!entry) continue;
      const owner = mode.value.split(':')[1];
      const moveHint = key === 'ports' || key === 'expose' ? ` (set ${key} on "${owner}", whose namespace this service shares)` : '';
      out.push(finding('shared-netns-conflict', entry.keySpan, `service "${svc.name}": conflicting options: ${key} and the container network mode "${mode.value}"${moveHint}`, {
        related: [{ span: mode.span, message: 'the network mode is set here' }],
        fixes: [{ title: `Delete ${key}`, edits: [deleteSpan(project, entry.span)], preferred: true }],
      }));
    }
  }
  return out;
};

export const hostModeRules: Rule = ({ project }) => {
  const out: Finding[] = [];
  for (const svc of project.services.values()) {
    if (svc.networkMode?.value !== 'host' || svc.networkMode.unknown) continue;
    const links = svc.entries.get('links');
    if (links) {
      const plain = svc.links.every((l) => !l.alias) && !svc.entries.has('depends_on');
      const fixes = plain
        ? [{ title: 'Replace links by depends_on', edits: [replaceSpan(links.keySpan, 'depends_on')], preferred: true }]
        : [{ title: 'Delete links', edits: [deleteSpan(project, links.span)] }];
      out.push(finding('host-mode-links', links.keySpan, `service "${svc.name}": links cannot be used with host networking`, { related: [{ span: svc.networkMode.span, message: 'host networking is set here' }], fixes }));
    }
    const ports = svc.entries.get('ports');
    if (ports) {
      out.push(finding('host-mode-ports', ports.keySpan, `service "${svc.name}": ports are discarded in host network mode (the container binds the host's ports directly)`, {
        related: [{ span: svc.networkMode.span, message: 'host networking is set here' }],
        fixes: [{ title: 'Delete ports', edits: [deleteSpan(project, ports.span)], preferred: true }],
      }));
    }
  }
  return out;
};

export const macAddressMismatch: Rule = ({ project }) => {
  const out: Finding[] = [];
  for (const svc of project.services.values()) {
    const own = svc.macAddress;
    const entry = svc.entries.get('mac_address');
    if (!own || own.unknown || !entry) continue;
    for (const ref of svc.networks?.values() ?? []) {
      if (!ref.mac || ref.mac.unknown || ref.mac.value.toLowerCase() === own.value.toLowerCase()) continue;
      out.push(finding('mac-address-mismatch', own.span, `service "${svc.name}": mac_address ${own.value} differs from ${ref.mac.value} on network "${ref.name.value}"; the two MAC addresses must match`, {
        related: [{ span: ref.mac.span, message: `mac_address on "${ref.name.value}"` }],
        fixes: [{ title: 'Keep the network-level MAC address (delete the service-level one)', edits: [deleteSpan(project, entry.span)], preferred: true }],
      }));
    }
  }
  return out;
};
