// Finding host names inside values: URL hosts, host:port pairs, and whole values of *HOST*/*URL*/*ADDR* keys.
import type { HostReference } from './model';

export interface HostToken {
  host: string;
  /** Offset of the host inside the value. */
  offset: number;
}

// The scheme is bounded ({0,31}): an unbounded `[a-z0-9+.-]*` before `://` is quadratic on a long dotted name.
const URL_HOST = /\b[a-z][a-z0-9+.-]{0,31}:\/\/(?:[^@/\s?#]*@)?([A-Za-z0-9][A-Za-z0-9_.-]*)/gi;
// `host:port`, not followed by another `:` or digit: `fd12:3456:789a::1` is an IPv6 literal, not host "fd12".
const HOST_PORT = /(^|[\s=,;"'(@/])([A-Za-z][A-Za-z0-9_.-]*):(\d{1,5})(?![\d.:])/g;
// `[host]:port` (the bracketed form; brackets around an IPv6 literal hold no host name).
const BRACKET_HOST = /\[([A-Za-z][A-Za-z0-9_.-]*)\]:\d{1,5}(?![\d.:])/g;
const HOST_KEY = /HOST|URL|ADDR/i;
const PLAIN_HOST = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function hostTokens(ref: HostReference): HostToken[] {
  const value = ref.value.value;
  // By offset, in the order first found; a later pattern finding the same offset names the host. Values hold a few:
  // looked up in the list, with an index by offset past 8 (a long value can hold thousands).
  const found: HostToken[] = [];
  let index: Map<number, HostToken> | undefined;
  const add = (offset: number, host: string) => {
    if (!index && found.length >= 8) index = new Map(found.map((t) => [t.offset, t]));
    const same = index ? index.get(offset) : tokenAt(found, offset);
    if (same) {
      same.host = host;
      return;
    }
    const token = { host, offset };
    found.push(token);
    index?.set(offset, token);
  };
  // Each pattern needs a colon. exec loops, not matchAll: matchAll copies the regular expression on every call.
  if (value.includes(':')) {
    for (let m = first(URL_HOST, value); m; m = URL_HOST.exec(value)) add(m.index + m[0].length - m[1].length, m[1]);
    for (let m = first(HOST_PORT, value); m; m = HOST_PORT.exec(value)) add(m.index + m[1].length, m[2]);
    for (let m = first(BRACKET_HOST, value); m; m = BRACKET_HOST.exec(value)) add(m.index + 1, m[1]);
  }
  if (ref.key !== undefined && HOST_KEY.test(ref.key)) {
    const trimmed = value.trim();
    if (PLAIN_HOST.test(trimmed)) add(value.indexOf(trimmed), trimmed);
  }
  return found;
}

/** The token at `offset` in a short list (a loop: no closure per token found). */
function tokenAt(found: readonly HostToken[], offset: number): HostToken | undefined {
  for (const t of found) if (t.offset === offset) return t;
  return undefined;
}

/** The first match of a global pattern in `value`, its lastIndex reset (none of these patterns matches empty text). */
function first(pattern: RegExp, value: string): RegExpExecArray | null {
  pattern.lastIndex = 0;
  return pattern.exec(value);
}
