// Recording who talks to whom in a running compose project: a capture on each of the project's networks at once
// (a bridge once on its host interface), decoded into flows named by service. The CLI and the editor share it.
import { buildAddressBook } from '../traffic/addressBook';
import { readPcap } from '../traffic/pcap';
import { aggregateFlows, decodeCapture, type Flow } from '../traffic/summary';
import { captureSites, networkSites } from './captureTargets';
import type { EngineClient } from './client';

export interface FlowRecording {
  flows: Flow[];
  packets: number;
  networks: string[];
}

export class ProjectNotRecordable extends Error {}

export async function recordProjectFlows(
  engine: EngineClient,
  project: string,
  options: { durationMs: number; image: string; allowPull?: boolean; signal?: AbortSignal; onReady?: () => void },
): Promise<FlowRecording> {
  const [containers, networks] = await Promise.all([engine.listContainers(), engine.listNetworks()]);
  const running = containers.filter((c) => c.state === 'running');
  const projectNetworks = networks.filter((n) => n.composeProject === project);
  if (!running.some((c) => c.composeProject === project)) throw new ProjectNotRecordable(`compose project "${project}" has no running container on ${engine.endpoint.display}: start it (docker compose up -d) or name the project`);
  if (!projectNetworks.length) throw new ProjectNotRecordable(`compose project "${project}" has no network of its own on ${engine.endpoint.display} to record (network_mode: host?)`);
  const sites = projectNetworks.flatMap((n) => networkSites(n, running));
  const run = await captureSites(engine, sites, { ...options, owner: `flows ${project}` });
  if (run.cancelled) throw new ProjectNotRecordable('the recording was stopped early: no comparison is made from a partial recording');
  const onProjectNetworks = running.filter((c) => c.composeProject === project || c.endpoints.some((e) => projectNetworks.some((n) => n.name === e.networkName)));
  const pcap = readPcap(run.pcap);
  return { flows: aggregateFlows(decodeCapture(pcap), buildAddressBook(onProjectNetworks, networks)), packets: pcap.records.length, networks: projectNetworks.map((n) => n.name) };
}
