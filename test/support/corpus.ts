// The shared corpus of real compose files, read in place next to the repository (../shared/corpus), never copied.
// DOCKER_NET_CORPUS points elsewhere. A clone without it skips the corpus tests with one loud line, as a machine
// without an engine skips the engine tests; REQUIRE_CORPUS=1 (set by .ci/run) makes a missing corpus a failure.
import * as fs from 'fs';
import * as path from 'path';

export const CORPUS = path.resolve(process.env.DOCKER_NET_CORPUS || path.resolve(__dirname, '../../../../shared/corpus'));

let announced = false;

/**
 * Call first in a corpus test or its `before` hook: skips it when the corpus is absent (one loud line per run),
 * or fails under REQUIRE_CORPUS=1.
 */
export function needCorpus(ctx: Mocha.Context): void {
  if (fs.existsSync(CORPUS) && fs.statSync(CORPUS).isDirectory()) return;
  const why = `no corpus at ${CORPUS} (the shared corpus of real compose files beside the repository; DOCKER_NET_CORPUS points elsewhere)`;
  if (process.env.REQUIRE_CORPUS === '1') throw new Error(`corpus tests are required (REQUIRE_CORPUS=1) but cannot run: ${why}`);
  if (!announced) console.error(`\n!!! SKIPPING ALL CORPUS TESTS: ${why}; REQUIRE_CORPUS=1 makes this a failure`);
  announced = true;
  ctx.skip();
}
