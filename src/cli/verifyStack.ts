// compose-net verify --stack NAME: reachability between a deployed stack's services across Swarm nodes, through the
// manager (DOCKER_HOST or the docker context) alone. Expected from the stack file read with stack semantics when one
// is given or found (-f FILE, PATH, or the folder's compose file), else from the services' specs on the engine.
// Same report, formats and exit status as the Compose verify (./verify.ts); the nodes' diagnoses are added to them.
//   compose-net verify --stack NAME [-f FILE]... [--probe-image IMAGE] [--pull] [--probe-timeout SECONDS] [--sweep]
//                      [--format text|json|junit|sarif] [PATH]
// --sweep: also look for containers attached by hand at addresses the manager has no record of (slow: one echo per
// address of each /24 overlay).
import type { Analysis } from '../compose/analyze';
import type { StackVerifyReport } from '../engine/swarmVerify';
import { isStackName } from '../engine/validate';
import { escapeTerminal } from '../shared/escape';
import { parseVerifyArgs, VerifyUsageError, verifyJson, verifyJunit, verifySarif, verifyText, writeVerifyOutput, type VerifyDeps } from './verify';

type Args = { projectName?: string; egressTarget?: string; probeImage?: string; format: string };


/** Takes `--stack NAME` (or `--stack=NAME`) out of argv: verify's `--stack` names the deployed stack. */
export function takeStackName(argv: string[]): { stack: string; rest: string[] } {
  const rest: string[] = [];
  let stack: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--stack' || a.startsWith('--stack=')) {
      const v = a.includes('=') ? a.slice('--stack='.length) : argv[++i];
      if (v === undefined || v.startsWith('-')) throw new VerifyUsageError('verify --stack needs the name of a deployed stack (docker stack ls)');
      if (!isStackName(v)) throw new VerifyUsageError(`"${v}" is not a stack name (letters, digits, "_", "." or "-")`);
      stack = v;
    } else rest.push(a);
  }
  if (!stack) throw new VerifyUsageError('verify --stack needs the name of a deployed stack (docker stack ls)');
  return { stack, rest };
}

/** Was a compose file named (-f) or a project folder given? Then the file is the expectation, never silently dropped. */
function namesAFile(rest: string[]): boolean {
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '-f' || a === '--file' || a.startsWith('--file=')) return true;
    if (a === '--probe-image' || a === '--project-name' || a === '-p' || a === '--egress-target' || a === '--profile' || a === '--env-file' || a === '--project-directory') i++;
    else if (!a.startsWith('-')) return true;
  }
  return false;
}

function diagnosisLines(report: StackVerifyReport): string[] {
  return report.diagnoses.map((d) => `  ~~ ${d.node}: ${d.text}`);
}

/** Text: the Compose verify's lines, preceded by where the expectation came from and followed by the nodes' diagnoses. */
export function stackText(report: StackVerifyReport): string {
  const head = `stack ${report.stack} on ${report.nodes.length} node(s) (${report.nodes.join(', ')}), expected from ${report.source}; a pair is SERVICE@NODE -> SERVICE`;
  return [head, ...diagnosisLines(report)].map(escapeTerminal).join('\n') + '\n' + verifyText(report);
}

export function stackJson(report: StackVerifyReport, status: number): object {
  return { ...verifyJson(report, status), stack: report.stack, source: report.source, nodes: report.nodes, diagnoses: report.diagnoses };
}

const xml = (s: string) => s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function stackJunit(report: StackVerifyReport): string {
  const junit = verifyJunit(report);
  if (!report.diagnoses.length) return junit;
  return junit.replace(/\n  <\/testsuite>/, `\n    <system-out>${xml(report.diagnoses.map((d) => `${d.node}: ${d.text}`).join('\n'))}</system-out>\n  </testsuite>`);
}

export function stackSarif(report: StackVerifyReport, analysis: Analysis | undefined, cwd: string, version: string): object {
  const sarif = verifySarif(report, analysis, cwd, version) as { runs: Array<{ invocations?: Array<{ executionSuccessful: boolean; toolExecutionNotifications: object[] }> }> };
  if (report.diagnoses.length) {
    const run = sarif.runs[0];
    const inv = (run.invocations ??= [{ executionSuccessful: true, toolExecutionNotifications: [] }])[0];
    inv.toolExecutionNotifications.push(...report.diagnoses.map((d) => ({ level: 'note', message: { text: `${d.node}: ${d.text}` } })));
  }
  return sarif;
}

export async function verifyStackCommand<A extends Args>(argv: string[], out: NodeJS.WritableStream, deps: VerifyDeps<A>): Promise<number> {
  const { stack, rest: withSweep } = takeStackName(argv);
  const sweep = withSweep.includes('--sweep');
  const v = parseVerifyArgs(withSweep.filter((a) => a !== '--sweep'));
  if (v.includeForeign) throw new VerifyUsageError('--include-foreign is for compose projects; verify --stack probes the stack\'s services');
  const args = deps.parseArgs(v.rest);
  if (args.egressTarget) throw new VerifyUsageError('--egress-target is not available with --stack yet');
  let analysis: Analysis | undefined;
  try {
    analysis = deps.analyzeArgs(Object.assign(args, { stack: true }));
  } catch (err) {
    // No compose file in the current folder and none named: the engine's own service specs are the expectation.
    if (namesAFile(v.rest) || !/no compose file found/.test((err as Error).message)) throw err;
  }
  const { createEngineClient } = await import('../engine/dockerodeClient');
  const { stackExpectation, StackNotDeployed } = await import('../engine/swarmVerify');
  const { exitStatus } = await import('../engine/probes/report');
  const { EngineError } = await import('../engine/errors');
  const { ProbeImageMissing } = await import('../engine/exec');
  const client = createEngineClient(undefined);
  let report: StackVerifyReport;
  try {
    if (!client.verifyStack) throw new VerifyUsageError('this engine client cannot verify stacks');
    report = await client.verifyStack({
      stack,
      probeImage: args.probeImage ?? process.env.DOCKER_NET_PROBE_IMAGE ?? 'busybox:latest',
      ...(v.pull ? { allowPull: true } : {}),
      ...(sweep ? { sweep: true } : {}),
      ...(analysis ? { expected: stackExpectation(analysis, stack) } : {}),
      ...(v.probeTimeoutMs ? { deadlineMs: Math.max(30_000, v.probeTimeoutMs * 6) } : {}),
    });
  } catch (err) {
    if (err instanceof StackNotDeployed || err instanceof EngineError || err instanceof ProbeImageMissing) {
      process.stderr.write(`compose-net: ${escapeTerminal(err.message)}\n`);
      return 2;
    }
    throw err;
  }
  const status = exitStatus(report);
  return writeVerifyOutput(out, v.format, report, status, 'pair(s)', {
    json: () => JSON.stringify(stackJson(report, status), null, 2) + '\n',
    junit: () => stackJunit(report),
    sarif: () => JSON.stringify(stackSarif(report, analysis, process.cwd(), deps.version), null, 2) + '\n',
    text: () => stackText(report),
  });
}
