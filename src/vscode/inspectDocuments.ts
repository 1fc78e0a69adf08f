// Inspect network: a read-only JSON document (custom scheme) that refreshes when the engine changes.
import * as vscode from 'vscode';
import type { NetworksTreeProvider } from './networksTree';

export const INSPECT_SCHEME = 'docker-network';

export class InspectDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly tree: NetworksTreeProvider) {
    // Every tree refresh (engine events included) refreshes the open inspect documents.
    this.subscription = tree.onDidChangeTreeData(() => {
      for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === INSPECT_SCHEME) this.changed.fire(doc.uri);
    });
  }

  static uriFor(network: { id: string; name: string }): vscode.Uri {
    return vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${network.name}.json`, query: network.id });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    try {
      return JSON.stringify(await this.tree.engine.inspectNetwork(uri.query), null, 2) + '\n';
    } catch (err) {
      return JSON.stringify({ error: (err as Error).message }, null, 2) + '\n';
    }
  }

  dispose(): void {
    this.changed.dispose();
    this.subscription.dispose();
  }
}
