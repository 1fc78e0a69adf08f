// Reading a container's socket tables from this machine's /proc (src/engine/hostSockets.ts) only when the PID is
// that container's: anything else is "cannot tell here" (undefined), and the caller execs instead.
import * as assert from 'assert';
import { socketTablesOnThisHost } from '../../../src/engine/hostSockets';

describe('socket tables read on this host', () => {
  it('refuses a PID that is not the named container\'s (another PID namespace, a VM, a reused PID)', async () => {
    // This very process exists, but its cgroup does not name that container.
    assert.strictEqual(await socketTablesOnThisHost('a'.repeat(64), process.pid), undefined);
  });

  it('refuses what is not a container ID or a PID', async () => {
    assert.strictEqual(await socketTablesOnThisHost('../../etc', process.pid), undefined);
    assert.strictEqual(await socketTablesOnThisHost('a'.repeat(64), undefined), undefined);
    assert.strictEqual(await socketTablesOnThisHost('a'.repeat(64), 1), undefined);
    assert.strictEqual(await socketTablesOnThisHost('a'.repeat(64), 2 ** 40), undefined);
  });
});
