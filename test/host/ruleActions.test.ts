// The quick-fix menu's "Fix all network problems" and the way back from "Turn off rule" (issue 16), in the real
// extension host through the vscode API.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { until } from '../support/until';

const WORKSPACE = vscode.workspace.workspaceFolders![0].uri.fsPath;
const FIXES = path.join(WORKSPACE, 'fixes/compose.yaml');

interface Result {
  ok: boolean;
  message: string;
}

const config = () => vscode.workspace.getConfiguration('dockerNetworking');
const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Docker Networking');
const codeOf = (d: vscode.Diagnostic) => (d.code as { value: string }).value;
const codes = (uri: vscode.Uri) => ours(uri).map(codeOf);

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value, 100);
}

async function restoreSettings(): Promise<void> {
  await config().update('rules.severity', undefined, vscode.ConfigurationTarget.Workspace);
  await config().update('rules.severity', undefined, vscode.ConfigurationTarget.Global);
}

describe('rule actions in the quick-fix menu', function () {
  // The first test pays for the extension's activation and the analysis worker's start; a loaded machine took 46 s.
  this.timeout(180_000);
  let editor: vscode.TextEditor;
  let original: string;

  before(async () => {
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(FIXES), { preview: false });
    original = editor.document.getText();
  });

  afterEach(async () => {
    await restoreSettings();
    const doc = editor.document;
    if (doc.getText() !== original) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
      await vscode.workspace.applyEdit(edit);
      await doc.save();
    }
  });

  it('offers "Fix all network problems in this file" in the quick-fix menu (Ctrl+.), not only as a source action', async () => {
    const uri = editor.document.uri;
    const initial = await until('the fixes file\'s diagnostics', () => ours(uri), (d) => d.length >= 5);
    const undefinedNetwork = initial.find((d) => codeOf(d) === 'undefined-network');
    assert.ok(undefinedNetwork, `undefined-network among ${initial.map(codeOf).join(', ')}`);
    const actions = await quickFixes(uri, undefinedNetwork.range);
    const fixAll = actions.find((a) => a.title.startsWith('Fix all network problems in this file'));
    assert.ok(fixAll, `quick-fix menu: ${actions.map((a) => a.title).join(' | ')}`);
    assert.strictEqual(fixAll.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.ok(fixAll.edit, 'the fix-all edit is built on resolve');
    // Still a source fix-all, for editor.codeActionsOnSave and Source Action….
    const source = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.dockerNetworking', 100);
    const sourceFixAll = source.find((a) => a.title === fixAll.title);
    assert.strictEqual(sourceFixAll?.kind?.value, 'source.fixAll.dockerNetworking');
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    await until('fix all leaves fewer findings', () => ours(uri).length, (n) => n < initial.length);
  });

  it('turns a rule back on from the quick-fix menu of another problem of the file, in the scope it was turned off in', async () => {
    const uri = editor.document.uri;
    await config().update('rules.severity', { 'dns-name-collision': 'error' }, vscode.ConfigurationTarget.Workspace);
    await until('host-mode-ports shown', () => codes(uri), (c) => c.includes('host-mode-ports'));
    const off = await vscode.commands.executeCommand<Result>('dockerNetworking.turnOffRule', 'host-mode-ports');
    assert.ok(off.ok && /turned off in the workspace settings/.test(off.message), off.message);
    await until('host-mode-ports hidden', () => codes(uri), (c) => !c.includes('host-mode-ports'));

    const other = ours(uri).find((d) => codeOf(d) === 'undefined-network')!;
    const actions = await quickFixes(uri, other.range);
    const backOn = actions.find((a) => a.title.startsWith('Turn rule host-mode-ports back on'));
    assert.ok(backOn, `quick-fix menu: ${actions.map((a) => a.title).join(' | ')}`);
    assert.strictEqual(backOn.title, 'Turn rule host-mode-ports back on (1 problem hidden in this file)');
    assert.deepStrictEqual([backOn.command?.command, backOn.command?.arguments], ['dockerNetworking.turnRuleBackOn', ['host-mode-ports']]);
    assert.ok(!actions.some((a) => /Turn rule dns-name-collision back on/.test(a.title)), 'a rule that is on is not offered');

    const on = await vscode.commands.executeCommand<Result>(backOn.command!.command, ...backOn.command!.arguments!);
    assert.ok(on.ok, on.message);
    await until('host-mode-ports back', () => codes(uri), (c) => c.includes('host-mode-ports'));
    // Only that rule's entry is removed; the user's other severities stay.
    assert.deepStrictEqual(config().inspect('rules.severity')?.workspaceValue, { 'dns-name-collision': 'error' });
    const none = await quickFixes(uri, other.range);
    assert.ok(!none.some((a) => / back on /.test(a.title)), 'nothing left to turn back on');
  });

  it('"Turn Rule Back On…" finds a rule turned off in the user settings, and says when no rule is off', async () => {
    const uri = editor.document.uri;
    await config().update('rules.severity', { 'host-mode-ports': 'off' }, vscode.ConfigurationTarget.Global);
    await until('host-mode-ports hidden', () => codes(uri), (c) => !c.includes('host-mode-ports'));
    const on = await vscode.commands.executeCommand<Result>('dockerNetworking.turnRuleBackOn', 'host-mode-ports');
    assert.ok(on.ok, on.message);
    assert.strictEqual(config().inspect('rules.severity')?.globalValue, undefined);
    await until('host-mode-ports back', () => codes(uri), (c) => c.includes('host-mode-ports'));
    const nothing = await vscode.commands.executeCommand<Result>('dockerNetworking.turnRuleBackOn');
    assert.deepStrictEqual(nothing, { ok: true, message: 'Docker Networking: no rule is turned off.' });
  });
});
