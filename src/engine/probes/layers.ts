// The three questions verify asks of a pair, one small function each, with its own deadline: does a name of B
// resolve from A (and to which address), does A reach B's address on a network, does a TCP connect to B's port
// succeed. Plus reading which TCP ports B listens on. The argv builders and readers are pure (unit-tested);
// the probe functions only run them through a `Run` and read the answer.
import { parseAddress } from '../../compose/ip';
import type { ExecResult } from '../exec';
import { parseProcNetSockets } from '../../traffic/sockets';
import { parseNslookup, parsePing } from '../probeOutput';
import { validatePort, validateTarget } from '../probes';

/** Runs argv in one container under a deadline; rejects (deadline, engine lost, cancel) rather than guess. */
export type Run = (argv: string[], options: { deadlineMs: number; fallback: boolean }) => Promise<ExecResult>;

export interface LayerAnswer {
  /** true: resolved to B / reached; false: did not; the probe finished either way. */
  ok: boolean;
  detail: string;
  /** Name layer: the addresses the name resolved to. */
  addresses?: string[];
}

/** An answer the probe could not give: the tool said something we cannot read as yes or no. */
export class UnreadableAnswer extends Error {}

function checked<T>(problem: string | undefined, value: T): T {
  if (problem) throw new Error(problem);
  return value;
}

const lastLine = (s: string) => s.trim().split('\n').filter(Boolean).pop()?.slice(0, 200) ?? '';

// ---- name -------------------------------------------------------------------------------------------------
/**
 * One query, bounded to about a second: a name nobody answers (an internal network, where the embedded DNS
 * forwards unknown names and nothing replies) costs one second, not 2 x 5. A trailing dot: no search domains.
 */
export function nameArgv(name: string): string[] {
  return checked(validateTarget(name), ['nslookup', '-timeout=1', '-retry=1', name.endsWith('.') ? name : `${name}.`]);
}

export function readName(name: string, r: { exitCode: number; output: string }, targetAddresses: string[]): LayerAnswer {
  const { addresses } = parseNslookup(r.output);
  if (addresses.length) {
    const mine = addresses.filter((a) => targetAddresses.includes(a));
    return mine.length
      ? { ok: true, addresses, detail: `"${name}" resolves to ${mine.join(', ')}` }
      : { ok: false, addresses, detail: `"${name}" resolves to ${addresses.join(', ')}, not to this container` };
  }
  if (/NXDOMAIN|can't find|can't resolve|not found|timed out|no servers could be reached|SERVFAIL|REFUSED/i.test(r.output)) return { ok: false, addresses: [], detail: `"${name}" does not resolve` };
  throw new UnreadableAnswer(`nslookup ${name} exited ${r.exitCode}: ${lastLine(r.output) || 'no output'}`);
}

export async function probeName(run: Run, name: string, targetAddresses: string[], deadlineMs: number): Promise<LayerAnswer> {
  return readName(name, await run(nameArgv(name), { deadlineMs, fallback: true }), targetAddresses);
}

// ---- address and port: a TCP connect ------------------------------------------------------------------------
export type ConnectOutcome = 'connected' | 'refused' | 'timeout' | 'unreachable';

/** busybox nc: connect with a one-second timeout, send nothing; no shell, no NET_RAW needed. */
export function connectArgv(address: string, port: number): string[] {
  if (!parseAddress(address)) throw new Error(`"${address}" is not an IP address`);
  return checked(validatePort(port), ['nc', '-w', '1', address, String(port)]);
}

export function readConnect(r: { exitCode: number; output: string }): ConnectOutcome {
  if (/refused/i.test(r.output)) return 'refused';
  if (/timed out|timeout/i.test(r.output)) return 'timeout';
  if (/unreachable|no route|cannot assign/i.test(r.output)) return 'unreachable';
  if (r.exitCode === 0) return 'connected';
  throw new UnreadableAnswer(`nc exited ${r.exitCode}: ${lastLine(r.output) || 'no output'}`);
}

/**
 * Does A reach this address? A TCP connect answers without NET_RAW: accepted or refused, the packet got there
 * (the engine's isolation drops, it never refuses). When TCP gets no answer, one ICMP echo, in the container only
 * (ICMP may pass where TCP is filtered); a container that cannot ping just has no ICMP witness.
 */
export async function probeAddress(run: Run, address: string, port: number, deadlineMs: number, likelySilent = false): Promise<LayerAnswer & { outcome: ConnectOutcome }> {
  // The echo is read only when TCP gets no answer. Where that is likely (the pair is expected isolated), it is asked
  // at once, in the same round as the connect; elsewhere only after the connect found no answer (a round later, one
  // more exec): no ping process for every address that answers, which is what a round's CPU goes on.
  const askEcho = () => run(pingAddressArgv(address), { deadlineMs, fallback: false }).catch(() => undefined);
  const early = likelySilent ? askEcho() : undefined;
  const outcome = readConnect(await run(connectArgv(address, port), { deadlineMs, fallback: true }));
  if (outcome === 'connected' || outcome === 'refused') return { ok: true, outcome, detail: `${address} answered on TCP ${port} (${outcome})` };
  const ping = await (early ?? askEcho());
  const echo = ping && parsePing(ping.output);
  if (echo && echo.received > 0) return { ok: true, outcome, detail: `${address} answered ICMP echo (TCP ${port}: ${outcome})` };
  return { ok: false, outcome, detail: `${address} did not answer (TCP ${port}: ${outcome}${echo ? ', no ICMP echo reply' : ''})` };
}

/** One ICMP echo, one second to answer. */
export function pingAddressArgv(address: string): string[] {
  if (!parseAddress(address)) throw new Error(`"${address}" is not an IP address`);
  return ['ping', '-c', '1', '-W', '1', address];
}

export async function probePort(run: Run, address: string, port: number, deadlineMs: number): Promise<LayerAnswer & { outcome: ConnectOutcome }> {
  const outcome = readConnect(await run(connectArgv(address, port), { deadlineMs, fallback: true }));
  return { ok: outcome === 'connected', outcome, detail: `TCP ${address.includes(':') ? `[${address}]` : address}:${port} ${outcome}` };
}

// ---- listening sockets ---------------------------------------------------------------------------------------
export interface Listener {
  port: number;
  address: string;
}

export const LISTEN_ARGV = ['cat', '/proc/net/tcp', '/proc/net/tcp6'];

/** Loopback: 127/8, ::1 and IPv4-mapped 127/8 (no one outside the namespace reaches them). */
function loopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address);
}

/** TCP sockets in LISTEN state from /proc/net/tcp{,6} (src/traffic/sockets.ts reads them), loopback-only listeners left out. */
export function parseListening(output: string): Listener[] {
  return parseProcNetSockets(output)
    .filter((s) => s.protocol === 'tcp' && s.port !== 0 && !loopback(s.address))
    .map(({ port, address }) => ({ port, address }));
}

/** B's listening sockets, read in B's network namespace (a probe container shares it when B has no `cat`). */
export async function listeningPorts(run: Run, deadlineMs: number): Promise<Listener[]> {
  const r = await run(LISTEN_ARGV, { deadlineMs, fallback: true });
  // Without IPv6, /proc/net/tcp6 is missing and cat exits 1 after printing /proc/net/tcp.
  if (r.exitCode !== 0 && !/local_address/.test(r.output)) throw new UnreadableAnswer(`cat /proc/net/tcp exited ${r.exitCode}: ${lastLine(r.output)}`);
  return parseListening(r.output);
}
