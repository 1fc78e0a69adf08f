// The test helper that evaluates menus' `when` clauses agrees with VS Code's meaning on the forms we use.
import * as assert from 'assert';
import { evaluateWhen } from '../../support/whenClause';

describe('when clause evaluator (test support)', () => {
  it('==, =~ with \\b, && binding tighter than ||', () => {
    const c = { view: 'dockerNetworking.networks', viewItem: 'customNetwork;connect;aliases;subnet' };
    assert.strictEqual(evaluateWhen('view == dockerNetworking.networks && viewItem =~ /^customNetwork\\b/', c), true);
    assert.strictEqual(evaluateWhen('view == other && viewItem =~ /^customNetwork\\b/ || viewItem == x', c), false);
    assert.strictEqual(evaluateWhen('view == other && viewItem =~ /^attachment/ || view == dockerNetworking.networks && viewItem =~ /;subnet\\b/', c), true);
    assert.strictEqual(evaluateWhen('!(viewItem =~ /^defaultNetwork/)', c), true);
    assert.strictEqual(evaluateWhen('false', c), false);
  });
});
