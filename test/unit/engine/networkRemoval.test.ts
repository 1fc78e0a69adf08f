// The Remove confirmation and report (src/engine/networkRemoval.ts): one question for a multi-selection, one line
// per network saying which are in use or managed by Compose; a report naming each failure with its reason.
import * as assert from 'assert';
import { removalConfirmation, removalSummary } from '../../../src/engine/networkRemoval';

describe('network removal text', () => {
  it('asks one question for one network, as before', () => {
    assert.deepStrictEqual(removalConfirmation([{ name: 'a', builtIn: false, users: ['web'], composeProject: 'shop' }]), {
      message: 'Remove network "a"? It is in use by web: Docker refuses to remove it until they are disconnected or removed. It is managed by Compose project "shop": the project\'s next "up" creates it again.',
    });
  });

  it('asks one question for several, listing each with whether it is in use or managed by Compose', () => {
    const q = removalConfirmation([
      { name: 'a', builtIn: false, users: [] },
      { name: 'b', builtIn: false, users: ['x', 'y'] },
      { name: 'shop_back', builtIn: false, users: [], composeProject: 'shop' },
    ]);
    assert.strictEqual(q.message, 'Remove 3 networks (1 in use, 1 managed by Compose)?');
    assert.strictEqual(q.detail, ['• a: unused', '• b: in use by x, y (Docker refuses until they are disconnected)', '• shop_back: unused; managed by Compose project "shop" (its next "up" creates it again)'].join('\n'));
  });

  it('reports every failure with its own reason, and what was removed', () => {
    assert.strictEqual(removalSummary([{ name: 'a', ok: true }, { name: 'c', ok: true }]), 'Removed 2 networks: a, c.');
    assert.strictEqual(removalSummary([{ name: 'a', ok: true }]), 'Removed network "a".');
    assert.strictEqual(
      removalSummary([{ name: 'a', ok: true }, { name: 'b', ok: false, reason: 'error while removing network: network b id 123 has active endpoints. It is in use by x.' }, { name: 'c', ok: true }]),
      'Removed 2 of 3 networks (a, c). Not removed: "b": error while removing network: network b id 123 has active endpoints. It is in use by x.',
    );
    assert.strictEqual(removalSummary([{ name: 'b', ok: false, reason: 'gone.' }]), 'Removed none of the 1 networks. Not removed: "b": gone.');
  });
});
