// Items 0..count-1 computed once each, by this thread and by worker threads, and returned in order. Every thread takes
// the next item from one shared counter (Atomics on a SharedArrayBuffer), so a slow item or a worker still starting
// delays nobody: this thread starts at once, a worker joins when it is up (tens of milliseconds), and one that is not
// up by the time this thread has taken the last item is stopped unused.
// A worker that fails (an exception, out of memory, killed) costs nothing but time: whatever it took and did not deliver
// is computed here afterwards, so an error in an item surfaces exactly as it would without threads.
import type { Worker } from 'worker_threads';

/** What a worker thread is started with (its script reads it with `workerData`): the shared counter and the caller's data. */
export interface ThreadData<D> {
  counter: SharedArrayBuffer;
  count: number;
  data: D;
}

type FromWorker<T> = { item: number; value: T } | { done: true };

export interface WorkerPlan<D> {
  /** The worker's script: it calls serveItems with the same compute function. */
  script: string;
  workers: number;
  /** Structured-cloneable: the worker's compute function is built from it. */
  data: D;
}

/** compute(0..count-1), on this thread and on `plan.workers` worker threads. */
export async function computeAcrossThreads<T, D>(count: number, compute: (item: number) => T, plan?: WorkerPlan<D>): Promise<T[]> {
  const results = new Array<T>(count);
  const delivered = new Uint8Array(count);
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const running: Array<{ worker: Worker; finished: Promise<void> }> = [];
  if (plan && plan.workers > 0 && count > 1) {
    // Loaded only here, so a run on one thread never pays for it (`import()` would not do: dist/cli.js runs this code
    // through vm.Script, which has no dynamic-import hook).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
    const { Worker } = require('worker_threads') as typeof import('worker_threads');
    for (let w = 0; w < plan.workers; w++) {
      const workerData: ThreadData<D> = { counter: counter.buffer as SharedArrayBuffer, count, data: plan.data };
      let worker: Worker;
      try {
        worker = new Worker(plan.script, { workerData, stdout: false, stderr: false });
      } catch {
        break; // no thread to be had (ERR_WORKER_INIT_FAILED, out of memory): this thread does the rest
      }
      const finished = new Promise<void>((resolve) => {
        worker.on('message', (m: FromWorker<T>) => {
          if ('done' in m) resolve();
          else {
            results[m.item] = m.value;
            delivered[m.item] = 1;
          }
        });
        worker.on('error', () => resolve()); // its undelivered items are computed below
        worker.on('exit', () => resolve());
      });
      running.push({ worker, finished });
    }
  }
  try {
    for (let item = Atomics.add(counter, 0, 1); item < count; item = Atomics.add(counter, 0, 1)) {
      results[item] = compute(item);
      delivered[item] = 1;
    }
    // Every item is taken. Wait for what the workers hold, unless they hold nothing (not up yet, or already done).
    if (running.length && !delivered.every((d) => d === 1)) await Promise.all(running.map((r) => r.finished));
  } finally {
    await Promise.all(running.map((r) => r.worker.terminate())); // also when an item threw here: no worker outlives the call
  }
  for (let item = 0; item < count; item++) {
    if (delivered[item]) continue;
    results[item] = compute(item); // a worker failed with it: computed here, so its error is this thread's
    delivered[item] = 1;
  }
  return results;
}

/** The worker's side: computes the items it takes from the shared counter and sends each to the parent as it is done. */
export function serveItems<T>(threadData: ThreadData<unknown>, port: { postMessage(m: FromWorker<T>): void }, compute: (item: number) => T): void {
  const counter = new Int32Array(threadData.counter);
  for (let item = Atomics.add(counter, 0, 1); item < threadData.count; item = Atomics.add(counter, 0, 1)) port.postMessage({ item, value: compute(item) });
  port.postMessage({ done: true });
}
