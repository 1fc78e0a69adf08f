// Follows the engine's event stream and turns it into refreshes: bursts coalesced, the stream re-opened
// with backoff when the engine goes away, and a refresh as soon as it is back.
import type { EngineClient, Subscription } from './client';

export interface WatchOptions {
  /** Quiet time after the last event before refreshing. */
  debounceMs?: number;
  /** Longest a burst may delay a refresh. */
  maxWaitMs?: number;
  /** Reconnect delays grow from this to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export class EngineWatcher {
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private firstPending: number | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private backoff: number;
  private stopped = true;
  /** The stream was lost (or never opened): the next successful connect must refresh. */
  private disconnected = false;
  private readonly o: Required<WatchOptions>;

  constructor(
    private client: EngineClient,
    /** Called when the view should reload; `reachable` says whether the stream is up. */
    private readonly refresh: (reachable: boolean) => void,
    options: WatchOptions = {},
  ) {
    this.o = { debounceMs: 300, maxWaitMs: 1000, minBackoffMs: 250, maxBackoffMs: 4000, ...options };
    this.backoff = this.o.minBackoffMs;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.subscription?.dispose();
    this.subscription = undefined;
    clearTimeout(this.timer);
    clearTimeout(this.reconnectTimer);
    this.timer = this.reconnectTimer = undefined;
    this.firstPending = undefined;
  }

  /** A new endpoint: drop the old stream and follow the new one. */
  setClient(client: EngineClient): void {
    const running = !this.stopped;
    this.stop();
    this.client = client;
    if (running) this.start();
  }

  get running(): boolean {
    return !this.stopped;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      const sub = await this.client.events(
        () => this.onEvent(),
        () => this.onEnd(sub),
      );
      if (this.stopped) {
        sub.dispose();
        return;
      }
      this.subscription = sub;
      this.backoff = this.o.minBackoffMs;
      if (this.disconnected) {
        this.disconnected = false;
        this.refresh(true);
      }
    } catch {
      this.disconnected = true;
      this.scheduleReconnect();
    }
  }

  private onEnd(sub: Subscription): void {
    if (this.stopped || this.subscription !== sub) return;
    this.subscription = undefined;
    this.disconnected = true;
    this.refresh(false); // show the unreachable state now, not at the next poll
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.o.maxBackoffMs);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  private onEvent(): void {
    const now = Date.now();
    this.firstPending ??= now;
    clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.o.debounceMs, this.firstPending + this.o.maxWaitMs - now));
    this.timer = setTimeout(() => {
      this.firstPending = undefined;
      this.refresh(true);
    }, wait);
  }
}
