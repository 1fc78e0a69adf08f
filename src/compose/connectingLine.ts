// Where a compose file connects two services: the attachment to a network they share. Verify's Isolation panel
// links a mismatch to it ("Open the line that connects them"). Pure: the model in, a span out.
import type { Analysis } from './analyze';
import type { Span } from './types';

export interface ConnectingLine {
  /** The network key (as written in the file) they share. */
  network: string;
  /** The service whose line it is (the source's when it writes one). */
  service: string;
  span: Span;
}

/** The line of `service` that puts it on `network`: its `networks:` entry, its `network_mode`, or its declaration (implicit default). */
function attachmentSpan(analysis: Analysis, service: string, network: string): Span | undefined {
  const svc = analysis.project.services.get(service);
  if (!svc) return undefined;
  const entry = svc.networks?.get(network);
  if (entry) return entry.span;
  // A namespace tenant (network_mode: service:X) is on X's networks through that line.
  if (svc.networkMode) return svc.networkMode.span;
  // No `networks:` key: the service is on the implicit default network by being declared.
  return svc.networks ? undefined : svc.nameSpan;
}

/**
 * The line that connects `from` to `to` in the file, or undefined when the file puts them on no common network.
 * Networks are tried in the source's order; on each, the source's own line first, then the target's.
 */
export function connectingLine(analysis: Analysis, from: string, to: string): ConnectingLine | undefined {
  for (const network of analysis.topology.shared(from, to)) {
    for (const service of [from, to]) {
      const span = attachmentSpan(analysis, service, network);
      if (span) return { network, service, span };
    }
  }
  return undefined;
}
