// A service on several networks reads without ambiguity; an undeclared network is a finding on the card, not a box.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/compose/analyze';
import { layoutProject } from '../../../src/diagram/layout';
import { renderSvg } from '../../../src/diagram/svg';

const MISTAKES = path.resolve(__dirname, '../../../../sample/mistakes');
const disk = { readFile: (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) };

describe('diagram attachments', () => {
  const layout = layoutProject(analyze({ dir: MISTAKES, env: {} }, disk));
  const svg = renderSvg(layout);

  it('sample/mistakes: lb sits in dmz, its real network; the typo app-teir is no network box', () => {
    assert.deepStrictEqual(layout.networks.map((n) => n.name).sort(), ['app-tier', 'data-tier', 'dmz']);
    const lb = layout.services.find((s) => s.name === 'lb')!;
    assert.strictEqual(lb.home, 'dmz');
    assert.deepStrictEqual(lb.undeclared, ['app-teir']);
    assert.match(svg, /class="meta undeclared"[^>]*>✖ not declared: app-teir</);
    assert.match(svg, /aria-label="Network tiers: 3 networks, 3 services"/);
  });

  it('names every other network on the card and reserves a line per address for the live overlay', () => {
    const two = layoutProject(analyze({ dir: path.dirname(MISTAKES), env: {} }, disk));
    const lb = two.services.find((s) => s.name === 'lb')!;
    const one = two.services.find((s) => s.name === 'db')!;
    assert.deepStrictEqual(lb.links, ['app-tier']);
    assert.match(renderSvg(two), /also on app-tier/);
    // lb: image, ports, "also on" + 2 address lines; db: image, aliases + 1 address line.
    assert.strictEqual(lb.h - one.h, 2 * 15);
  });
});
