// Runs first (file order): the extension starts only where it is useful. Opening the workspace, or a YAML file that
// is not a compose file, leaves it inactive; opening a compose file starts it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { until } from '../support/until';

const EXTENSION_ID = 'docker-networking-dev.docker-networking';

/** How long an activation would take to show up, were it triggered: the negative checks wait this long. */
const ACTIVATION_SETTLE_MS = 2_000;

describe('activation (before any other host test activates the extension)', () => {
  const ext = () => vscode.extensions.getExtension(EXTENSION_ID)!;
  let plain: string;

  before(() => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    plain = path.join(folder, 'settings.yaml');
    fs.writeFileSync(plain, 'logging:\n  level: debug\nservices:\n  - name: not-compose\n');
  });
  after(() => fs.rmSync(plain, { force: true }));

  it('a workspace holding compose files does not start the extension by itself (no workspace search)', () => {
    assert.ok(ext(), `${EXTENSION_ID} is not loaded`);
    assert.strictEqual(ext().isActive, false);
  });

  it('opening a plain YAML file does not start it', async () => {
    const doc = await vscode.workspace.openTextDocument(plain);
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(doc.languageId, 'yaml');
    // A negative: give an activation the time it would take to be reported.
    await new Promise((r) => setTimeout(r, ACTIVATION_SETTLE_MS));
    assert.strictEqual(ext().isActive, false);
  });

  it('opening a compose file starts it', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const doc = await vscode.workspace.openTextDocument(path.join(folder, 'shop', 'compose.yaml'));
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(doc.languageId, 'dockercompose');
    await until('the extension to be active', () => ext().isActive, (active) => active, 20_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
