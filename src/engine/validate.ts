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

/**
 * An address for a gateway or a container inside a subnet. Docker refuses (observed on 20.10, "Address already in
 * use") the subnet's own address, its IPv4 broadcast address, and, for a container, the gateway's address.
 */
export function validateAddressIn(address: string, subnet: string | undefined, what: string, gateway?: string): string | undefined {
  const a = parseAddress(address);
  if (!a) return `"${address}" is not a valid IP address.`;
  if (!subnet) return undefined;
  const cidr = parseCidr(subnet);
  if (!cidr) return undefined;
  if (!contains(cidr, a)) return `${what} ${address} is outside subnet ${subnet}.`;
  const hostBits = BigInt((cidr.family === 4 ? 32 : 128) - cidr.prefix);
  if (hostBits >= 2n && a.value === cidr.base) return `${what} ${address} is the address of subnet ${subnet} itself: Docker refuses it; use a host address such as ${formatAddress({ family: cidr.family, value: cidr.base + (what === 'gateway' ? 1n : 2n) })}.`;
  if (hostBits >= 2n && cidr.family === 4 && a.value === cidr.base + (1n << hostBits) - 1n) return `${what} ${address} is the broadcast address of ${subnet}: Docker refuses it.`;
  if (gateway && parseAddress(gateway)?.value === a.value && parseAddress(gateway)?.family === a.family) return `${what} ${address} is the gateway of ${subnet}: Docker refuses it ("Address already in use").`;
  return undefined;
}

/**
 * Network-scoped aliases, comma-separated. The engine stores any text, but a name with a space or other
 * character DNS cannot carry is never resolvable (observed: alias "a b" accepted, lookup NXDOMAIN), so refuse it.
 */
export function parseAliases(text: string): { aliases: string[]; problem?: string } {
  const aliases = text.split(',').map((a) => a.trim()).filter(Boolean);
  const bad = aliases.find((a) => !ALIAS.test(a));
  if (bad) return { aliases, problem: `"${bad}" cannot be an alias: a name other containers look up may hold only letters, digits, "_", "-" and ".", at most 63 characters between dots.` };
  return { aliases };
}

const ALIAS = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_-]{1,63})*$/;

/**
 * Labels as `docker network create --label` takes them, comma-separated: `key=value`, or `key` alone for an empty
 * value; the CLI refuses an empty key and a key with whitespace.
 */
export function parseLabels(text: string): { labels: Record<string, string>; problem?: string } {
  const labels: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (!key) return { labels, problem: `Label "${part}" has an empty name: write key=value, or key alone.` };
    if (/\s/.test(key)) return { labels, problem: `Label name "${key}" contains whitespace: Docker refuses it.` };
    labels[key] = eq < 0 ? '' : part.slice(eq + 1);
  }
  return { labels };
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

const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** A name `docker stack deploy` accepts (letters, digits, "_", "." or "-"), checked before it reaches the engine. */
export function isStackName(name: string): boolean {
  return STACK_NAME.test(name);
}
