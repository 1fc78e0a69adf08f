// Waiting in tests: poll a condition until it holds or fail with the last value seen (never a fixed sleep).
import * as assert from 'assert';

export async function until<T>(what: string, read: () => T | Promise<T>, ok: (v: T) => boolean, deadlineMs = 10_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}
