// dist/cli-worker.js: a worker thread of `compose-net lint` over many projects (src/cli/threads.ts). It loads
// dist/cli-main.js through V8's code cache as dist/cli.js does, and lints the projects it takes from the run's list.
// It only reads the cache: the main thread writes it (both threads share one process id, so one temporary file name).
import * as path from 'path';
import { parentPort, workerData } from 'worker_threads';
import type { LintThreadData } from '../cli/lint';
import type { ThreadData } from '../cli/threads';
import { loadWithCodeCache } from './codeCache';

const threadData = workerData as ThreadData<LintThreadData> | undefined;
if (!parentPort || !threadData?.data) {
  process.stderr.write('compose-net: dist/cli-worker.js is a thread of `compose-net lint`, not a command: run dist/cli.js\n');
  process.exit(2);
}
// The main thread's V8 flags are the process's, so its cache file too (see dist/cli.js).
const flavor = threadData.data.lean ? 'lean' : undefined;
const cli = loadWithCodeCache(path.join(__dirname, 'cli-main.js'), { write: false, flavor }).exports as typeof import('../cli/main');
cli.lintThread(threadData, parentPort);
