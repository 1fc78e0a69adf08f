// Create network: a numbered multi-step input with Back, every value checked before it reaches the engine, and
// on failure an offer to edit the same answers and retry; or a NetworkSpec argument for scripts.
import * as vscode from 'vscode';
import type { NetworkSpec, NetworkSummary } from '../../engine/model';
import { validateNetworkSpec } from '../../engine/validate';
import type { NetworksTreeProvider } from '../networksTree';
import { BACK, checkStep, DRIVERS, runWizard, specFromAnswers, STEP_LABELS, type StepAnswer, type StepId, type WizardAnswers } from './createNetworkSteps';
import { cancelled, fail, failureMessage, mutate, type CommandResult } from './run';

const TITLE = 'Create Docker network';
const EDIT_AND_RETRY = 'Edit and Retry';

export async function createNetwork(tree: NetworksTreeProvider, hostInterfaces: () => Promise<string[]>, arg?: unknown): Promise<CommandResult<string>> {
  let networks: NetworkSummary[];
  try {
    networks = (await tree.state()).networks;
  } catch (err) {
    return fail('Create network', err);
  }
  if (isSpec(arg)) {
    const problems = validateNetworkSpec(arg, networks);
    if (problems.length) return fail(`Create network "${arg.name}"`, new Error(problems.join(' ')));
    return mutate(`Creating network "${arg.name}"`, () => create(tree, arg));
  }
  let answers: WizardAnswers = {};
  for (;;) {
    const done = await runWizard(answers, (step, a, position) => askStep(step, a, position, networks, hostInterfaces));
    if (!done) return cancelled as CommandResult<string>;
    answers = done;
    const spec = specFromAnswers(answers);
    const title = `Create network "${spec.name}"`;
    const problems = validateNetworkSpec(spec, networks);
    let message: string;
    if (problems.length) message = `${title} failed: ${problems.join(' ')}`;
    else {
      try {
        const { message: ok, value } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating network "${spec.name}"` }, () => create(tree, spec));
        void vscode.window.showInformationMessage(ok);
        return { ok: true, message: ok, value };
      } catch (err) {
        message = await failureMessage(title, err);
      }
    }
    // Nothing typed is lost: the wizard reopens with every answer as it was.
    if ((await vscode.window.showErrorMessage(message, EDIT_AND_RETRY)) !== EDIT_AND_RETRY) return { ok: false, message };
    networks = await tree.state().then((s) => s.networks, () => networks);
  }
}

async function create(tree: NetworksTreeProvider, spec: NetworkSpec): Promise<{ message: string; value: string }> {
  const id = await tree.engine.createNetwork(spec);
  tree.refresh();
  return { message: `Created network "${spec.name}" (${spec.driver}${spec.subnet ? `, ${spec.subnet}` : ''}).`, value: id };
}

function isSpec(arg: unknown): arg is NetworkSpec {
  return !!arg && typeof arg === 'object' && typeof (arg as NetworkSpec).name === 'string' && !('kind' in arg);
}

const DRIVER_HELP: Record<NetworkSpec['driver'], string> = { bridge: 'single host (default)', overlay: 'multi-host, needs Swarm', macvlan: 'own MAC on the host LAN', ipvlan: 'own IP on the host LAN' };
const OPTIONS = [
  { label: 'internal' as const, description: 'no route out of the machine' },
  { label: 'attachable' as const, description: 'standalone containers may join (overlay)' },
  { label: 'IPv6' as const, description: 'enable IPv6' },
];
const NO_PARENT = 'None (isolated dummy parent)';

function prompt(step: StepId, a: WizardAnswers): string {
  switch (step) {
    case 'name':
      return 'Letters, digits, "_", "." and "-"';
    case 'subnet':
      return 'CIDR, e.g. 172.30.0.0/24; empty to let Docker choose';
    case 'gateway':
      return `An address inside ${a.subnet?.trim()}; empty for the first one`;
    case 'ipRange':
      return `A CIDR inside ${a.subnet?.trim()}; empty for the whole subnet`;
    case 'labels':
      return 'key=value or key alone, comma-separated; empty for none';
    default:
      return '';
  }
}

/** One step as a QuickInput with the step counter and a Back button; resolves on accept, Back or hide. */
async function askStep(step: StepId, a: WizardAnswers, position: { step: number; totalSteps: number }, networks: NetworkSummary[], hostInterfaces: () => Promise<string[]>): Promise<StepAnswer | typeof BACK | undefined> {
  const picks = step === 'driver' ? DRIVERS.map((d) => ({ label: d, description: DRIVER_HELP[d] })) : step === 'options' ? OPTIONS : step === 'parent' ? [...(await hostInterfaces().catch((): string[] => [])).map((i) => ({ label: i })), { label: NO_PARENT }] : undefined;
  const input = picks ? vscode.window.createQuickPick<vscode.QuickPickItem>() : vscode.window.createInputBox();
  input.title = `${TITLE}: ${STEP_LABELS[step]}`;
  input.step = position.step;
  input.totalSteps = position.totalSteps;
  input.buttons = position.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  input.ignoreFocusOut = true;
  return new Promise((resolve) => {
    const disposables: vscode.Disposable[] = [];
    const finish = (value: StepAnswer | typeof BACK | undefined) => {
      disposables.forEach((d) => d.dispose());
      resolve(value);
      input.dispose();
    };
    disposables.push(
      input.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) finish(BACK);
      }),
      input.onDidHide(() => finish(undefined)),
    );
    if (picks) {
      const pick = input as vscode.QuickPick<vscode.QuickPickItem>;
      pick.items = picks;
      if (step === 'options') {
        pick.canSelectMany = true;
        pick.selectedItems = picks.filter((p) => a.options?.includes(p.label as never));
      } else {
        const current = step === 'driver' ? a.driver : a.parent === '' ? NO_PARENT : a.parent;
        const active = picks.find((p) => p.label === current);
        if (active) pick.activeItems = [active];
      }
      disposables.push(
        pick.onDidAccept(() => {
          if (step === 'options') return finish(pick.selectedItems.map((p) => p.label));
          const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
          if (chosen) finish(step === 'parent' && chosen.label === NO_PARENT ? '' : chosen.label);
        }),
      );
    } else {
      const box = input as vscode.InputBox;
      box.prompt = prompt(step, a);
      box.value = (a[step as 'name' | 'subnet' | 'gateway' | 'ipRange' | 'labels'] as string | undefined) ?? '';
      const check = () => (box.validationMessage = checkStep(step, box.value, a, networks));
      check();
      disposables.push(
        box.onDidChangeValue(check),
        box.onDidAccept(() => {
          if (!check()) finish(box.value.trim());
        }),
      );
    }
    input.show();
  });
}
