// From what a user names (a container, a compose service, a network) to where captures run, and running them
// together into one .pcap: the one place the CLI and the editor share for "capture this".
import { buildAddressBook } from '../traffic/addressBook';
import { mergePcaps, readPcap, writePcap } from '../traffic/pcap';
import type { AddressBook } from '../traffic/summary';
import type { CaptureSite } from './capture';
import type { EngineClient } from './client';
import type { ContainerSummary, NetworkSummary } from './model';
import { bridgeInterfaceOf } from './traffic';

export type CaptureTarget = { container: string } | { service: string; project: string } | { network: string };

export interface ResolvedCapture {
  /** For titles: "container shop-db-1", "service api of shop", "network shop_backend". */
  label: string;
  sites: Array<{ site: CaptureSite; what: string }>;
  book: AddressBook;
}

export class CaptureTargetError extends Error {}

export async function resolveCaptureTarget(engine: EngineClient, target: CaptureTarget): Promise<ResolvedCapture> {
  const [containers, networks] = await Promise.all([engine.listContainers(), engine.listNetworks()]);
  const running = containers.filter((c) => c.state === 'running');
  const book = buildAddressBook(running, networks);
  if ('container' in target) {
    const c = findContainer(running, target.container);
    if (!c) throw new CaptureTargetError(`no running container named "${target.container}"${containers.some((x) => x.name === target.container) ? ' (it exists but is not running)' : ''}`);
    return { label: `container ${c.name}`, sites: [{ site: { containerId: c.id }, what: c.name }], book };
  }
  if ('service' in target) {
    const replicas = running.filter((c) => c.composeProject === target.project && c.composeService === target.service);
    if (!replicas.length) throw new CaptureTargetError(`no running container of service "${target.service}" in compose project "${target.project}" (is the project up? is --project-name right?)`);
    return { label: `service ${target.service} of ${target.project}`, sites: replicas.map((c) => ({ site: { containerId: c.id }, what: c.name })), book };
  }
  const net = networks.find((n) => n.name === target.network) ?? networks.find((n) => n.id.startsWith(target.network));
  if (!net) throw new CaptureTargetError(`no network named "${target.network}"`);
  return { label: `network ${net.name}`, sites: networkSites(net, running), book };
}

/** A bridge is captured once on its host interface; other drivers in each attached container's namespace. */
export function networkSites(net: NetworkSummary, running: ContainerSummary[]): ResolvedCapture['sites'] {
  const bridge = bridgeInterfaceOf(net);
  if (bridge) return [{ site: { hostInterface: bridge }, what: `${net.name} (${bridge} on the engine's host)` }];
  const attached = running.filter((c) => c.endpoints.some((e) => e.networkId === net.id || e.networkName === net.name));
  if (!attached.length) throw new CaptureTargetError(`network "${net.name}" (${net.driver}) has no running container to capture in`);
  return attached.map((c) => ({ site: { containerId: c.id }, what: c.name }));
}

function findContainer(running: ContainerSummary[], nameOrId: string): ContainerSummary | undefined {
  return running.find((c) => c.name === nameOrId) ?? (nameOrId.length >= 6 ? running.find((c) => c.id.startsWith(nameOrId)) : undefined);
}

export interface CaptureRun {
  pcap: Uint8Array;
  reports: string[];
  cancelled: boolean;
  truncated: boolean;
}

/** Captures on every site at once; one site's pcap as is, several merged in time order without duplicates. */
export async function captureSites(
  engine: EngineClient,
  sites: ResolvedCapture['sites'],
  options: { image: string; durationMs?: number; count?: number; filter?: string; allowPull?: boolean; signal?: AbortSignal; onReady?: () => void; owner?: string },
): Promise<CaptureRun> {
  const traffic = await engine.traffic?.();
  if (!traffic) throw new CaptureTargetError(`the engine client for ${engine.endpoint.display} cannot capture`);
  let ready = 0;
  const results = await Promise.all(
    sites.map((s) =>
      traffic.capture({
        site: s.site,
        image: options.image,
        ...(options.durationMs ? { durationMs: options.durationMs } : {}),
        ...(options.count ? { count: options.count } : {}),
        ...(options.filter ? { filter: options.filter } : {}),
        ...(options.allowPull ? { allowPull: true } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.owner ? { owner: options.owner } : {}),
        onReady: () => {
          if (++ready === sites.length) options.onReady?.();
        },
      }),
    ),
  );
  const pcap = results.length === 1 ? results[0].pcap : (() => {
    const merged = mergePcaps(results.map((r) => readPcap(r.pcap)));
    return writePcap(merged.linkType, merged.records);
  })();
  return {
    pcap,
    reports: results.map((r, i) => `${sites[i].what}: ${r.report || 'no report'}`),
    cancelled: results.some((r) => r.cancelled),
    truncated: results.some((r) => r.truncated),
  };
}
