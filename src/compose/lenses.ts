// What the code lenses of a compose file say: over each network declaration (who is attached, its flags) and each
// service (its networks, whom it reaches by name). Pure, so the analysis worker computes them with the findings and
// the editor's thread only turns them into lenses (on a large project its own analysis would hold up typing).
import type { Analysis } from './analyze';
import type { ComposeProject } from './model';
import type { Topology } from './topology';
import { networkDriver } from './stack';
import type { EngineSnapshot, Span } from './types';

const MAX_NAMES = 5;

function list(names: string[]): string {
  return names.length <= MAX_NAMES ? names.join(', ') : `${names.slice(0, MAX_NAMES).join(', ')} +${names.length - MAX_NAMES}`;
}

export type LensSpec =
  /** "N services: a, b": shows the network's references. */
  | { kind: 'network-services'; span: Span; network: string; title: string; references: Span[] }
  | { kind: 'network-flags'; span: Span; title: string }
  | { kind: 'diagram'; span: Span }
  /** An external network the engine does not have. */
  | { kind: 'create-network'; span: Span; name: string }
  /** "networks: a, b · reaches x by name"; a Ping lens joins it when the service runs. */
  | { kind: 'service-reach'; span: Span; service: string; title: string };

/**
 * The other services `from` reaches by their service name (Topology.canReach), in the project's order: the names
 * registered on its networks, rather than every pair (a project of 1,000 services has a million).
 */
export function reachableByName(topology: Topology, project: ComposeProject, from: string, order: ReadonlyMap<string, number>): string[] {
  if (topology.mode(from) !== 'networks') return [];
  const found = new Set<string>();
  for (const network of topology.networksOf(from)) {
    if (topology.peersIsolated(network)) continue;
    for (const [name, answering] of topology.names.get(network) ?? []) {
      if (name !== from && project.services.has(name) && answering.some((d) => d.service === name)) found.add(name);
    }
  }
  return [...found].sort((a, b) => order.get(a)! - order.get(b)!);
}

/** The lenses of `file`, networks first, in the order they appear in the project's symbols. */
export function lensSpecs({ project, topology }: Analysis, file: string, engine?: EngineSnapshot): LensSpec[] {
  const lenses: LensSpec[] = [];
  const referencesTo = new Map<string, Span[]>();
  for (const s of project.networkSymbols) {
    if (s.kind !== 'reference') continue;
    const spans = referencesTo.get(s.network);
    if (spans) spans.push(s.span);
    else referencesTo.set(s.network, [s.span]);
  }
  for (const sym of project.networkSymbols) {
    if (sym.kind !== 'declaration' || sym.span.file !== file) continue;
    const services = topology.servicesOn(sym.network);
    const references = referencesTo.get(sym.network) ?? [];
    const title = services.length ? `${services.length} service${services.length > 1 ? 's' : ''}: ${list(services)}` : 'no services';
    lenses.push({ kind: 'network-services', span: sym.span, network: sym.network, title, references });
    const decl = project.networks.get(sym.network);
    if (!decl) continue;
    const flags = [
      decl.external ? `external${decl.externalName ? ` (${decl.externalName.value})` : ''}` : undefined,
      decl.internal ? 'internal: no way out' : undefined,
      `driver ${networkDriver(decl, project.isStack)}`,
      ...decl.ipam.flatMap((c) => (c.subnet ? [`subnet ${c.subnet.value}`] : [])),
      decl.enableIpv6 ? 'IPv6' : undefined,
    ].filter((x): x is string => !!x);
    lenses.push({ kind: 'network-flags', span: sym.span, title: flags.join(' · ') });
    lenses.push({ kind: 'diagram', span: sym.span });
    const engineName = decl.externalName?.value ?? decl.name;
    if (decl.external && engine && !decl.externalName?.unknown && !engine.networkNames.includes(engineName)) {
      lenses.push({ kind: 'create-network', span: sym.span, name: engineName });
    }
  }
  const order = new Map([...project.services.keys()].map((s, i) => [s, i]));
  for (const sym of project.serviceSymbols) {
    if (sym.span.file !== file || !project.services.has(sym.service)) continue;
    const name = sym.service;
    const mode = topology.mode(name);
    const owner = topology.namespaceOwner(name);
    const where =
      mode === 'networks'
        ? `${owner ? `in the namespace of ${owner}, ` : ''}networks: ${topology.networksOf(name).join(', ')}`
        : `network_mode ${project.services.get(name)!.networkMode?.value ?? mode}`;
    const reaches = reachableByName(topology, project, name, order);
    lenses.push({ kind: 'service-reach', span: sym.span, service: name, title: `${where} · reaches ${reaches.length ? list(reaches) : 'no service'} by name` });
  }
  return lenses;
}
