// Edit -> published diagnostics, measured inside the real extension host (code-server) on 300 services.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generatedProject } from './analyzer';
import { fmt, median } from './measure';

const ROOT = path.resolve(__dirname, '../..');

export function editorBench(): string[] {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-bench-ws-'));
  const text = generatedProject(300, 30).replace('    networks:\n      net1:', '    networks: [net1, net8]\n    x-was:\n      net1:');
  fs.writeFileSync(path.join(workspace, 'compose.yaml'), text);
  const results = path.join(workspace, 'results.json');
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/host-tests.js'), results, '--tests', 'out/bench/host/index.js', '--workspace', workspace], { cwd: ROOT, encoding: 'utf8' });
  if (!fs.existsSync(results)) return ['## Editor', '', `The extension-host benchmark did not run: ${run.stderr.slice(-500)}`];
  const r = JSON.parse(fs.readFileSync(results, 'utf8')) as { latencies: number[]; analysisMs: number; hostAnalyses?: number[]; workerTrips?: number[]; toChange?: number[]; busyToChange?: number[]; plainToChange?: number[]; twinToChange?: number[]; cpuPerEdit?: { renderer: number; server: number; extensionHost: number } };
  const host = r.hostAnalyses ?? [];
  const trips = r.workerTrips ?? [];
  const med = median(r.latencies);
  const worst = Math.max(...r.latencies);
  return [
    '## Edit to published diagnostics in the extension host (issue 4)',
    '',
    `A generated project of 300 services on 30 networks (${(text.length / 1024).toFixed(0)} KiB) open in code-server; 50 edits that each change a finding,`,
    'timed from `applyEdit` to the diagnostics being published. The debounce while typing is 150 ms and is included.',
    '',
    '| edits | median ms | worst ms | bare analysis of the same text ms | median / (debounce + analysis) |',
    '|---|---|---|---|---|',
    `| ${r.latencies.length} | ${fmt(med)} | ${fmt(worst)} | ${fmt(r.analysisMs)} | ${(med / (150 + r.analysisMs)).toFixed(2)}x |`,
    '',
    `Meanwhile: ${host.length} analyses on the extension host's thread (providers asking for the model: median ${host.length ? fmt(median(host)) : '-'} ms),`,
    `${trips.length} worker round trips (median ${trips.length ? fmt(median(trips)) : '-'} ms, from the request to the findings back);`,
    `from \`applyEdit\` to the extension host's change event (the workbench's part, in the browser for code-server): median ${r.toChange?.length ? fmt(median(r.toChange)) : '-'} ms,`,
    `of which the extension host's thread was busy ${r.busyToChange?.length ? fmt(median(r.busyToChange)) : '-'} ms`,
    `(${r.plainToChange?.length ? fmt(median(r.plainToChange)) : '-'} ms for a plain text file in the same run, which no extension analyses;`,
    `${r.twinToChange?.length ? fmt(median(r.twinToChange)) : '-'} ms for the same text as a YAML file the extension does not analyse, edited the same way at the same pace).`,
    ...(r.cpuPerEdit
      ? [
          `CPU time per edit (steadier than the times above on a loaded machine): the browser's renderers ${fmt(r.cpuPerEdit.renderer)} ms, code-server's other processes ${fmt(r.cpuPerEdit.server)} ms,`,
          `the extension host (its analysis worker included) ${fmt(r.cpuPerEdit.extensionHost)} ms.`,
        ]
      : []),
  ];
}
