// Live receive/transmit rates for the Networks view: one stats request per running container per interval,
// only while the view is visible; rates per container and network, and each network's sum.
import * as vscode from 'vscode';
import type { CounterSample } from '../engine/traffic';
import { rateText, ratesBetween, sumRates, type Rate } from '../traffic/rates';
import type { NetworksTreeProvider } from './networksTree';

/** Stats requests in flight at once: a host with many containers is sampled in waves, not all at once. */
const CONCURRENCY = 8;

/** The rates as the views write them (rateText), one line per container and network. */
function shownText(rates: ReadonlyMap<string, Rate>): string {
  return [...rates].map(([key, rate]) => `${key}=${rateText(rate)}`).sort().join('\n');
}

export class LiveRates implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly previous = new Map<string, CounterSample>();
  /** `${containerId}\0${network}` -> rate. */
  private rates = new Map<string, Rate>();
  /** shownText of `rates`: what the views last drew. */
  private shown = '';
  /** Stats requests made since activation (the cost, for the benchmark and the tests). */
  requests = 0;

  constructor(
    private readonly tree: NetworksTreeProvider,
    private readonly intervalMs: () => number,
  ) {}

  /** Who can see rates now (the Networks view, the tier diagram): sampling runs while any of them is visible. */
  private readonly watchers = new Set<string>();

  /** Follows a view (`who`: 'tree' by default, 'diagram'): sampling runs only while someone can see rates. */
  setVisible(visible: boolean, who = 'tree'): void {
    if (visible) this.watchers.add(who);
    else this.watchers.delete(who);
    if (this.watchers.size && this.intervalMs() > 0) {
      if (!this.timer) {
        void this.tick();
        this.timer = setInterval(() => void this.tick(), this.intervalMs());
      }
    } else this.stop();
  }

  rateOf(containerId: string, network: string): Rate | undefined {
    return this.rates.get(`${containerId}\u0000${network}`);
  }

  networkRate(network: string): Rate | undefined {
    const list = [...this.rates.entries()].filter(([k]) => k.endsWith(`\u0000${network}`)).map(([, r]) => r);
    return list.length ? sumRates(list) : undefined;
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.previous.clear();
    if (this.rates.size) {
      this.rates = new Map();
      this.shown = '';
      this.changed.fire();
    }
  }

  private async tick(): Promise<void> {
    if (this.running) return; // a slow engine: skip a beat rather than pile requests up
    this.running = true;
    try {
      const traffic = await this.tree.engine.traffic?.();
      if (!traffic) return;
      const { containers } = await this.tree.state();
      const running = containers.filter((c) => c.state === 'running');
      const next = new Map<string, Rate>();
      for (let i = 0; i < running.length; i += CONCURRENCY) {
        await Promise.all(
          running.slice(i, i + CONCURRENCY).map(async (c) => {
            this.requests++;
            const sample = await traffic.counters(c).catch(() => undefined);
            if (!sample) return;
            const before = this.previous.get(c.id);
            this.previous.set(c.id, sample);
            if (before) for (const [network, rate] of ratesBetween(before, sample)) next.set(`${c.id}\u0000${network}`, rate);
          }),
        );
      }
      for (const id of [...this.previous.keys()]) if (!running.some((c) => c.id === id)) this.previous.delete(id);
      // Redraw only when what the views show changed: a repaint reloads the whole Networks view, and an idle engine
      // would otherwise redraw it on every tick (losing, for instance, an expand or reveal that raced it).
      const shown = shownText(next);
      this.rates = next;
      if (shown !== this.shown) this.changed.fire();
      this.shown = shown;
    } catch {
      // The engine is unreachable: the tree says so; rates simply stop.
    } finally {
      this.running = false;
    }
  }

  dispose(): void {
    this.stop();
    this.changed.dispose();
  }
}
