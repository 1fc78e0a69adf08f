// Loaded by the extension host as `extensionTestsPath`: runs the host tests inside VS Code.
import * as path from 'path';
import { runMocha, testFiles, writeResult } from '../support/runMocha';

/** Where the launcher reads the counts; the extension host runs on the same machine. */
export const HOST_RESULTS = path.resolve(__dirname, '../../../test-results/host.json');

export async function run(): Promise<void> {
  const result = await runMocha('host', testFiles(__dirname), { timeout: 60_000, color: false });
  writeResult(process.env.DOCKER_NET_HOST_RESULTS || HOST_RESULTS, result);
  if (result.failed > 0) throw new Error(`${result.failed} host test(s) failed`);
}
