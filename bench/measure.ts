// Timing helpers for benchmarks: medians of repeated runs, ratios against a reference in the same process.

export function timeMs(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs `fn` `runs` times after `warmup` runs and returns the median in ms. */
export function medianMs(fn: () => void, runs = 7, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn();
  return median(Array.from({ length: runs }, () => timeMs(fn)));
}

export const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(2));

/**
 * The environment for timing whole Node processes. NODE_EXTRA_CA_CERTS is dropped: Node reads that bundle at every
 * start (60 ms of CPU on this machine for `node -e 0`), a constant that neither tool needs and that would flatter our
 * ratio to `node -e 0` and hide our share of a run. Both sides of every pair get the same environment.
 */
export function processEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return { ...env, ...extra };
}
