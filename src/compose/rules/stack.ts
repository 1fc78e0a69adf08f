// Rules for stacks (`docker stack deploy`) and overlay networks. See src/compose/stack.ts for when a project is a stack.
import { addToMapping, replaceSpan } from '../edits';
import type { NetworkDecl } from '../model';
import { deployValue, networkDriver, stackPorts } from '../stack';
import type { Finding } from '../types';
import { finding, type Rule } from './context';

/** VXLAN adds 50 bytes to each packet: on a 1500-byte underlay the overlay's MTU is 1450 at most. */
export const OVERLAY_MAX_MTU = 1450;

/** The network's driver as the engine will use it; undefined for external networks and unresolved values. */
function driverOf(net: NetworkDecl, isStack: boolean): string | undefined {
  if (net.external || net.driver?.unknown) return undefined;
  return networkDriver(net, isStack);
}

/** `endpoint_mode: dnsrr` gives the service no VIP, and the ingress routing mesh needs one: Swarm refuses the service. */
export const dnsrrWithIngressPorts: Rule = ({ project }) => {
  if (!project.isStack) return [];
  const out: Finding[] = [];
  for (const svc of project.services.values()) {
    const mode = deployValue(svc, 'endpoint_mode');
    if (!mode || mode.unknown || mode.value !== 'dnsrr') continue;
    for (const port of stackPorts(svc)) {
      // swarmkit refuses every ingress port, published or not ("80" gets a published port from the ingress range).
      if (port.mode !== 'ingress') continue;
      out.push(finding('dnsrr-with-ingress-ports', port.span, `service "${svc.name}" publishes a port in ingress mode with endpoint_mode: dnsrr: Swarm refuses it (the routing mesh needs a VIP); publish it with mode: host, or use endpoint_mode: vip`, {
        related: [{ span: mode.span, message: 'endpoint_mode: dnsrr is set here' }],
      }));
    }
  }
  return out;
};

/**
 * A service that keeps `container_name` or `network_mode: service:` is meant to run as a standalone container
 * (docker compose / docker run), and a standalone container joins an overlay only when it is `attachable`.
 */
export const overlayNotAttachable: Rule = ({ project }) => {
  if (!project.isStack) return [];
  const out: Finding[] = [];
  for (const net of project.networks.values()) {
    if (net.attachable || driverOf(net, true) !== 'overlay') continue;
    const standalone = [...project.services.values()].filter(
      (s) => (s.containerName || s.networkMode?.value.startsWith('service:')) && (s.networks ? s.networks.has(net.name) : net.name === 'default'),
    );
    if (!standalone.length) continue;
    const first = standalone[0];
    const why = first.containerName ? 'container_name' : 'network_mode: service:';
    out.push(finding('overlay-not-attachable', net.driver?.span ?? net.nameSpan, `overlay network "${net.name}" is not attachable, but service "${first.name}" (${why}) runs as a standalone container on it: a container outside a Swarm service can join only with attachable: true`, {
      related: standalone.slice(0, 5).map((s) => ({ span: s.containerName?.span ?? s.networkMode?.span ?? s.nameSpan, message: `"${s.name}" is a standalone container` })),
      fixes: [{ title: `Make "${net.name}" attachable`, preferred: true, edits: [addToMapping(project, { file: net.nameSpan.file, pair: net.pair }, 'attachable', true)] }],
    }));
  }
  return out;
};

/** An encrypted overlay's data path is IPsec ESP between nodes: firewalls must let IP protocol 50 through. */
export const overlayEncrypted: Rule = ({ project }) => {
  const out: Finding[] = [];
  for (const net of project.networks.values()) {
    const opt = net.driverOpts.get('encrypted');
    if (!opt || driverOf(net, project.isStack) !== 'overlay') continue;
    out.push(finding('overlay-encrypted', opt.span, `overlay network "${net.name}" is encrypted: its traffic between nodes is IPsec ESP (IP protocol 50, not TCP/UDP), which every firewall between the nodes must let through, besides UDP 4789 (VXLAN)`));
  }
  return out;
};

/** VXLAN encapsulation takes 50 bytes: an overlay MTU above 1450 on a 1500-byte underlay fragments or drops packets. */
export const overlayMtuTooLarge: Rule = ({ project }) => {
  const out: Finding[] = [];
  for (const net of project.networks.values()) {
    const opt = net.driverOpts.get('com.docker.network.driver.mtu');
    if (!opt || opt.unknown || driverOf(net, project.isStack) !== 'overlay') continue;
    const mtu = Number(opt.value.trim());
    if (!Number.isInteger(mtu) || mtu <= OVERLAY_MAX_MTU) continue;
    out.push(finding('overlay-mtu-too-large', opt.span, `overlay network "${net.name}" has MTU ${mtu}, but VXLAN adds 50 bytes to each packet: on a 1500-byte underlay the overlay allows ${OVERLAY_MAX_MTU} at most, larger packets are dropped between nodes (unless every node's network carries ${mtu + 50})`, {
      fixes: [{ title: `Set the MTU to ${OVERLAY_MAX_MTU}`, preferred: true, edits: [replaceSpan(opt.span, String(OVERLAY_MAX_MTU), { quote: true })] }],
    }));
  }
  return out;
};

/** A port published in `mode: host` binds on the node itself: two tasks of the service cannot share a node. */
export const hostPortsReplicasExceedNodes: Rule = ({ project, engine }) => {
  if (!project.isStack) return [];
  const out: Finding[] = [];
  const nodes = engine?.swarmNodes;
  for (const svc of project.services.values()) {
    const mode = deployValue(svc, 'mode');
    if (mode && (mode.unknown || mode.value !== 'replicated')) continue; // global: one task per node
    if (svc.replicas <= 1 || (nodes !== undefined && svc.replicas <= nodes)) continue;
    for (const port of stackPorts(svc)) {
      if (port.mode !== 'host' || port.published === undefined) continue;
      const message =
        nodes !== undefined
          ? `service "${svc.name}" publishes port ${port.published} in mode: host with ${svc.replicas} replicas, but the Swarm has ${nodes} node${nodes === 1 ? '' : 's'}: a node binds the port once, so ${svc.replicas - nodes} task${svc.replicas - nodes === 1 ? '' : 's'} will not be placed`
          : `service "${svc.name}" publishes port ${port.published} in mode: host with ${svc.replicas} replicas: a node binds the port once, so with more replicas than nodes, tasks will not be placed`;
      out.push(finding('host-ports-replicas-exceed-nodes', port.span, message, { ...(nodes === undefined ? { severity: 'info' as const } : {}) }));
    }
  }
  return out;
};

/** `docker stack deploy` ignores these keys ("Ignoring unsupported options"): nothing the file says with them happens. */
export const stackIgnoredOption: Rule = ({ project }) => {
  if (!project.isStack) return [];
  const out: Finding[] = [];
  for (const svc of project.services.values()) {
    for (const key of ['container_name', 'links', 'network_mode']) {
      const entry = svc.entries.get(key);
      if (entry) out.push(finding('stack-ignored-option', entry.keySpan, `service "${svc.name}": ${key} is ignored by docker stack deploy`));
    }
  }
  return out;
};
