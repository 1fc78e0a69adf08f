// The create-network wizard's steps: numbered from the answers, Back keeps every answer, the spec follows the path.
import * as assert from 'assert';
import { BACK, checkStep, runWizard, specFromAnswers, wizardSteps, type AskStep, type StepAnswer, type StepId, type WizardAnswers } from '../../../src/vscode/commands/createNetworkSteps';

/** A user who answers from a script: each entry is the answer to the next prompt, or BACK. */
function scripted(script: Array<StepAnswer | typeof BACK>): { ask: AskStep; seen: string[] } {
  const seen: string[] = [];
  const ask: AskStep = async (step: StepId, answers: WizardAnswers, { step: n, totalSteps }) => {
    seen.push(`${n}/${totalSteps} ${step}=${JSON.stringify(answers[step] ?? null)}`);
    return script.shift();
  };
  return { ask, seen };
}

describe('create network wizard steps', () => {
  it('numbers every step, macvlan\'s parent and the labels included', () => {
    assert.deepStrictEqual(wizardSteps({ driver: 'bridge' }), ['name', 'driver', 'subnet', 'options', 'labels']);
    assert.deepStrictEqual(wizardSteps({ driver: 'macvlan', subnet: '192.168.5.0/24' }), ['name', 'driver', 'parent', 'subnet', 'gateway', 'ipRange', 'options', 'labels']);
  });

  it('shows "n/total" with a total that follows the answers so far', async () => {
    const { ask, seen } = scripted(['n1', 'macvlan', 'eth0', '10.40.0.0/24', '', '', [], '']);
    const answers = await runWizard({}, ask);
    assert.deepStrictEqual(seen.map((s) => s.split(' ')[0]), ['1/5', '2/5', '3/6', '4/6', '5/8', '6/8', '7/8', '8/8']);
    assert.deepStrictEqual(specFromAnswers(answers!), { name: 'n1', driver: 'macvlan', parent: 'eth0', subnet: '10.40.0.0/24', internal: false, attachable: false, ipv6: false });
  });

  it('Back returns to the previous step with its answer shown, and nothing typed is lost', async () => {
    const { ask, seen } = scripted(['web', 'bridge', '10.41.0.0/24', BACK, BACK, 'overlay', '10.41.0.0/24', '10.41.0.1', '', ['attachable'], 'team=net,temp']);
    const answers = await runWizard({}, ask);
    assert.ok(seen.includes('2/7 driver="bridge"'), seen.join('\n'));
    assert.ok(seen.includes('3/7 subnet="10.41.0.0/24"'), seen.join('\n'));
    assert.deepStrictEqual(specFromAnswers(answers!), { name: 'web', driver: 'overlay', subnet: '10.41.0.0/24', gateway: '10.41.0.1', internal: false, attachable: true, ipv6: false, labels: { team: 'net', temp: '' } });
  });

  it('a retry starts from the previous answers (the user edits, not retypes)', async () => {
    const previous: WizardAnswers = { name: 'web', driver: 'bridge', subnet: '10.42.0.0/24', gateway: '10.42.0.1', ipRange: '', options: ['internal'], labels: 'a=b' };
    const { ask, seen } = scripted(['web2', 'bridge', '10.42.0.0/24', '10.42.0.1', '', ['internal'], 'a=b']);
    const answers = await runWizard(previous, ask);
    assert.strictEqual(seen[0], '1/7 name="web"');
    assert.strictEqual(seen[3], '4/7 gateway="10.42.0.1"');
    assert.strictEqual(specFromAnswers(answers!).name, 'web2');
  });

  it('cancel anywhere ends with nothing', async () => {
    const { ask } = scripted(['web']);
    assert.strictEqual(await runWizard({}, ask), undefined);
  });

  it('a subnet cleared after Back drops the gateway and range from the request', () => {
    assert.deepStrictEqual(specFromAnswers({ name: 'x', driver: 'bridge', subnet: '', gateway: '10.0.0.1', ipRange: '10.0.0.0/25' }), { name: 'x', driver: 'bridge', internal: false, attachable: false, ipv6: false });
  });

  it('checks each answer with Docker\'s rules', () => {
    assert.match(checkStep('gateway', '10.43.0.0', { subnet: '10.43.0.0/24' }, [])!, /address of subnet 10\.43\.0\.0\/24 itself/);
    assert.strictEqual(checkStep('labels', 'team=net,temp', {}, []), undefined);
    assert.match(checkStep('labels', '=x', {}, [])!, /empty name/);
    assert.match(checkStep('name', 'has space', {}, [])!, /not a valid name/);
  });
});
