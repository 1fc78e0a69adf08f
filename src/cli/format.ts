// The CLI's output formats: text for people, JSON for scripts, SARIF 2.1.0 for code scanning.
import * as path from 'path';
import { rangeOf } from '../compose/locate';
import type { ComposeProject } from '../compose/model';
import { RULES } from '../compose/rules/catalogue';
import type { Finding } from '../compose/types';
import { escapeTerminal } from '../shared/escape';

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: Finding['severity'];
  message: string;
}

export const DOCS_URL = 'https://github.com/docker-networking/vscode-docker-networking/blob/main/docs/rules.md';

export function toJson(findings: Finding[], project: ComposeProject, cwd: string): JsonFinding[] {
  return findings.map((f) => {
    const r = rangeOf(project, f.span);
    return {
      file: path.relative(cwd, f.span.file) || f.span.file,
      line: r.start.line + 1,
      column: r.start.character + 1,
      endLine: r.end.line + 1,
      endColumn: r.end.character + 1,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
    };
  });
}

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', dim: '\x1b[2m', reset: '\x1b[0m' };

export function toText(findings: Finding[], project: ComposeProject, cwd: string, color: boolean): string {
  const paint = (c: keyof typeof COLORS, s: string) => (color ? `${COLORS[c]}${s}${COLORS.reset}` : s);
  // File names and messages carry names from the compose file: neutralise control characters (ANSI escapes) in them.
  const lines = toJson(findings, project, cwd).map((f) => `${escapeTerminal(f.file)}:${f.line}:${f.column}: ${paint(f.severity, f.severity)} ${escapeTerminal(f.message)} ${paint('dim', `[${f.rule}]`)}`);
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const files = project.files.size;
  lines.push(`${findings.length} finding(s): ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info, in ${files} file(s)`);
  return lines.join('\n') + '\n';
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** A SARIF location for a span of the project: the file relative to `cwd` (under %SRCROOT%), 1-based lines and columns. */
export function sarifLocation(project: ComposeProject, span: Finding['span'], cwd: string): object {
  const r = rangeOf(project, span);
  return {
    physicalLocation: {
      artifactLocation: { uri: path.relative(cwd, span.file).split(path.sep).join('/'), uriBaseId: '%SRCROOT%' },
      region: { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 },
    },
  };
}

export function toSarif(findings: Finding[], project: ComposeProject, cwd: string, version: string): object {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const location = (span: Finding['span']) => sarifLocation(project, span, cwd);
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'compose-net',
            version,
            informationUri: DOCS_URL,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: r.summary },
              helpUri: `${DOCS_URL}#${r.id}`,
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIndex.get(f.rule) ?? -1,
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [location(f.span)],
          ...(f.related.length ? { relatedLocations: f.related.map((r, i) => ({ id: i + 1, ...location(r.span), message: { text: r.message } })) } : {}),
        })),
      },
    ],
  };
}
