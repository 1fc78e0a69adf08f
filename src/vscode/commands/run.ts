// How every engine command reports: progress while it runs, a clear result, the engine's own words on failure.
import * as vscode from 'vscode';
import { EngineError } from '../../engine/errors';

/** What a command resolves with, so scripts and tests can check it (commands never reject for engine errors). */
export interface CommandResult<T = unknown> {
  ok: boolean;
  message: string;
  value?: T;
}

export async function mutate<T>(title: string, fn: () => Promise<{ message: string; value?: T }>, explain?: (err: EngineError) => Promise<string | undefined>): Promise<CommandResult<T>> {
  try {
    const { message, value } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, fn);
    void vscode.window.showInformationMessage(message);
    return { ok: true, message, ...(value !== undefined ? { value } : {}) };
  } catch (err) {
    return fail(title, err, explain);
  }
}

export async function fail(title: string, err: unknown, explain?: (err: EngineError) => Promise<string | undefined>): Promise<CommandResult<never>> {
  const message = await failureMessage(title, err, explain);
  void vscode.window.showErrorMessage(message);
  return { ok: false, message };
}

/** "<title> failed: <reason>. <what to do>", in the engine's own words when the engine refused. */
export async function failureMessage(title: string, err: unknown, explain?: (err: EngineError) => Promise<string | undefined>): Promise<string> {
  if (err instanceof EngineError) {
    const extra = explain ? await explain(err).catch(() => undefined) : undefined;
    return `${title} failed: ${sentence(err.problem.reason)}${extra ? ` ${extra}` : ''}`;
  }
  return `${title} failed: ${(err as Error).message}`;
}

/** Ends an engine reason with a full stop, so a sentence we append after it reads as a new sentence. */
function sentence(text: string): string {
  return /[.!?:)]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

/** A modal confirmation; scripts skip it by passing `{ confirmed: true }`. */
export async function confirm(message: string, action: string, options?: { confirmed?: boolean }): Promise<boolean> {
  if (options?.confirmed === true) return true;
  return (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action;
}

export const cancelled: CommandResult = { ok: false, message: 'Cancelled.' };
