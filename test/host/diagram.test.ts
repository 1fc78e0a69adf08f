// The tier diagram panel in the real extension host: opens for a compose file, draws it, and follows edits.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DockerNetworkingApi } from '../../src/vscode/extension';
import { until } from '../support/until';

const FILE = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'shop/compose.yaml');

describe('tier diagram panel', () => {
  it('opens for a compose file, renders it, and re-renders after an edit', async () => {
    const api = await vscode.extensions.getExtension<DockerNetworkingApi>('docker-networking-dev.docker-networking')!.activate();
    const doc = await vscode.workspace.openTextDocument(FILE);
    const original = doc.getText();
    await vscode.window.showTextDocument(doc);
    const renders: Array<{ file: string; services: number; networks: number }> = [];
    const sub = api.diagram.onDidRender((m) => renders.push(m));
    try {
      const result = await vscode.commands.executeCommand<{ ok: boolean }>('dockerNetworking.showDiagram', doc.uri);
      assert.ok(result.ok);
      await until('the first render', () => renders.length, (n) => n > 0, 30_000);
      // The base and its override: lb, api, db, cache, exporter; dmz, app-tier, data-tier, metrics (+ monitoring, undeclared).
      assert.deepStrictEqual([renders[0].file, renders[0].services], ['shop/compose.yaml', 5]);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, doc.positionAt(doc.getText().indexOf('\n  db:\n') + 1), '  worker:\n    image: docker-net-busybox:latest\n    networks: [app-tier]\n\n');
      await vscode.workspace.applyEdit(edit);
      await until('a render with the new service', () => renders.map((r) => r.services), (counts) => counts.includes(6), 30_000);
    } finally {
      sub.dispose();
      const restore = new vscode.WorkspaceEdit();
      restore.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
      await vscode.workspace.applyEdit(restore);
      await doc.save();
    }
  });
});
