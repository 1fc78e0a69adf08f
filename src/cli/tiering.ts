// V8's optimizing compiler (TurboFan) in the `compose-net` process: off at the start of a lint over many projects,
// back on once the run has read enough compose text to earn it back. It compiles hot functions on background
// threads, work a medium run never recovers: measured on the 54-project corpus in one run, 30% of the CPU time
// (0.46 -> 0.31 s) with the wall time no longer; 0.5 MB of compose text (3,000 services) still ran faster without
// it, 1.3 MB (8,000) slower. A run over one project starts with V8's defaults: too short for the optimizing compiler
// to start, and turning it off would cost more than it saves (loading Node's `v8` module: 6 ms, 7% of a small lint).
// The state sits on globalThis because dist/cli.js (which starts lean) and cli-main.js (which reads the files) are
// separate bundles, each with its own copy of this module. The extension never calls startLean: no effect there.
import { GLOB_CHARS, LINT_OPTIONS_WITH_VALUE } from './lintSyntax';

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

/** Node's `v8` module, loaded only by a run that changes V8's flags. */
function setV8Flags(flags: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use: 6 ms of a small lint
  (require('v8') as typeof import('v8')).setFlagsFromString(flags);
}

/**
 * Whether a CLI run of these arguments starts lean: `lint` over many projects (`-r`, a glob, or several paths).
 * Read from the raw arguments because it is decided before the CLI's code loads (V8 refuses a code cache written
 * under other flags); the value of an option that takes one (LINT_OPTIONS_WITH_VALUE) is not a path.
 */
export function startsLean(argv: string[]): boolean {
  if (argv[0] !== 'lint') return false;
  let paths = 0;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-r' || a === '--recursive') return true;
    if (LINT_OPTIONS_WITH_VALUE.has(a)) i++;
    else if (a === '--') return argv.slice(i + 1).some((p) => GLOB_CHARS.test(p)) || paths + argv.length - i - 1 > 1;
    else if (!a.startsWith('-')) {
      if (GLOB_CHARS.test(a)) return true;
      paths++;
    }
  }
  return paths > 1;
}

/** Turns the optimizing compiler off for this process (the CLI, before its code loads); COMPOSE_NET_V8_OPT=1 keeps it. */
export function startLean(env: NodeJS.ProcessEnv = process.env): void {
  if (env.COMPOSE_NET_V8_OPT === '1') return;
  setV8Flags('--no-opt');
  state().lean = true;
}

/** Counts compose text read; past OPTIMIZE_AFTER_CHARS the optimizing compiler is on again for the rest of the run. */
export function noteInputRead(chars: number): void {
  const s = state();
  if (!s.lean) return;
  s.read += chars;
  if (s.read <= OPTIMIZE_AFTER_CHARS) return;
  setV8Flags('--opt');
  s.lean = false;
}

/** Whether the optimizing compiler is off (tests). */
export function isLean(): boolean {
  return state().lean;
}
