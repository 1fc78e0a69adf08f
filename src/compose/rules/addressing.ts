// Catalogue B: static addresses and IPAM subnets that fail at `up`.
import { addToMapping, replaceSpan } from '../edits';
import { firstFreeHost, firstHost, formatAddress, freePrivateSubnet, overlaps, parseAddress, parseCidr, contains, type Cidr, type Family } from '../ip';
import type { NetworkDecl } from '../model';
import type { Finding, Located } from '../types';
import { finding, type Rule, type RuleContext } from './context';

interface StaticAddress {
  service: string;
  network: string;
  family: Family;
  loc: Located;
}

function staticAddresses(ctx: RuleContext): StaticAddress[] {
  const out: StaticAddress[] = [];
  for (const svc of ctx.project.services.values()) {
    for (const ref of svc.networks?.values() ?? []) {
      if (ref.ipv4 && !ref.ipv4.unknown) out.push({ service: svc.name, network: ref.name.value, family: 4, loc: ref.ipv4 });
      if (ref.ipv6 && !ref.ipv6.unknown) out.push({ service: svc.name, network: ref.name.value, family: 6, loc: ref.ipv6 });
    }
  }
  return out;
}

/** The subnets of a network of one family, or undefined when any of them is unknown (then rules stay silent). */
function subnetsOf(net: NetworkDecl, family: Family): Cidr[] | undefined {
  const out: Cidr[] = [];
  for (const c of net.ipam) {
    if (!c.subnet) continue;
    if (c.subnet.unknown) return undefined;
    const cidr = parseCidr(c.subnet.value);
    if (cidr?.family === family) out.push(cidr);
  }
  return out;
}

function takenOn(ctx: RuleContext, network: string): Set<string> {
  const taken = new Set<string>();
  for (const a of staticAddresses(ctx)) if (a.network === network) taken.add(a.loc.value);
  for (const c of ctx.project.networks.get(network)?.ipam ?? []) if (c.gateway) taken.add(c.gateway.value);
  return taken;
}

export const staticIpRules: Rule = (ctx) => {
  const out: Finding[] = [];
  const seen = new Map<string, StaticAddress>();
  for (const a of staticAddresses(ctx)) {
    const net = ctx.project.networks.get(a.network);
    const addr = parseAddress(a.loc.value);
    const kind = a.family === 4 ? 'IPv4' : 'IPv6';
    if (!addr || addr.family !== a.family) {
      out.push(finding('invalid-static-ip', a.loc.span, `"${a.loc.value}" (service "${a.service}", network "${a.network}") is not a valid ${kind} address`));
      continue;
    }
    const key = `${a.network}|${formatAddress(addr)}`;
    const first = seen.get(key);
    const svc = ctx.project.services.get(a.service)!;
    if (first && first.service !== a.service) {
      out.push(duplicate(ctx, a, `address ${a.loc.value} on "${a.network}" is also assigned to "${first.service}"`, first));
    } else if (svc.replicas > 1) {
      out.push(duplicate(ctx, a, `address ${a.loc.value} on "${a.network}" is static but "${a.service}" runs ${svc.replicas} replicas`));
    }
    if (!first) seen.set(key, a);
    if (!net || net.external) continue;
    const subnets = subnetsOf(net, a.family);
    if (!subnets) continue;
    if (subnets.length === 0) {
      const suggestion = a.family === 4 ? `${a.loc.value.split('.').slice(0, 3).join('.')}.0/24` : undefined;
      const fixes = suggestion
        ? [{ title: `Add subnet ${suggestion} to "${a.network}"`, edits: [addToMapping(ctx.project, { file: net.nameSpan.file, pair: net.pair }, 'ipam', { config: [{ subnet: suggestion }] })], preferred: true }]
        : [];
      out.push(finding('static-ip-without-subnet', a.loc.span, `a static IP needs a user-configured ${kind} subnet on "${a.network}"`, { related: [{ span: net.nameSpan, message: `network "${a.network}" is declared here` }], fixes }));
    } else if (!subnets.some((c) => contains(c, addr))) {
      const free = firstFreeHost(subnets[0], takenOn(ctx, a.network));
      const fixes = free ? [{ title: `Change to ${formatAddress(free)}`, edits: [replaceSpan(a.loc.span, formatAddress(free))], preferred: true }] : [];
      out.push(finding('static-ip-outside-subnet', a.loc.span, `${a.loc.value} is outside the subnet(s) of "${a.network}" (${subnets.map((s) => s.text).join(', ')})`, { related: [{ span: net.nameSpan, message: `network "${a.network}" is declared here` }], fixes }));
    }
  }
  return out;
};

function duplicate(ctx: RuleContext, a: StaticAddress, message: string, first?: StaticAddress): Finding {
  const net = ctx.project.networks.get(a.network);
  const subnet = net && subnetsOf(net, a.family)?.find((c) => contains(c, parseAddress(a.loc.value)!));
  const free = subnet ? firstFreeHost(subnet, takenOn(ctx, a.network)) : undefined;
  return finding('duplicate-static-ip', a.loc.span, message, {
    related: first ? [{ span: first.loc.span, message: `"${first.service}" has ${first.loc.value} here` }] : [],
    fixes: free && first ? [{ title: `Change to ${formatAddress(free)}`, edits: [replaceSpan(a.loc.span, formatAddress(free))], preferred: true }] : [],
  });
}

export const ipamRules: Rule = ({ project }) => {
  const out: Finding[] = [];
  for (const net of project.networks.values()) {
    for (const c of net.ipam) {
      const subnet = c.subnet && !c.subnet.unknown ? parseCidr(c.subnet.value) : undefined;
      if (!subnet || !c.subnet) continue;
      if (c.gateway && !c.gateway.unknown) {
        const gw = parseAddress(c.gateway.value);
        if (gw && !contains(subnet, gw)) {
          const fix = formatAddress(firstHost(subnet));
          out.push(finding('gateway-outside-subnet', c.gateway.span, `gateway ${c.gateway.value} of "${net.name}" is outside subnet ${subnet.text}`, {
            related: [{ span: c.subnet.span, message: `subnet ${subnet.text}` }],
            fixes: [{ title: `Change to ${fix}`, edits: [replaceSpan(c.gateway.span, fix)], preferred: true }],
          }));
        }
      }
      if (c.ipRange && !c.ipRange.unknown) {
        const range = parseCidr(c.ipRange.value);
        if (range && !(range.family === subnet.family && range.prefix >= subnet.prefix && contains(subnet, { family: range.family, value: range.base }))) {
          out.push(finding('ip-range-outside-subnet', c.ipRange.span, `ip_range ${c.ipRange.value} of "${net.name}" is outside subnet ${subnet.text}`, {
            related: [{ span: c.subnet.span, message: `subnet ${subnet.text}` }],
          }));
        }
      }
    }
  }
  return out;
};

export const overlappingSubnets: Rule = ({ project }) => {
  const out: Finding[] = [];
  const all: Array<{ net: NetworkDecl; cidr: Cidr; loc: Located; gateway?: Located }> = [];
  for (const net of project.networks.values()) {
    if (net.external) continue;
    for (const c of net.ipam) {
      const cidr = c.subnet && !c.subnet.unknown ? parseCidr(c.subnet.value) : undefined;
      if (cidr && c.subnet) all.push({ net, cidr, loc: c.subnet, ...(c.gateway ? { gateway: c.gateway } : {}) });
    }
  }
  for (let i = 0; i < all.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [all[j], all[i]];
      if (a.net === b.net || !overlaps(a.cidr, b.cidr)) continue;
      const free = b.cidr.family === 4 ? freePrivateSubnet(all.map((x) => x.cidr)) : undefined;
      out.push(finding('overlapping-subnets', b.loc.span, `subnet ${b.cidr.text} of "${b.net.name}" overlaps subnet ${a.cidr.text} of "${a.net.name}" (Docker refuses it: "Pool overlaps")`, {
        related: [{ span: a.loc.span, message: `subnet ${a.cidr.text} of "${a.net.name}"` }],
        // Moving the subnet moves its gateway along, or the fix would make a new error.
        fixes: free
          ? [{ title: `Change to free subnet ${free.text}`, edits: [replaceSpan(b.loc.span, free.text), ...(b.gateway ? [replaceSpan(b.gateway.span, formatAddress(firstHost(free)))] : [])] }]
          : [],
      }));
      break;
    }
  }
  return out;
};
