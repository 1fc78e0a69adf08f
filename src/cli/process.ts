// How the CLI process ends: with the command's own exit status, or 2 when anything keeps it from giving one.
// Node's defaults would lie to CI: a crash exits 1 (our "errors found") and a promise nobody settles exits 0.
import { escapeTerminal } from '../shared/escape';

/** The exit status of a command that could not run. */
export const EXIT_COULD_NOT_RUN = 2;

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message || err.name : String(err);
  return escapeTerminal(text.split('\n')[0] ?? '');
}

/**
 * Runs the command and exits with its status. An uncaught exception or unhandled rejection anywhere, or an
 * event loop that drains before the command settles, prints one line to stderr and exits 2.
 */
export function runCli(command: () => Promise<number>, stderr: NodeJS.WritableStream = process.stderr): void {
  let settled = false;
  const fail = (what: string) => {
    stderr.write(`compose-net: ${what}\n`);
    process.exit(EXIT_COULD_NOT_RUN);
  };
  process.on('uncaughtException', (err) => fail(`internal error: ${oneLine(err)}`));
  process.on('unhandledRejection', (reason) => fail(`internal error: ${oneLine(reason)}`));
  process.on('beforeExit', () => {
    if (!settled) fail('internal error: the command stopped before it had a result (nothing left to wait for)');
  });
  command().then(
    (code) => {
      settled = true;
      process.exitCode = code;
    },
    (err: unknown) => {
      settled = true;
      fail(`internal error: ${oneLine(err)}`);
    },
  );
}
