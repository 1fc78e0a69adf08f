// An EngineClient that loads the real one (dockerode, a separate bundle) on the first call that needs the engine,
// so activating the extension never reads or compiles the engine client. Every call waits for the load, then
// forwards; a load that fails rejects that call, and the next call tries again.
import type { EngineClient } from './client';
import type { EngineEndpoint } from './model';

/**
 * Every member of EngineClient but `endpoint` must return a Promise: that is what lets this client forward a call
 * before the real one exists. A synchronous method added to the interface makes this line fail to compile.
 */
type SyncMembers = { [K in keyof EngineClient]-?: K extends 'endpoint' ? never : NonNullable<EngineClient[K]> extends (...args: never[]) => Promise<unknown> ? never : K }[keyof EngineClient];
const onlyAsyncMembers: [SyncMembers] extends [never] ? true : SyncMembers = true;
void onlyAsyncMembers;

export interface LazyEngineClient extends EngineClient {
  /** Whether the real client has been loaded. */
  readonly loaded: boolean;
}

/**
 * `load` builds the real client (typically `import('./dockerodeClient')` then `createEngineClient`); `provisional` is
 * the endpoint shown until then; `onLoad` runs once the real client exists (to show its resolved endpoint).
 */
export function lazyEngineClient(load: () => Promise<EngineClient>, provisional: EngineEndpoint, onLoad?: (client: EngineClient) => void): LazyEngineClient {
  let real: EngineClient | undefined;
  let pending: Promise<EngineClient> | undefined;
  const get = (): Promise<EngineClient> => {
    if (real) return Promise.resolve(real);
    pending ??= load().then(
      (c) => {
        real = c;
        onLoad?.(c);
        return c;
      },
      (err: unknown) => {
        pending = undefined;
        throw err;
      },
    );
    return pending;
  };
  const methods = new Map<PropertyKey, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy({} as LazyEngineClient, {
    get(_target, prop) {
      if (prop === 'endpoint') return real?.endpoint ?? provisional;
      if (prop === 'loaded') return real !== undefined;
      // Not a thenable: `await client` must not try to call a `then` method.
      if (typeof prop === 'symbol' || prop === 'then' || prop === 'toJSON') return undefined;
      // Once loaded, an optional method the real client lacks reads as absent, as it would on the real client.
      if (real && typeof (real as unknown as Record<string, unknown>)[prop] !== 'function') return (real as unknown as Record<string, unknown>)[prop];
      let method = methods.get(prop);
      if (!method) {
        method = async (...args: unknown[]) => {
          const client = (await get()) as unknown as Record<PropertyKey, unknown>;
          const fn = client[prop];
          if (typeof fn !== 'function') throw new TypeError(`the engine client has no method ${String(prop)}`);
          return (fn as (...a: unknown[]) => Promise<unknown>).apply(client, args);
        };
        methods.set(prop, method);
      }
      return method;
    },
    has(_target, prop) {
      return prop === 'endpoint' || prop === 'loaded' || (real ? prop in real : typeof prop === 'string');
    },
  });
}
