// Quick fixes from the analyzer's fixes, "fix all" for a file (in the quick-fix menu and as a source fix-all for
// editor.codeActionsOnSave), "turn off rule X" and "turn rule X back on" for rules whose problems are hidden in the
// file. The menu lists titles only; an action's edit (YAML text, the costly part) is built in resolveCodeAction, when
// the user picks or previews it.
import * as vscode from 'vscode';
import type { Analysis } from '../compose/analyze';
import { chooseFixes } from '../compose/fixes';
import type { TextEdit } from '../compose/types';
import { COMMANDS } from './commandIds';
import { fromWireRange, toRange, toWorkspaceEdit } from './convert';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { SETTLE_WAIT_MS, type ComposeProjects } from './projects';
import { ruleSeverities } from './settings';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('dockerNetworking');

/**
 * An action whose edit is built on resolve, from this thread's analysis of the document version the menu was built
 * for: the menu itself comes from the worker's titles (the analysis here runs only when a fix is picked).
 */
class FixAction extends vscode.CodeAction {
  constructor(
    title: string,
    kind: vscode.CodeActionKind,
    readonly doc: vscode.TextDocument,
    readonly version: number,
    readonly edits: (analysis: Analysis) => TextEdit[] | undefined,
  ) {
    super(title, kind);
  }
}

export class ComposeCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly projects: ComposeProjects) {}

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext, token?: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    const wantsFixAll = !context.only || context.only.contains(FIX_ALL_KIND) || FIX_ALL_KIND.contains(context.only);
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    const wantsQuickFixes = (!context.only || context.only.contains(vscode.CodeActionKind.QuickFix)) && ours.length > 0;
    // The light bulb asks on every cursor move while typing: answer after the edit's diagnostics, not before them.
    const view = wantsQuickFixes || wantsFixAll ? await this.projects.settledView(doc, SETTLE_WAIT_MS, token) : undefined;
    if (token?.isCancellationRequested) return [];
    if (view && wantsQuickFixes) {
      for (const diagnostic of ours) {
        // Diagnostics come back as copies: find their finding by rule, range and message.
        const rule = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
        const isIt = (f: { rule: string; message: string }, file: string, range: () => vscode.Range) =>
          f.rule === rule && file === doc.fileName && f.message === diagnostic.message && range().isEqual(diagnostic.range);
        const finding = view.findings.find((f) => isIt(f, f.file, () => fromWireRange(f.range)));
        for (const fix of finding?.fixes ?? []) {
          // The same finding in this thread's analysis, when the fix is picked.
          const edits = (analysis: Analysis) =>
            analysis.findings.find((f) => isIt(f, f.span.file, () => toRange(analysis.project, f.span)))?.fixes.find((x) => x.title === fix.title)?.edits;
          const action = new FixAction(fix.title, vscode.CodeActionKind.QuickFix, doc, doc.version, edits);
          action.diagnostics = [diagnostic];
          action.isPreferred = fix.preferred;
          actions.push(action);
        }
        const off = new vscode.CodeAction(`Turn off rule ${rule}`, vscode.CodeActionKind.QuickFix);
        off.command = { command: COMMANDS.turnOffRule, title: `Turn off rule ${rule}`, arguments: [rule] };
        off.diagnostics = [diagnostic];
        actions.push(off);
      }
      // The menu of a problem is where a user looks for what is hidden: rules turned off that would report here.
      const severities = ruleSeverities();
      const hidden = new Map<string, number>();
      for (const f of view.findings) if (f.file === doc.fileName && severities[f.rule] === 'off') hidden.set(f.rule, (hidden.get(f.rule) ?? 0) + 1);
      for (const [rule, n] of [...hidden].sort(([a], [b]) => a.localeCompare(b))) {
        const title = `Turn rule ${rule} back on (${n} problem${n === 1 ? '' : 's'} hidden in this file)`;
        const on = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        on.command = { command: COMMANDS.turnRuleBackOn, title, arguments: [rule] };
        actions.push(on);
      }
    }
    // The quick-fix menu (Ctrl+.) never shows source actions: offer "fix all" there too, when it does more than the
    // problem's own fix would.
    const count = view?.details.fixAllCount ?? 0;
    if (count > 0) {
      const title = `Fix all network problems in this file (${count})`;
      const all = (kind: vscode.CodeActionKind) => new FixAction(title, kind, doc, doc.version, (analysis) => chooseFixes(analysis, doc.fileName).flatMap((c) => c.fix.edits));
      if (wantsQuickFixes && count > 1) {
        const quick = all(vscode.CodeActionKind.QuickFix);
        quick.diagnostics = ours;
        actions.push(quick);
      }
      if (wantsFixAll) actions.push(all(FIX_ALL_KIND));
    }
    return actions;
  }

  /** Builds the edit of a fix; none when the document changed since the menu was built (its offsets are stale). */
  resolveCodeAction(action: vscode.CodeAction): vscode.CodeAction {
    if (!(action instanceof FixAction) || action.edit || action.doc.version !== action.version) return action;
    const analysis = this.projects.analysisFor(action.doc);
    const edits = action.edits(analysis);
    if (edits) action.edit = toWorkspaceEdit(analysis.project, edits);
    return action;
  }
}
