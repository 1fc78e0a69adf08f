// dist/cli-worker.js: a worker thread of `compose-net lint` over many projects (src/cli/threads.ts). It loads
// dist/cli-main.js through V8's code cache as dist/cli.js does, and lints the projects it takes from the run's list.
// It only reads the cache: the main thread writes it (both threads share one process id, so one temporary file name).
import * as path from 'path';
import { parentPort, workerData } from 'worker_threads';
import type { LintThreadData } from '../cli/lint';
import type { ThreadData } from '../cli/threads';
import { loadWithCodeCache } from './codeCache';

// The main thread's V8 flags are the process's, so its cache file too (see dist/cli.js).
const flavor = (workerData as ThreadData<LintThreadData>).data.lean ? 'lean' : undefined;
const cli = loadWithCodeCache(path.join(__dirname, 'cli-main.js'), { write: false, flavor }).exports as typeof import('../cli/main');
cli.lintThread(workerData, parentPort!);
