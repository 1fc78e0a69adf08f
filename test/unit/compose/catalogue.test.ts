import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../../../src/compose/rules/catalogue';

describe('rule catalogue', () => {
  it('documents every rule in docs/rules.md, where rule ids link to', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../../../../docs/rules.md'), 'utf8');
    const headings = new Set([...doc.matchAll(/^### ([a-z0-9-]+)$/gm)].map((m) => m[1]));
    assert.deepStrictEqual(RULES.map((r) => r.id).filter((id) => !headings.has(id)), []);
  });

  it('has unique kebab-case ids', () => {
    const ids = RULES.map((r) => r.id);
    assert.strictEqual(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe('the severity setting', () => {
  it('lists every rule, so settings completion and validation know them all', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8'));
    const listed = Object.keys(pkg.contributes.configuration.properties['dockerNetworking.rules.severity'].properties);
    assert.deepStrictEqual(listed.sort(), RULES.map((r) => r.id).sort());
  });
});
