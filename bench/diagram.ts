// Layout and SVG time for 20, 200 and 1,000 services, against the analysis of the same project.
import { analyze } from '../src/compose/analyze';
import { layoutProject } from '../src/diagram/layout';
import { renderSvg } from '../src/diagram/svg';
import { generatedProject } from './analyzer';
import { fmt, medianMs } from './measure';

export function diagramBench(): string[] {
  const rows = [20, 200, 1000].map((n) => {
    const text = generatedProject(n, Math.max(4, Math.round(n / 10)));
    const analysis = analyze({ dir: '/bench', files: ['c.yaml'], env: {} }, { readFile: () => text });
    const analyzeMs = medianMs(() => analyze({ dir: '/bench', files: ['c.yaml'], env: {} }, { readFile: () => text }));
    const layoutMs = medianMs(() => layoutProject(analysis));
    const layout = layoutProject(analysis);
    const svgMs = medianMs(() => renderSvg(layout, 'vscode'));
    return `| ${n} | ${fmt(analyzeMs)} | ${fmt(layoutMs)} | ${fmt(svgMs)} | ${((layoutMs + svgMs) / analyzeMs).toFixed(2)}x | ${(renderSvg(layout).length / 1024).toFixed(0)} KiB |`;
  });
  return [
    '## Tier diagram: layout and SVG (issue 7)',
    '',
    'Generated projects (services on two networks each, no published ports, so networks past the first go to the unreachable tiers). Median of 7 runs after 2 warm-ups.',
    '',
    '| services | analysis ms (reference) | layout ms | SVG ms | (layout + SVG) / analysis | SVG size |',
    '|---|---|---|---|---|---|',
    ...rows,
  ];
}
