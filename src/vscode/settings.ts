// Typed access to the extension's settings.
import * as vscode from 'vscode';
import type { Severity } from '../compose/types';

export const SECTION = 'dockerNetworking';

export type SeveritySetting = Severity | 'hint' | 'off';

/**
 * The user's severity per rule, as a plain copy: the configuration hands out a Proxy whose every property read
 * (one per finding when diagnostics are published) builds a path string and a nested proxy.
 */
export function ruleSeverities(): Record<string, SeveritySetting> {
  return { ...vscode.workspace.getConfiguration(SECTION).get<Record<string, SeveritySetting>>('rules.severity', {}) };
}

export function composeFileGlobs(): string[] {
  return vscode.workspace.getConfiguration(SECTION).get<string[]>('composeFiles', []);
}

export function lensEnabled(kind: 'networks' | 'services'): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>(`codeLens.${kind}`, true);
}

/** Writes a rule's severity to the user's settings (the workspace's when a workspace is open). */
export async function setRuleSeverity(rule: string, severity: SeveritySetting): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const current = { ...config.get<Record<string, SeveritySetting>>('rules.severity', {}) };
  current[rule] = severity;
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('rules.severity', current, target);
}
