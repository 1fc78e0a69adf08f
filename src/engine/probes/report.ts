// The verify report assembled from the layers' answers: per pair which layers reached (name, address, port)
// against which the compose file promises, what mismatches, what could not be probed; and the exit status.
// Pure: unit-tested without an engine.
import type { Span } from '../../compose/types';

export type Layer = 'name' | 'address' | 'port';
export type Reach = 'reachable' | 'isolated';

/** One question asked of a pair, at one layer. */
export interface Check {
  layer: Layer;
  /** A name (name layer), or an address, or address:port. */
  target: string;
  /** The engine network the address belongs to (address and port layers). */
  network?: string;
  expected: boolean;
  /** true: resolved to B / reached; false: did not; 'error': the probe gave no answer; 'not-probed': the run stopped first. */
  actual: boolean | 'error' | 'not-probed';
  detail: string;
  /** Name layer: the addresses of B the name resolved to. Address and port layers: the address probed. */
  addresses?: string[];
}

export interface PairResult {
  from: string;
  to: string;
  /** Reachable iff some address or port check is (by the file / in fact). */
  expected: Reach;
  actual: Reach | 'error';
  /** The layers that reached B ('name': a name resolved to B and B answered). */
  reachedBy: Layer[];
  expectedBy: Layer[];
  /** Some check's answer differs from the file's promise (a name that should not resolve counts). */
  mismatch: boolean;
  checks: Check[];
  detail: string;
  /** Where the file decides it: the source service's declaration. */
  span?: Span;
  /** A container that is not one of the project's services (--include-foreign). */
  foreign?: boolean;
  /** Attachments the file does not have that carried an unexpected reach: what "Disconnect" would undo. */
  stray?: Array<{ container: string; network: string }>;
}

export interface EgressResult {
  service: string;
  expected: 'none' | 'allowed';
  actual: 'none' | 'allowed' | 'error' | 'not-probed';
  detail?: string;
}

export interface VerifyReport {
  project: string;
  pairs: PairResult[];
  egress: EgressResult[];
  /** Services of the file not probed, and why (not running, network_mode host, a namespace tenant...). */
  skipped: Array<{ service: string; reason: string }>;
  /** Pairs and egress checks whose answers differ from the file (errors are not mismatches). */
  mismatches: number;
  /** Pairs and egress checks that could not be answered. */
  errors: number;
  /** Why the run did not finish (engine lost, frozen, cancelled); then the exit status is 2. */
  incomplete?: string;
  /** Probe containers left by earlier runs, removed before this one. */
  swept: number;
}

const connectLayers: Layer[] = ['address', 'port'];

function layersWhere(checks: Check[], holds: (c: Check) => boolean, promised = false): Layer[] {
  const connects = checks.filter((c) => connectLayers.includes(c.layer) && holds(c));
  const layers = new Set<Layer>(connects.map((c) => c.layer));
  // "By name" means a name resolved to one of B's addresses and that address answered.
  const answered = new Set(connects.flatMap((c) => c.addresses ?? []));
  if (checks.some((c) => c.layer === 'name' && holds(c) && (promised ? connects.length > 0 : (c.addresses ?? []).some((a) => answered.has(a))))) layers.add('name');
  return (['name', 'address', 'port'] as Layer[]).filter((l) => layers.has(l));
}

function describe(c: Check): string {
  return `${c.layer} ${c.target}${c.network ? ` on ${c.network}` : ''}`;
}

/** The pair's verdict from its checks. */
export function assemblePair(from: string, to: string, checks: Check[], extra: { span?: Span; foreign?: boolean } = {}): PairResult {
  const reachedBy = layersWhere(checks, (c) => c.actual === true);
  const expectedBy = layersWhere(checks, (c) => c.expected, true);
  const reached = checks.some((c) => connectLayers.includes(c.layer) && c.actual === true);
  const expectedReach = checks.some((c) => connectLayers.includes(c.layer) && c.expected);
  const unanswered = checks.filter((c) => c.actual === 'error' || c.actual === 'not-probed');
  const wrong = checks.filter((c) => typeof c.actual === 'boolean' && c.actual !== c.expected);
  const actual: PairResult['actual'] = reached ? 'reachable' : unanswered.length ? 'error' : 'isolated';
  let detail: string;
  if (wrong.length) {
    const unexpected = wrong.filter((c) => c.actual === true);
    const missing = wrong.filter((c) => c.actual === false);
    detail = [
      unexpected.length ? `not in the compose file: ${unexpected.map((c) => `${describe(c)} (${c.detail})`).join('; ')}` : '',
      missing.length ? `promised by the compose file but not found: ${missing.map((c) => `${describe(c)} (${c.detail})`).join('; ')}` : '',
    ].filter(Boolean).join('; ');
  } else if (unanswered.length) detail = `no answer: ${unanswered.map((c) => `${describe(c)}: ${c.detail}`).join('; ')}`;
  else if (reached) detail = `reached by ${reachedBy.join(', ')}`;
  else detail = 'no name resolves to it and none of its addresses answers';
  return {
    from,
    to,
    expected: expectedReach ? 'reachable' : 'isolated',
    actual,
    reachedBy,
    expectedBy,
    mismatch: wrong.length > 0,
    checks,
    detail,
    ...(extra.span ? { span: extra.span } : {}),
    ...(extra.foreign ? { foreign: true } : {}),
  };
}

export function countReport(pairs: PairResult[], egress: EgressResult[]): { mismatches: number; errors: number } {
  const probedEgress = egress.filter((e) => e.actual !== 'not-probed' || e.detail);
  return {
    mismatches: pairs.filter((p) => p.mismatch).length + probedEgress.filter((e) => (e.actual === 'none' || e.actual === 'allowed') && e.actual !== e.expected).length,
    errors: pairs.filter((p) => p.checks.some((c) => c.actual === 'error' || c.actual === 'not-probed')).length + probedEgress.filter((e) => e.actual === 'error' || e.actual === 'not-probed').length,
  };
}

/** 0 only when every pair was probed and nothing mismatches; 1 mismatches (and nothing unanswered); 2 otherwise. */
export function exitStatus(report: Pick<VerifyReport, 'mismatches' | 'errors' | 'incomplete'>): 0 | 1 | 2 {
  if (report.incomplete || report.errors > 0) return 2;
  return report.mismatches > 0 ? 1 : 0;
}
