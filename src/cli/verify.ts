// compose-net verify: the running project against its compose file, pair by pair, at three layers.
//   compose-net verify [-f FILE]... [--project-name NAME] [--egress-target ADDRESS[:PORT]] [--probe-image IMAGE]
//                      [--pull] [--include-foreign] [--probe-timeout SECONDS] [--format text|json|junit|sarif] [PATH]
// Exit status: 0 every pair probed and nothing mismatches; 1 mismatches; 2 not running, engine unreachable or
// lost mid-run, or any pair without an answer (those are never counted as mismatches).
import type { Analysis } from '../compose/analyze';
import { connectingLine } from '../compose/connectingLine';
import { normalizeProjectName } from '../compose/project';
import type { PairResult, VerifyReport } from '../engine/probes/report';
import { escapeTerminal } from '../shared/escape';
import { sarifLocation } from './format';

export type VerifyFormat = 'text' | 'json' | 'junit' | 'sarif';

export interface VerifyArgs {
  format: VerifyFormat;
  pull: boolean;
  includeForeign: boolean;
  probeTimeoutMs?: number;
  /** Everything else, for the shared parser (-f, --project-name, --egress-target, --probe-image, PATH). */
  rest: string[];
}

export class VerifyUsageError extends Error {}

/** Takes verify's own options out of argv; the rest goes to the shared parser. */
export function parseVerifyArgs(argv: string[]): VerifyArgs {
  const out: VerifyArgs = { format: 'text', pull: false, includeForeign: false, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--pull') out.pull = true;
    else if (a === '--include-foreign') out.includeForeign = true;
    else if (a === '--format' || a.startsWith('--format=')) {
      const v = a.includes('=') ? a.slice('--format='.length) : argv[++i];
      if (v !== 'text' && v !== 'json' && v !== 'junit' && v !== 'sarif') throw new VerifyUsageError(`unknown verify format "${v}": use text, json, junit or sarif`);
      out.format = v;
    } else if (a === '--probe-timeout' || a.startsWith('--probe-timeout=')) {
      const v = Number(a.includes('=') ? a.slice('--probe-timeout='.length) : argv[++i]);
      if (!Number.isFinite(v) || v <= 0 || v > 600) throw new VerifyUsageError('--probe-timeout needs a number of seconds (0-600]');
      out.probeTimeoutMs = Math.round(v * 1000);
    } else out.rest.push(a);
  }
  return out;
}

const mark = (p: PairResult) => (p.actual === 'error' ? '  ?? ' : p.mismatch ? '  !! ' : '  ok ');

function reachText(p: PairResult): string {
  if (p.actual === 'reachable') return `reachable by ${p.reachedBy.join(', ')}`;
  return p.actual;
}

/** For people: one line per pair with the layers that reached, mismatches and unanswered pairs explained. */
export function verifyText(report: VerifyReport): string {
  const lines = [`project ${report.project}: ${report.pairs.length} pair(s) probed, ${report.mismatches} mismatch(es), ${report.errors} without an answer`];
  if (report.incomplete) lines.push(`  INCOMPLETE: ${report.incomplete}`);
  for (const p of report.pairs) {
    const expected = p.expected === 'reachable' ? `reachable${p.expectedBy.length ? ` by ${p.expectedBy.join(', ')}` : ''}` : 'isolated';
    lines.push(`${mark(p)} ${p.from} -> ${p.to}: expected ${expected}, actual ${reachText(p)}${p.mismatch || p.actual === 'error' ? ` (${p.detail})` : ''}`);
  }
  for (const e of report.egress) if (e.actual !== 'not-probed' || e.detail) lines.push(`${e.actual === 'error' || e.actual === 'not-probed' ? '  ?? ' : e.actual === e.expected ? '  ok ' : '  !! '} ${e.service} -> outside: expected ${e.expected}, actual ${e.actual}${e.detail && e.actual !== e.expected ? ` (${e.detail})` : ''}`);
  for (const s of report.skipped) lines.push(`  -- ${s.service}: not probed (${s.reason})`);
  if (report.swept) lines.push(`  (removed ${report.swept} probe container(s) left by an earlier run)`);
  // Names come from the compose file and details from containers' output: no control characters reach the terminal.
  return lines.map(escapeTerminal).join('\n') + '\n';
}

export function verifyJson(report: VerifyReport, status: number): object {
  return {
    project: report.project,
    status: status === 0 ? 'ok' : status === 1 ? 'mismatch' : 'error',
    exitCode: status,
    ...(report.incomplete ? { incomplete: report.incomplete } : {}),
    mismatches: report.mismatches,
    errors: report.errors,
    swept: report.swept,
    skipped: report.skipped,
    pairs: report.pairs.map((p) => ({
      from: p.from,
      to: p.to,
      expected: p.expected,
      actual: p.actual,
      mismatch: p.mismatch,
      reachedBy: p.reachedBy,
      expectedBy: p.expectedBy,
      detail: p.detail,
      ...(p.foreign ? { foreign: true } : {}),
      checks: p.checks.map((c) => ({ layer: c.layer, target: c.target, ...(c.network ? { network: c.network } : {}), expected: c.expected, actual: c.actual, detail: c.detail })),
    })),
    egress: report.egress.map(({ service, expected, actual, detail }) => ({ service, expected, actual, ...(detail ? { detail } : {}) })),
  };
}

const xml = (s: string) => s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML for CI dashboards: one test case per pair (and per egress check), failures for mismatches, errors for no answer. */
export function verifyJunit(report: VerifyReport): string {
  const cases: string[] = [];
  for (const p of report.pairs) {
    const body = p.actual === 'error' || p.checks.some((c) => c.actual === 'error' || c.actual === 'not-probed') ? `<error message="${xml(p.detail)}"/>` : p.mismatch ? `<failure message="${xml(`expected ${p.expected}, found ${reachText(p)}`)}">${xml(p.detail)}</failure>` : '';
    cases.push(`    <testcase classname="${xml(`verify.${report.project}`)}" name="${xml(`${p.from} -> ${p.to}`)}">${body}</testcase>`);
  }
  for (const e of report.egress) {
    if (e.actual === 'not-probed' && !e.detail) continue;
    const body = e.actual === 'error' || e.actual === 'not-probed' ? `<error message="${xml(e.detail ?? e.actual)}"/>` : e.actual !== e.expected ? `<failure message="${xml(`expected ${e.expected}, found ${e.actual}`)}">${xml(e.detail ?? '')}</failure>` : '';
    cases.push(`    <testcase classname="${xml(`verify.${report.project}`)}" name="${xml(`${e.service} -> outside`)}">${body}</testcase>`);
  }
  const failures = cases.filter((c) => c.includes('<failure')).length;
  const errors = cases.filter((c) => c.includes('<error')).length;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="compose-net verify">
  <testsuite name="${xml(`verify ${report.project}`)}" tests="${cases.length}" failures="${failures}" errors="${errors}">
${cases.join('\n')}${report.incomplete ? `\n    <system-err>${xml(report.incomplete)}</system-err>` : ''}
  </testsuite>
</testsuites>
`;
}

/** SARIF 2.1.0: a result per mismatching or unanswered pair, at the source service's declaration. */
/** `analysis` is undefined when there is no file to point at (`verify --stack` without a stack file). */
export function verifySarif(report: VerifyReport, analysis: Analysis | undefined, cwd: string, version: string): object {
  // The line that connects the pair when the file connects them (a dashboard links to what to change), else the
  // source's declaration (a hand-made attachment: nothing in the file connects them).
  const location = (p: PairResult) => {
    if (!analysis) return [];
    const span = (p.foreign ? undefined : connectingLine(analysis, p.from, p.to)?.span) ?? p.span;
    return span ? [sarifLocation(analysis.project, span, cwd)] : [];
  };
  const results = report.pairs
    .filter((p) => p.mismatch || p.actual === 'error')
    .map((p) => ({
      ruleId: p.mismatch ? 'verify-mismatch' : 'verify-no-answer',
      level: p.mismatch ? 'error' : 'warning',
      message: { text: `${p.from} -> ${p.to}: expected ${p.expected}, found ${reachText(p)}: ${p.detail}` },
      locations: location(p),
    }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'compose-net',
            version,
            rules: [
              { id: 'verify-mismatch', shortDescription: { text: 'The running containers reach (or fail to reach) each other differently from the compose file' } },
              { id: 'verify-no-answer', shortDescription: { text: 'A pair could not be probed' } },
            ],
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
        ...(report.incomplete ? { invocations: [{ executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: report.incomplete } }] }] } : {}),
      },
    ],
  };
}

/** What main.ts lends the command: its shared parser and the analysis of the parsed files. */
export interface VerifyDeps<A extends { projectName?: string; egressTarget?: string; probeImage?: string; format: string }> {
  parseArgs(argv: string[]): A;
  analyzeArgs(args: A): Analysis;
  version: string;
}

export async function verifyCommand<A extends { projectName?: string; egressTarget?: string; probeImage?: string; format: string }>(argv: string[], out: NodeJS.WritableStream, deps: VerifyDeps<A>): Promise<number> {
  // --stack NAME: a stack deployed on a Swarm, probed across nodes through the manager (./verifyStack.ts).
  if (argv.some((a) => a === '--stack' || a.startsWith('--stack='))) return (await import('./verifyStack')).verifyStackCommand(argv, out, deps);
  const v = parseVerifyArgs(argv);
  const args = deps.parseArgs(v.rest);
  const analysis = deps.analyzeArgs(args);
  if (args.projectName) analysis.project.name = normalizeProjectName(args.projectName);
  const { createEngineClient } = await import('../engine/dockerodeClient');
  const { verifyProject, ProjectNotRunning } = await import('../engine/verify');
  const { exitStatus } = await import('../engine/probes/report');
  const { EngineError } = await import('../engine/errors');
  const { ProbeImageMissing } = await import('../engine/exec');
  let report: VerifyReport;
  try {
    report = await verifyProject(analysis, createEngineClient(undefined), {
      probeImage: args.probeImage ?? process.env.DOCKER_NET_PROBE_IMAGE ?? 'busybox:latest',
      ...(args.egressTarget ? { egressTarget: args.egressTarget } : {}),
      ...(v.pull ? { allowPull: true } : {}),
      ...(v.includeForeign ? { includeForeign: true } : {}),
      ...(v.probeTimeoutMs ? { probeDeadlineMs: v.probeTimeoutMs } : {}),
    });
  } catch (err) {
    if (err instanceof ProjectNotRunning || err instanceof EngineError || err instanceof ProbeImageMissing) {
      process.stderr.write(`compose-net: ${escapeTerminal(err.message)}\n`);
      return 2;
    }
    throw err;
  }
  const status = exitStatus(report);
  return writeVerifyOutput(out, v.format, report, status, 'pair(s) or egress check(s)', {
    json: () => JSON.stringify(verifyJson(report, status), null, 2) + '\n',
    junit: () => verifyJunit(report),
    sarif: () => JSON.stringify(verifySarif(report, analysis, process.cwd(), deps.version), null, 2) + '\n',
    text: () => verifyText(report),
  });
}

/**
 * The end of every verify (Compose project or stack): the report in its format on `out`, why a run is incomplete or
 * partial on stderr, and the exit status. A run that did not finish exits once its output is written.
 */
export function writeVerifyOutput(out: NodeJS.WritableStream, format: string, report: { incomplete?: string; errors: number }, status: number, unanswered: string, render: Record<'json' | 'junit' | 'sarif' | 'text', () => string>): number {
  out.write((render[format as keyof typeof render] ?? render.text)());
  if (report.incomplete) {
    process.stderr.write(`compose-net: verify did not finish: ${escapeTerminal(report.incomplete)}\n`);
    // Requests to a frozen engine stay open until their own timeouts: once the output is out, do not wait for them.
    out.write('', () => setTimeout(() => process.exit(status), 200).unref());
  } else if (report.errors) process.stderr.write(`compose-net: ${report.errors} ${unanswered} could not be probed (exit 2; they are not counted as mismatches)\n`);
  return status;
}
