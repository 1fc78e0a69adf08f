// Catalogue B: static addresses and IPAM subnets that fail at `up`.
import { isMap, isScalar } from 'yaml';
import { addToMapping, replaceSpan } from '../edits';
import { firstFreeHost, firstHost, formatAddress, freePrivateSubnet, overlaps, parseAddress, parseCidr, contains, type Cidr, type Family } from '../ip';
import type { NetworkDecl } from '../model';
import type { Finding, Located, Span } from '../types';
import { attachNetworkFix, finding, quoteList, type Rule, type RuleContext } from './context';
import { rawScalars, readerFor } from './raw';
import { clipText } from '../text';
import { firstOverlapping } from '../subnets';

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
      out.push(finding('invalid-static-ip', a.loc.span, `"${clipText(a.loc.value, 60)}" (service "${a.service}", network "${a.network}") is not a valid ${kind} address`));
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
  // Each subnet against the first earlier subnet of another network it overlaps: O(n log n) (see ../subnets.ts).
  const first = firstOverlapping(all.map((x) => ({ cidr: x.cidr, group: x.net })));
  let free: Cidr | undefined | null = null; // one free subnet for every fix: computed once, when first needed
  for (let i = 0; i < all.length; i++) {
    const j = first[i];
    if (j === undefined) continue;
    const [a, b] = [all[j], all[i]];
    if (!overlaps(a.cidr, b.cidr)) continue;
    if (b.cidr.family === 4 && free === null) free = freePrivateSubnet(all.map((x) => x.cidr));
    const fix = b.cidr.family === 4 ? free : undefined;
    out.push(finding('overlapping-subnets', b.loc.span, `subnet ${b.cidr.text} of "${b.net.name}" overlaps subnet ${a.cidr.text} of "${a.net.name}" (Docker refuses it: "Pool overlaps")`, {
      related: [{ span: a.loc.span, message: `subnet ${a.cidr.text} of "${a.net.name}"` }],
      // Moving the subnet moves its gateway along, or the fix would make a new error.
      fixes: fix
        ? [{ title: `Change to free subnet ${fix.text}`, edits: [replaceSpan(b.loc.span, fix.text), ...(b.gateway ? [replaceSpan(b.gateway.span, formatAddress(firstHost(fix)))] : [])] }]
        : [],
    }));
  }
  return out;
};

const IPV4_LITERAL = /(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.]|\/\d)/g;

/** Bridge networks isolate each other: the engine drops traffic from one bridge to another's addresses. */
function isBridgeNetwork(net: NetworkDecl | undefined): boolean {
  return !!net && !net.external && (!net.driver || (!net.driver.unknown && net.driver.value === 'bridge'));
}

export const staticIpAcrossNetworks: Rule = (ctx) => {
  const { project, topology } = ctx;
  const owners = new Map<string, StaticAddress[]>();
  for (const a of staticAddresses(ctx)) {
    const addr = parseAddress(a.loc.value);
    if (!addr || !isBridgeNetwork(project.networks.get(a.network))) continue;
    const key = formatAddress(addr);
    owners.set(key, [...(owners.get(key) ?? []), a]);
  }
  if (owners.size === 0) return [];
  const out: Finding[] = [];
  for (const svc of project.services.values()) {
    if (topology.mode(svc.name) !== 'networks') continue;
    const mine = topology.networksOf(svc.name);
    const values: Array<{ text: string; start?: number; span: Span }> = [];
    for (const ref of svc.hostReferences) if (!ref.value.unknown) values.push({ text: ref.value.value, ...(ref.textStart !== undefined ? { start: ref.textStart } : {}), span: ref.value.span });
    for (const eh of svc.extraHosts) values.push({ text: eh.address, span: eh.span });
    for (const d of rawScalars(project, svc.entries.get('dns'))) values.push({ text: d.loc.value, ...(d.textStart !== undefined ? { start: d.textStart } : {}), span: d.loc.span });
    const reported = new Set<string>();
    for (const v of values) {
      const candidates: Array<{ text: string; offset: number }> = [...v.text.matchAll(IPV4_LITERAL)].map((m) => ({ text: m[1], offset: m.index! }));
      const whole = v.text.trim();
      if (whole.includes(':') && parseAddress(whole)?.family === 6) candidates.push({ text: whole, offset: v.text.indexOf(whole) });
      for (const c of candidates) {
        const addr = parseAddress(c.text);
        const owned = addr && owners.get(formatAddress(addr));
        if (!owned || reported.has(c.text)) continue;
        if (owned.some((o) => o.service === svc.name || mine.includes(o.network))) continue;
        const o = owned[0];
        reported.add(c.text);
        const span = v.start !== undefined ? { file: v.span.file, start: v.start + c.offset, end: v.start + c.offset + c.text.length } : v.span;
        out.push(finding('static-ip-across-networks', span, `${c.text} is the static address of "${o.service}" on "${o.network}", a network "${svc.name}" is not on (it is on ${quoteList(mine)}): the engine drops traffic between bridge networks`, {
          related: [{ span: o.loc.span, message: `"${o.service}" has ${o.loc.value} on "${o.network}"` }],
          fixes: topology.hasOwnDnsName(svc.name) ? [attachNetworkFix(project, svc, o.network, true)] : [],
        }));
      }
    }
  }
  return out;
};

/** Why a subnet or range is not a CIDR Docker accepts (Go's net.ParseCIDR: no leading zeros, no hex, prefix needed). */
function cidrProblem(text: string): string {
  const t = text.trim();
  if (!t.includes('/')) return parseAddress(t) ? 'an address without a prefix length (/N)' : /^\d+$/.test(t) ? 'a number, not a CIDR' : 'not a CIDR (address/prefix)';
  const [addr, prefix] = [t.slice(0, t.lastIndexOf('/')), t.slice(t.lastIndexOf('/') + 1)];
  if (addr === '') return 'a prefix length without an address';
  if (/0x/i.test(addr)) return 'hexadecimal parts are not accepted';
  if (/(^|\.)0\d/.test(addr)) return 'parts with leading zeros (octal forms) are not accepted';
  const a = parseAddress(addr);
  if (!a) return `"${addr}" is not an IP address`;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > (a.family === 4 ? 32 : 128)) return `the prefix length /${prefix} is out of range (0-${a.family === 4 ? 32 : 128})`;
  return 'not a CIDR';
}

export const invalidSubnet: Rule = ({ project }) => {
  const out: Finding[] = [];
  for (const net of project.networks.values()) {
    if (net.external) continue;
    const ipamEntry = net.entries.get('ipam');
    const r = ipamEntry && readerFor(project, ipamEntry.keySpan.file);
    // A mapping or a list where a string belongs: Compose refuses the file ("must be a string").
    if (r) {
      for (const item of r.items(r.entryMap(ipamEntry.pair.value).get('config')?.value)) {
        for (const e of r.entries(item)) {
          if (!['subnet', 'ip_range', 'gateway'].includes(e.key.value) || !e.value || isScalar(e.value)) continue;
          out.push(finding('invalid-subnet', e.key.span, `${e.key.value} of "${net.name}" must be a string, not a ${isMap(e.value) ? 'mapping' : 'list'}`));
        }
      }
    }
    for (const c of net.ipam) {
      for (const [key, loc] of [['subnet', c.subnet], ['ip_range', c.ipRange]] as const) {
        if (!loc || loc.unknown || parseCidr(loc.value)) continue;
        out.push(finding('invalid-subnet', loc.span, `${key} "${loc.value}" of "${net.name}" is not a valid CIDR: ${cidrProblem(loc.value)} (Docker refuses it: invalid CIDR address)`));
      }
      if (c.gateway && !c.gateway.unknown && !parseAddress(c.gateway.value)) {
        out.push(finding('invalid-subnet', c.gateway.span, `gateway "${c.gateway.value}" of "${net.name}" is not a valid IP address`));
      }
    }
  }
  return out;
};

/** The engine's default address pools (daemon default-address-pools): 172.17-31.0.0/16, and 192.168.0.0/16 in /20s. */
const DEFAULT_POOLS = [...Array.from({ length: 15 }, (_, i) => `172.${17 + i}.0.0/16`), '192.168.0.0/16'].map((c) => parseCidr(c)!);

export const engineSubnets: Rule = ({ project, engine }) => {
  if (!engine) return [];
  const out: Finding[] = [];
  const engineNets = (engine.networks ?? []).filter((n) => n.composeProject !== project.name);
  const declared = new Set([...project.networks.values()].map((n) => n.externalName?.value ?? `${project.name}_${n.name}`));
  const taken: Array<{ cidr: Cidr; network: string }> = engineNets.filter((n) => !declared.has(n.name)).flatMap((n) => n.subnets.flatMap((s) => {
    const cidr = parseCidr(s);
    return cidr ? [{ cidr, network: n.name }] : [];
  }));
  const routes = (engine.hostRoutes ?? []).flatMap((r) => {
    const cidr = parseCidr(r.destination);
    return cidr && cidr.prefix > 0 ? [{ cidr, iface: r.iface }] : [];
  });
  const used = [...taken.map((t) => t.cidr), ...routes.map((r) => r.cidr)];
  const projectCidrs = [...project.networks.values()].flatMap((n) => n.ipam.flatMap((c) => {
    const x = c.subnet && !c.subnet.unknown ? parseCidr(c.subnet.value) : undefined;
    return x ? [x] : [];
  }));
  for (const net of project.networks.values()) {
    if (net.external) continue;
    for (const c of net.ipam) {
      const cidr = c.subnet && !c.subnet.unknown ? parseCidr(c.subnet.value) : undefined;
      if (!cidr || !c.subnet) continue;
      const clash = taken.find((t) => overlaps(t.cidr, cidr));
      if (clash) {
        const free = cidr.family === 4 ? freePrivateSubnet([...used, ...projectCidrs]) : undefined;
        out.push(finding('subnet-overlaps-engine-network', c.subnet.span, `subnet ${cidr.text} of "${net.name}" overlaps ${clash.cidr.text} of the engine network "${clash.network}": docker compose up fails with "Pool overlaps with other one on this address space"`, {
          fixes: free ? [{ title: `Change to free subnet ${free.text}`, edits: [replaceSpan(c.subnet.span, free.text), ...(c.gateway ? [replaceSpan(c.gateway.span, formatAddress(firstHost(free)))] : [])] }] : [],
        }));
        continue;
      }
      const route = routes.find((r) => overlaps(r.cidr, cidr));
      if (route) {
        out.push(finding('subnet-overlaps-host-route', c.subnet.span, `subnet ${cidr.text} of "${net.name}" overlaps the host's route to ${route.cidr.text} via ${route.iface} (a VPN or LAN?): the host will send that traffic to the containers instead`));
        continue;
      }
      if (DEFAULT_POOLS.some((p) => overlaps(p, cidr))) {
        out.push(finding('subnet-in-default-pools', c.subnet.span, `subnet ${cidr.text} of "${net.name}" is inside the engine's default address pools (172.17-31.x.x, 192.168.x.x): a network the engine creates later without a subnet may take it first ("Pool overlaps")`));
      }
    }
  }
  return out;
};
