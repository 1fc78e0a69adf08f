// `npm run bench [-- section...]`: prints Markdown tables and writes them into BENCHMARKS.md.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzerBench } from './analyzer';
import { diagramBench } from './diagram';
import { editorBench } from './editor';
import { hardeningBench } from './hardening';
import { refreshBench } from './refresh';
import { verifyBench } from './verify';
import { startupBench } from './startup';
import { countersBench } from './counters';

const SECTIONS: Record<string, () => string[] | Promise<string[]>> = {
  analyzer: analyzerBench,
  editor: editorBench,
  diagram: diagramBench,
  refresh: refreshBench,
  verify: () => verifyBench(),
  startup: startupBench,
  hardening: hardeningBench,
  counters: () => countersBench(),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => a in SECTIONS);
  const names = wanted.length ? wanted : Object.keys(SECTIONS);
  const out: string[] = [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench\` on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    'Figures are ratios against a reference measured in the same process, so they travel between machines better than the milliseconds do.',
    '',
  ];
  for (const name of names) {
    console.error(`[bench] ${name}...`);
    out.push(...(await SECTIONS[name]()), '');
  }
  const text = out.join('\n');
  console.log(text);
  fs.writeFileSync(path.resolve(__dirname, '../../BENCHMARKS.md'), text);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
