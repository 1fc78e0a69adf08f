// V8's optimizing compiler (TurboFan) in the `compose-net` process: off at start-up, back on once the run has read
// enough compose text to earn it back. It compiles hot functions on background threads, work a short run never
// recovers: measured on the 54-project corpus in one run, 30% of the CPU time (0.46 -> 0.31 s) with the wall time
// no longer; 0.5 MB of compose text (3,000 services) still ran faster without it, 1.3 MB (8,000) slower.
// The state sits on globalThis because dist/cli.js (which starts lean) and cli-main.js (which reads the files) are
// separate bundles, each with its own copy of this module. The extension never calls startLean: no effect there.
import * as v8 from 'v8';

/** Compose text read before the optimizing compiler is turned back on. */
export const OPTIMIZE_AFTER_CHARS = 512 * 1024;

const STATE = Symbol.for('compose-net.tiering');

interface TieringState {
  lean: boolean;
  read: number;
}

function state(): TieringState {
  const g = globalThis as Record<symbol, TieringState | undefined>;
  return (g[STATE] ??= { lean: false, read: 0 });
}

/** Turns the optimizing compiler off for this process (the CLI, before its code loads); COMPOSE_NET_V8_OPT=1 keeps it. */
export function startLean(env: NodeJS.ProcessEnv = process.env): void {
  if (env.COMPOSE_NET_V8_OPT === '1') return;
  v8.setFlagsFromString('--no-opt');
  state().lean = true;
}

/** Counts compose text read; past OPTIMIZE_AFTER_CHARS the optimizing compiler is on again for the rest of the run. */
export function noteInputRead(chars: number): void {
  const s = state();
  if (!s.lean) return;
  s.read += chars;
  if (s.read <= OPTIMIZE_AFTER_CHARS) return;
  v8.setFlagsFromString('--opt');
  s.lean = false;
}

/** Whether the optimizing compiler is off (tests). */
export function isLean(): boolean {
  return state().lean;
}
