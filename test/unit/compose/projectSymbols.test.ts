// A project's network and service symbols (go-to, references, rename, code lenses) are built on first read, not by
// every analysis (issue 14): whenever they are read (before or after the rules ran, once or twice, through a spread),
// they must list every place a network or service is written, in every file read, in the loader's order.
import * as assert from 'assert';
import * as path from 'path';
import { analyze, analyzeProject } from '../../../src/compose/analyze';
import { loadProject } from '../../../src/compose/project';
import type { ComposeProject } from '../../../src/compose/model';

const DIR = '/project';
const FILES: Record<string, string> = {
  'compose.yaml': [
    'include:',
    '  - inc/compose.yaml',
    'services:',
    '  web:',
    '    image: nginx',
    '    networks: [front, back]',
    '  api:',
    '    extends: {file: base.yaml, service: base}',
    '    networks:',
    '      back:',
    '        aliases: [api.local]',
    'networks:',
    '  front: {}',
    '  back: {}',
    '',
  ].join('\n'),
  'compose.override.yaml': ['services:', '  web:', '    networks:', '      edge: {}', 'networks:', '  edge: {}', ''].join('\n'),
  'base.yaml': ['services:', '  base:', '    image: base', '    networks: [back]', 'networks:', '  back: {}', ''].join('\n'),
  'inc/compose.yaml': ['services:', '  inc:', '    image: inc', '    networks: [shared]', 'networks:', '  shared: {}', ''].join('\n'),
};
const host = { readFile: (p: string) => FILES[path.relative(DIR, p)] };
const options = { dir: DIR, files: ['compose.yaml', 'compose.override.yaml'], env: {} };

/** Symbols as `file: kind network (service) = the text at the span`. */
function describe_(project: ComposeProject): { networks: string[]; services: string[] } {
  const at = (span: { file: string; start: number; end: number }) => FILES[path.relative(DIR, span.file)].slice(span.start, span.end);
  return {
    networks: project.networkSymbols.map((s) => `${path.relative(DIR, s.span.file)}: ${s.kind} ${s.network}${s.service ? ` (${s.service})` : ''} = ${at(s.span)}`),
    services: project.serviceSymbols.map((s) => `${path.relative(DIR, s.span.file)}: ${s.service} = ${at(s.span)}`),
  };
}

const EXPECTED = {
  networks: [
    'compose.yaml: declaration front = front',
    'compose.yaml: declaration back = back',
    'compose.yaml: reference front (web) = front',
    'compose.yaml: reference back (web) = back',
    'compose.yaml: reference back (api) = back',
    'inc/compose.yaml: declaration shared = shared',
    'inc/compose.yaml: reference shared (inc) = shared',
    'base.yaml: declaration back = back',
    'base.yaml: reference back (base) = back',
    'compose.override.yaml: declaration edge = edge',
    'compose.override.yaml: reference edge (web) = edge',
  ],
  services: ['compose.yaml: web = web', 'compose.yaml: api = api', 'inc/compose.yaml: inc = inc', 'base.yaml: base = base', 'compose.override.yaml: web = web'],
};

describe('project symbols, built on first read', () => {
  it('list every declaration and reference of every file read (main, include, extends, override), in the loader order', () => {
    assert.deepStrictEqual(describe_(loadProject(options, host).project), EXPECTED);
  });

  it('are the same when first read after the rules ran as right after loading', () => {
    const early = loadProject(options, host).project;
    const earlySymbols = describe_(early);
    const late = loadProject(options, host).project;
    analyzeProject(late);
    assert.deepStrictEqual(describe_(late), earlySymbols);
    assert.deepStrictEqual(describe_(analyze(options, host).project), EXPECTED);
  });

  it('are built once (the same lists on every read) and are ordinary data for a spread or JSON', () => {
    const { project } = loadProject(options, host);
    assert.strictEqual(project.networkSymbols, project.networkSymbols);
    assert.strictEqual(project.serviceSymbols, project.serviceSymbols);
    const copy = { ...project };
    assert.deepStrictEqual(copy.networkSymbols, project.networkSymbols);
    assert.deepStrictEqual(copy.serviceSymbols, project.serviceSymbols);
    const json = JSON.parse(JSON.stringify({ networkSymbols: project.networkSymbols, all: project }, (_k, v: unknown) => (v instanceof Map ? null : v))) as { networkSymbols: unknown; all: { networkSymbols: unknown; serviceSymbols: unknown } };
    assert.deepStrictEqual(json.all.networkSymbols, json.networkSymbols);
    assert.strictEqual((json.all.serviceSymbols as unknown[]).length, EXPECTED.services.length);
  });
});
