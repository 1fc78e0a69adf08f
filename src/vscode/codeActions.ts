// Quick fixes from the analyzer's fixes, "fix all" for a file (in the quick-fix menu and as a source fix-all for
// editor.codeActionsOnSave), "turn off rule X" and "turn rule X back on" for rules whose problems are hidden in the
// file. The menu lists titles only; an action's edit (YAML text, the costly part) is built in resolveCodeAction, when
// the user picks or previews it.
import * as vscode from 'vscode';
import type { ComposeProject } from '../compose/model';
import type { Fix, TextEdit } from '../compose/types';
import { COMMANDS } from './commandIds';
import { toRange, toWorkspaceEdit } from './convert';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { SETTLE_WAIT_MS, type ComposeProjects } from './projects';
import { ruleSeverities } from './settings';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('dockerNetworking');

/** An action whose edit is built on resolve, against the document version its analysis saw. */
class FixAction extends vscode.CodeAction {
  constructor(
    title: string,
    kind: vscode.CodeActionKind,
    readonly doc: vscode.TextDocument,
    readonly version: number,
    readonly project: ComposeProject,
    readonly edits: () => TextEdit[],
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
    if (wantsQuickFixes || wantsFixAll) await this.projects.whenSettled(doc, SETTLE_WAIT_MS, token);
    if (token?.isCancellationRequested) return [];
    if (wantsQuickFixes) {
      const analysis = this.projects.analysisFor(doc);
      for (const diagnostic of ours) {
        // Diagnostics come back as copies: find their finding by rule, range and message.
        const rule = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
        const finding = analysis.findings.find(
          (f) => f.rule === rule && f.span.file === doc.fileName && f.message === diagnostic.message && toRange(analysis.project, f.span).isEqual(diagnostic.range),
        );
        for (const fix of finding?.fixes ?? []) {
          const action = new FixAction(fix.title, vscode.CodeActionKind.QuickFix, doc, doc.version, analysis.project, () => fix.edits);
          action.diagnostics = [diagnostic];
          action.isPreferred = fix.preferred === true;
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
      for (const f of analysis.findings) if (f.span.file === doc.fileName && severities[f.rule] === 'off') hidden.set(f.rule, (hidden.get(f.rule) ?? 0) + 1);
      for (const [rule, n] of [...hidden].sort(([a], [b]) => a.localeCompare(b))) {
        const title = `Turn rule ${rule} back on (${n} problem${n === 1 ? '' : 's'} hidden in this file)`;
        const on = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        on.command = { command: COMMANDS.turnRuleBackOn, title, arguments: [rule] };
        actions.push(on);
      }
    }
    // The quick-fix menu (Ctrl+.) never shows source actions: offer "fix all" there too, when it does more than the
    // problem's own fix would.
    const all = wantsFixAll || wantsQuickFixes ? this.fixAll(doc) : undefined;
    if (all && wantsQuickFixes && all.count > 1) {
      const quick = all.action(vscode.CodeActionKind.QuickFix);
      quick.diagnostics = ours;
      actions.push(quick);
    }
    if (all && wantsFixAll) actions.push(all.action(FIX_ALL_KIND));
    return actions;
  }

  /** Builds the edit of a fix; none when the document changed since the menu was built (its offsets are stale). */
  resolveCodeAction(action: vscode.CodeAction): vscode.CodeAction {
    if (action instanceof FixAction && !action.edit && action.doc.version === action.version) action.edit = toWorkspaceEdit(action.project, action.edits());
    return action;
  }

  /** The preferred fix of every finding in this file whose edits do not overlap, as an action of either kind. */
  private fixAll(doc: vscode.TextDocument): { count: number; action: (kind: vscode.CodeActionKind) => FixAction } | undefined {
    const analysis = this.projects.analysisFor(doc);
    const chosen: Fix[] = [];
    const taken: TextEdit[] = [];
    const overlaps = (e: TextEdit) => taken.some((t) => t.file === e.file && e.start <= t.end && t.start <= e.end);
    for (const f of analysis.findings) {
      if (f.span.file !== doc.fileName) continue;
      const fix = f.fixes.find((x) => x.preferred);
      if (!fix || fix.edits.some(overlaps)) continue;
      chosen.push(fix);
      taken.push(...fix.edits);
    }
    if (chosen.length === 0) return undefined;
    const title = `Fix all network problems in this file (${chosen.length})`;
    return { count: chosen.length, action: (kind) => new FixAction(title, kind, doc, doc.version, analysis.project, () => taken) };
  }
}
