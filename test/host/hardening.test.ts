// Hostile input in the real extension host (issue 12): a FIFO in an include never blocks the host, and a
// workspace's settings cannot choose the engine endpoint or the probe image.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DockerNetworkingApi } from '../../src/vscode/extension';
import { until } from '../support/until';

const WORKSPACE = vscode.workspace.workspaceFolders![0].uri.fsPath;
const EXTENSION_ID = 'docker-networking-dev.docker-networking';

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Docker Networking');

describe('hostile compose input in the extension host', () => {
  const dir = path.join(WORKSPACE, 'hostile');
  const compose = path.join(dir, 'compose.yaml');
  const text = 'include:\n  - pipe.yaml\nservices:\n  web:\n    image: web\n    networks: [front]\nnetworks:\n  front: {}\n';

  before(async () => {
    await vscode.extensions.getExtension<DockerNetworkingApi>(EXTENSION_ID)!.activate(); // its providers are registered
    fs.mkdirSync(dir, { recursive: true });
    // A named pipe nobody writes to: opening it for reading (without O_NONBLOCK) waits forever.
    const made = spawnSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    assert.strictEqual(made.status, 0, String(made.stderr));
    fs.writeFileSync(compose, text);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an include that names a FIFO: hover and lenses answer while the finding appears at the include', async () => {
    const doc = await vscode.workspace.openTextDocument(compose);
    await vscode.window.showTextDocument(doc, { preview: false });
    // Other provider calls return (on code that opened the FIFO on the host's thread, nothing would: the host froze).
    const at = doc.positionAt(text.indexOf('[front]') + 2);
    const t0 = Date.now();
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    assert.match(hoverText, /Network `front`/);
    const hovered = Date.now() - t0;
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
    assert.ok(lenses.length > 0, 'code lenses answered');
    const answered = Date.now() - t0;
    const diags = await until('a finding that names pipe.yaml', () => ours(doc.uri), (ds) => ds.some((d) => d.message.includes('pipe.yaml')));
    const finding = diags.find((d) => d.message.includes('pipe.yaml'))!;
    assert.strictEqual(finding.range.start.line, 1, `at the include entry: ${finding.message}`);
    assert.match(finding.message, /pipe|FIFO|regular file/i);
    console.log(`      hover answered in ${hovered} ms, lenses ${answered - hovered} ms later; the FIFO finding appeared after ${Date.now() - t0} ms`);
  });

  it('keeps answering edits while the FIFO stays included: diagnostics follow typing', async () => {
    const doc = await vscode.workspace.openTextDocument(compose);
    const edit = new vscode.WorkspaceEdit();
    const start = doc.positionAt(text.indexOf('[front]') + 1);
    edit.replace(doc.uri, new vscode.Range(start, start.translate(0, 5)), 'frnt');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const diags = await until('undefined-network for frnt', () => ours(doc.uri), (ds) => ds.some((d) => d.message.includes('"frnt"')));
    assert.ok(diags.some((d) => d.message.includes('pipe.yaml')), 'the FIFO finding stays');
    assert.ok(await doc.save(), 'saved (nothing dirty is left to close)');
  });
});

describe('workspace settings that could redirect the extension', () => {
  const settingsDir = path.join(WORKSPACE, '.vscode');
  const settingsFile = path.join(settingsDir, 'settings.json');
  const EVIL_HOST = 'tcp://203.0.113.7:2375';
  const config = () => vscode.workspace.getConfiguration('dockerNetworking');

  after(async () => {
    fs.rmSync(settingsDir, { recursive: true, force: true });
    await until('workspace settings gone', () => config().get<string[]>('composeFiles', []), (g) => g.length === 0, 60_000);
  });

  it("a cloned repository's .vscode/settings.json cannot set the engine endpoint or the probe image", async () => {
    fs.mkdirSync(settingsDir, { recursive: true });
    fs.writeFileSync(
      settingsFile,
      JSON.stringify({ 'dockerNetworking.dockerHost': EVIL_HOST, 'dockerNetworking.probeImage': 'attacker/probe:latest', 'dockerNetworking.maxFileSize': 100000, 'dockerNetworking.composeFiles': ['**/h12b-control.yaml'] }),
    );
    // A window-scoped setting from the same file shows when VS Code has read it.
    await until('the workspace settings file read', () => config().get<string[]>('composeFiles', []), (g) => g.includes('**/h12b-control.yaml'), 60_000);
    assert.notStrictEqual(config().get('dockerHost'), EVIL_HOST);
    assert.notStrictEqual(config().get('probeImage'), 'attacker/probe:latest');
    assert.strictEqual(config().get('maxFileSize'), 8);
    const { networksTree } = await vscode.extensions.getExtension<DockerNetworkingApi>(EXTENSION_ID)!.activate();
    assert.ok(!networksTree.engine.endpoint.display.includes('203.0.113.7'), networksTree.engine.endpoint.display);
  });
});
