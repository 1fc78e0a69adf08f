// The tier layout: order by exposure, no overlaps anywhere, deterministic, readable attributes in the SVG.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/compose/analyze';
import { layoutProject, overlaps, type Box, type Layout } from '../../../src/diagram/layout';
import { renderSvg } from '../../../src/diagram/svg';
import { CORPUS, corpusProjects } from '../compose/corpus.test';
import { needCorpus } from '../../support/corpus';
import { lint, yaml } from '../compose/helpers';

const SAMPLE = path.resolve(__dirname, '../../../../sample');
const disk = { readFile: (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) };

function tiersIn(svg: string, attr: 'service' | 'network'): Record<string, number> {
  return Object.fromEntries([...svg.matchAll(new RegExp(`data-${attr}="([^"]+)" data-tier="(\\d+)"`, 'g'))].map((m) => [m[1], Number(m[2])]));
}

/** No two cards overlap, no two network boxes overlap, and every card sits inside its network's box. */
function assertNoOverlaps(layout: Layout, label: string): void {
  const check = (boxes: Array<Box & { name: string }>, what: string) => {
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) assert.ok(!overlaps(boxes[i], boxes[j]), `${label}: ${what} ${boxes[i].name} overlaps ${boxes[j].name}`);
  };
  check(layout.services, 'card');
  check(layout.networks, 'network');
  check([{ ...layout.host, name: 'host' }, ...layout.networks], 'box');
  for (const s of layout.services) {
    const home = layout.networks.find((n) => n.name === s.home);
    if (home) assert.ok(s.x >= home.x && s.y >= home.y && s.x + s.w <= home.x + home.w && s.y + s.h <= home.y + home.h, `${label}: ${s.name} outside ${home.name}`);
    assert.ok(s.x + s.w <= layout.width && s.y + s.h <= layout.height, `${label}: ${s.name} outside the picture`);
  }
}

describe('tier layout', () => {
  it('draws the sample stack as Internet -> dmz -> app-tier -> data-tier', () => {
    const svg = renderSvg(layoutProject(analyze({ dir: SAMPLE, env: {} }, disk)));
    assert.deepStrictEqual(tiersIn(svg, 'network'), { dmz: 1, 'app-tier': 2, 'data-tier': 3 });
    assert.deepStrictEqual(tiersIn(svg, 'service'), { lb: 1, api: 2, cache: 3, db: 3 });
    assert.match(svg, /data-host="" data-tier="0"/);
  });

  it('orders the tutorials\' three-tier file by exposure, puts host-mode services at the host, tenants with their owner', () => {
    const r = lint(yaml`
      services:
        proxy: {image: nginx, ports: ["443:443"], networks: [frontend, backend]}
        app: {image: app, networks: [backend, db]}
        postgres: {image: postgres, networks: [db]}
        metrics: {image: node-exporter, network_mode: host}
        vpn-sidecar: {image: vpn, network_mode: "service:app"}
        shared: {image: x, networks: [partner]}
      networks:
        frontend: {}
        backend: {internal: true}
        db: {internal: true}
        partner: {external: true}
      `);
    const layout = layoutProject(r);
    const svg = renderSvg(layout);
    assert.deepStrictEqual(tiersIn(svg, 'network'), { frontend: 1, backend: 2, db: 3, partner: 4 });
    assert.strictEqual(tiersIn(svg, 'service').metrics, 0);
    assert.deepStrictEqual(layout.services.find((s) => s.name === 'app')!.tenants, ['vpn-sidecar']);
    assert.strictEqual(tiersIn(svg, 'service')['vpn-sidecar'], undefined, 'drawn inside its owner\'s card');
    assert.ok(layout.networks.find((n) => n.name === 'partner')!.external);
    assert.match(svg, /class="network external"/);
  });

  it('puts finding badges on the cards and networks they concern', () => {
    const layout = layoutProject(lint('services:\n  web:\n    image: w\n    networks: [ghost]\nnetworks:\n  spare: {}\n'));
    assert.strictEqual(layout.services.find((s) => s.name === 'web')!.badge?.severity, 'error');
    assert.strictEqual(layout.networks.find((n) => n.name === 'spare')!.badge?.severity, 'info');
  });

  it('is deterministic', () => {
    const a = renderSvg(layoutProject(analyze({ dir: SAMPLE, env: {} }, disk)));
    const b = renderSvg(layoutProject(analyze({ dir: SAMPLE, env: {} }, disk)));
    assert.strictEqual(a, b);
  });

  it('has no overlapping cards or boxes on every corpus project', function () {
    needCorpus(this);
    for (const { name, files } of corpusProjects()) assertNoOverlaps(layoutProject(analyze({ dir: CORPUS, files, env: {} }, disk)), name);
  });

  it('has no overlaps on a generated 200-service project, and every service and network is drawn', () => {
    const lines = ['services:'];
    for (let i = 0; i < 200; i++) lines.push(`  s${i}:`, `    image: img${i}`, ...(i % 17 === 0 ? [`    ports: ["${8000 + i}:80"]`] : []), `    networks: [n${i % 12}, n${(i * 7) % 12}]`);
    lines.push('networks:', ...Array.from({ length: 12 }, (_, n) => `  n${n}: {internal: ${n > 5}}`));
    const layout = layoutProject(lint(lines.join('\n') + '\n'));
    assertNoOverlaps(layout, 'generated');
    const svg = renderSvg(layout);
    assert.strictEqual(Object.keys(tiersIn(svg, 'service')).length, 200);
    assert.strictEqual(Object.keys(tiersIn(svg, 'network')).length, 12);
  });

  it('escapes names and values in the SVG', () => {
    const svg = renderSvg(layoutProject(lint('services:\n  web:\n    image: "<script>&"\n')));
    assert.ok(!svg.includes('<script>'));
    assert.match(svg, /&lt;script&gt;&amp;/);
  });
});

describe('tier layout: a stack\'s networks', () => {
  it('draws a stack\'s networks with the driver Swarm gives them (overlay), a Compose project\'s with bridge', () => {
    const text = (isStackFile: boolean) => yaml`
      services:
        web:
          image: nginx
          networks: [front]
          ${isStackFile ? 'deploy: { replicas: 2, placement: { constraints: ["node.role == worker"] } }' : ''}
      networks:
        front: {}
    `;
    const driverLine = (isStackFile: boolean) => layoutProject(lint(text(isStackFile))).networks.find((n) => n.name === 'front')!.text[0];
    assert.strictEqual(driverLine(true), 'overlay');
    assert.strictEqual(driverLine(false), 'bridge');
  });
});
