// The analysis worker (its own bundle, dist/analysisWorker.js): compose analysis off the extension host's main
// thread, so neither a large project nor a file that cannot be read makes typing wait. No vscode, no dockerode.
import { parentPort } from 'worker_threads';
import { readRegularFile } from '../cli/fileHost';
import { runAnalysis } from './analysis';
import type { AnalysisRequest } from './protocol';

parentPort?.on('message', (request: AnalysisRequest) => {
  parentPort!.postMessage(runAnalysis(request, (filePath, maxBytes) => readRegularFile(filePath, { maxBytes })));
});
