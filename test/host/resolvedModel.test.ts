// "Show Resolved Network Model" in the real extension host: the active file's project (base + override merged)
// opens beside the editor in the shape of `docker compose config`.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { parse } from 'yaml';

const FILE = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'shop/compose.override.yaml');

describe('show resolved network model', () => {
  it('opens the merged project of the active compose file as YAML', async () => {
    await vscode.extensions.getExtension('docker-networking-dev.docker-networking')!.activate();
    const doc = await vscode.workspace.openTextDocument(FILE);
    await vscode.window.showTextDocument(doc);
    const result = await vscode.commands.executeCommand<{ ok: boolean; value: string }>('dockerNetworking.showResolvedModel');
    assert.ok(result.ok, JSON.stringify(result));
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'docker-networking-model');
    assert.ok(shown, 'the model is shown in an editor');
    assert.strictEqual(shown.document.languageId, 'yaml');
    assert.strictEqual(shown.document.getText(), result.value);
    assert.strictEqual(shown.document.isDirty, false, 'read-only: closing it asks nothing');
    const config = parse(result.value) as { name: string; services: Record<string, { networks?: Record<string, { aliases?: string[] } | null> }>; networks: Record<string, { name: string }> };
    assert.strictEqual(config.name, 'shop');
    // api: the base's app-tier (alias backend) and data-tier, plus the override's metrics.
    assert.deepStrictEqual(Object.keys(config.services.api.networks!).sort(), ['app-tier', 'data-tier', 'metrics']);
    assert.deepStrictEqual(config.services.api.networks!['app-tier']!.aliases, ['backend']);
    assert.strictEqual(config.networks['app-tier'].name, 'shop_app-tier');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
