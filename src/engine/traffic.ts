// What the engine can tell about traffic: per-network interface counters of a container (the stats API, each
// interface mapped to its network by MAC), packet captures (capture.ts), and the sockets the engine's host
// really listens on (read from a short-lived container in the host's network namespace).
import type Docker from 'dockerode';
import { PassThrough } from 'stream';
import { capturePackets, sweepCaptureContainers, type CaptureRequest, type CaptureResult } from './capture';
import { withDeadline } from './exec';
import type { ContainerSummary } from './model';

/** Bytes and packets through one interface of a container, since the interface was created. */
export interface InterfaceCounters {
  interface: string;
  /** The network this interface is on; undefined when the mapping could not be read (no `cat` in the image). */
  network?: string;
  rxBytes: number;
  txBytes: number;
  rxPackets: number;
  txPackets: number;
}

export interface CounterSample {
  containerId: string;
  /** Milliseconds since the epoch, as the engine read them. */
  time: number;
  interfaces: InterfaceCounters[];
}

export interface TrafficClient {
  /** One stats request (and, once per container and set of interfaces, one exec to map interfaces to networks). */
  counters(container: ContainerSummary): Promise<CounterSample>;
  capture(request: CaptureRequest): Promise<CaptureResult>;
  /** The text of /proc/net/{tcp,tcp6,udp,udp6} in the engine host's network namespace, read by `image`. */
  hostSocketTables(image: string, deadlineMs?: number): Promise<string>;
  /** Removes capture and exposure containers that a killed run left. */
  sweep(): Promise<number>;
}

/** The label on the short-lived container that reads the host's socket tables. */
export const EXPOSURE_LABEL = 'dev.docker-networking.exposure';

interface RawStats {
  read?: string;
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number; rx_packets?: number; tx_packets?: number }>;
}

export class DockerTraffic implements TrafficClient {
  /** containerId -> (interface set -> interface -> network): interfaces change only on connect/disconnect. */
  private readonly mapping = new Map<string, { key: string; networks: Map<string, string> }>();

  /** `longLived`: the same endpoint without an idle timeout, for captures that may stay silent for minutes. */
  constructor(
    private readonly docker: Docker,
    private readonly longLived: Docker = docker,
  ) {}

  async counters(container: ContainerSummary): Promise<CounterSample> {
    const stats = (await this.docker.getContainer(container.id).stats({ stream: false, 'one-shot': true } as unknown as { stream: false })) as unknown as RawStats;
    const names = Object.keys(stats.networks ?? {}).sort();
    const networks = await this.interfaceNetworks(container, names);
    return {
      containerId: container.id,
      time: stats.read ? Date.parse(stats.read) || Date.now() : Date.now(),
      interfaces: names.map((name) => {
        const n = stats.networks![name];
        const network = networks.get(name);
        return { interface: name, ...(network ? { network } : {}), rxBytes: n.rx_bytes ?? 0, txBytes: n.tx_bytes ?? 0, rxPackets: n.rx_packets ?? 0, txPackets: n.tx_packets ?? 0 };
      }),
    };
  }

  /** Interface -> network, by MAC: the engine knows each endpoint's MAC; the container knows each interface's. */
  private async interfaceNetworks(container: ContainerSummary, interfaces: string[]): Promise<Map<string, string>> {
    const withMac = container.endpoints.filter((e) => e.mac);
    const key = `${interfaces.join(',')}|${withMac.map((e) => `${e.networkName}=${e.mac}`).join(',')}`;
    const cached = this.mapping.get(container.id);
    if (cached?.key === key) return cached.networks;
    const networks = new Map<string, string>();
    if (interfaces.length === 1 && container.endpoints.length === 1) networks.set(interfaces[0], container.endpoints[0].networkName);
    else if (interfaces.length > 0 && /^[a-z0-9@._-]+$/i.test(interfaces.join(''))) {
      const macs = await this.readMacs(container.id, interfaces).catch(() => undefined);
      if (macs) {
        interfaces.forEach((iface, i) => {
          const ep = withMac.find((e) => e.mac!.toLowerCase() === macs[i]);
          if (ep) networks.set(iface, ep.networkName);
        });
      }
    }
    this.mapping.set(container.id, { key, networks });
    return networks;
  }

  private async readMacs(containerId: string, interfaces: string[]): Promise<string[]> {
    const exec = await this.docker.getContainer(containerId).exec({ Cmd: ['cat', ...interfaces.map((i) => `/sys/class/net/${i}/address`)], AttachStdout: true, AttachStderr: true, Tty: false });
    const work = (async () => {
      const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as NodeJS.ReadableStream;
      const chunks: Buffer[] = [];
      const out = new PassThrough();
      this.docker.modem.demuxStream(stream, out, out);
      out.on('data', (b: Buffer) => chunks.push(b));
      await new Promise<void>((resolve) => {
        stream.on('end', () => resolve());
        stream.on('close', () => resolve());
        stream.on('error', () => resolve());
      });
      return Buffer.concat(chunks).toString('utf8');
    })();
    const text = await withDeadline(work, 5_000, () => new Error('reading interface addresses timed out'));
    const macs = text.split('\n').map((l) => l.trim().toLowerCase()).filter((l) => /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(l));
    if (macs.length !== interfaces.length) throw new Error('could not read every interface address');
    return macs;
  }

  capture(request: CaptureRequest): Promise<CaptureResult> {
    return capturePackets(this.longLived, request);
  }

  async hostSocketTables(image: string, deadlineMs = 20_000): Promise<string> {
    const present = await this.docker.getImage(image).inspect().then(() => true, () => false);
    if (!present) throw new Error(`the image "${image}" is not on the engine: "docker pull ${image}" yourself, or name a local image that has cat ("dockerNetworking.probeImage", CLI --probe-image)`);
    const container = await this.docker.createContainer({
      Image: image,
      Entrypoint: ['cat'],
      Cmd: ['/proc/net/tcp', '/proc/net/tcp6', '/proc/net/udp', '/proc/net/udp6'],
      Tty: false,
      Labels: { [EXPOSURE_LABEL]: 'host-sockets' },
      HostConfig: { NetworkMode: 'host', AutoRemove: false },
    });
    try {
      const exited = container.wait({ condition: 'next-exit' }) as Promise<{ StatusCode: number }>;
      await container.start();
      await withDeadline(exited, deadlineMs, () => new Error(`reading the host's sockets did not finish within ${deadlineMs / 1000} s`));
      const logs = (await container.logs({ stdout: true, stderr: false })) as unknown as Buffer;
      const text = demuxLogs(logs);
      if (!/local_address/.test(text)) throw new Error(`could not read /proc/net/tcp in the host's network namespace with "${image}"`);
      return text;
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
    }
  }

  async sweep(): Promise<number> {
    let removed = await sweepCaptureContainers(this.docker);
    const list = (await this.docker.listContainers({ all: true, filters: JSON.stringify({ label: [EXPOSURE_LABEL] }) })) as Array<{ Id: string; Created: number; State: string }>;
    for (const c of list) {
      if (c.State !== 'running' || Date.now() - c.Created * 1000 > 120_000) await this.docker.getContainer(c.Id).remove({ force: true }).then(() => removed++, () => undefined);
    }
    return removed;
  }
}

/** A non-TTY container's logs come framed (8-byte headers per chunk); this keeps the payload. */
function demuxLogs(buf: Buffer): string {
  const parts: Buffer[] = [];
  let o = 0;
  while (o + 8 <= buf.length) {
    const size = buf.readUInt32BE(o + 4);
    if (buf[o] > 2 || buf[o + 1] !== 0) return buf.toString('utf8'); // not framed
    parts.push(buf.subarray(o + 8, o + 8 + size));
    o += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The bridge interface of a network on the engine's host: where one capture sees every container on it. */
export function bridgeInterfaceOf(network: { id: string; name: string; driver: string; options: Record<string, string> }): string | undefined {
  if (network.driver !== 'bridge') return undefined;
  const named = network.options['com.docker.network.bridge.name'];
  if (named) return named;
  return network.name === 'bridge' ? 'docker0' : `br-${network.id.slice(0, 12)}`;
}
