// The verify-isolation result as a matrix: expected against actual, each mismatch explained and linked to the
// compose line that decides it. Static HTML (no script), strict CSP; links are openLocation command URIs.
import * as crypto from 'crypto';
import * as vscode from 'vscode';
import type { Analysis } from '../compose/analyze';
import { connectingLine } from '../compose/connectingLine';
import type { PairResult, VerifyReport } from '../engine/verify';
import { COMMANDS } from './commandIds';
import { toRange } from './convert';
import { escapeMarkup as esc } from '../shared/escape';

const panels = new Map<string, vscode.WebviewPanel>();

/** What a stack's verify adds to the report (engine/swarmVerify.ts StackVerifyReport): pairs are SERVICE@NODE -> SERVICE. */
interface StackFacts {
  stack: string;
  source: string;
  nodes: string[];
  diagnoses: Array<{ node: string; text: string }>;
}

function stackFacts(report: VerifyReport): StackFacts | undefined {
  const r = report as VerifyReport & Partial<StackFacts>;
  return typeof r.stack === 'string' && Array.isArray(r.nodes) && Array.isArray(r.diagnoses) ? (r as StackFacts) : undefined;
}

/** A stack pair's source `web@node1` is the service `web` on node1; a compose service name never holds "@". */
const serviceOf = (name: string) => name.replace(/@[^@]*$/, '');

/**
 * One Isolation panel per project, and one per stack (a stack's report: `analysis` is its stack file's, when one was
 * read): a new run refreshes and reveals it instead of opening another tab.
 */
export function showVerifyReport(report: VerifyReport, analysis: Analysis | undefined): vscode.WebviewPanel {
  const stack = stackFacts(report);
  const key = stack ? `stack:${stack.stack}` : report.project;
  let panel = panels.get(key);
  if (!panel) {
    const created = vscode.window.createWebviewPanel('dockerNetworking.verify', stack ? `Isolation: stack ${stack.stack}` : `Isolation: ${report.project}`, vscode.ViewColumn.Beside, {
      enableScripts: false,
      enableCommandUris: [COMMANDS.openLocation, COMMANDS.disconnectContainer],
      localResourceRoots: [],
    });
    panels.set(key, created);
    created.onDidDispose(() => panels.delete(key));
    panel = created;
  } else panel.reveal(undefined, true);
  panel.webview.html = verifyHtml(report, analysis, panel.webview.cspSource);
  return panel;
}

/**
 * A command URI that opens a file at a range. Not `vscode.open` with a file URI: the workbench runs command links
 * itself, and in code-server or a remote window its `file:` is the browser's machine, not the workspace's; a path
 * handed to our own command is resolved by the extension host, where the workspace is.
 */
export function locationLink(file: string, range: vscode.Range): string {
  const args = [file, range.start.line, range.start.character, range.end.line, range.end.character];
  return `command:${COMMANDS.openLocation}?${encodeURIComponent(JSON.stringify(args))}`;
}

/** The fix for a stray attachment: the Disconnect command, which asks for confirmation before it acts. */
function disconnectLink(container: string, network: string): string {
  return `command:${COMMANDS.disconnectContainer}?${encodeURIComponent(JSON.stringify([null, { network, container }]))}`;
}

/** A fix a mismatch offers in the panel: its text, what it does, and the command link that does it. */
export interface MismatchFix {
  label: string;
  title: string;
  /** Shown after the link: why this fix. */
  note: string;
  href: string;
}

/**
 * The fixes for one mismatching pair: "Disconnect <container> from <network>" for each attachment the compose file
 * does not have that carried the reach (the Disconnect command asks before it acts), and "Open the line that connects
 * them" where the file puts them on a common network (the line to change when the file and the engine disagree there).
 */
export function fixesFor(pair: PairResult, analysis: Analysis): MismatchFix[] {
  const fixes: MismatchFix[] = (pair.stray ?? []).map((x) => ({
    label: `Disconnect ${x.container} from ${x.network}`,
    title: 'Asks before it disconnects',
    note: 'the compose file does not attach it there',
    href: disconnectLink(x.container, x.network),
  }));
  const line = pair.foreign ? undefined : connectingLine(analysis, pair.from, pair.to);
  if (line) {
    fixes.push({
      label: 'Open the line that connects them',
      title: 'Opens the compose file at that line',
      note: `${line.service} on network ${line.network}`,
      href: locationLink(line.span.file, toRange(analysis.project, line.span)),
    });
  }
  return fixes;
}

function openLink(analysis: Analysis | undefined, service: string, label: string): string {
  const svc = analysis?.project.services.get(serviceOf(service));
  if (!analysis || !svc) return esc(label);
  const range = toRange(analysis.project, svc.nameSpan);
  return `<a href="${locationLink(svc.nameSpan.file, range)}" title="Open the definition of ${esc(service)}">${esc(label)}</a>`;
}

export function verifyHtml(report: VerifyReport, analysis: Analysis | undefined, cspSource: string): string {
  const stack = stackFacts(report);
  // A stack's fixes: the stack file's lines (by service), never Disconnect (the stray task may be on another node).
  const fixes = (p: PairResult): MismatchFix[] => (!analysis ? [] : stack ? fixesFor({ ...p, from: serviceOf(p.from), stray: [] }, analysis) : fixesFor(p, analysis));
  const nonce = crypto.randomBytes(16).toString('base64');
  const services = [...new Set(report.pairs.flatMap((p) => [p.from, p.to]))].sort();
  // A stack's rows are positions (SERVICE@NODE), its columns services; a project's rows and columns are its services.
  const rows = stack ? [...new Set(report.pairs.map((p) => p.from))].sort() : services;
  const columns = stack ? [...new Set(report.pairs.map((p) => p.to))].sort() : services;
  const LETTER = { name: 'N', address: 'A', port: 'P' } as const;
  const layers = (l: Array<'name' | 'address' | 'port'>) => l.map((x) => LETTER[x]).join(' ');
  const cell = (from: string, to: string) => {
    if (from === to && !stack) return '<td class="self" aria-label="same service">·</td>';
    const p = report.pairs.find((x) => x.from === from && x.to === to);
    if (!p) return '<td>?</td>';
    const unanswered = p.actual === 'error' || p.checks.some((c) => c.actual === 'error' || c.actual === 'not-probed');
    const cls = p.mismatch ? 'bad' : unanswered ? 'err' : 'ok';
    const mark = p.actual === 'reachable' ? `✔ <span class="layers">${layers(p.reachedBy)}</span>` : p.actual === 'isolated' ? '✘' : '?';
    const actual = p.actual === 'reachable' ? `reachable by ${p.reachedBy.join(', ')}` : p.actual === 'error' ? 'no answer' : 'isolated';
    const label = `${from} to ${to}: expected ${p.expected}, actual ${actual}`;
    return `<td class="${cls}" title="${esc(`${label}. ${p.detail}`)}" aria-label="${esc(label)}">${mark}${p.mismatch ? ` <small>expected ${p.expected === 'reachable' ? `✔ ${layers(p.expectedBy)}` : '✘'}</small>` : ''}</td>`;
  };
  const mismatches = report.pairs.filter((p) => p.mismatch);
  const unanswered = report.pairs.filter((p) => !p.mismatch && (p.actual === 'error' || p.checks.some((c) => c.actual === 'error' || c.actual === 'not-probed')));
  const egress = report.egress.filter((e) => e.actual !== 'not-probed');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}';">
<title>Isolation of ${stack ? 'stack ' : ''}${esc(report.project)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 12px 20px; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
.verdict.ok { color: var(--vscode-testing-iconPassed, #3fb950); } .verdict.bad { color: var(--vscode-errorForeground, #f85149); } .verdict.err { color: var(--vscode-editorWarning-foreground, #d29922); }
table { border-collapse: collapse; margin-top: .6em; }
th, td { border: 1px solid var(--vscode-panel-border, #555); padding: 6px 10px; text-align: center; }
th { background: var(--vscode-editorWidget-background); font-weight: 600; }
td.ok { color: var(--vscode-testing-iconPassed, #3fb950); }
td.bad { color: var(--vscode-errorForeground, #f85149); background: var(--vscode-inputValidation-errorBackground, rgba(248,81,73,.15)); font-weight: 700; }
td.self { color: var(--vscode-descriptionForeground); }
td.err { color: var(--vscode-editorWarning-foreground, #d29922); font-weight: 700; }
.layers { font-size: .85em; letter-spacing: .05em; } .incomplete { color: var(--vscode-editorWarning-foreground, #d29922); font-weight: 600; }
ul.checks { margin: .2em 0 .2em 1.2em; padding: 0; font-size: .92em; color: var(--vscode-descriptionForeground); }
small { font-weight: 400; color: var(--vscode-descriptionForeground); }
li { margin: .4em 0; } a { color: var(--vscode-textLink-foreground); }
.legend { color: var(--vscode-descriptionForeground); font-size: .9em; }
</style></head><body>
<h1>Isolation of ${stack ? 'stack' : 'compose project'} <code>${esc(report.project)}</code></h1>
${stack ? `<p>Probed on ${stack.nodes.length} node(s) (${stack.nodes.map(esc).join(', ')}) through the manager; expected from ${esc(stack.source)}. A row is a service's position on a node (SERVICE@NODE).</p>` : ''}
${report.incomplete ? `<p class="incomplete">The run did not finish: ${esc(report.incomplete)}. Pairs it did not reach are marked ?; nothing here is a pass.</p>` : ''}
<p class="verdict ${report.mismatches ? 'bad' : report.errors ? 'err' : 'ok'}">${report.mismatches ? `${report.mismatches} mismatch(es) between ${stack ? `${esc(stack.source)} and the stack's tasks` : 'the compose file and the running containers'}` : report.errors ? `${report.errors} pair(s) could not be probed: isolation is not established` : stack ? `The stack's tasks are isolated exactly as expected from ${esc(stack.source)}, by name, by address and by port, from every node.` : 'The running containers are isolated exactly as the compose file says, by name, by address and by port.'}</p>
<table role="grid" aria-label="Reachability: rows are sources, columns are targets">
<tr><th scope="col">from \\ to</th>${columns.map((s) => `<th scope="col">${esc(s)}</th>`).join('')}</tr>
${rows.map((from) => `<tr><th scope="row">${openLink(analysis, from, from)}</th>${columns.map((to) => cell(from, to)).join('')}</tr>`).join('\n')}
</table>
<p class="legend">✔ reached, by N name (a DNS name of the target resolved to it and it answered), A address (its address on a network answered a TCP connect or ICMP echo), P port (a TCP port it listens on, exposes or publishes accepted a connection) · ✘ isolated at every layer · ? no answer (not a pass). ${stack ? "Each position was probed by a short-lived probe service on the service's networks on that node (removed after the run)." : 'Each pair was probed from inside the source container, or from a probe container in its network namespace when its image lacks the tools.'}</p>
${egress.length ? `<h2>Egress</h2><table><tr><th>service</th><th>expected</th><th>actual</th></tr>${egress.map((e) => `<tr><th scope="row">${openLink(analysis, e.service, e.service)}</th><td>${e.expected}</td><td class="${e.actual === e.expected ? 'ok' : e.actual === 'error' ? 'err' : 'bad'}">${e.actual}</td></tr>`).join('')}</table>` : ''}
${mismatches.length || egress.some((e) => e.actual !== e.expected && e.actual !== 'error') ? `<h2>Mismatches</h2><ul>${mismatches.map((p) => `<li>${openLink(analysis, p.from, p.from)} → ${esc(p.to)}: expected <b>${p.expected}</b>, found <b>${p.actual === 'reachable' ? `reachable by ${p.reachedBy.join(', ')}` : p.actual}</b><ul class="checks">${fixes(p).map((f) => `<li class="fix"><a href="${f.href}" title="${esc(f.title)}">${esc(f.label)}</a> <small>(${esc(f.note)})</small></li>`).join('')}${p.checks.filter((c) => typeof c.actual === 'boolean' && c.actual !== c.expected).map((c) => `<li>${c.layer} <code>${esc(c.target)}</code>${c.network ? ` on <code>${esc(c.network)}</code>` : ''}: ${c.actual ? 'reached' : 'not reached'}, the file says ${c.expected ? 'it should be' : 'it should not be'} (${esc(c.detail)})</li>`).join('')}</ul></li>`).join('')}${egress.filter((e) => e.actual !== e.expected && e.actual !== 'error').map((e) => `<li>${openLink(analysis, e.service, e.service)} → outside: expected <b>${e.expected}</b>, found <b>${e.actual}</b>${e.detail ? `: ${esc(e.detail)}` : ''}</li>`).join('')}</ul>` : ''}
${unanswered.length || egress.some((e) => e.actual === 'error') ? `<h2>No answer</h2><ul>${unanswered.map((p) => `<li>${openLink(analysis, p.from, p.from)} → ${esc(p.to)}: ${esc(p.detail)}</li>`).join('')}${egress.filter((e) => e.actual === 'error').map((e) => `<li>${openLink(analysis, e.service, e.service)} → outside: ${esc(e.detail ?? 'no answer')}</li>`).join('')}</ul>` : ''}
${stack?.diagnoses.length ? `<h2>Nodes</h2><p class="legend">What a node cannot do: a diagnosis of the node, not isolation and not a mismatch.</p><ul>${stack.diagnoses.map((d) => `<li><b>${esc(d.node)}</b>: ${esc(d.text)}</li>`).join('')}</ul>` : ''}
${report.skipped.length ? `<h2>Not probed</h2><ul>${report.skipped.map((k) => `<li>${openLink(analysis, k.service, k.service)}: ${esc(k.reason)}</li>`).join('')}</ul>` : ''}
</body></html>`;
}
