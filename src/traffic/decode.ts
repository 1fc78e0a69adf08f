// Decoding one captured frame into what a person reads in a summary: addresses, protocol, ports, TCP flags,
// ICMP type, and DNS questions and answers. Pure and bounds-checked: a short or odd frame decodes to less, never throws.
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2 } from './pcap';

export interface DnsMessage {
  id: number;
  response: boolean;
  /** RCODE: 0 no error, 3 NXDOMAIN. */
  rcode: number;
  questions: Array<{ name: string; type: string }>;
  answers: Array<{ name: string; type: string; data: string }>;
}

export interface DecodedPacket {
  time: number;
  length: number;
  /** 'IPv4', 'IPv6', 'ARP' or the EtherType in hex. */
  network: string;
  src?: string;
  dst?: string;
  /** 'TCP', 'UDP', 'ICMP', 'ICMPv6', or the IP protocol number. */
  protocol?: string;
  srcPort?: number;
  dstPort?: number;
  /** TCP flags as letters: S (SYN), A (ACK), F (FIN), R (RST), P (PSH). */
  tcpFlags?: string;
  /** TCP payload length. */
  payload?: number;
  /** 'echo request', 'echo reply', 'unreachable', or the ICMP type. */
  icmp?: string;
  dns?: DnsMessage;
  /** ARP: who asked for which address. */
  arp?: { op: 'request' | 'reply'; senderIp: string; targetIp: string };
}

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const ETH_ARP = 0x0806;
const ETH_VLAN = 0x8100;

export function decodeFrame(linkType: number, data: Uint8Array, time: number, wireLength = data.byteLength): DecodedPacket {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let etherType: number;
  let offset: number;
  if (linkType === LINKTYPE_ETHERNET) {
    if (data.byteLength < 14) return { time, length: wireLength, network: 'short frame' };
    etherType = v.getUint16(12);
    offset = 14;
    if (etherType === ETH_VLAN && data.byteLength >= 18) {
      etherType = v.getUint16(16);
      offset = 18;
    }
  } else if (linkType === LINKTYPE_LINUX_SLL) {
    if (data.byteLength < 16) return { time, length: wireLength, network: 'short frame' };
    etherType = v.getUint16(14);
    offset = 16;
  } else if (linkType === LINKTYPE_LINUX_SLL2) {
    if (data.byteLength < 20) return { time, length: wireLength, network: 'short frame' };
    etherType = v.getUint16(0);
    offset = 20;
  } else {
    return { time, length: wireLength, network: `link type ${linkType}` };
  }
  const base: DecodedPacket = { time, length: wireLength, network: `0x${etherType.toString(16).padStart(4, '0')}` };
  if (etherType === ETH_IPV4) return decodeIpv4(v, offset, base);
  if (etherType === ETH_IPV6) return decodeIpv6(v, offset, base);
  if (etherType === ETH_ARP) return decodeArp(v, offset, base);
  return base;
}

function decodeArp(v: DataView, o: number, base: DecodedPacket): DecodedPacket {
  if (v.byteLength < o + 28) return { ...base, network: 'ARP' };
  const op = v.getUint16(o + 6);
  return { ...base, network: 'ARP', arp: { op: op === 2 ? 'reply' : 'request', senderIp: ipv4At(v, o + 14), targetIp: ipv4At(v, o + 24) } };
}

function decodeIpv4(v: DataView, o: number, base: DecodedPacket): DecodedPacket {
  if (v.byteLength < o + 20) return { ...base, network: 'IPv4' };
  const ihl = (v.getUint8(o) & 0x0f) * 4;
  const total = v.getUint16(o + 2);
  const fragmentOffset = v.getUint16(o + 6) & 0x1fff;
  const proto = v.getUint8(o + 9);
  const packet: DecodedPacket = { ...base, network: 'IPv4', src: ipv4At(v, o + 12), dst: ipv4At(v, o + 16) };
  // Only the first fragment carries the transport header.
  if (fragmentOffset !== 0) return { ...packet, protocol: protocolName(proto) };
  const end = Math.min(v.byteLength, o + (total >= ihl ? total : v.byteLength));
  return decodeTransport(v, o + ihl, end, proto, packet, false);
}

function decodeIpv6(v: DataView, o: number, base: DecodedPacket): DecodedPacket {
  if (v.byteLength < o + 40) return { ...base, network: 'IPv6' };
  let next = v.getUint8(o + 6);
  const payloadLength = v.getUint16(o + 4);
  const packet: DecodedPacket = { ...base, network: 'IPv6', src: ipv6At(v, o + 8), dst: ipv6At(v, o + 24) };
  const end = Math.min(v.byteLength, o + 40 + payloadLength);
  let p = o + 40;
  // Hop-by-hop, routing and destination options headers come before the transport header (bounded walk).
  for (let i = 0; i < 8 && (next === 0 || next === 43 || next === 60) && p + 2 <= end; i++) {
    next = v.getUint8(p);
    p += (v.getUint8(p + 1) + 1) * 8;
  }
  return decodeTransport(v, p, end, next, packet, true);
}

function decodeTransport(v: DataView, o: number, end: number, proto: number, packet: DecodedPacket, v6: boolean): DecodedPacket {
  if (proto === 6 && end >= o + 20) {
    const flagsByte = v.getUint8(o + 13);
    const dataOffset = (v.getUint8(o + 12) >> 4) * 4;
    const flags = [flagsByte & 0x02 ? 'S' : '', flagsByte & 0x10 ? 'A' : '', flagsByte & 0x01 ? 'F' : '', flagsByte & 0x04 ? 'R' : '', flagsByte & 0x08 ? 'P' : ''].join('');
    const out: DecodedPacket = { ...packet, protocol: 'TCP', srcPort: v.getUint16(o), dstPort: v.getUint16(o + 2), tcpFlags: flags, payload: Math.max(0, end - o - dataOffset) };
    // DNS over TCP: a two-byte length, then the message.
    if ((out.srcPort === 53 || out.dstPort === 53) && end > o + dataOffset + 2) {
      const dns = decodeDns(v, o + dataOffset + 2, end);
      if (dns) out.dns = dns;
    }
    return out;
  }
  if (proto === 17 && end >= o + 8) {
    const out: DecodedPacket = { ...packet, protocol: 'UDP', srcPort: v.getUint16(o), dstPort: v.getUint16(o + 2) };
    if (out.srcPort === 53 || out.dstPort === 53 || out.srcPort === 5353 || out.dstPort === 5353) {
      const dns = decodeDns(v, o + 8, end);
      if (dns) out.dns = dns;
    }
    return out;
  }
  if ((proto === 1 && !v6) || (proto === 58 && v6)) {
    const type = end > o ? v.getUint8(o) : -1;
    return { ...packet, protocol: v6 ? 'ICMPv6' : 'ICMP', icmp: icmpName(type, v6) };
  }
  return { ...packet, protocol: protocolName(proto) };
}

function protocolName(proto: number): string {
  return ({ 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6', 47: 'GRE', 50: 'ESP', 132: 'SCTP' } as Record<number, string>)[proto] ?? `IP protocol ${proto}`;
}

function icmpName(type: number, v6: boolean): string {
  const names: Record<number, string> = v6
    ? { 1: 'unreachable', 3: 'time exceeded', 128: 'echo request', 129: 'echo reply', 133: 'router solicitation', 134: 'router advertisement', 135: 'neighbor solicitation', 136: 'neighbor advertisement' }
    : { 0: 'echo reply', 3: 'unreachable', 8: 'echo request', 11: 'time exceeded' };
  return names[type] ?? `type ${type}`;
}

function ipv4At(v: DataView, o: number): string {
  return `${v.getUint8(o)}.${v.getUint8(o + 1)}.${v.getUint8(o + 2)}.${v.getUint8(o + 3)}`;
}

/** The RFC 5952 text form: lowercase, leading zeros dropped, the longest run of zero groups as `::`. */
export function ipv6At(v: DataView, o: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(v.getUint16(o + i * 2));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

const DNS_TYPES: Record<number, string> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 65: 'HTTPS' };
const MAX_DNS_RECORDS = 64;

/** A DNS message from `o` to `end`; undefined when it is not one (too short, or names that do not parse). */
export function decodeDns(v: DataView, o: number, end: number): DnsMessage | undefined {
  if (end - o < 12) return undefined;
  const flags = v.getUint16(o + 2);
  const qd = v.getUint16(o + 4);
  const an = v.getUint16(o + 6);
  const message: DnsMessage = { id: v.getUint16(o), response: (flags & 0x8000) !== 0, rcode: flags & 0x0f, questions: [], answers: [] };
  let p = o + 12;
  for (let i = 0; i < Math.min(qd, MAX_DNS_RECORDS); i++) {
    const name = readName(v, o, p, end);
    if (!name || name.next + 4 > end) return message.questions.length ? message : undefined;
    message.questions.push({ name: name.text, type: DNS_TYPES[v.getUint16(name.next)] ?? String(v.getUint16(name.next)) });
    p = name.next + 4;
  }
  for (let i = 0; i < Math.min(an, MAX_DNS_RECORDS); i++) {
    const name = readName(v, o, p, end);
    if (!name || name.next + 10 > end) break;
    const type = v.getUint16(name.next);
    const rdLength = v.getUint16(name.next + 8);
    const rd = name.next + 10;
    if (rd + rdLength > end) break;
    let data = `${rdLength} bytes`;
    if (type === 1 && rdLength === 4) data = ipv4At(v, rd);
    else if (type === 28 && rdLength === 16) data = ipv6At(v, rd);
    else if (type === 5 || type === 12 || type === 2) data = readName(v, o, rd, end)?.text ?? data;
    message.answers.push({ name: name.text, type: DNS_TYPES[type] ?? String(type), data });
    p = rd + rdLength;
  }
  return message;
}

/** A (possibly compressed) domain name; pointers are followed a bounded number of times. */
function readName(v: DataView, messageStart: number, p: number, end: number): { text: string; next: number } | undefined {
  const labels: string[] = [];
  let next = -1;
  let jumps = 0;
  let length = 0;
  while (p < end) {
    const len = v.getUint8(p);
    if (len === 0) {
      if (next < 0) next = p + 1;
      return { text: labels.length ? labels.join('.') : '.', next };
    }
    if ((len & 0xc0) === 0xc0) {
      if (p + 1 >= end || ++jumps > 16) return undefined;
      if (next < 0) next = p + 2;
      p = messageStart + (((len & 0x3f) << 8) | v.getUint8(p + 1));
      continue;
    }
    if (len > 63 || p + 1 + len > end || (length += len + 1) > 255) return undefined;
    let label = '';
    // Labels are bytes from the wire: anything but printable ASCII is shown escaped, never passed to a terminal.
    for (let i = 1; i <= len; i++) {
      const c = v.getUint8(p + i);
      label += c > 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
    }
    labels.push(label);
    p += 1 + len;
  }
  return undefined;
}
