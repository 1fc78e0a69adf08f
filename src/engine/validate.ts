// Checks on what the user asks of the engine, before it reaches the engine: names, subnets, addresses.
import { cidrContainsCidr, contains, formatAddress, overlaps, parseAddress, parseCidr } from '../compose/ip';
import type { NetworkSpec, NetworkSummary } from './model';

/** Docker's rule for network and container names. */
export const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function validateName(name: string, existing: string[] = []): string | undefined {
  if (!name) return 'A name is required.';
  if (!DOCKER_NAME.test(name)) return `"${name}" is not a valid name: start with a letter or digit, then use letters, digits, "_", "." or "-".`;
  if (name.length > 128) return 'Names are at most 128 characters.';
  if (existing.includes(name)) return `A network named "${name}" already exists.`;
  return undefined;
}

export function validateSubnet(subnet: string, networks: NetworkSummary[]): string | undefined {
  const cidr = parseCidr(subnet);
  if (!cidr) return `"${subnet}" is not a subnet in CIDR form, e.g. 172.30.0.0/24.`;
  if (cidr.base !== parseAddress(subnet.split('/')[0])!.value) return `"${subnet}" has host bits set: use ${formatAddress({ family: cidr.family, value: cidr.base })}/${cidr.prefix}.`;
  for (const n of networks) {
    for (const s of n.subnets) {
      const other = parseCidr(s.subnet);
      if (other && overlaps(cidr, other)) return `${subnet} overlaps ${s.subnet} of network "${n.name}": Docker would refuse it ("Pool overlaps").`;
    }
  }
  return undefined;
}

export function validateAddressIn(address: string, subnet: string | undefined, what: string): string | undefined {
  const a = parseAddress(address);
  if (!a) return `"${address}" is not a valid IP address.`;
  if (!subnet) return undefined;
  const cidr = parseCidr(subnet);
  if (cidr && !contains(cidr, a)) return `${what} ${address} is outside subnet ${subnet}.`;
  return undefined;
}

export function validateIpRange(range: string, subnet: string | undefined): string | undefined {
  const r = parseCidr(range);
  if (!r) return `"${range}" is not a range in CIDR form, e.g. 172.30.0.128/25.`;
  const s = subnet ? parseCidr(subnet) : undefined;
  if (s && !cidrContainsCidr(s, r)) return `ip range ${range} is outside subnet ${subnet}.`;
  return undefined;
}

/** Every problem with a create request, checked against the engine's current networks. */
export function validateNetworkSpec(spec: NetworkSpec, networks: NetworkSummary[]): string[] {
  const problems = [
    validateName(spec.name, networks.map((n) => n.name)),
    spec.subnet ? validateSubnet(spec.subnet, networks) : undefined,
    spec.gateway ? (spec.subnet ? validateAddressIn(spec.gateway, spec.subnet, 'gateway') : 'A gateway needs a subnet.') : undefined,
    spec.ipRange ? (spec.subnet ? validateIpRange(spec.ipRange, spec.subnet) : 'An IP range needs a subnet.') : undefined,
    (spec.driver === 'macvlan' || spec.driver === 'ipvlan') && spec.parent && !DOCKER_NAME.test(spec.parent) ? `"${spec.parent}" is not an interface name.` : undefined,
  ];
  return problems.filter((p): p is string => !!p);
}
