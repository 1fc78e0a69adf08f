// The compose language features, inside the real extension host, through the vscode API only.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DockerNetworkingApi } from '../../src/vscode/extension';
import { until } from '../support/until';

const WORKSPACE = vscode.workspace.workspaceFolders![0].uri.fsPath;
const BASE = path.join(WORKSPACE, 'shop/compose.yaml');
const OVERRIDE = path.join(WORKSPACE, 'shop/compose.override.yaml');
const FIXES = path.join(WORKSPACE, 'fixes/compose.yaml');

async function open(file: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(file);
  return vscode.window.showTextDocument(doc, { preview: false });
}

/**
 * Our diagnostics, less `subnet-in-default-pools`: an engine-aware info that comes and goes with the engine facts
 * (the fixture's 172.28.2.0/24 is inside the engine's default pools), which these tests are not about.
 */
function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Docker Networking' && (d.code as { value?: string })?.value !== 'subnet-in-default-pools');
}

const codes = (ds: vscode.Diagnostic[]) => ds.map((d) => (d.code as { value: string }).value).sort();

function positionOf(doc: vscode.TextDocument, needle: string, occurrence = 0, delta = 1): vscode.Position {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = doc.getText().indexOf(needle, at + 1);
  assert.ok(at >= 0, `"${needle}" not found`);
  return doc.positionAt(at + delta);
}

/** Replaces a document's whole text through a workspace edit (works whether or not its editor is visible). */
async function setText(editor: vscode.TextEditor, text: string): Promise<void> {
  const doc = editor.document;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

/** Counts the analyses the extension host's own thread runs (ComposeProjects.analysisFor) until restored. */
function countHostAnalyses(api: DockerNetworkingApi): { count: number; restore(): void } {
  const projects = api.projects as unknown as { analysisFor: (...args: unknown[]) => unknown };
  const analysisFor = projects.analysisFor;
  const counter = { count: 0, restore: () => (projects.analysisFor = analysisFor) };
  projects.analysisFor = function (this: unknown, ...args: unknown[]) {
    counter.count++;
    return analysisFor.apply(this, args);
  };
  return counter;
}

describe('compose language features (base + override project)', () => {
  let base: vscode.TextEditor;
  let override: vscode.TextEditor;
  const originals = new Map<vscode.TextEditor, string>();

  before(async () => {
    base = await open(BASE);
    override = await open(OVERRIDE);
    for (const e of [base, override]) originals.set(e, e.document.getText());
  });

  after(async () => {
    for (const [e, text] of originals) {
      await setText(e, text);
      await e.document.save();
    }
  });

  it('publishes diagnostics on open, in the file where each problem is written', async () => {
    const diags = await until('the override\'s diagnostics', () => ours(override.document.uri), (d) => d.length > 0);
    assert.deepStrictEqual(codes(diags), ['undefined-network']);
    const d = diags[0];
    assert.strictEqual(override.document.getText(d.range), 'monitoring');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    // The link opens rules.md at the rule's own heading (a line fragment: the editor opens there).
    const target = String((d.code as { target: vscode.Uri }).target);
    const line = Number(/docs\/rules\.md#L(\d+)$/.exec(target)?.[1]);
    assert.ok(line > 0, target);
    const rulesMd = path.join(vscode.extensions.getExtension('docker-networking-dev.docker-networking')!.extensionPath, 'docs/rules.md');
    assert.match(fs.readFileSync(rulesMd, 'utf8').split('\n')[line - 1], /^#+ .*undefined-network/);
    assert.deepStrictEqual(codes(ours(base.document.uri)), [], 'metrics is used by the override, so the base has no unused-network');
  });

  it('re-checks the base when the override changes, and clears what is fixed', async () => {
    const original = override.document.getText();
    await setText(override, original.replace('      metrics: {}\n', '').replace('[metrics, monitoring]', '[monitoring]'));
    await until('unused-network in the base', () => codes(ours(base.document.uri)), (c) => c.includes('unused-network'));
    await setText(override, original + 'networks:\n  monitoring: {}\n');
    await until('both files clean', () => [...ours(base.document.uri), ...ours(override.document.uri)].length, (n) => n === 0);
    await setText(override, original);
  });

  it('updates diagnostics while typing in the base', async () => {
    const original = base.document.getText();
    await setText(base, original.replace('      - app-tier\n', '      - app-teir\n'));
    const diags = await until('undefined-network for app-teir', () => ours(base.document.uri), (d) => d.some((x) => base.document.getText(x.range) === 'app-teir'));
    assert.match(diags[0].message, /service "lb" refers to undefined network "app-teir"/);
    await setText(base, original);
    await until('base clean again', () => ours(base.document.uri).length, (n) => n === 0);
  });

  it('code lenses: attached services and flags over networks, reach over services', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', base.document.uri, 100);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.includes('2 services: api, cache') || titles.includes('3 services: api, db, cache'), titles.join(' | '));
    assert.ok(titles.includes('internal: no way out · driver bridge · subnet 172.28.2.0/24'), titles.join(' | '));
    assert.ok(titles.includes('2 services: api, exporter'), 'metrics counts the override\'s services');
    assert.ok(titles.some((t) => /^networks: dmz, app-tier · reaches api by name$/.test(t)), titles.join(' | '));
    // The attached services' lens peeks at each service: its locations are made when it is clicked.
    const attached = lenses.find((l) => /^\d services: api, (db, )?cache$/.test(l.command?.title ?? ''))!;
    assert.strictEqual(attached.command!.command, 'dockerNetworking.showLocations');
    const shown = await vscode.commands.executeCommand<{ ok: boolean; value?: number }>(attached.command!.command, ...attached.command!.arguments!);
    await vscode.commands.executeCommand('closeReferenceSearch');
    // Each place a service joins the network (the override adds some): at least one per service.
    const places = (attached.command!.arguments![2] as unknown[]).length;
    assert.ok(places >= Number(attached.command!.title[0]), `${places} places`);
    assert.deepStrictEqual([shown.ok, shown.value], [true, places]);
  });

  it('hover on a network reference shows its declaration', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', override.document.uri, positionOf(override.document, 'data-tier'));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    assert.match(text, /Network `data-tier`/);
    assert.match(text, /subnet `172\.28\.2\.0\/24`, gateway `172\.28\.2\.1`/);
    assert.match(text, /internal: \*\*yes\*\*/);
    assert.match(text, /Engine:/);
  });

  it('go to definition goes from the override to the base declaration; references span both files', async () => {
    const defs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeDefinitionProvider', override.document.uri, positionOf(override.document, 'metrics: {}'));
    assert.strictEqual(defs.length, 1);
    assert.strictEqual(defs[0].uri.fsPath, BASE);
    assert.strictEqual(base.document.getText(defs[0].range), 'metrics');
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', base.document.uri, positionOf(base.document, 'metrics: {}'));
    assert.deepStrictEqual(refs.map((r) => path.basename(r.uri.fsPath)).sort(), ['compose.override.yaml', 'compose.override.yaml', 'compose.yaml']);
  });

  it('renames a network everywhere in the project', async () => {
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', base.document.uri, positionOf(base.document, 'metrics: {}'), 'observability');
    const byFile = edit.entries().map(([uri, edits]) => [path.basename(uri.fsPath), edits.length, edits.every((e) => e.newText === 'observability')]);
    assert.deepStrictEqual(byFile.sort(), [['compose.override.yaml', 2, true], ['compose.yaml', 1, true]]);
  });

  it('completes declared networks in a service\'s networks and services after network_mode: service:', async () => {
    const original = override.document.getText();
    await setText(override, original.replace('    networks: [metrics, monitoring]\n', '    networks: [metrics, monitoring]\n  sidecar:\n    networks:\n      - \n'));
    const pos = positionOf(override.document, '      - \n', 0, 8);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', override.document.uri, pos);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const n of ['dmz', 'app-tier', 'data-tier', 'metrics']) assert.ok(labels.includes(n), `${n} in ${labels.join(', ')}`);
    await setText(override, original.replace('    networks: [metrics, monitoring]\n', '    networks: [metrics, monitoring]\n  sidecar:\n    network_mode: service:\n'));
    const modePos = positionOf(override.document, 'service:\n', 0, 8);
    const modes = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', override.document.uri, modePos);
    const services = modes.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const s of ['lb', 'api', 'db', 'cache', 'exporter']) assert.ok(services.includes(s), `${s} in ${services.join(', ')}`);
    await setText(override, original);
  });
});

describe('quick fixes', () => {
  it('each quick fix removes its finding', async () => {
    const editor = await open(FIXES);
    const uri = editor.document.uri;
    const original = editor.document.getText();
    try {
      const initial = await until('the fixes file\'s diagnostics', () => ours(uri), (d) => d.length >= 5);
      for (const rule of codes(initial)) {
        await setText(editor, original);
        const diag = await until(`${rule} present`, () => ours(uri).find((d) => (d.code as { value: string }).value === rule), (d) => !!d);
        // The menu's actions carry no edit: it is built when an action is resolved (resolveCodeAction).
        const listed = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag!.range, vscode.CodeActionKind.QuickFix.value);
        assert.ok(listed.every((a) => !a.edit), `${rule}: edits are built on resolve, not when the menu is listed`);
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag!.range, vscode.CodeActionKind.QuickFix.value, 100);
        // Actions come back without their diagnostics; the range holds only this finding.
        const fixes = actions.filter((a) => a.edit && !a.title.startsWith('Fix all network problems')); // the rule's own fixes
        assert.ok(fixes.length > 0, `no fix for ${rule}: ${JSON.stringify(actions.map((a) => [a.title, a.diagnostics?.map((d) => d.code)]))}`);
        const fix = fixes.find((a) => a.isPreferred) ?? fixes[0];
        assert.ok(await vscode.workspace.applyEdit(fix.edit!), `${rule}: edit applied`);
        await until(`${rule} gone after "${fix.title}"`, () => ours(uri).filter((d) => (d.code as { value: string }).value === rule).length, (n) => n === 0);
        assert.ok(actions.some((a) => a.title === `Turn off rule ${rule}`), `"Turn off rule ${rule}" offered`);
      }
      await setText(editor, original);
      await until('all back', () => ours(uri).length, (n) => n === initial.length);
      const all = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.dockerNetworking', 100);
      const fixAll = all.find((a) => a.title.startsWith('Fix all network problems in this file'));
      assert.ok(fixAll?.edit);
      await vscode.workspace.applyEdit(fixAll.edit);
      await until('fix all leaves only findings without a preferred fix', () => ours(uri).length, (n) => n < initial.length);
    } finally {
      await setText(editor, original);
      await editor.document.save();
    }
  });

  it("after an edit, the lenses and the quick-fix menu come with the edit's diagnostics: no analysis on the extension host's thread", async () => {
    const api = await vscode.extensions.getExtension<DockerNetworkingApi>('docker-networking-dev.docker-networking')!.activate();
    // A tier diagram left open by an earlier test analyses on this thread to redraw (it needs the model): close it.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const editor = await open(FIXES);
    const uri = editor.document.uri;
    const original = editor.document.getText();
    await until("the fixes file's diagnostics", () => ours(uri), (d) => d.length >= 5);
    const hostAnalyses = countHostAnalyses(api);
    try {
      const published = new Promise<void>((resolve) => {
        const sub = api.diagnostics.onDidPublish((uris) => {
          if (uris.some((u) => u.fsPath === FIXES)) {
            sub.dispose();
            resolve();
          }
        });
      });
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, editor.document.positionAt(original.length), '# edited\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await published;
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      assert.ok(lenses.some((l) => / · reaches /.test(l.command?.title ?? '')), lenses.map((l) => l.command?.title).join(' | '));
      const diag = ours(uri)[0];
      const listed = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
      assert.ok(listed.some((a) => a.title.startsWith('Turn off rule')), listed.map((a) => a.title).join(' | '));
      assert.strictEqual(hostAnalyses.count, 0, 'lenses and the menu were answered from the worker\'s analysis of this version');
      // Picking a fix builds its edit here, from this version.
      const resolved = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value, 100);
      assert.ok(resolved.some((a) => a.edit), resolved.map((a) => a.title).join(' | '));
    } finally {
      hostAnalyses.restore();
      await setText(editor, original);
      await editor.document.save();
    }
  });

  it('an edit that changes no diagnostic sends the workbench nothing new; one that changes a diagnostic does', async () => {
    const api = await vscode.extensions.getExtension<DockerNetworkingApi>('docker-networking-dev.docker-networking')!.activate();
    const editor = await open(FIXES);
    const uri = editor.document.uri;
    const original = editor.document.getText();
    await until("the fixes file's diagnostics", () => ours(uri), (d) => d.length >= 5);
    const published = () =>
      new Promise<void>((resolve) => {
        const sub = api.diagnostics.onDidPublish((uris) => {
          if (uris.some((u) => u.fsPath === FIXES)) {
            sub.dispose();
            resolve();
          }
        });
      });
    let changes = 0;
    const watch = vscode.languages.onDidChangeDiagnostics((e) => (changes += e.uris.filter((u) => u.fsPath === FIXES).length));
    try {
      // A comment after the last line: every finding stays what and where it was.
      const unchanged = published();
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, editor.document.positionAt(original.length), '# a note\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await unchanged;
      assert.strictEqual(changes, 0, 'the same diagnostics were not sent again');
      // A line inserted at the top moves every finding: sent.
      const moved = published();
      const top = new vscode.WorkspaceEdit();
      top.insert(uri, new vscode.Position(0, 0), '# first\n');
      assert.ok(await vscode.workspace.applyEdit(top));
      await moved;
      await until('the moved diagnostics', () => changes, (n) => n > 0);
    } finally {
      watch.dispose();
      await setText(editor, original);
      await editor.document.save();
    }
  });

  it("a compose file just opened gets its lenses from the worker's first analysis, not from one on the extension host's thread", async () => {
    const api = await vscode.extensions.getExtension<DockerNetworkingApi>('docker-networking-dev.docker-networking')!.activate();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors'); // no tier diagram redrawing meanwhile
    const dir = fs.mkdtempSync(path.join(WORKSPACE, 'just-opened-'));
    const file = path.join(dir, 'compose.yaml');
    fs.writeFileSync(file, 'services:\n  web:\n    image: web\n    networks: [front]\n  api:\n    image: api\n    networks: [front]\nnetworks:\n  front: {}\n');
    const hostAnalyses = countHostAnalyses(api);
    try {
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc, { preview: false });
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      assert.ok(lenses.some((l) => l.command?.title === '2 services: web, api'), lenses.map((l) => l.command?.title).join(' | '));
      assert.strictEqual(hostAnalyses.count, 0);
    } finally {
      hostAnalyses.restore();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('"Turn off rule" writes the setting and the diagnostics follow', async () => {
    const uri = vscode.Uri.file(FIXES);
    await until('host-mode-ports shown', () => codes(ours(uri)), (c) => c.includes('host-mode-ports'));
    await vscode.commands.executeCommand('dockerNetworking.turnOffRule', 'host-mode-ports');
    try {
      await until('host-mode-ports hidden', () => codes(ours(uri)), (c) => !c.includes('host-mode-ports'));
    } finally {
      await vscode.workspace.getConfiguration('dockerNetworking').update('rules.severity', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await until('host-mode-ports back', () => codes(ours(uri)), (c) => c.includes('host-mode-ports'));
  });
});

describe('lenses that need the engine', () => {
  it('offers "Ping…" over a running service and "Create network" over a missing external network', async () => {
    const up = spawnSync('bash', [path.resolve(__dirname, '../../../scripts/sample-stack.sh'), 'up'], { encoding: 'utf8' });
    assert.strictEqual(up.status, 0, up.stderr);
    const file = path.join(WORKSPACE, 'shop/compose.yaml');
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('dockerNetworking.refresh');
    const lenses = await until('a Ping lens', async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [], (ls) => ls.some((l) => l.command?.title === 'Ping…'));
    const ping = lenses.find((l) => l.command?.title === 'Ping…')!;
    assert.strictEqual(ping.command!.command, 'dockerNetworking.ping');
    assert.match(JSON.stringify(ping.command!.arguments), /"from":"shop_/);

    const externalFile = path.join(WORKSPACE, 'fixes/compose.yaml');
    const fixes = await vscode.workspace.openTextDocument(externalFile);
    const original = fixes.getText();
    const edit = new vscode.WorkspaceEdit();
    edit.insert(fixes.uri, fixes.positionAt(original.length), '  partner:\n    external: true\n    name: dn-no-such-network\n');
    await vscode.workspace.applyEdit(edit);
    try {
      const withCreate = await until('a Create network lens', async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', fixes.uri, 100)) ?? [], (ls) => ls.some((l) => l.command?.title === 'Create network "dn-no-such-network"'));
      const create = withCreate.find((l) => l.command?.title === 'Create network "dn-no-such-network"')!;
      assert.deepStrictEqual(create.command!.arguments, [{ name: 'dn-no-such-network', driver: 'bridge' }]);
    } finally {
      const restore = new vscode.WorkspaceEdit();
      restore.replace(fixes.uri, new vscode.Range(fixes.positionAt(0), fixes.positionAt(fixes.getText().length)), original);
      await vscode.workspace.applyEdit(restore);
      await fixes.save();
    }
  });
});
