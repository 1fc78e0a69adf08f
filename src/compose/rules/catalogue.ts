// Every rule the analyzer knows: its stable id, default severity and one-line summary.
// The ids, messages and fixes follow docs/rules.md (from the team's network-rules catalogue).
import type { Severity } from '../types';

export interface RuleInfo {
  id: string;
  severity: Severity;
  summary: string;
  /** Needs an engine snapshot to say anything. */
  engine?: boolean;
}

export const RULES: RuleInfo[] = [
  { id: 'yaml-syntax', severity: 'error', summary: 'The file is not valid YAML.' },
  { id: 'file-not-found', severity: 'error', summary: 'A compose file named by -f, include or extends does not exist.' },
  { id: 'file-unreadable', severity: 'error', summary: 'A file named by -f, include, extends or env_file is not a regular readable file.' },
  { id: 'compose-load-error', severity: 'error', summary: 'Compose refuses to load the project (include/extends cycle, missing extends target, include conflict, empty networks:, invalid env file).' },
  { id: 'analysis-limit', severity: 'info', summary: 'Part of a file is past the analyzer\'s limits (value length, nesting) and was not analyzed.' },
  { id: 'undefined-network', severity: 'error', summary: 'A service refers to a network that is not declared.' },
  { id: 'network-mode-with-networks', severity: 'error', summary: 'network_mode and networks are mutually exclusive.' },
  { id: 'network-mode-unknown-service', severity: 'error', summary: 'network_mode: service:X names no service.' },
  { id: 'static-ip-without-subnet', severity: 'error', summary: 'A static IP needs a configured subnet of its family.' },
  { id: 'static-ip-outside-subnet', severity: 'error', summary: 'A static IP lies outside the network\'s subnets.' },
  { id: 'invalid-static-ip', severity: 'error', summary: 'A static IP is not a valid address.' },
  { id: 'duplicate-static-ip', severity: 'error', summary: 'Two containers get the same static IP on one network.' },
  { id: 'gateway-outside-subnet', severity: 'error', summary: 'An IPAM gateway is outside its subnet.' },
  { id: 'ip-range-outside-subnet', severity: 'error', summary: 'An IPAM ip_range is outside its subnet.' },
  { id: 'overlapping-subnets', severity: 'error', summary: 'Two networks of the project have overlapping subnets.' },
  { id: 'shared-netns-conflict', severity: 'error', summary: 'Options that conflict with a shared network namespace.' },
  { id: 'host-mode-links', severity: 'error', summary: 'links cannot be used with host networking.' },
  { id: 'mac-address-mismatch', severity: 'error', summary: 'Service-level and network-level MAC addresses differ.' },
  { id: 'external-network-missing', severity: 'warning', summary: 'An external network does not exist on the engine.', engine: true },
  { id: 'unreachable-hostname', severity: 'warning', summary: 'A service names a host it cannot resolve on its networks.' },
  { id: 'link-without-shared-network', severity: 'warning', summary: 'A link between services that share no network.' },
  { id: 'depends-on-no-shared-network', severity: 'info', summary: 'A dependency the service cannot reach.' },
  { id: 'ports-on-internal-only', severity: 'warning', summary: 'Published ports on a service whose networks are all internal.' },
  { id: 'host-mode-ports', severity: 'warning', summary: 'Ports are discarded in host network mode.' },
  { id: 'dns-name-collision', severity: 'warning', summary: 'Two services answer to one name on one network.' },
  { id: 'namespace-tenant-has-no-dns', severity: 'warning', summary: 'A reference to a service that has no DNS name of its own.' },
  { id: 'implicit-default-mixed', severity: 'info', summary: 'Services on the implicit default network and services on custom networks cannot reach each other.' },
  { id: 'unused-network', severity: 'info', summary: 'A declared network that no service uses.' },
  { id: 'external-network-with-config', severity: 'warning', summary: 'Attributes of an external network are ignored.' },
  { id: 'macvlan-without-parent', severity: 'warning', summary: 'A macvlan/ipvlan network without a parent interface.' },
  { id: 'overlay-requires-swarm', severity: 'info', summary: 'Overlay networks need Swarm mode.' },
  { id: 'dnsrr-with-ingress-ports', severity: 'error', summary: 'A stack service with endpoint_mode: dnsrr publishes a port in ingress mode (Swarm refuses it).' },
  { id: 'overlay-not-attachable', severity: 'warning', summary: 'A standalone container must join an overlay network that is not attachable.' },
  { id: 'overlay-encrypted', severity: 'info', summary: 'An encrypted overlay needs ESP (IP protocol 50) to pass between nodes.' },
  { id: 'overlay-mtu-too-large', severity: 'warning', summary: 'An overlay MTU above 1450 (VXLAN adds 50 bytes to a 1500-byte underlay).' },
  { id: 'host-ports-replicas-exceed-nodes', severity: 'warning', summary: 'Ports published in mode: host with more replicas than Swarm nodes.' },
  { id: 'stack-ignored-option', severity: 'info', summary: 'container_name, links or network_mode, which docker stack deploy ignores.' },
  { id: 'extra-hosts-shadows-service', severity: 'warning', summary: 'An extra_hosts entry overrides Compose DNS for a service name.' },
  { id: 'links-redundant', severity: 'info', summary: 'links are not needed between services on user-defined networks.' },
  { id: 'port-range-mismatch', severity: 'error', summary: 'Host and container port ranges differ in length.' },
  { id: 'port-host-ip-invalid', severity: 'error', summary: 'A port\'s host IP is not a valid address.' },
  { id: 'invalid-port', severity: 'error', summary: 'A port number is not between 1 and 65535.' },
  { id: 'invalid-subnet', severity: 'error', summary: 'An IPAM subnet, ip_range or gateway is not a valid CIDR or address.' },
  { id: 'duplicate-key', severity: 'error', summary: 'A mapping has the same key twice.' },
  { id: 'static-ip-across-networks', severity: 'warning', summary: 'A literal IP is another service\'s static address on a network the referrer is not on.' },
  { id: 'ports-on-macvlan-only', severity: 'warning', summary: 'Published ports on a service whose only networks are macvlan/ipvlan.' },
  { id: 'host-docker-internal-unresolved', severity: 'warning', summary: 'host.docker.internal without the host-gateway extra_hosts entry (Linux engines).' },
  { id: 'sensitive-port-published', severity: 'info', summary: 'A database or admin port published on all interfaces.' },
  { id: 'duplicate-host-port', severity: 'error', summary: 'The same host port is published twice (or is taken on the engine).' },
  { id: 'subnet-overlaps-engine-network', severity: 'error', summary: 'A subnet overlaps a network that already exists on the engine.', engine: true },
  { id: 'subnet-in-default-pools', severity: 'info', summary: 'A subnet inside the engine\'s default address pools.', engine: true },
  { id: 'subnet-overlaps-host-route', severity: 'warning', summary: 'A subnet overlaps a route of the engine\'s host (a VPN, a LAN).', engine: true },
];

export const RULE_BY_ID = new Map(RULES.map((r) => [r.id, r]));
