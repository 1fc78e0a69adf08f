// What the screenshots of issue 16 showed reading badly: clipped card text ("127.0.0.1:9229→9…",
// "dockersamples/atseasampleshopap…"), a network box that looked empty although services are on it (the voting
// app's front-tier), and a published port's line running into a same-column attachment line at the card's edge.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/compose/analyze';
import { layoutProject, LINE_CHARS, wrapText } from '../../../src/diagram/layout';
import { renderSvg } from '../../../src/diagram/svg';
import { CORPUS, corpusProjects } from '../compose/corpus.test';
import { needCorpus } from '../../support/corpus';
import { lint, yaml } from '../compose/helpers';

const disk = { readFile: (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) };

/** The example voting app's networks (dockersamples/example-voting-app): vote and result on both tiers. */
const VOTING = yaml`
  services:
    vote: {build: ./vote, ports: ["8080:80"], networks: [front-tier, back-tier]}
    result: {build: ./result, ports: ["8081:80", "127.0.0.1:9229:9229"], networks: [front-tier, back-tier]}
    worker: {build: ./worker, networks: [back-tier]}
    redis: {image: redis:alpine, networks: [back-tier]}
    db: {image: postgres:15-alpine, networks: [back-tier]}
    payment_gateway: {image: dockersamples/atseasampleshopapp_payment_gateway, networks: [back-tier]}
  networks:
    front-tier: {}
    back-tier: {}
  `;

/** The text of each <text> element of a card or box, in order. */
function textsOf(svg: string, attr: 'service' | 'network', name: string): string[] {
  const g = new RegExp(`<g class="[^"]*" data-${attr}="${name}"[^]*?</g>`).exec(svg)?.[0] ?? '';
  return [...g.matchAll(/<text class="meta[^"]*"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

/** Where an edge's path (M, H, V, C commands, absolute) ends. */
function endOf(d: string): { x: number; y: number } {
  let [x, y] = [0, 0];
  for (const [, cmd, args] of d.matchAll(/([MHVC])([^MHVC]*)/g)) {
    const n = args.trim().split(/[\s,]+/).map(Number);
    if (cmd === 'H') x = n[0];
    else if (cmd === 'V') y = n[0];
    else [x, y] = n.slice(-2);
  }
  return { x, y };
}

describe('diagram readability (issue 16 screenshots)', () => {
  it('wraps long lines instead of clipping them: every character is kept, no line is wider than the card', () => {
    for (const line of ['ports 8081→80, 127.0.0.1:9229→9229', 'dockersamples/atseasampleshopapp_payment_gateway', 'x'.repeat(80), '😀'.repeat(40), 'short']) {
      const wrapped = wrapText(line);
      assert.ok(wrapped.every((l) => Array.from(l).length <= LINE_CHARS), `${line}: ${JSON.stringify(wrapped)}`);
      assert.strictEqual(wrapped.join('').replace(/ /g, ''), line.replace(/ /g, ''), 'nothing dropped');
    }
    assert.deepStrictEqual(wrapText('ports 8081→80, 127.0.0.1:9229→9229'), ['ports 8081→80,', '127.0.0.1:9229→9229']);
    assert.deepStrictEqual(wrapText('dockersamples/atseasampleshopapp_payment_gateway'), ['dockersamples/', 'atseasampleshopapp_payment_', 'gateway']);
  });

  it('draws the voting app\'s cards with their full ports and image names, and taller cards for them', () => {
    const layout = layoutProject(lint(VOTING));
    const svg = renderSvg(layout);
    const result = textsOf(svg, 'service', 'result');
    assert.ok(!result.some((t) => t.includes('…')), JSON.stringify(result));
    assert.ok(result.join(' ').includes('127.0.0.1:9229→9229'), JSON.stringify(result));
    const gateway = textsOf(svg, 'service', 'payment_gateway');
    assert.deepStrictEqual(gateway, ['dockersamples/', 'atseasampleshopapp_payment_', 'gateway']);
    const card = (n: string) => layout.services.find((s) => s.name === n)!;
    // image on 2 lines (+1 over a short image) plus 1 overlay address line, against redis's one image line.
    assert.strictEqual(card('payment_gateway').h - card('redis').h, 15 * (gateway.length - 1));
  });

  it('names in a network box the services on it whose cards are drawn elsewhere, so it never reads as empty', () => {
    const layout = layoutProject(lint(VOTING));
    const front = layout.networks.find((n) => n.name === 'front-tier')!;
    const back = layout.networks.find((n) => n.name === 'back-tier')!;
    assert.ok(layout.services.every((s) => s.home !== 'front-tier'), 'both are drawn in back-tier (first by name)');
    assert.deepStrictEqual(front.guests, ['result', 'vote']);
    assert.deepStrictEqual(back.guests, []);
    const svg = renderSvg(layout);
    assert.deepStrictEqual(textsOf(svg, 'network', 'front-tier'), ['bridge', 'also attached: result, vote']);
    assert.match(svg, /aria-label="Network front-tier: bridge; also attached: result, vote"/);
  });

  it('a box with many guests grows to hold every name, and its cards start below them', () => {
    const services = Array.from({ length: 12 }, (_, i) => `    svc-number-${i}: {image: x, networks: [a, b]}`).join('\n');
    const layout = layoutProject(lint(`services:\n${services}\n    solo: {image: x, networks: [b]}\nnetworks:\n  a: {}\n  b: {}\n`));
    const b = layout.networks.find((n) => n.name === 'b')!;
    assert.strictEqual(b.guests.length, 12);
    assert.ok(b.text.length > 3 && b.text.every((l) => Array.from(l).length <= 35), JSON.stringify(b.text));
    const solo = layout.services.find((s) => s.name === 'solo')!;
    assert.ok(solo.y >= b.y + 34 + (b.text.length - 1) * 15 + 6, `solo at ${solo.y} under ${b.text.length} text lines from ${b.y}`);
  });

  it('a box attached to many services drawn elsewhere names as many as fit four lines and counts the rest', () => {
    const services = Array.from({ length: 40 }, (_, i) => `  s${String(i).padStart(2, '0')}: {image: x, networks: [a, z]}`).join('\n');
    const layout = layoutProject(lint(`services:\n${services}\nnetworks:\n  a: {}\n  z: {}\n`));
    const z = layout.networks.find((n) => n.name === 'z')!;
    assert.strictEqual(z.guests.length, 40);
    const shown = z.text.slice(1);
    assert.ok(shown.length <= 4, JSON.stringify(shown));
    const more = /and (\d+) more$/.exec(shown.join(' '));
    assert.ok(more, JSON.stringify(shown));
    assert.strictEqual(shown.join(' ').replace(/^also attached: /, '').replace(/ and \d+ more$/, '').split(/,\s*/).length + Number(more[1]), 40);
    assert.match(renderSvg(layout), /aria-label="Network z: bridge; also attached: s00, s01,[^"]*s39"/, 'all in the tooltip');
  });

  it('a published port\'s line and a same-column attachment line leave the card at different heights', () => {
    const svg = renderSvg(layoutProject(lint(VOTING)));
    const layout = layoutProject(lint(VOTING));
    for (const name of ['vote', 'result']) {
      const card = layout.services.find((s) => s.name === name)!;
      const link = new RegExp(`<path class="edge" data-from="${name}" data-to="front-tier" d="M([\\d.]+),([\\d.]+)`).exec(svg)!;
      assert.strictEqual(Number(link[1]), card.x);
      const portEnds = [...svg.matchAll(/<path class="edge port" d="([^"]*)"/g)].map((m) => endOf(m[1])).filter((p) => p.x === card.x).map((p) => p.y);
      assert.ok(portEnds.length > 0, `${name} has a port line`);
      for (const y of portEnds) assert.ok(Math.abs(Number(link[2]) - y) >= 10, `${name}: link leaves at ${link[2]}, a port line arrives at ${y}`);
    }
  });

  it('the host heads the first column, so sample/mistakes is two columns wide and reads at a half-width editor', () => {
    const layout = layoutProject(analyze({ dir: path.resolve(__dirname, '../../../../sample/mistakes'), env: {} }, disk));
    const tier1 = layout.networks.filter((n) => n.tier === 1);
    assert.ok(tier1.length > 0 && tier1.every((n) => n.x === layout.host.x && n.y > layout.host.y + layout.host.h), 'tier 1 boxes under the host');
    // A half-width editor's diagram is ~525 px wide: the whole picture at >= 0.85 (it was 822 px: 0.6).
    assert.ok(layout.width <= 600, `width ${layout.width}`);
    assert.deepStrictEqual(layout.tierLabels.map((t) => t.label), ['Host · Tier 1', 'Tier 2']);
  });

  it('a host-network service is drawn inside the host box, above the first column\'s networks', () => {
    const layout = layoutProject(lint('services:\n  metrics: {image: x, network_mode: host, ports: ["9100:9100"]}\n  web: {image: w, ports: ["80:80"]}\n'));
    const metrics = layout.services.find((s) => s.name === 'metrics')!;
    const h = layout.host;
    assert.ok(metrics.x >= h.x && metrics.y >= h.y && metrics.x + metrics.w <= h.x + h.w && metrics.y + metrics.h <= h.y + h.h, JSON.stringify({ metrics, h }));
    assert.ok(layout.networks.every((n) => n.y >= h.y + h.h), 'networks below the host');
  });

  it('no card or box text line on any corpus project is clipped or wider than its box', function () {
    needCorpus(this);
    for (const { name, files } of corpusProjects()) {
      const layout = layoutProject(analyze({ dir: CORPUS, files, env: {} }, disk));
      for (const s of layout.services) for (const l of [...s.text, ...s.undeclaredText]) assert.ok(Array.from(l).length <= LINE_CHARS && !l.endsWith('…'), `${name}: ${s.name}: ${l}`);
      for (const n of layout.networks) for (const l of n.text) assert.ok(Array.from(l).length <= 35, `${name}: ${n.name}: ${l}`);
    }
  });
});
