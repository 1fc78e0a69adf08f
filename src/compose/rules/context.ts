// What every rule receives, and the shared ways rules build findings and common fixes.
import { isSeq } from 'yaml';
import { addToMapping, addTopLevel, appendToSequence } from '../edits';
import { IMPLICIT_DEFAULT, type ComposeProject, type Service } from '../model';
import type { Topology } from '../topology';
import type { EngineSnapshot, Finding, Fix, RelatedLocation, Span } from '../types';
import { clipText, listText, MAX_MESSAGE, MAX_RELATED } from '../text';
import { RULE_BY_ID } from './catalogue';

export interface RuleContext {
  project: ComposeProject;
  topology: Topology;
  engine?: EngineSnapshot;
}

export type Rule = (ctx: RuleContext) => Finding[];

export function finding(rule: string, span: Span, message: string, extra: { related?: RelatedLocation[]; fixes?: Fix[]; severity?: Finding['severity'] } = {}): Finding {
  const info = RULE_BY_ID.get(rule);
  if (!info) throw new Error(`internal: rule ${rule} is not in the catalogue`);
  return { rule, severity: extra.severity ?? info.severity, message: clipText(message, MAX_MESSAGE), span, related: boundedRelated(extra.related), fixes: extra.fixes ?? [] };
}

/**
 * Bounded whatever the file holds: names and values in messages can be megabytes long, related lists project-sized.
 * A list already within bounds is kept as it is (rules build a new one per finding): no copy per finding.
 */
function boundedRelated(related: RelatedLocation[] | undefined): RelatedLocation[] {
  if (!related) return [];
  if (related.length <= MAX_RELATED && !related.some(tooLong)) return related;
  return related.slice(0, MAX_RELATED).map((r) => (r.message.length > MAX_MESSAGE ? { ...r, message: clipText(r.message, MAX_MESSAGE) } : r));
}

const tooLong = (r: RelatedLocation) => r.message.length > MAX_MESSAGE;

/** `[a, b]` for messages; long lists end in "… and N more" so a message never grows with the project. */
export function quoteList(names: string[]): string {
  return listText(names);
}

/** Declares `name: {}` under the top-level `networks` of the file that has one (the main file first). */
export function declareNetworkFix(project: ComposeProject, name: string): Fix | undefined {
  const file = project.mainFile && project.networksSections.has(project.mainFile) ? project.mainFile : [...project.networksSections.keys()][0];
  if (file) return { title: `Declare network "${name}"`, edits: [addToMapping(project, { file, pair: project.networksSections.get(file)!.pair }, name, {})] };
  const main = project.mainFile ? project.files.get(project.mainFile) : undefined;
  return main ? { title: `Declare network "${name}"`, edits: [addTopLevel(main, 'networks', { [name]: {} })] } : undefined;
}

/**
 * Attaches a service to a network. A service with no `networks` key sits on the implicit default:
 * adding the key would take it off, so the fix lists `default` too.
 */
export function attachNetworkFix(project: ComposeProject, svc: Service, network: string, preferred?: boolean): Fix {
  return new AttachNetworkFix(project, svc, network, preferred);
}

/**
 * Where the edit goes is found on first read of `edits`: rules offer this fix for every unreachable name, and the
 * analysis on each keystroke reads none of them. A class (the getter on its prototype), not an object literal with
 * a getter, which costs a new function and accessor per fix: thousands per analysis of a big project.
 */
class AttachNetworkFix implements Fix {
  readonly title: string;
  readonly preferred?: boolean;
  // Native private fields: not enumerable, so a fix still reads (and prints) as its title and preference.
  readonly #project: ComposeProject;
  readonly #svc: Service;
  readonly #network: string;
  #edits?: Fix['edits'];

  constructor(project: ComposeProject, svc: Service, network: string, preferred: boolean | undefined) {
    this.title = `Attach "${svc.name}" to network "${network}"`;
    if (preferred !== undefined) this.preferred = preferred;
    this.#project = project;
    this.#svc = svc;
    this.#network = network;
  }

  get edits(): Fix['edits'] {
    return (this.#edits ??= this.#make());
  }

  #make(): Fix['edits'] {
    const project = this.#project;
    const svc = this.#svc;
    const network = this.#network;
    const entry = svc.entries.get('networks');
    if (!entry) return [addToMapping(project, { file: svc.nameSpan.file, pair: svc.pair }, 'networks', [IMPLICIT_DEFAULT, network])];
    const holder = { file: entry.keySpan.file, pair: entry.pair };
    return [isSeq(entry.pair.value) ? appendToSequence(project, holder, network) : addToMapping(project, holder, network, {})];
  }
}
