// The fuzz campaign's worker: analyzes one generated project at a time, in memory, and reports what it cost.
// Run in a worker thread with a heap limit; the parent terminates it at the deadline.
import * as path from 'path';
import { parentPort } from 'worker_threads';
import { analyze } from '../../src/compose/analyze';
import type { FuzzInput } from './generate';

export interface FuzzOutcome {
  ms: number;
  /** CPU time of the process meanwhile (the parent waits idle): what the input cost when the machine is shared. */
  cpuMs: number;
  findings: number;
  /** Size of the findings as JSON: what an editor or the CLI would have to show. */
  outputBytes: number;
  error?: string;
}

const DIR = '/fuzz';

export function analyzeInput(input: Pick<FuzzInput, 'files' | 'env'>): FuzzOutcome {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const cpuMs = () => {
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / 1000;
  };
  const host = {
    readFile: (p: string) => (Object.prototype.hasOwnProperty.call(input.files, path.relative(DIR, p)) ? input.files[path.relative(DIR, p)] : undefined),
  };
  try {
    const a = analyze({ dir: DIR, env: input.env }, host);
    const outputBytes = JSON.stringify(a.findings.map((f) => ({ rule: f.rule, message: f.message, span: f.span, related: f.related }))).length;
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: cpuMs(), findings: a.findings.length, outputBytes };
  } catch (err) {
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: cpuMs(), findings: 0, outputBytes: 0, error: `${(err as Error).name}: ${(err as Error).message}`.slice(0, 300) };
  }
}

parentPort?.on('message', (input: FuzzInput) => parentPort!.postMessage(analyzeInput(input)));
