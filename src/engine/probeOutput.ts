// Reading what busybox/iputils probes print: pure, so the summaries are unit-tested.

export interface PingSummary {
  sent: number;
  received: number;
  lossPercent: number;
  avgMs?: number;
}

export function parsePing(output: string): PingSummary | undefined {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received(?:, (?:\+\d+ errors, )?(\d+(?:\.\d+)?)% packet loss)?/.exec(output);
  if (!counts) return undefined;
  const sent = Number(counts[1]);
  const received = Number(counts[2]);
  const rtt = /(?:round-trip|rtt) min\/avg\/max(?:\/mdev)? = [\d.]+\/([\d.]+)\//.exec(output);
  return { sent, received, lossPercent: counts[3] !== undefined ? Number(counts[3]) : sent ? Math.round((100 * (sent - received)) / sent) : 100, ...(rtt ? { avgMs: Number(rtt[1]) } : {}) };
}

export interface DnsAnswer {
  server?: string;
  addresses: string[];
}

/** busybox nslookup: "Server: 127.0.0.11", then "Name: x" / "Address: 1.2.3.4" (or "Address 1: ..."). */
export function parseNslookup(output: string): DnsAnswer {
  const server = /^Server:\s*(\S+)/m.exec(output)?.[1];
  const afterName = output.split(/^Name:/m).slice(1).join('\n');
  const addresses = [...afterName.matchAll(/^Address(?: \d+)?:\s*([0-9a-fA-F.:]+)/gm)].map((m) => m[1]);
  return { ...(server ? { server } : {}), addresses: [...new Set(addresses)] };
}

/** The embedded DNS of user-defined networks answers at this address inside every container. */
export const DOCKER_EMBEDDED_DNS = '127.0.0.11';

/** A tool missing from the image: an exec that completed, and the runtime could not start it (126) or found no such file (127). */
export function toolMissing(exitCode: number, _output?: string): boolean {
  return exitCode === 126 || exitCode === 127;
}

/** A tool present but unable to run here: ping without NET_RAW (`cap_drop: [NET_RAW]`) cannot open its socket. */
export function toolUnusable(tool: string, exitCode: number, output: string): boolean {
  return tool === 'ping' && exitCode !== 0 && /permission denied|operation not permitted/i.test(output) && !/packets transmitted/.test(output);
}
