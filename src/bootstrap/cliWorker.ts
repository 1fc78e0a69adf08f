// dist/cli-worker.js: a worker thread of `compose-net lint` over many projects (src/cli/threads.ts). It loads
// dist/cli-main.js through V8's code cache as dist/cli.js does, and lints the projects it takes from the run's list.
// It only reads the cache: the main thread writes it (both threads share one process id, so one temporary file name).
import * as path from 'path';
import { parentPort, workerData } from 'worker_threads';
import { loadWithCodeCache } from './codeCache';

const cli = loadWithCodeCache(path.join(__dirname, 'cli-main.js'), { write: false }).exports as typeof import('../cli/main');
cli.lintThread(workerData, parentPort!);
