// The lazy engine client loads the real one on the first call, once, forwards every call, and retries a failed load.
import * as assert from 'assert';
import type { EngineClient } from '../../../src/engine/client';
import { lazyEngineClient } from '../../../src/engine/lazyClient';

const provisional = { display: 'tcp://provisional:2375', source: 'setting' } as const;

function fakeClient(): EngineClient {
  return {
    endpoint: { display: 'tcp://real:2375', source: 'setting' },
    listNetworks: async () => [],
    snapshot: async () => ({ networkNames: ['a', 'b'] }),
    removeNetwork: async (id: string) => {
      if (id === 'bad') throw new Error(`no network ${id}`);
    },
  } as unknown as EngineClient;
}

describe('lazyEngineClient', () => {
  it('loads nothing until a call needs the engine, then loads once for concurrent calls', async () => {
    let loads = 0;
    const loaded: EngineClient[] = [];
    const client = lazyEngineClient(async () => (loads++, fakeClient()), provisional, (c) => loaded.push(c));
    assert.strictEqual(client.endpoint, provisional);
    assert.strictEqual(client.loaded, false);
    assert.strictEqual(typeof client.listNetworks, 'function');
    assert.strictEqual(loads, 0, 'reading members does not load');
    const [a, b] = await Promise.all([client.snapshot(), client.snapshot()]);
    assert.deepStrictEqual(a, { networkNames: ['a', 'b'] });
    assert.deepStrictEqual(b, a);
    assert.strictEqual(loads, 1);
    assert.strictEqual(loaded.length, 1);
    assert.strictEqual(client.loaded, true);
    assert.strictEqual(client.endpoint.display, 'tcp://real:2375');
    await client.listNetworks();
    assert.strictEqual(loads, 1);
  });

  it('passes arguments and rejections through', async () => {
    const client = lazyEngineClient(async () => fakeClient(), provisional);
    await client.removeNetwork('good');
    await assert.rejects(client.removeNetwork('bad'), /no network bad/);
  });

  it('a failed load rejects that call and the next call loads again', async () => {
    let attempt = 0;
    const client = lazyEngineClient(async () => {
      if (attempt++ === 0) throw new Error('cannot load the engine client');
      return fakeClient();
    }, provisional);
    await assert.rejects(client.snapshot(), /cannot load the engine client/);
    assert.strictEqual(client.loaded, false);
    assert.deepStrictEqual(await client.snapshot(), { networkNames: ['a', 'b'] });
  });

  it('is not a thenable, and an optional method the real client lacks reads as absent once loaded', async () => {
    const client = lazyEngineClient(async () => fakeClient(), provisional);
    assert.strictEqual((client as unknown as { then?: unknown }).then, undefined);
    assert.strictEqual(await Promise.resolve(client), client);
    await client.listNetworks();
    assert.strictEqual((client as unknown as Record<string, unknown>).swarm, undefined);
  });
});
