// Go to definition, find references and rename for network names, across the project's files.
import * as vscode from 'vscode';
import { yamlScalar } from '../compose/edits';
import { validateName } from '../engine/validate';
import { toLocation, toRange } from './convert';
import type { ComposeProjects } from './projects';
import { networkSymbolAt, symbolsOf } from './symbols';


export class ComposeNavigation implements vscode.DefinitionProvider, vscode.ReferenceProvider, vscode.RenameProvider {
  constructor(private readonly projects: ComposeProjects) {}

  provideDefinition(doc: vscode.TextDocument, position: vscode.Position): vscode.Location[] | undefined {
    const analysis = this.projects.analysisFor(doc);
    const sym = networkSymbolAt(analysis, doc, position);
    if (!sym) return undefined;
    const decls = symbolsOf(analysis, sym.network).filter((s) => s.kind === 'declaration');
    return decls.map((d) => toLocation(analysis.project, d.span));
  }

  provideReferences(doc: vscode.TextDocument, position: vscode.Position, context: vscode.ReferenceContext): vscode.Location[] | undefined {
    const analysis = this.projects.analysisFor(doc);
    const sym = networkSymbolAt(analysis, doc, position);
    if (!sym) return undefined;
    return symbolsOf(analysis, sym.network)
      .filter((s) => context.includeDeclaration || s.kind === 'reference')
      .map((s) => toLocation(analysis.project, s.span));
  }

  prepareRename(doc: vscode.TextDocument, position: vscode.Position): vscode.Range {
    const analysis = this.projects.analysisFor(doc);
    const sym = networkSymbolAt(analysis, doc, position);
    if (!sym) throw new Error('Place the cursor on a network name to rename it.');
    if (sym.network === 'default' && !analysis.project.networks.has('default')) throw new Error('The implicit default network cannot be renamed.');
    return toRange(analysis.project, sym.span);
  }

  provideRenameEdits(doc: vscode.TextDocument, position: vscode.Position, newName: string): vscode.WorkspaceEdit | undefined {
    const invalid = validateName(newName); // Docker's rule for network names
    if (invalid) throw new Error(invalid);
    const analysis = this.projects.analysisFor(doc);
    const sym = networkSymbolAt(analysis, doc, position);
    if (!sym) return undefined;
    if (newName !== sym.network && analysis.project.networks.has(newName)) throw new Error(`A network named "${newName}" is already declared.`);
    const edit = new vscode.WorkspaceEdit();
    for (const s of symbolsOf(analysis, sym.network)) edit.replace(vscode.Uri.file(s.span.file), toRange(analysis.project, s.span), yamlScalar(newName));
    return edit;
  }
}
