// The kernel's socket tables (/proc/net/tcp, tcp6, udp, udp6) as listening sockets: what a network namespace
// really listens on. Pure: the text of the files (concatenated, in any order) in, sockets out.

export interface ListeningSocket {
  protocol: 'tcp' | 'udp';
  family: 4 | 6;
  /** The bound address: 0.0.0.0 / :: mean every interface. */
  address: string;
  port: number;
}

const TCP_LISTEN = '0A';
const UDP_UNCONNECTED = '07';

/**
 * Sections start with the file's header line; UDP's header ends with "ref pointer drops", TCP's does not, and
 * the address width (8 or 32 hex digits) tells IPv4 from IPv6. So one `cat` of the four files is enough.
 */
export function parseProcNetSockets(text: string): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  const seen = new Set<string>();
  let protocol: 'tcp' | 'udp' = 'tcp';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('sl')) {
      protocol = /\bdrops\b/.test(line) ? 'udp' : 'tcp';
      continue;
    }
    const fields = line.split(/\s+/);
    if (fields.length < 4) continue;
    const [local, remote, state] = [fields[1], fields[2], fields[3]];
    const listening = protocol === 'tcp' ? state === TCP_LISTEN : state === UDP_UNCONNECTED && /^0+:0000$/.test(remote);
    if (!listening) continue;
    const parsed = parseHexEndpoint(local);
    if (!parsed) continue;
    const key = `${protocol}/${parsed.address}/${parsed.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ protocol, ...parsed });
  }
  return out.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol) || a.family - b.family || a.address.localeCompare(b.address));
}

/** "0100007F:1F90" -> 127.0.0.1:8080; IPv6 as four little-endian 32-bit words. */
function parseHexEndpoint(text: string): { family: 4 | 6; address: string; port: number } | undefined {
  const m = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(text);
  if (!m) return undefined;
  const port = parseInt(m[2], 16);
  const hex = m[1];
  if (hex.length === 8) {
    const bytes = [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16));
    return { family: 4, address: bytes.join('.'), port };
  }
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (const i of [6, 4, 2, 0]) bytes.push(parseInt(word.slice(i, i + 2), 16));
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  // An IPv4-mapped address (::ffff:a.b.c.d) reads as IPv4 to a person.
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') return { family: 6, address: `::ffff:${bytes.slice(12).join('.')}`, port };
  return { family: 6, address: compressIpv6(groups), port };
}

function compressIpv6(groups: string[]): string {
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLength).join(':')}`;
}

/** Whether an address as bound means "every interface of the host". */
export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '';
}
