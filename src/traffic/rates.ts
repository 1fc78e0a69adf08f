// Receive/transmit rates per container and network from two counter samples, and their display.
// Pure: the samples come from the engine's stats API (one request per container per interval).

export interface CounterReading {
  /** Milliseconds since the epoch. */
  time: number;
  interfaces: Array<{ network?: string; rxBytes: number; txBytes: number }>;
}

export interface Rate {
  /** Bytes per second received by the container on that network. */
  rx: number;
  /** Bytes per second sent. */
  tx: number;
}

/**
 * Rates on each network between two readings of one container. A counter that went down (the interface was
 * re-created) or an interface without a known network gives no rate, never a negative one.
 */
export function ratesBetween(before: CounterReading, after: CounterReading): Map<string, Rate> {
  const out = new Map<string, Rate>();
  const seconds = (after.time - before.time) / 1000;
  if (!(seconds > 0)) return out;
  for (const now of after.interfaces) {
    if (!now.network) continue;
    const then = before.interfaces.find((i) => i.network === now.network);
    if (!then || now.rxBytes < then.rxBytes || now.txBytes < then.txBytes) continue;
    out.set(now.network, { rx: (now.rxBytes - then.rxBytes) / seconds, tx: (now.txBytes - then.txBytes) / seconds });
  }
  return out;
}

export function sumRates(rates: Iterable<Rate>): Rate {
  let rx = 0;
  let tx = 0;
  for (const r of rates) {
    rx += r.rx;
    tx += r.tx;
  }
  return { rx, tx };
}

/** "0 B/s", "850 B/s", "12.3 kB/s", "4.1 MB/s" (decimal units, as `docker stats` prints them). */
export function formatRate(bytesPerSecond: number): string {
  const units = ['B/s', 'kB/s', 'MB/s', 'GB/s'];
  let v = Math.max(0, bytesPerSecond);
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? Math.round(v) : v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** "↓12.3 kB/s ↑850 B/s": received, then sent. */
export function rateText(rate: Rate): string {
  return `↓${formatRate(rate.rx)} ↑${formatRate(rate.tx)}`;
}
