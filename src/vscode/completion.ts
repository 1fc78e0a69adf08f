// Completion of declared network names in a service's `networks:`, and of services after `network_mode: service:`.
import * as vscode from 'vscode';
import { completionContext } from '../compose/cursor';
import { networkDriver } from '../compose/stack';
import type { ComposeProjects } from './projects';

export class ComposeCompletion implements vscode.CompletionItemProvider {
  static readonly triggers = [':', ' ', '-', '['];

  constructor(private readonly projects: ComposeProjects) {}

  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const ctx = completionContext(doc.getText(), doc.offsetAt(position));
    if (!ctx) return undefined;
    const { project } = this.projects.analysisFor(doc);
    if (ctx.kind === 'network-mode-service') {
      const range = new vscode.Range(doc.positionAt(ctx.start), position);
      return [...project.services.keys()].map((name) => {
        const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Module);
        item.range = range;
        item.detail = 'share this service\'s network namespace';
        return item;
      });
    }
    const taken = project.services.get(ctx.service)?.networks;
    return [...project.networks.values()]
      .filter((n) => !taken?.has(n.name) || doc.getText(doc.getWordRangeAtPosition(position, /[\w.-]+/)) === n.name)
      .map((n) => {
        const item = new vscode.CompletionItem(n.name, vscode.CompletionItemKind.Reference);
        item.detail = [n.external ? 'external' : undefined, n.internal ? 'internal' : undefined, networkDriver(n, project.isStack)].filter(Boolean).join(', ');
        item.documentation = `Attach "${ctx.service}" to network "${n.name}"`;
        return item;
      });
  }
}
