// The create-network wizard as data: which steps a set of answers needs (numbered from them), Back, and the
// checks of each answer. No `vscode` here, so unit tests drive it; createNetwork.ts shows it.
import type { NetworkSpec, NetworkSummary } from '../../engine/model';
import { parseLabels, validateAddressIn, validateIpRange, validateName, validateSubnet, DOCKER_NAME } from '../../engine/validate';

export type StepId = 'name' | 'driver' | 'parent' | 'subnet' | 'gateway' | 'ipRange' | 'options' | 'labels';

/** Every answer as the user typed or picked it; kept across Back and across a retry after a failure. */
export interface WizardAnswers {
  name?: string;
  driver?: NetworkSpec['driver'];
  /** Host interface; '' = an isolated dummy parent. */
  parent?: string;
  subnet?: string;
  gateway?: string;
  ipRange?: string;
  options?: Array<'internal' | 'attachable' | 'IPv6'>;
  labels?: string;
}

export const DRIVERS: NetworkSpec['driver'][] = ['bridge', 'overlay', 'macvlan', 'ipvlan'];

export const STEP_LABELS: Record<StepId, string> = {
  name: 'name',
  driver: 'driver',
  parent: 'parent interface',
  subnet: 'subnet',
  gateway: 'gateway',
  ipRange: 'IP range for containers',
  options: 'options',
  labels: 'labels',
};

/** The steps these answers call for, in order: the parent only for macvlan/ipvlan, gateway and range only with a subnet. */
export function wizardSteps(a: WizardAnswers): StepId[] {
  return [
    'name',
    'driver',
    ...(a.driver === 'macvlan' || a.driver === 'ipvlan' ? (['parent'] as const) : []),
    'subnet',
    ...(a.subnet?.trim() ? (['gateway', 'ipRange'] as const) : []),
    'options',
    'labels',
  ];
}

export const BACK = Symbol('back');

export type StepAnswer = string | string[];

/** Asks one step; resolves with the answer, BACK, or undefined when the user cancels. */
export type AskStep = (step: StepId, answers: WizardAnswers, position: { step: number; totalSteps: number }) => Promise<StepAnswer | typeof BACK | undefined>;

/** Runs the steps from `initial` (answers shown as defaults); undefined when cancelled. */
export async function runWizard(initial: WizardAnswers, ask: AskStep): Promise<WizardAnswers | undefined> {
  let answers: WizardAnswers = { ...initial };
  let index = 0;
  for (;;) {
    const steps = wizardSteps(answers);
    if (index >= steps.length) return answers;
    const step = steps[index];
    const answer = await ask(step, answers, { step: index + 1, totalSteps: steps.length });
    if (answer === undefined) return undefined;
    if (answer === BACK) {
      index = Math.max(0, index - 1);
      continue;
    }
    answers = { ...answers, [step]: answer };
    index++;
  }
}

/** What the answer to a text step must satisfy; undefined when it is fine. */
export function checkStep(step: StepId, value: string, answers: WizardAnswers, networks: NetworkSummary[]): string | undefined {
  const v = value.trim();
  switch (step) {
    case 'name':
      return validateName(v, networks.map((n) => n.name));
    case 'subnet':
      return v ? validateSubnet(v, networks) : undefined;
    case 'gateway':
      return v ? validateAddressIn(v, answers.subnet?.trim(), 'gateway') : undefined;
    case 'ipRange':
      return v ? validateIpRange(v, answers.subnet?.trim()) : undefined;
    case 'labels':
      return parseLabels(v).problem;
    case 'parent':
      return v && !DOCKER_NAME.test(v) ? `"${v}" is not an interface name.` : undefined;
    default:
      return undefined;
  }
}

/** The request the answers make (answers of steps no longer on the path are left out). */
export function specFromAnswers(a: WizardAnswers): NetworkSpec {
  const spec: NetworkSpec = { name: (a.name ?? '').trim(), driver: a.driver ?? 'bridge' };
  if ((spec.driver === 'macvlan' || spec.driver === 'ipvlan') && a.parent) spec.parent = a.parent;
  const subnet = a.subnet?.trim();
  if (subnet) {
    spec.subnet = subnet;
    if (a.gateway?.trim()) spec.gateway = a.gateway.trim();
    if (a.ipRange?.trim()) spec.ipRange = a.ipRange.trim();
  }
  const options = a.options ?? [];
  spec.internal = options.includes('internal');
  spec.attachable = options.includes('attachable');
  spec.ipv6 = options.includes('IPv6');
  const labels = parseLabels(a.labels ?? '').labels;
  if (Object.keys(labels).length) spec.labels = labels;
  return spec;
}
