// The tier diagram as SVG text: the same picture in the webview and from the CLI.
// Every service is <g data-service data-tier>, every network <g data-network data-tier>, so tools can read it.
import type { Badge, Layout, NetworkBox, ServiceCard } from './layout';
import { SIZES } from './layout';

import { diagramCss, type Theme } from '../shared/diagramStyle';
import { escapeMarkup as esc } from '../shared/escape';

export type { Theme };


function badge(b: Badge | undefined, x: number, y: number): string {
  if (!b) return '';
  return `<g class="badge ${b.severity}" aria-label="${b.count} ${b.severity}${b.count > 1 ? 's' : ''}"><title>${esc(b.messages.join('\n'))}</title><circle cx="${x}" cy="${y}" r="9"/><text x="${x}" y="${y + 3.5}" text-anchor="middle">${b.count}</text></g>`;
}

function networkSvg(n: NetworkBox): string {
  const flags = [n.driver, n.internal ? 'internal' : '', n.external ? 'external' : '', ...n.subnets].filter(Boolean).join(' · ');
  const cls = ['network', n.internal ? 'internal' : '', n.external ? 'external' : ''].filter(Boolean).join(' ');
  const label = `Network ${n.name}: ${flags}${n.guests.length ? `; also attached: ${n.guests.join(', ')}` : ''}`;
  return (
    `<g class="${cls}" data-network="${esc(n.name)}" data-tier="${n.tier}" tabindex="0" role="button" aria-label="${esc(label)}">` +
    `<title>${esc(label)}</title><rect x="${n.x}" y="${n.y}" width="${n.w}" height="${n.h}" rx="8"/>` +
    `<text class="title" x="${n.x + 12}" y="${n.y + 19}">${esc(n.name)}</text>` +
    n.text.map((l, i) => `<text class="meta${i > 0 && n.guests.length ? ' guests' : ''}" x="${n.x + 12}" y="${n.y + 34 + i * SIZES.lineH}">${esc(l)}</text>`).join('') +
    badge(n.badge, n.x + n.w - 14, n.y + 14) +
    `</g>`
  );
}

function serviceSvg(s: ServiceCard): string {
  const lines: string[] = [];
  if (s.image) lines.push(s.image);
  if (s.ports.length) lines.push(`ports ${s.ports.join(', ')}`);
  if (s.aliases.length) lines.push(`aka ${s.aliases.join(', ')}`);
  if (s.tenants.length) lines.push(`shares its network with ${s.tenants.join(', ')}`);
  if (s.links.length) lines.push(`also on ${s.links.join(', ')}`);
  const undeclared = s.undeclared.length ? `not declared: ${s.undeclared.join(', ')}` : '';
  const label = `Service ${s.name}${s.mode ? ` (network_mode ${s.mode})` : ''}${s.badge ? `, ${s.badge.count} finding(s)` : ''}`;
  // The name by code point, so a clipped name never ends in half a surrogate pair (not a character XML allows).
  // The detail lines are wrapped by the layout (s.text), never clipped.
  const clip = (t: string) => {
    const chars = Array.from(t);
    return chars.length > 32 ? `${chars.slice(0, 31).join('')}…` : t;
  };
  return (
    `<g class="service" data-service="${esc(s.name)}" data-tier="${s.tier}" tabindex="0" role="button" aria-label="${esc(label)}">` +
    `<title>${esc([label, ...lines, ...(undeclared ? [undeclared] : []), ...(s.badge?.messages ?? [])].join('\n'))}</title>` +
    `<rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" rx="6"/>` +
    `<text class="title" x="${s.x + 10}" y="${s.y + 18}">${esc(clip(s.name))}${s.mode ? ` <tspan class="meta">${esc(s.mode)}</tspan>` : ''}</text>` +
    s.text.map((l, i) => `<text class="meta" x="${s.x + 10}" y="${s.y + 34 + i * SIZES.lineH}">${esc(l)}</text>`).join('') +
    s.undeclaredText.map((l, i) => `<text class="meta undeclared" x="${s.x + 10}" y="${s.y + 34 + (s.text.length + i) * SIZES.lineH}">${esc(l)}</text>`).join('') +
    `<text class="overlay" data-overlay-for="${esc(s.name)}" x="${s.x + 10}" y="${s.y + s.h - 6 - overlayAddressLines(s) * SIZES.lineH}"></text>` +
    badge(s.badge, s.x + s.w - 12, s.y + 12) +
    `</g>`
  );
}

/** Lines the card keeps under the state for the overlay's addresses (see layoutProject). */
function overlayAddressLines(s: ServiceCard): number {
  return s.mode ? 0 : s.links.length + (s.home ? 1 : 0);
}

/** Where a published port's line enters its card, below the card's top. */
const PORT_ENTRY = 14;

function edges(layout: Layout): string {
  const out: string[] = [];
  const byName = new Map(layout.services.map((s) => [s.name, s]));
  const nets = new Map(layout.networks.map((n) => [n.name, n]));
  for (const [i, p] of layout.host.ports.entries()) {
    const s = byName.get(p.service);
    if (!s || s.tier === 0) continue;
    const h = layout.host;
    const y1 = h.y + SIZES.header + 4 + i * SIZES.lineH;
    const y2 = s.y + PORT_ENTRY;
    if (s.x >= h.x && s.x < h.x + h.w) {
      // The card is below the host, in its column: out of the host's left side, down a gutter further out than
      // the attachment lines' (n.x - 8 .. - 14), into the card's side.
      const gutter = h.x - 17 - (i % 3) * 3;
      out.push(`<path class="edge port" d="M${h.x},${y1} H${gutter} V${y2} H${s.x}"/>`);
    } else {
      const x1 = h.x + h.w;
      out.push(`<path class="edge port" d="M${x1},${y1} C${x1 + 60},${y1} ${s.x - 60},${y2} ${s.x},${y2}"/>`);
    }
  }
  for (const s of layout.services) {
    for (const [i, name] of s.links.entries()) {
      const n = nets.get(name);
      if (!n) continue;
      const y2 = n.y + 22;
      let d: string;
      if (n.tier === s.tier) {
        // Same column: out of the card's left side, along the gutter left of the boxes, into the box's side,
        // so the line never crosses the boxes between them. It leaves from the card's lower half: a published
        // port's line arrives at the top (PORT_ENTRY), and the two must not read as one line.
        const y1 = s.y + Math.max(PORT_ENTRY + 12, s.h - 10 - i * 6);
        const gutter = n.x - 8 - (i % 3) * 3;
        d = `M${s.x},${y1} H${gutter} V${y2} H${n.x}`;
      } else {
        const y1 = s.y + 12 + i * 6;
        const fromRight = n.x > s.x;
        const x1 = fromRight ? s.x + s.w : s.x;
        const x2 = fromRight ? n.x : n.x + n.w;
        const bend = fromRight ? 50 : -50;
        d = `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
      }
      out.push(`<path class="edge" data-from="${esc(s.name)}" data-to="${esc(name)}" d="${d}"/>`);
    }
  }
  return out.join('');
}

export function renderSvg(layout: Layout, theme: Theme = 'standalone'): string {
  const h = layout.host;
  const host =
    `<g class="host" data-host="" data-tier="0"><rect x="${h.x}" y="${h.y}" width="${h.w}" height="${h.h}" rx="8"/>` +
    `<text class="title" x="${h.x + 12}" y="${h.y + 20}" font-weight="600">Host</text>` +
    `<text class="meta" x="${h.x + 12}" y="${h.y + 35}">${h.ports.length ? 'published ports' : 'no published ports'}</text>` +
    h.ports.map((p, i) => `<text x="${h.x + 12}" y="${h.y + SIZES.header + 8 + i * SIZES.lineH}">${esc(`${p.text} → ${p.service}`)}</text>`).join('') +
    `</g>`;
  const labels = layout.tierLabels.map((t) => `<text class="tier-label" x="${t.x}" y="32">${esc(t.label)}</text>`).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="Network tiers: ${layout.networks.length} networks, ${layout.services.length} services">` +
    // In the webview the stylesheet comes from the page (CSP: no inline styles); files carry their own.
    (theme === 'standalone' ? `<style>${diagramCss('standalone')}\n</style>` : '') +
    `<rect class="bg" width="100%" height="100%"/>` +
    labels +
    edges(layout) +
    host +
    layout.networks.map(networkSvg).join('') +
    layout.services.filter((s) => s.tier === 0 || !s.home).map(serviceSvg).join('') +
    layout.services.filter((s) => s.tier > 0 && s.home).map(serviceSvg).join('') +
    `</svg>\n`
  );
}
