// Reading and writing classic .pcap files (what tcpdump -w writes): the file header, each record, and the
// link layers our captures produce (Ethernet from a container's interface, Linux cooked v1/v2 from `-i any`).
// Pure: bytes in, records out; a damaged or truncated file ends the list with an error instead of throwing.

export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_LINUX_SLL2 = 276;

export interface PcapRecord {
  /** Seconds since the epoch, with the file's sub-second precision. */
  time: number;
  /** The captured bytes (may be shorter than the packet on the wire). */
  data: Uint8Array;
  /** The packet's length on the wire. */
  wireLength: number;
}

export interface PcapFile {
  linkType: number;
  snapLength: number;
  records: PcapRecord[];
  /** Set when the file ended inside a record or had a bad header: the records before it are kept. */
  error?: string;
}

const MAGIC_MICRO = 0xa1b2c3d4;
const MAGIC_NANO = 0xa1b23c4d;

/** Reads a classic pcap file (either byte order, micro- or nanosecond timestamps); pcapng is refused clearly. */
export function readPcap(bytes: Uint8Array): PcapFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 24) return { linkType: 0, snapLength: 0, records: [], error: `not a pcap file: ${bytes.byteLength} bytes, shorter than the 24-byte header` };
  const magicBE = view.getUint32(0, false);
  let little: boolean;
  let nano: boolean;
  if (magicBE === MAGIC_MICRO || magicBE === MAGIC_NANO) {
    little = false;
    nano = magicBE === MAGIC_NANO;
  } else {
    const magicLE = view.getUint32(0, true);
    if (magicLE !== MAGIC_MICRO && magicLE !== MAGIC_NANO) {
      const hint = magicBE === 0x0a0d0d0a ? ' (this is pcapng: convert it with `tcpdump -r IN -w OUT.pcap` or editcap -F pcap)' : '';
      return { linkType: 0, snapLength: 0, records: [], error: `not a pcap file: unknown magic number 0x${magicBE.toString(16)}${hint}` };
    }
    little = true;
    nano = magicLE === MAGIC_NANO;
  }
  const snapLength = view.getUint32(16, little);
  const linkType = view.getUint32(20, little) & 0x0fffffff;
  const records: PcapRecord[] = [];
  let offset = 24;
  while (offset < bytes.byteLength) {
    if (offset + 16 > bytes.byteLength) return { linkType, snapLength, records, error: `truncated record header at byte ${offset}` };
    const seconds = view.getUint32(offset, little);
    const fraction = view.getUint32(offset + 4, little);
    const captured = view.getUint32(offset + 8, little);
    const wireLength = view.getUint32(offset + 12, little);
    if (captured > 262_144) return { linkType, snapLength, records, error: `record at byte ${offset} claims ${captured} bytes: the file is damaged` };
    if (offset + 16 + captured > bytes.byteLength) return { linkType, snapLength, records, error: `truncated record at byte ${offset} (the capture was cut off)` };
    records.push({ time: seconds + fraction / (nano ? 1e9 : 1e6), data: bytes.subarray(offset + 16, offset + 16 + captured), wireLength });
    offset += 16 + captured;
  }
  return { linkType, snapLength, records };
}

/** Writes records as a little-endian microsecond pcap file (used to merge captures of several containers). */
export function writePcap(linkType: number, records: PcapRecord[], snapLength = 262_144): Uint8Array {
  const size = 24 + records.reduce((n, r) => n + 16 + r.data.byteLength, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC_MICRO, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, snapLength, true);
  view.setUint32(20, linkType, true);
  let offset = 24;
  for (const r of records) {
    const seconds = Math.floor(r.time);
    view.setUint32(offset, seconds, true);
    view.setUint32(offset + 4, Math.min(999_999, Math.round((r.time - seconds) * 1e6)), true);
    view.setUint32(offset + 8, r.data.byteLength, true);
    view.setUint32(offset + 12, r.wireLength, true);
    out.set(r.data, offset + 16);
    offset += 16 + r.data.byteLength;
  }
  return out;
}

/** Two captures see the same packet within this time when both ends were captured (A's and B's interface). */
const DUPLICATE_WINDOW_S = 0.05;

/**
 * Several captures of the same link type merged in time order (a network's containers, a service's replicas).
 * A packet between two captured containers is seen by both: the copy is dropped.
 */
export function mergePcaps(files: PcapFile[]): { linkType: number; records: PcapRecord[] } {
  const linkType = files[0]?.linkType ?? LINKTYPE_ETHERNET;
  const sorted = files.flatMap((f) => f.records).sort((a, b) => a.time - b.time);
  const recent = new Map<string, number>();
  const records: PcapRecord[] = [];
  for (const r of sorted) {
    const key = Buffer.from(r.data).toString('base64');
    const seen = recent.get(key);
    recent.set(key, r.time);
    if (seen !== undefined && r.time - seen <= DUPLICATE_WINDOW_S) continue;
    records.push(r);
  }
  return { linkType, records };
}
