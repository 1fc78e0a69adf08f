// Runs generated inputs through the analyzer in a worker thread with a deadline and a heap limit per input:
// a hang is terminated, an out-of-memory kills only the worker, and both are reported with the input's seed.
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { FuzzInput } from './generate';
import type { FuzzOutcome } from './worker';

export interface WatchdogOptions {
  /** Per input (default 10 s). */
  deadlineMs?: number;
  /** The worker's old-generation heap (default 512 MiB). */
  heapMb?: number;
}

export type Verdict = 'ok' | 'crash' | 'hang' | 'memory' | 'blowup';

export interface FuzzResult extends Partial<FuzzOutcome> {
  family: string;
  seed: number;
  inputBytes: number;
  verdict: Verdict;
  detail?: string;
}

/** Findings may be larger than the input (messages name things), but linearly: this many bytes per input byte, plus 1 MiB. */
export const OUTPUT_PER_INPUT_BYTE = 64;

export class Watchdog {
  private worker?: Worker;
  private readonly deadlineMs: number;
  private readonly heapMb: number;

  constructor(options: WatchdogOptions = {}) {
    this.deadlineMs = options.deadlineMs ?? 10_000;
    this.heapMb = options.heapMb ?? 512;
  }

  private spawn(): Worker {
    // A 1 MiB stack, about the main thread's (and the extension host's): a recursion that overflows there overflows here.
    this.worker ??= new Worker(path.join(__dirname, 'worker.js'), { resourceLimits: { maxOldGenerationSizeMb: this.heapMb, stackSizeMb: 1 } });
    return this.worker;
  }

  async run(input: FuzzInput, deadlineMs = this.deadlineMs): Promise<FuzzResult> {
    const inputBytes = Object.values(input.files).reduce((n, t) => n + t.length, 0);
    const base = { family: input.family, seed: input.seed, inputBytes };
    const worker = this.spawn();
    const outcome = await new Promise<{ out?: FuzzOutcome; verdict?: Verdict; detail?: string }>((resolve) => {
      const timer = setTimeout(() => finish({ verdict: 'hang', detail: `no result within ${deadlineMs} ms` }), deadlineMs);
      const onMessage = (out: FuzzOutcome) => finish({ out });
      const onError = (err: Error) => finish({ verdict: /memory/i.test(err.message) || (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crash', detail: err.message.slice(0, 300) });
      const onExit = (code: number) => finish({ verdict: 'crash', detail: `worker exited with ${code}` });
      const finish = (r: { out?: FuzzOutcome; verdict?: Verdict; detail?: string }) => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (r.verdict) this.kill();
        resolve(r);
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage(input);
    });
    if (!outcome.out) return { ...base, verdict: outcome.verdict!, ...(outcome.detail ? { detail: outcome.detail } : {}) };
    const { out } = outcome;
    if (out.error) return { ...base, ...out, verdict: 'crash', detail: out.error };
    if (out.outputBytes > OUTPUT_PER_INPUT_BYTE * inputBytes + 1024 * 1024) return { ...base, ...out, verdict: 'blowup', detail: `${out.outputBytes} bytes of findings for ${inputBytes} bytes of input` };
    return { ...base, ...out, verdict: 'ok' };
  }

  private kill(): void {
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }
}
