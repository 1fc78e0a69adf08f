import * as assert from 'assert';
import type { EngineClient, EngineEvent, Subscription } from '../../../src/engine/client';
import { EngineWatcher } from '../../../src/engine/watch';
import { until as waitFor } from '../../support/until';

/** A fake engine whose event stream the test drives. */
function fakeEngine() {
  const state = { up: true, emit: (_e: EngineEvent) => {}, end: (_err?: Error) => {}, opened: 0 };
  const client = {
    endpoint: { display: 'fake', source: 'default' },
    events: async (onEvent: (e: EngineEvent) => void, onEnd: (err?: Error) => void): Promise<Subscription> => {
      if (!state.up) throw new Error('ECONNREFUSED');
      state.opened++;
      state.emit = onEvent;
      state.end = onEnd;
      return { dispose: () => {} };
    },
  } as unknown as EngineClient;
  return { client, state };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

const until = (ok: () => boolean) => waitFor('the condition', ok, (v) => v, 3000);

describe('EngineWatcher', () => {
  it('coalesces a burst of a hundred events into at most two refreshes', async () => {
    const { client, state } = fakeEngine();
    const refreshes: boolean[] = [];
    const w = new EngineWatcher(client, (r) => refreshes.push(r), { debounceMs: 50, maxWaitMs: 200 });
    w.start();
    await until(() => state.opened === 1);
    for (let i = 0; i < 100; i++) state.emit({ type: 'network', action: 'create', id: String(i) });
    await wait(300);
    w.stop();
    assert.ok(refreshes.length >= 1 && refreshes.length <= 2, `${refreshes.length} refreshes`);
  });

  it('reports the engine gone at once, reconnects with backoff, and refreshes when it is back', async () => {
    const { client, state } = fakeEngine();
    const refreshes: boolean[] = [];
    const w = new EngineWatcher(client, (r) => refreshes.push(r), { minBackoffMs: 20, maxBackoffMs: 80 });
    w.start();
    await until(() => state.opened === 1);
    state.up = false;
    state.end(new Error('socket hang up'));
    assert.deepStrictEqual(refreshes, [false]);
    await wait(200); // several failed reconnects
    assert.strictEqual(state.opened, 1);
    state.up = true;
    await until(() => state.opened === 2);
    await until(() => refreshes.length === 2);
    assert.deepStrictEqual(refreshes, [false, true]);
    w.stop();
  });
});
