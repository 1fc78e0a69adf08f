// What the diagram's live overlay says about a service, looked up by name in records that came over the wire.
// Names come from compose files: `constructor`, `toString` or `__proto__` are service names too, so lookups
// read only a record's own properties, never what it inherits from Object.prototype.
import type { LiveService } from './protocol';

/** The record's own value for `key`, or undefined (never an inherited member such as `constructor`). */
export function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** The overlay as the card shows it: the state, then one line per network address (cards reserve the lines). */
export function overlayLines(services: Record<string, LiveService>, service: string): string[] {
  const live = ownValue(services, service);
  if (!live) return [];
  return [`● ${live.state}`, ...Object.entries(live.addresses).map(([network, ip]) => `${network} ${ip}`)];
}

/** The overlay line for a card: state and addresses of the running container, or '' when none runs. */
export function overlayLine(services: Record<string, LiveService>, service: string): string {
  const live = ownValue(services, service);
  if (!live) return '';
  const addresses = Object.entries(live.addresses).map(([network, ip]) => `${network} ${ip}`);
  return `● ${live.state}${addresses.length ? ' · ' + addresses.join(', ') : ''}`;
}
