// One exec per source: every question a source has in one round (names, connects, pings, egress) runs as the jobs
// of one small `sh` script, all at once, each bounded by its own flags (nslookup -timeout=1, nc -w 1, ping -W 1) and
// the whole script by one watchdog that kills its process group at the deadline (the finished jobs have answered). The jobs' argv go to the script as arguments, never into
// its text: the script only ever refers to them as "${N}". Each output line carries its job's number, so the
// interleaved output of the jobs sorts back into one answer per job. Pure: the argv and the reading are unit-tested.
import { WHICH, type ExecResult } from '../exec';

/**
 * argv: DEADLINE_S (the whole script's), then for each job its argument count and its arguments. Prints `N|line` for each line of job N's
 * output and `N=STATUS` when it ends. `set -f`: no globbing of anything; the eval'd text holds only "${digits}".
 */
export const BATCH_SCRIPT = [
  'set -f',
  't=$1; shift',
  WHICH,
  // One watchdog for the whole script (not a `timeout` per job: that is three more processes each): at the deadline
  // it kills the script's process group; the jobs that finished have printed their answers by then.
  '( trap \'kill "$s" 2>/dev/null; exit 0\' TERM; sleep "$t" & s=$!; wait "$s" && { kill -9 "-$$" 2>/dev/null || kill -9 "$$"; } ) </dev/null >/dev/null 2>&1 &',
  'w=$!',
  'pids=',
  // Per job: its subshell and the tool; the lines are read back from a here-document with builtins, no pipe.
  'run() { i=$1; shift; (',
  '  if which_ "$1"; then shift; r=$("$p" "$@" 2>&1 </dev/null); s=$?; else r="$1: not found"; s=127; fi',
  '  while IFS= read -r l; do printf \'%s|%s\\n\' "$i" "$l"; done <<DN_EOF',
  '$r',
  'DN_EOF',
  '  printf \'%s=%s\\n\' "$i" "$s"',
  ') & pids="$pids $!"; }',
  'i=0',
  'while [ $# -gt 0 ]; do',
  '  n=$1; shift; a=; k=1',
  '  while [ $k -le $n ]; do a="$a \\"\\${$k}\\""; k=$((k+1)); done',
  '  eval "run $i$a"',
  '  shift $n; i=$((i+1))',
  'done',
  'wait $pids',
  'kill "$w" 2>/dev/null',
  'exit 0',
].join('\n');

/** The most jobs one script runs; more go to further execs of the same round. */
export const BATCH_MAX_JOBS = 160;

export function batchArgv(jobs: string[][], timeoutS: number): string[] {
  const out = ['sh', '-c', BATCH_SCRIPT, 'dn-probes', String(Math.max(1, Math.ceil(timeoutS)))];
  for (const argv of jobs) {
    if (!argv.length || argv.some((a) => a.includes('\0'))) throw new Error(`not a probe: ${JSON.stringify(argv)}`);
    out.push(String(argv.length), ...argv);
  }
  return out;
}

/** Exit statuses of a job that `timeout` stopped (busybox: TERM 143, coreutils: 124; KILL 137). */
export function stoppedByTimeout(exitCode: number): boolean {
  return exitCode === 124 || exitCode === 143 || exitCode === 137;
}

/** The batch's output back into one result per job; a job with no status line (the script was cut off) is undefined. */
export function readBatch(output: string, count: number): Array<Pick<ExecResult, 'exitCode' | 'output'> | undefined> {
  const lines: string[][] = Array.from({ length: count }, () => []);
  const status: Array<number | undefined> = new Array(count).fill(undefined);
  for (const line of output.split('\n')) {
    const m = /^(\d+)([|=])(.*)$/.exec(line);
    if (!m) continue;
    const i = Number(m[1]);
    if (i >= count) continue;
    if (m[2] === '|') lines[i].push(m[3]);
    else if (/^\d+$/.test(m[3])) status[i] = Number(m[3]);
  }
  return status.map((s, i) => {
    if (s === undefined) return undefined;
    const text = lines[i].join('\n');
    return { exitCode: s, output: text.trim() ? `${text}\n` : '' };
  });
}

/** The script did not run at all: no shell in the image (the exec could not start `sh`). */
export function batchNoShell(r: { exitCode: number; output: string }): boolean {
  return (r.exitCode === 126 || r.exitCode === 127) && !/^\d+[|=]/m.test(r.output);
}
