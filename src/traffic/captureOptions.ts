// What a user types for a capture, checked before anything reaches the engine: the duration and the filter.
// One place for both the CLI's flags and the editor's input boxes.

const FILTER_CHARS = /^[A-Za-z0-9 .:/()!&|<>=[\]+*\-_\t]*$/;

/**
 * A filter is passed to tcpdump as one argument (never through a shell); this rejects what cannot be pcap
 * filter syntax (quotes, `;`, `$`, backticks, newlines) and overlong text. tcpdump checks the grammar itself
 * when it starts, and its message is reported as is.
 */
export function validateCaptureFilter(filter: string): string | undefined {
  if (filter.length > 1000) return 'the filter is longer than 1000 characters';
  if (!FILTER_CHARS.test(filter)) return 'a pcap filter uses letters, digits, spaces and . : / ( ) ! & | < > = [ ] + * - _ only (e.g. "tcp port 80 and host 172.18.0.3")';
  if (/^\s*-/.test(filter)) return 'a filter cannot start with "-" (it would be read as a tcpdump option)';
  return undefined;
}

/** "10s", "2m", "500ms", "10" (seconds) as milliseconds; undefined unless it is within (0, 1 hour]. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,7})(ms|s|m)?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
  return ms > 0 && ms <= 3_600_000 ? ms : undefined;
}
