// The tier layout of a compose project: the host and its published ports first, then networks ordered by
// their distance from a published port (breadth-first over services that bridge networks). Pure and deterministic.
import type { Analysis } from '../compose/analyze';
import { IMPLICIT_DEFAULT } from '../compose/model';
import { networkDriver } from '../compose/stack';
import type { Pair } from 'yaml';
import { entrySpan } from '../compose/edits';
import type { Finding, Severity, Span } from '../compose/types';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Badge {
  severity: Severity;
  count: number;
  messages: string[];
}

export interface ServiceCard extends Box {
  name: string;
  tier: number;
  /** The network whose box holds the card (undefined: the host column or the "no network" box). */
  home?: string;
  image?: string;
  ports: string[];
  aliases: string[];
  /** Services sharing this one's network namespace (network_mode: service:this). */
  tenants: string[];
  /** Other networks the service is on: drawn as links to their boxes, and named on the card. */
  links: string[];
  /** Networks the service names that the project does not declare: a finding, drawn on the card, never a box. */
  undeclared: string[];
  mode?: string;
  badge?: Badge;
  /** The card's detail lines as drawn: image, ports, aliases, tenants, other networks, wrapped to the card's width (never clipped). */
  text: string[];
  /** The undeclared-network finding, wrapped likewise. */
  undeclaredText: string[];
}

export interface NetworkBox extends Box {
  name: string;
  tier: number;
  internal: boolean;
  external: boolean;
  driver: string;
  subnets: string[];
  badge?: Badge;
  /** Services attached to this network whose card is drawn in another box: named in this box, so it never reads as empty. */
  guests: string[];
  /** The box's detail lines as drawn (driver, flags, subnets; then the guests), wrapped to the box's width. */
  text: string[];
}

export interface Layout {
  width: number;
  height: number;
  host: Box & { ports: Array<{ text: string; service: string }> };
  tierLabels: Array<{ tier: number; x: number; label: string }>;
  networks: NetworkBox[];
  services: ServiceCard[];
}

export const SIZES = { card: 210, lineH: 15, cardBase: 40, gap: 14, pad: 16, header: 44, column: 290, top: 56, margin: 30 };

/** Characters of 11 px text that fit a card's (and a network box's) text width. */
export const LINE_CHARS = 31;
/** Likewise for a network box's text, which is wider. */
const BOX_CHARS = 35;

/**
 * Wraps a line to `max` characters: after ", " or a space where it can, else after "/", ":", "-" or "_" (image names),
 * else between code points (a character is never split). Nothing is dropped, so nothing needs a "…".
 */
export function wrapText(line: string, max = LINE_CHARS): string[] {
  const out: string[] = [];
  let rest = Array.from(line);
  while (rest.length > max) {
    const head = rest.slice(0, max + 1);
    let cut = -1;
    for (const breaks of [[' '], ['/', ':', '→', '-', '_', '.']]) {
      for (let i = max; i > max / 3 && cut < 0; i--) if (breaks.includes(head[i - 1])) cut = i;
      if (cut >= 0) break;
    }
    if (cut < 0) cut = max;
    out.push(rest.slice(0, cut).join('').trimEnd());
    rest = rest.slice(cut);
    while (rest[0] === ' ') rest = rest.slice(1);
  }
  if (rest.length || !out.length) out.push(rest.join(''));
  return out;
}

/** Lines of guest names a network box shows at most; the rest are counted (all are in the box's tooltip). */
const GUEST_LINES = 4;

/** "also attached: a, b, c", wrapped; past GUEST_LINES lines as many names as fit, then "and N more". */
function guestLines(guests: string[]): string[] {
  if (!guests.length) return [];
  const all = wrapText(`also attached: ${guests.join(', ')}`, BOX_CHARS);
  if (all.length <= GUEST_LINES) return all;
  let best = wrapText(`also attached: ${guests.length} services`, BOX_CHARS);
  for (let shown = 1; shown < guests.length; shown++) {
    const lines = wrapText(`also attached: ${guests.slice(0, shown).join(', ')} and ${guests.length - shown} more`, BOX_CHARS);
    if (lines.length > GUEST_LINES) break;
    best = lines;
  }
  return best;
}

function badgeOf(findings: Finding[]): Badge | undefined {
  if (findings.length === 0) return undefined;
  const severity = findings.some((f) => f.severity === 'error') ? 'error' : findings.some((f) => f.severity === 'warning') ? 'warning' : 'info';
  return { severity, count: findings.length, messages: findings.map((f) => f.message) };
}

/**
 * Breadth-first from the services that publish ports. Tier 1 holds their non-internal networks (where
 * published traffic arrives: the DMZ); each further tier holds the networks that services of the previous
 * tier bridge to. A publishing service whose networks are all internal puts them in tier 1.
 */
export function networkTiers(analysis: Analysis): Map<string, number> {
  const { project } = analysis;
  const topology = { networksOf: (s: string) => declaredNetworksOf(analysis, s), mode: (s: string) => analysis.topology.mode(s), isInternal: (n: string) => analysis.topology.isInternal(n) };
  const tiers = new Map<string, number>();
  const services = [...project.services.values()].sort((a, b) => a.name.localeCompare(b.name));
  const publishing = services.filter((s) => s.ports.length > 0 && topology.mode(s.name) === 'networks').map((s) => s.name);
  let level = [
    ...new Set(
      publishing.flatMap((s) => {
        const nets = topology.networksOf(s);
        const open = nets.filter((n) => !topology.isInternal(n));
        return open.length ? open : nets;
      }),
    ),
  ].sort();
  for (let tier = 1; level.length; tier++) {
    level.forEach((n) => tiers.set(n, tier));
    const bridging = services.filter((s) => topology.networksOf(s.name).some((n) => level.includes(n)));
    level = [...new Set(bridging.flatMap((s) => topology.networksOf(s.name)))].filter((n) => !tiers.has(n)).sort();
  }
  // Networks no published port leads to: after the reachable ones, internal ones last.
  let next = Math.max(0, ...tiers.values()) + 1;
  const used = new Set(services.flatMap((s) => topology.networksOf(s.name)));
  const rest = [...new Set([...project.networks.keys(), ...used])].filter((n) => !tiers.has(n) && (used.has(n) || project.networks.has(n))).sort();
  const open = rest.filter((n) => !topology.isInternal(n));
  const closed = rest.filter((n) => topology.isInternal(n));
  if (open.length) {
    open.forEach((n) => tiers.set(n, next));
    next++;
  }
  closed.forEach((n) => tiers.set(n, next));
  return tiers;
}

/** A network the project declares, or the implicit `default` (a service may name it without declaring it). */
function isDeclared(analysis: Analysis, network: string): boolean {
  return analysis.project.networks.has(network) || network === IMPLICIT_DEFAULT;
}

/** The service's networks that exist in the project: an undeclared name (a typo) is a finding, not a network. */
function declaredNetworksOf(analysis: Analysis, service: string): string[] {
  return analysis.topology.networksOf(service).filter((n) => isDeclared(analysis, n));
}

export function layoutProject(analysis: Analysis): Layout {
  const { project, topology, findings } = analysis;
  const S = SIZES;
  const tiers = networkTiers(analysis);
  const names = [...project.services.keys()].sort();
  const findingsAt = (pred: (f: Finding) => boolean) => findings.filter(pred);
  // The findings of a service or network: those written inside its definition.
  const inside = (nameSpan: Span, pair: Pair) => {
    const extent = entrySpan(nameSpan.file, pair);
    return findingsAt((f) => f.span.file === extent.file && f.span.start >= extent.start && f.span.start <= extent.end);
  };
  const serviceFindings = (name: string) => {
    const svc = project.services.get(name)!;
    return inside(svc.nameSpan, svc.pair);
  };

  // Which services live where.
  const tenantsOf = new Map<string, string[]>();
  const hostServices: string[] = [];
  const homeless: string[] = [];
  const byNetwork = new Map<string, string[]>();
  /** Every service attached to each network (in name order), wherever its card is drawn. */
  const attached = new Map<string, string[]>();
  for (const name of names) {
    const owner = topology.namespaceOwner(name);
    if (owner && project.services.has(owner)) {
      tenantsOf.set(owner, [...(tenantsOf.get(owner) ?? []), name]);
      continue;
    }
    const mode = topology.mode(name);
    if (mode === 'host') {
      hostServices.push(name);
      continue;
    }
    const nets = topology.networksOf(name).filter((n) => tiers.has(n));
    if (mode !== 'networks' || nets.length === 0) {
      homeless.push(name);
      continue;
    }
    for (const n of nets) {
      if (!attached.has(n)) attached.set(n, []);
      attached.get(n)!.push(name);
    }
    const home = [...nets].sort((a, b) => tiers.get(a)! - tiers.get(b)! || a.localeCompare(b))[0];
    byNetwork.set(home, [...(byNetwork.get(home) ?? []), name]);
  }

  const cardOf = (name: string, tier: number, x: number, y: number, home?: string): ServiceCard => {
    const svc = project.services.get(name)!;
    const ports = svc.ports.filter((p) => !p.unknown).map((p) => (p.published ? `${p.hostIp ? `${p.hostIp}:` : ''}${p.published}→${p.target}` : `${p.target}`));
    const aliases = [...new Set([...(svc.networks?.values() ?? [])].flatMap((r) => r.aliases.map((a) => a.value)))].sort();
    const tenants = tenantsOf.get(name) ?? [];
    const nets = topology.networksOf(name).filter((n) => n !== home && tiers.has(n)).sort();
    const undeclared = topology.mode(name) === 'networks' ? topology.networksOf(name).filter((n) => !isDeclared(analysis, n)).sort() : [];
    // Every attachment is written on the card, so a service on several networks reads without following lines.
    const text = [
      ...(svc.image && !svc.image.unknown ? [svc.image.value] : []),
      ...(ports.length ? [`ports ${ports.join(', ')}`] : []),
      ...(aliases.length ? [`aka ${aliases.join(', ')}`] : []),
      ...(tenants.length ? [`shares its network with ${tenants.join(', ')}`] : []),
      ...(nets.length ? [`also on ${nets.join(', ')}`] : []),
    ].flatMap((l) => wrapText(l));
    const undeclaredText = undeclared.length ? wrapText(`✖ not declared: ${undeclared.join(', ')}`) : [];
    // The live overlay writes the state, then one address per network on lines of their own (never clipped).
    const overlayLines = topology.mode(name) === 'networks' ? nets.length + (home ? 1 : 0) : 0;
    const lines = text.length + undeclaredText.length + overlayLines;
    const badge = badgeOf(serviceFindings(name));
    return {
      name, tier, x, y, w: S.card, h: S.cardBase + lines * S.lineH, ports, aliases, tenants, links: nets, undeclared, text, undeclaredText,
      ...(home ? { home } : {}),
      ...(svc.image && !svc.image.unknown ? { image: svc.image.value } : {}),
      ...(topology.mode(name) !== 'networks' ? { mode: svc.networkMode?.value ?? topology.mode(name) } : {}),
      ...(badge ? { badge } : {}),
    };
  };

  const services: ServiceCard[] = [];
  const networks: NetworkBox[] = [];
  // The host heads the first column (published traffic arrives from the top-left), so a half-width editor
  // spends no column on it: the sample stacks are one column narrower than with a host column of their own.
  const columnX = (tier: number) => S.margin + (Math.max(1, tier) - 1) * S.column;
  const boxW = S.card + S.pad * 2;

  // Tier 0: the host, its published ports, and host-network services.
  const hostPorts = names.flatMap((n) => (topology.mode(n) === 'networks' || topology.mode(n) === 'host' ? project.services.get(n)!.ports.filter((p) => p.published && !p.unknown).map((p) => ({ text: `:${p.published}`, service: n })) : []));
  let hy = S.top + S.header + 8 + hostPorts.length * S.lineH + S.pad;
  for (const name of hostServices) {
    const card = cardOf(name, 0, columnX(1) + S.pad, hy);
    services.push(card);
    hy += card.h + S.gap;
  }
  const host = { x: columnX(1), y: S.top, w: boxW, h: hy - S.top - (hostServices.length ? S.gap - S.pad : 0), ports: hostPorts };
  /** Where a column's boxes start: below the host in the first. */
  const startY = (tier: number) => (tier === 1 ? host.y + host.h + S.gap * 2 : S.top);

  // Tiers 1..n: network boxes stacked in their column, holding the cards of the services they are home to.
  const maxTier = Math.max(0, ...tiers.values());
  const bottoms: number[] = [host.y + host.h];
  for (let tier = 1; tier <= maxTier; tier++) {
    let y = startY(tier);
    const x = columnX(tier);
    for (const net of [...tiers].filter(([, t]) => t === tier).map(([n]) => n).sort()) {
      const decl = project.networks.get(net);
      const driver = networkDriver(decl, project.isStack);
      const subnets = (decl?.ipam ?? []).flatMap((c) => (c.subnet ? [c.subnet.value] : []));
      const homed = new Set(byNetwork.get(net) ?? []);
      const guests = (attached.get(net) ?? []).filter((n) => !homed.has(n));
      const text = [
        ...wrapText([driver, decl?.internal === true ? 'internal' : '', decl?.external === true ? 'external' : '', ...subnets].filter(Boolean).join(' · '), BOX_CHARS),
        ...guestLines(guests),
      ];
      let cy = y + S.header + (text.length - 1) * S.lineH;
      const inner: ServiceCard[] = [];
      for (const name of byNetwork.get(net) ?? []) {
        const card = cardOf(name, tier, x + S.pad, cy, net);
        inner.push(card);
        cy += card.h + S.gap;
      }
      const badge = badgeOf(decl ? inside(decl.nameSpan, decl.pair) : []);
      const box: NetworkBox = {
        name: net, tier, x, y, w: S.card + S.pad * 2, h: Math.max(cy - y + S.pad - (inner.length ? S.gap : 0), S.header + S.pad),
        internal: decl?.internal === true, external: decl?.external === true, driver, subnets, guests, text,
        ...(badge ? { badge } : {}),
      };
      networks.push(box);
      services.push(...inner);
      y += box.h + S.gap * 2;
    }
    bottoms.push(y);
  }
  // Services with no project network (network_mode none/bridge/container:, or only undeclared networks).
  if (homeless.length) {
    const tier = maxTier + 1;
    let y = startY(tier) + S.header;
    for (const name of homeless) {
      const card = cardOf(name, tier, columnX(tier) + S.pad, y);
      services.push(card);
      y += card.h + S.gap;
    }
    bottoms.push(y);
  }
  const lastTier = maxTier + (homeless.length ? 1 : 0);
  const tierLabels: Layout['tierLabels'] = [];
  for (let t = 1; t <= Math.max(1, lastTier); t++) tierLabels.push({ tier: t, x: columnX(t), label: t > maxTier ? (t === 1 ? 'Host · No project network' : 'No project network') : t === 1 ? 'Host · Tier 1' : `Tier ${t}` });
  return { width: columnX(Math.max(1, lastTier)) + boxW + S.margin, height: Math.max(...bottoms) + S.margin, host, tierLabels, networks, services };
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}
