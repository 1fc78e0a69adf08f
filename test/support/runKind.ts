// Entry point for the unit and engine kinds: `node out/test/support/runKind.js <kind> <results.json>`.
import * as path from 'path';
import { runMocha, testFiles, writeResult } from './runMocha';

const TIMEOUTS: Record<string, number> = { unit: 20_000, engine: 120_000 };

async function main(): Promise<void> {
  const [kind, resultsFile] = process.argv.slice(2);
  const dir = path.resolve(__dirname, '..', kind);
  const result = await runMocha(kind, testFiles(dir), { timeout: TIMEOUTS[kind] ?? 20_000 });
  writeResult(resultsFile, result);
  process.exit(result.failed > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
