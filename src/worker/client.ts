// Runs analyses in the worker one at a time, newest first: a request supersedes the older one for the same
// project (its promise resolves undefined and its result is dropped), and a run past its deadline is stopped.
// A request identical to one already waiting or running (diagnostics and a hover asking at once) shares its answer.
import { Worker } from 'worker_threads';
import type { AnalysisRequest, AnalysisResponse } from './protocol';

export interface AnalysisClientOptions {
  /** A run that takes longer is stopped (the worker restarts) and reported as an error. */
  deadlineMs?: number;
  /** A superseded run that has already taken this long is stopped rather than waited for. */
  abandonAfterMs?: number;
}

type Resolve = (r: AnalysisResponse | undefined) => void;

interface Job {
  key: string;
  request: AnalysisRequest;
  /** The request without its id: equal signatures ask the same question. */
  signature: string;
  resolve: Resolve;
  promise: Promise<AnalysisResponse | undefined>;
}

export class AnalysisClient {
  private worker: Worker | undefined;
  /** Whether the current worker has answered once (it has loaded the analyzer). */
  private warm = false;
  private nextId = 1;
  private running: (Job & { started: number; timer: NodeJS.Timeout }) | undefined;
  /** The newest request per project not yet started (older ones were superseded). */
  private readonly waiting = new Map<string, Job>();
  /** The newest request id per project: any other result for it is stale. */
  private readonly newest = new Map<string, number>();
  private readonly deadlineMs: number;
  private readonly abandonAfterMs: number;
  /** Workers started so far (tests check that a superseded long run was stopped). */
  started = 0;

  constructor(
    private readonly script: string,
    options: AnalysisClientOptions = {},
  ) {
    this.deadlineMs = options.deadlineMs ?? 30_000;
    this.abandonAfterMs = options.abandonAfterMs ?? 500;
  }

  /** The analysis of the project `key`; undefined when a newer request for the same project superseded this one. */
  analyze(key: string, request: Omit<AnalysisRequest, 'id'>): Promise<AnalysisResponse | undefined> {
    const signature = JSON.stringify(request);
    const same = [this.waiting.get(key), this.running].find((j) => j && j.key === key && j.signature === signature && this.newest.get(key) === j.request.id);
    if (same) return same.promise;
    const id = this.nextId++;
    this.newest.set(key, id);
    this.waiting.get(key)?.resolve(undefined);
    let resolve!: Resolve;
    const promise = new Promise<AnalysisResponse | undefined>((r) => (resolve = r));
    this.waiting.set(key, { key, request: { ...request, id }, signature, resolve, promise });
    const r = this.running;
    // Stop a slow superseded run, but not a worker still starting: a new one would have to start all over again.
    if (r && r.key === key && this.warm && Date.now() - r.started >= this.abandonAfterMs) this.stopRunning(undefined);
    this.pump();
    return promise;
  }

  /** Starts the worker ahead of the first request (loading the analyzer takes a moment). */
  prestart(): void {
    this.ensureWorker();
  }

  private pump(): void {
    if (this.running) return;
    const next = this.waiting.values().next();
    if (next.done) return;
    const job = next.value;
    this.waiting.delete(job.key);
    const timer = setTimeout(() => this.stopRunning({ id: job.request.id, ok: false, message: `the analysis did not finish within ${this.deadlineMs / 1000} s` }), this.deadlineMs);
    this.running = { ...job, started: Date.now(), timer };
    this.ensureWorker().postMessage(job.request);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    this.started++;
    this.warm = false;
    worker.unref(); // an idle worker never keeps its process alive
    worker.on('message', (response: AnalysisResponse) => {
      this.warm = true;
      const r = this.running;
      if (!r || response.id !== r.request.id) return;
      this.finish(r, response);
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.running) this.finish(this.running, { id: this.running.request.id, ok: false, message: `the analysis worker ${why}` });
    };
    worker.on('error', (err) => lost(`failed: ${err.message}`));
    worker.on('exit', (code) => lost(`exited (${code})`));
    this.worker = worker;
    return worker;
  }

  private finish(job: Job & { timer: NodeJS.Timeout }, response: AnalysisResponse | undefined): void {
    clearTimeout(job.timer);
    if (this.running === job) this.running = undefined;
    job.resolve(this.newest.get(job.key) === job.request.id ? response : undefined);
    this.pump();
  }

  /** Stops the run in progress (past its deadline, or superseded and slow): the worker is restarted on demand. */
  private stopRunning(response: AnalysisResponse | undefined): void {
    const r = this.running;
    if (!r) return;
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    this.finish(r, response);
  }

  dispose(): void {
    for (const job of this.waiting.values()) job.resolve(undefined);
    this.waiting.clear();
    if (this.running) {
      clearTimeout(this.running.timer);
      this.running.resolve(undefined);
      this.running = undefined;
    }
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
