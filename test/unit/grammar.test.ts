// The probe output grammar, checked with vscode-tmgrammar-test against annotated samples in test/grammar.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');

describe('probe output grammar', () => {
  it('scopes container names, addresses, round-trip times, success and failure lines', () => {
    const bin = path.join(ROOT, 'node_modules/.bin/vscode-tmgrammar-test');
    const r = spawnSync(bin, ['-g', 'syntaxes/probe-output.tmLanguage.json', 'test/grammar/*.probe'], { cwd: ROOT, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /run successfuly/);
  });
});
