// The tier diagram as SVG text: the same picture in the webview and from the CLI.
// Every service is <g data-service data-tier>, every network <g data-network data-tier>, so tools can read it.
import type { Badge, Layout, NetworkBox, ServiceCard } from './layout';
import { SIZES } from './layout';

export type Theme = 'standalone' | 'vscode';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Colours: VS Code theme variables in the webview; a light palette with a dark variant for files. */
function style(theme: Theme): string {
  const v = (name: string, fallback: string) => (theme === 'vscode' ? `var(--vscode-${name}, ${fallback})` : fallback);
  const rules = `
  .bg { fill: ${v('editor-background', '#ffffff')}; }
  text { font-family: ${theme === 'vscode' ? 'var(--vscode-font-family, sans-serif)' : 'system-ui, sans-serif'}; fill: ${v('foreground', '#1f2328')}; font-size: 12px; }
  .tier-label { font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: .06em; fill: ${v('descriptionForeground', '#59636e')}; }
  .host rect { fill: ${v('sideBar-background', '#f6f8fa')}; stroke: ${v('focusBorder', '#0969da')}; stroke-width: 1.5; }
  .network > rect { fill: ${v('editorWidget-background', '#f6f8fa')}; stroke: ${v('panel-border', '#8c959f')}; stroke-width: 1.2; }
  .network.internal > rect { stroke: ${v('charts-orange', '#bc4c00')}; }
  .network.external > rect { stroke-dasharray: 6 4; }
  .network .title { font-weight: 600; }
  .meta { font-size: 11px; fill: ${v('descriptionForeground', '#59636e')}; }
  .service > rect { fill: ${v('editor-background', '#ffffff')}; stroke: ${v('editorWidget-border', '#8c959f')}; stroke-width: 1; }
  .service .title { font-weight: 600; }
  .service:focus > rect, .service.highlight > rect { stroke: ${v('focusBorder', '#0969da')}; stroke-width: 2.5; }
  .service:focus { outline: none; }
  .edge { fill: none; stroke: ${v('charts-blue', '#0969da')}; stroke-width: 1.3; opacity: .7; }
  .edge.port { stroke: ${v('charts-green', '#1a7f37')}; stroke-dasharray: 4 3; }
  .badge.error circle { fill: ${v('errorForeground', '#cf222e')}; }
  .badge.warning circle { fill: ${v('editorWarning-foreground', '#bf8700')}; }
  .badge.info circle { fill: ${v('editorInfo-foreground', '#0969da')}; }
  .badge text { fill: #ffffff; font-size: 10px; font-weight: 700; }
  .overlay { font-size: 10.5px; fill: ${v('charts-green', '#1a7f37')}; }`;
  const dark = `
  @media (prefers-color-scheme: dark) {
    .bg { fill: #0d1117; } text { fill: #e6edf3; } .tier-label, .meta { fill: #9198a1; }
    .host rect, .network > rect { fill: #161b22; } .service > rect { fill: #0d1117; stroke: #3d444d; }
  }`;
  return `<style>${rules}${theme === 'standalone' ? dark : ''}\n</style>`;
}

function badge(b: Badge | undefined, x: number, y: number): string {
  if (!b) return '';
  return `<g class="badge ${b.severity}" aria-label="${b.count} ${b.severity}${b.count > 1 ? 's' : ''}"><title>${esc(b.messages.join('\n'))}</title><circle cx="${x}" cy="${y}" r="9"/><text x="${x}" y="${y + 3.5}" text-anchor="middle">${b.count}</text></g>`;
}

function networkSvg(n: NetworkBox): string {
  const flags = [n.driver, n.internal ? 'internal' : '', n.external ? 'external' : '', ...n.subnets].filter(Boolean).join(' · ');
  const cls = ['network', n.internal ? 'internal' : '', n.external ? 'external' : ''].filter(Boolean).join(' ');
  const label = `Network ${n.name}: ${flags}`;
  return (
    `<g class="${cls}" data-network="${esc(n.name)}" data-tier="${n.tier}" tabindex="0" role="button" aria-label="${esc(label)}">` +
    `<title>${esc(label)}</title><rect x="${n.x}" y="${n.y}" width="${n.w}" height="${n.h}" rx="8"/>` +
    `<text class="title" x="${n.x + 12}" y="${n.y + 19}">${esc(n.name)}</text>` +
    `<text class="meta" x="${n.x + 12}" y="${n.y + 34}">${esc(flags)}</text>` +
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
  const label = `Service ${s.name}${s.mode ? ` (network_mode ${s.mode})` : ''}${s.badge ? `, ${s.badge.count} finding(s)` : ''}`;
  const clip = (t: string) => (t.length > 32 ? `${t.slice(0, 31)}…` : t);
  return (
    `<g class="service" data-service="${esc(s.name)}" data-tier="${s.tier}" tabindex="0" role="button" aria-label="${esc(label)}">` +
    `<title>${esc([label, ...lines, ...(s.badge?.messages ?? [])].join('\n'))}</title>` +
    `<rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" rx="6"/>` +
    `<text class="title" x="${s.x + 10}" y="${s.y + 18}">${esc(clip(s.name))}${s.mode ? ` <tspan class="meta">${esc(s.mode)}</tspan>` : ''}</text>` +
    lines.map((l, i) => `<text class="meta" x="${s.x + 10}" y="${s.y + 34 + i * SIZES.lineH}">${esc(clip(l))}</text>`).join('') +
    `<text class="overlay" data-overlay-for="${esc(s.name)}" x="${s.x + 10}" y="${s.y + s.h - 6}"></text>` +
    badge(s.badge, s.x + s.w - 12, s.y + 12) +
    `</g>`
  );
}

function edges(layout: Layout): string {
  const out: string[] = [];
  const byName = new Map(layout.services.map((s) => [s.name, s]));
  const nets = new Map(layout.networks.map((n) => [n.name, n]));
  for (const [i, p] of layout.host.ports.entries()) {
    const s = byName.get(p.service);
    if (!s || s.tier === 0) continue;
    const x1 = layout.host.x + layout.host.w;
    const y1 = layout.host.y + SIZES.header + 4 + i * SIZES.lineH;
    const y2 = s.y + 14;
    out.push(`<path class="edge port" d="M${x1},${y1} C${x1 + 60},${y1} ${s.x - 60},${y2} ${s.x},${y2}"/>`);
  }
  for (const s of layout.services) {
    for (const [i, name] of s.links.entries()) {
      const n = nets.get(name);
      if (!n) continue;
      const fromRight = n.x > s.x;
      const x1 = fromRight ? s.x + s.w : s.x;
      const y1 = s.y + 12 + i * 6;
      const x2 = fromRight ? n.x : n.x + n.w;
      const y2 = n.y + 22;
      const bend = fromRight ? 50 : -50;
      out.push(`<path class="edge" data-from="${esc(s.name)}" data-to="${esc(name)}" d="M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}"/>`);
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
    style(theme) +
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
