// A capture as a person reads it: who talked to whom (named by service, container and network, not by address),
// over which protocol and port, DNS questions and answers, TCP handshakes and resets. Pure: packets in, text or JSON out.
import { decodeFrame, type DecodedPacket } from './decode';
import type { PcapFile } from './pcap';

/** What an address is on the engine: the container (and its compose service) and the network it has it on. */
export interface AddressOwner {
  container: string;
  service?: string;
  project?: string;
  network?: string;
}

/** Address -> owner, as the capture saw the engine when it ran (also written beside the .pcap). */
export type AddressBook = Record<string, AddressOwner>;

export interface Flow {
  /** The side that opened it: the TCP SYN's sender, the ICMP echo's sender, or the UDP side on the higher port. */
  from: string;
  to: string;
  protocol: string;
  /** The server side's port (TCP/UDP), absent for ICMP. */
  port?: number;
  packets: number;
  bytes: number;
  firstSeen: number;
  lastSeen: number;
}

export interface CaptureEvent {
  time: number;
  text: string;
}

export interface CaptureSummary {
  packets: number;
  bytes: number;
  start?: number;
  end?: number;
  flows: Flow[];
  dns: CaptureEvent[];
  tcp: CaptureEvent[];
  icmp: CaptureEvent[];
  /** Set when the file was damaged or cut off: what was read before is summarised. */
  error?: string;
}

/** Events kept per kind: a summary stays readable (and bounded) for a long capture. */
const MAX_EVENTS = 200;

/** "api (shop-api-1 on shop_backend)" for a known address; the address itself otherwise. */
export function nameOf(address: string | undefined, book: AddressBook): string {
  if (!address) return '?';
  const owner = Object.prototype.hasOwnProperty.call(book, address) ? book[address] : undefined;
  if (!owner) return address;
  const who = owner.service ?? owner.container;
  const detail = [owner.service && owner.service !== owner.container ? owner.container : '', owner.network ? `on ${owner.network}` : ''].filter(Boolean).join(' ');
  return detail ? `${who} (${detail})` : who;
}

/** The short name used for flows: the service, else the container, else the address. */
export function endpointName(address: string | undefined, book: AddressBook): string {
  if (!address) return '?';
  const owner = Object.prototype.hasOwnProperty.call(book, address) ? book[address] : undefined;
  return owner?.service ?? owner?.container ?? address;
}

export function decodeCapture(file: PcapFile): DecodedPacket[] {
  return file.records.map((r) => decodeFrame(file.linkType, r.data, r.time, r.wireLength));
}

export function summarize(file: PcapFile, book: AddressBook): CaptureSummary {
  const packets = decodeCapture(file);
  const summary: CaptureSummary = {
    packets: packets.length,
    bytes: packets.reduce((n, p) => n + p.length, 0),
    flows: aggregateFlows(packets, book),
    dns: [],
    tcp: [],
    icmp: [],
    ...(packets.length ? { start: packets[0].time, end: packets[packets.length - 1].time } : {}),
    ...(file.error ? { error: file.error } : {}),
  };
  const push = (list: CaptureEvent[], time: number, text: string) => {
    if (list.length < MAX_EVENTS) list.push({ time, text });
  };
  for (const p of packets) {
    const from = nameOf(p.src, book);
    const to = nameOf(p.dst, book);
    if (p.dns) {
      const d = p.dns;
      const q = d.questions.map((x) => `${x.name} ${x.type}`).join(', ');
      if (!d.response) push(summary.dns, p.time, `${from} asks ${to}: ${q}`);
      else {
        const answers = d.answers.length ? d.answers.map((a) => `${a.type} ${a.data}`).join(', ') : d.rcode === 3 ? 'NXDOMAIN (no such name)' : `no answer (rcode ${d.rcode})`;
        push(summary.dns, p.time, `${from} answers ${to}: ${q} -> ${answers}`);
      }
    }
    if (p.protocol === 'TCP' && p.tcpFlags !== undefined) {
      if (p.tcpFlags.includes('S') && !p.tcpFlags.includes('A')) push(summary.tcp, p.time, `${from}:${p.srcPort} opens ${to}:${p.dstPort} (SYN)`);
      else if (p.tcpFlags.includes('S')) push(summary.tcp, p.time, `${from}:${p.srcPort} accepts ${to}:${p.dstPort} (SYN-ACK)`);
      else if (p.tcpFlags.includes('R')) push(summary.tcp, p.time, `${from}:${p.srcPort} resets ${to}:${p.dstPort} (RST: refused or aborted)`);
      else if (p.tcpFlags.includes('F')) push(summary.tcp, p.time, `${from}:${p.srcPort} closes towards ${to}:${p.dstPort} (FIN)`);
    }
    if (p.icmp) push(summary.icmp, p.time, `${from} -> ${to}: ${p.protocol} ${p.icmp}`);
  }
  return summary;
}

/** Packets grouped into conversations: one flow per (opener, responder, protocol, server port). */
export function aggregateFlows(packets: DecodedPacket[], book: AddressBook): Flow[] {
  const servers = new Set<string>(); // "addr:port/proto" known to be the server side (saw a SYN to it)
  for (const p of packets) if (p.protocol === 'TCP' && p.tcpFlags === 'S') servers.add(`${p.dst}:${p.dstPort}/TCP`);
  const flows = new Map<string, Flow>();
  for (const p of packets) {
    if (!p.src || !p.dst || !p.protocol) continue;
    let client = p.src;
    let server = p.dst;
    let port: number | undefined = p.dstPort;
    if (p.srcPort !== undefined && p.dstPort !== undefined) {
      const srcIsServer = servers.has(`${p.src}:${p.srcPort}/${p.protocol}`) || (!servers.has(`${p.dst}:${p.dstPort}/${p.protocol}`) && p.srcPort < p.dstPort);
      if (srcIsServer) {
        client = p.dst;
        server = p.src;
        port = p.srcPort;
      }
    } else if (p.icmp === 'echo reply') {
      client = p.dst;
      server = p.src;
    }
    const from = endpointName(client, book);
    const to = endpointName(server, book);
    const key = `${from}\u0000${to}\u0000${p.protocol}\u0000${port ?? ''}`;
    const flow = flows.get(key);
    if (flow) {
      flow.packets++;
      flow.bytes += p.length;
      flow.lastSeen = p.time;
    } else {
      flows.set(key, { from, to, protocol: p.protocol, ...(port !== undefined ? { port } : {}), packets: 1, bytes: p.length, firstSeen: p.time, lastSeen: p.time });
    }
  }
  return [...flows.values()].sort((a, b) => b.bytes - a.bytes || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

function clock(t: number, start: number): string {
  return `+${(t - start).toFixed(3)}s`;
}

/** The summary as text for an editor or a terminal (callers escape control characters for a terminal). */
export function summaryText(s: CaptureSummary, title: string): string {
  const start = s.start ?? 0;
  const lines = [`Capture summary: ${title}`];
  lines.push(
    s.packets
      ? `${s.packets} packets, ${s.bytes} bytes, from ${new Date(start * 1000).toISOString()} over ${((s.end ?? start) - start).toFixed(3)} s`
      : 'no packets were captured (was there traffic on the target while the capture ran? is the filter too narrow?)',
  );
  if (s.error) lines.push(`warning: ${s.error}; what came before is summarised`);
  lines.push('', 'Conversations (who opened, to whom, protocol and server port):');
  if (!s.flows.length) lines.push('  none');
  for (const f of s.flows) lines.push(`  ${f.from} -> ${f.to}  ${f.protocol}${f.port !== undefined ? ` ${f.port}` : ''}  ${f.packets} packets, ${f.bytes} bytes, ${clock(f.firstSeen, start)} to ${clock(f.lastSeen, start)}`);
  const section = (heading: string, events: CaptureEvent[]) => {
    if (!events.length) return;
    lines.push('', heading);
    for (const e of events) lines.push(`  ${clock(e.time, start)}  ${e.text}`);
    if (events.length >= MAX_EVENTS) lines.push(`  (only the first ${MAX_EVENTS} are listed)`);
  };
  section('DNS:', s.dns);
  section('TCP handshakes and resets:', s.tcp);
  section('ICMP:', s.icmp);
  return `${lines.join('\n')}\n`;
}
