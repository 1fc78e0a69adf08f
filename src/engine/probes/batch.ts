// One exec per source: every question a source has in one round (names, connects, pings, egress) runs as the jobs
// of one small `sh` script, all at once, each bounded by its own flags (nslookup -timeout=1, nc -w 1, ping -W 1).
// The jobs' argv go to the script as arguments, never into its text: the script only ever refers to them as "${N}".
// Each output line carries its job's number, so the answers read back as one per job. Pure: the argv and the
// reading are unit-tested.
//
// Processes are what a round costs (a fork and an exec take several ms of CPU each on a small machine, and a
// 20-service project asks ~1,500 questions), so each job is one process: the tool, started in the background with
// its output in a file of a private directory (/dev/shm, else /tmp; made with mkdir, so never someone else's file),
// read back with shell builtins once `wait` gives its status. Where no such directory can be made (a read-only
// container), each job runs in a subshell that captures its output instead (three processes a job).
import { ANSWER_DIR_PREFIX, ANSWER_DIRS, WHICH, type ExecResult } from '../exec';

/**
 * argv: DEADLINE_S (the jobs' watchdog), then for each job its argument count and its arguments. Prints `N|line` for
 * each line of job N's output and `N=STATUS` once it ended. `set -f`: no globbing of anything; the eval'd text holds
 * only "${digits}". At the deadline the watchdog kills the jobs still running (status 137) and the script prints
 * every answer it has.
 */
export const BATCH_SCRIPT = [
  'set -f',
  't=$1; shift',
  WHICH,
  'od=',
  `for b in ${ANSWER_DIRS.join(' ')}; do if mkdir -m 700 "$b/${ANSWER_DIR_PREFIX}$$" 2>/dev/null; then od="$b/${ANSWER_DIR_PREFIX}$$"; break; fi; done`,
  // Per job, in order (job N is the Nth entry): its PID, or "127:TOOL" when the container has no such tool.
  'jobs=; kp=',
  'run() { i=$1; shift',
  '  if ! which_ "$1"; then jobs="$jobs 127:$1"; return; fi',
  '  shift',
  '  if [ -n "$od" ]; then "$p" "$@" >"$od/$i" 2>&1 </dev/null &',
  // No directory to write to: a subshell captures the output (a here-document and builtins print it, no pipe).
  '  else (',
  '    r=$("$p" "$@" 2>&1 </dev/null); s=$?',
  '    while IFS= read -r l; do printf \'%s|%s\\n\' "$i" "$l"; done <<DN_EOF',
  '$r',
  'DN_EOF',
  '    printf \'%s=%s\\n\' "$i" "$s"',
  '  ) & fi',
  '  jobs="$jobs $!"; kp="$kp $!"; }',
  'i=0',
  'while [ $# -gt 0 ]; do',
  '  n=$1; shift; a=; k=1',
  '  while [ $k -le $n ]; do a="$a \\"\\${$k}\\""; k=$((k+1)); done',
  '  eval "run $i$a"',
  '  shift $n; i=$((i+1))',
  'done',
  // One watchdog for all the jobs (not a `timeout` per job: more processes each); its own sleep goes with it. It
  // kills the jobs still running (each then answers 137), or, in subshell mode, the whole script (the subshells
  // that finished have printed).
  '( trap \'kill "$s" 2>/dev/null; exit 0\' TERM; sleep "$t" & s=$!; wait "$s" && if [ -n "$od" ]; then kill -9 $kp; else kill -9 "-$$" || kill -9 "$$"; fi ) </dev/null >/dev/null 2>&1 &',
  'w=$!',
  'i=0',
  'for x in $jobs; do',
  '  case $x in',
  '    127:*) printf \'%s|%s: not found\\n%s=127\\n\' "$i" "${x#127:}" "$i" ;;',
  '    *) wait "$x"; s=$?',
  '      if [ -n "$od" ]; then while IFS= read -r l || [ -n "$l" ]; do printf \'%s|%s\\n\' "$i" "$l"; done <"$od/$i"; printf \'%s=%s\\n\' "$i" "$s"; fi ;;',
  '  esac',
  '  i=$((i+1))',
  'done',
  'kill "$w" 2>/dev/null',
  '[ -n "$od" ] && rm -rf "$od"',
  'exit 0',
].join('\n');

/** The most jobs one script runs; more go to further execs of the same round. */
export const BATCH_MAX_JOBS = 160;

export function batchArgv(jobs: string[][], timeoutS: number): string[] {
  const out = ['sh', '-c', BATCH_SCRIPT, 'dn-probes', String(Math.max(1, Math.ceil(timeoutS)))];
  for (const argv of jobs) {
    // The tool's name is one word the script may print (never run as text): no spaces, quotes or separators.
    if (!argv.length || !/^[\w./-]+$/.test(argv[0]) || argv.some((a) => a.includes('\0'))) throw new Error(`not a probe: ${JSON.stringify(argv)}`);
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
