// What is under the cursor in a compose file: a network name (declaration or reference).
import type * as vscode from 'vscode';
import type { Analysis } from '../compose/analyze';
import type { NetworkSymbol } from '../compose/model';
import { spanContains } from './convert';

export function networkSymbolAt(analysis: Analysis, doc: vscode.TextDocument, position: vscode.Position): NetworkSymbol | undefined {
  const offset = doc.offsetAt(position);
  return analysis.project.networkSymbols.find((s) => spanContains(s.span, doc.fileName, offset));
}

export function symbolsOf(analysis: Analysis, network: string): NetworkSymbol[] {
  return analysis.project.networkSymbols.filter((s) => s.network === network);
}
