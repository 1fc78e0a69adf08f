// Runs inside the extension host (as extensionTestsPath): edit -> published diagnostics on a 300-service project.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { analyze } from '../../src/compose/analyze';
import type { DockerNetworkingApi } from '../../src/vscode/extension';
import { median } from '../measure';

const EDITS = 50;

export async function run(): Promise<void> {
  const out = process.env.DOCKER_NET_HOST_RESULTS!;
  const file = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'compose.yaml');
  const ext = vscode.extensions.getExtension<DockerNetworkingApi>('docker-networking-dev.docker-networking')!;
  const api = await ext.activate();
  const published = () =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no diagnostics published within 30 s')), 30_000);
      const sub = api.diagnostics.onDidPublish((uris) => {
        if (uris.some((u) => u.fsPath === file)) {
          sub.dispose();
          clearTimeout(timer);
          resolve(performance.now());
        }
      });
    });
  const opened = published(); // subscribe before opening: the first analysis runs as soon as the file opens
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  await opened;
  const latencies: number[] = [];
  const target = doc.getText().indexOf('networks: [net1,') + 'networks: ['.length;
  for (let i = 0; i < EDITS; i++) {
    // Alternate a typo and its correction, so every edit changes the findings.
    const edit = new vscode.WorkspaceEdit();
    const range = new vscode.Range(doc.positionAt(target), doc.positionAt(target + 4));
    edit.replace(doc.uri, range, i % 2 === 0 ? 'nxt1' : 'net1');
    const done = published();
    const start = performance.now();
    await vscode.workspace.applyEdit(edit);
    latencies.push((await done) - start);
  }
  // The reference: the bare analysis of the same text, in the same process.
  const text = doc.getText();
  const analyses = Array.from({ length: 11 }, () => {
    const t = performance.now();
    analyze({ dir: path.dirname(file), files: [file], env: {} }, { readFile: () => text });
    return performance.now() - t;
  });
  fs.writeFileSync(out, JSON.stringify({ kind: 'bench', latencies, analysisMs: median(analyses), passed: 1, failed: 0, skipped: 0, failures: [] }));
}
