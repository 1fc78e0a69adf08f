// compose-net: the analyzer for CI pipelines.
//   compose-net lint [-f FILE]... [--format text|json|sarif] [--engine] [--fix] [--recursive] [--stack] [PATH|GLOB]...
//   compose-net diagram [-f FILE]... [-o OUT.svg] [PATH]
//   compose-net config [-f FILE]... [--profile P]... [--env-file F] [--project-directory D] [--format yaml|json] [PATH]
//   compose-net verify [-f FILE]... [--project-name NAME] [--egress-target ADDRESS[:PORT]] [--pull] [--include-foreign] [--format text|json|junit|sarif] [PATH]
// Exit status: 0 no error-severity finding (diagram: written), 1 at least one, 2 the command could not run.
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../compose/analyze';
import { layoutProject } from '../diagram/layout';
import { renderSvg } from '../diagram/svg';
import type { EngineSnapshot } from '../compose/types';
import { runConfig } from './config';
import { LintUsageError, lintCommand, serveLintThread } from './lint';
import { createFileHost } from './fileHost';
import { runCli } from './process';

const VERSION = '0.1.0';

const USAGE = `usage: compose-net lint [-f FILE]... [--format text|json|sarif] [--engine] [--fix] [--recursive] [--stack] [PATH|GLOB]...
       compose-net diagram [-f FILE]... [-o OUT.svg] [PATH]
       compose-net config [-f FILE]... [--profile P]... [--env-file F] [--project-directory D]
                          [--format yaml|json] [PATH]   (the resolved project, like docker compose config)
       compose-net verify [-f FILE]... [--project-name NAME] [--egress-target ADDRESS[:PORT]]
                          [--probe-image IMAGE] [--pull] [--include-foreign] [--probe-timeout SECONDS]
                          [--format text|json|junit|sarif] [PATH]
       compose-net verify --stack NAME [-f FILE]... [--probe-image IMAGE] [--pull] [--sweep] [--format ...] [PATH]
                          (a deployed stack across Swarm nodes, probed through the manager)
       compose-net capture (--container NAME | --service NAME [--project-name P] | --network NAME)
                          [--duration 10s | --count N] [--filter EXPR] [--capture-image IMAGE] [--pull] -o FILE.pcap
       compose-net capture --summary FILE.pcap [--format text|json]
       compose-net flows [-f FILE]... [--project-name NAME] --duration 10s [--format text|json] [PATH]
       compose-net exposure [-f FILE]... [--project-name NAME] [--probe-image IMAGE] [--format text|json] [PATH]

  -f, --file FILE   compose file (repeatable, merged in order like docker compose -f)
  --format FORMAT   text (default), json, or sarif (SARIF 2.1.0 for code scanning)
  --engine          also run the rules that need the Docker engine (DOCKER_HOST or the default socket)
  --profile P       activate a Compose profile (repeatable; default: COMPOSE_PROFILES); services of
                    inactive profiles are left out, as docker compose does
  --env-file F      read variables from F instead of the project directory's .env (repeatable)
  --project-directory D  where .env and relative paths are looked up (default: the first file's folder)
  --stack           lint: analyze as a stack deployed with docker stack deploy (overlay default, tasks.NAME)
  --stack NAME      verify: the stack deployed as NAME (expected from the stack file if given, else the engine's specs)
  --fix             lint: apply every finding's preferred fix to the files, then report what is left
  -r, --recursive   lint: every project folder under each PATH (default .), linted in one run, one report each;
                    a PATH may also be a compose file or a quoted GLOB ('services/*', '**/compose.yaml');
                    128 projects or more are also linted on worker threads (COMPOSE_NET_LINT_THREADS=N: N threads)
  PATH              project directory (default: .); without -f, its compose.yaml/docker-compose.yml
                    and override file are used, as docker compose does
  -o, --output FILE diagram: write the SVG there (default: standard output)
  --project-name N  verify: the running compose project (default: as docker compose names it)
  --egress-target A verify: also probe from each service to A (ADDRESS, ADDRESS:PORT, ::1, [fd00::1]:80)
  --probe-image I   verify: image for probes when a container lacks nslookup/nc/cat (default: busybox:latest)
  --pull            verify: may pull the probe image when the engine lacks it (never without this flag)
  --include-foreign verify: also probe other containers attached to the project's networks
  --probe-timeout S verify: deadline of each probe in seconds (default 10)

verify exit status: 0 every pair probed and nothing mismatches, 1 something mismatches, 2 not running,
                    engine unreachable or lost mid-run, or a pair without an answer (never counted as a mismatch)
capture: tcpdump in a short-lived container in the target's network namespace (a bridge network: on its host
         interface), image from --capture-image or DOCKER_NET_CAPTURE_IMAGE (default nicolaka/netshoot, never
         pulled without --pull); writes FILE.pcap, FILE.pcap.names.json (who had which address) and a summary
flows:   records the project's networks, then compares who talked to whom with what the file allows
exposure: every published port as bound on the engine's host, what the file declared, all-interface bindings marked

capture/exposure exit status: 0 done, 2 could not run, 130 capture interrupted (the file holds what came before)
flows exit status: 0 nothing unexpected, 1 a flow between services the file keeps apart, 2 could not run
files: only regular files are read; a FIFO, device, directory or a path under /proc, /sys or /dev is reported, not
       read; each file at most COMPOSE_NET_MAX_FILE_BYTES bytes (default 8 MiB)
exit status: 0 no errors, 1 errors found, 2 the command could not run`;

export class UsageError extends Error {}

export interface CliArgs {
  files: string[];
  format: 'text' | 'json' | 'sarif';
  engine: boolean;
  dir: string;
  output?: string;
  projectName?: string;
  egressTarget?: string;
  probeImage?: string;
  /** --profile (repeatable), --env-file (repeatable), --project-directory: as docker compose reads them. */
  profiles?: string[];
  envFiles?: string[];
  projectDirectory?: string;
  /** --stack: analyze with `docker stack deploy` semantics. */
  stack?: boolean;
}

export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { files: [], format: 'text', engine: false, dir: '.' };
  let dirSet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '-f' || a === '--file') args.files.push(value());
    else if (a.startsWith('--file=')) args.files.push(a.slice(7));
    else if (a === '--format' || a.startsWith('--format=')) {
      const v = a.includes('=') ? a.slice(9) : value();
      if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new UsageError(`unknown format "${v}": use text, json or sarif`);
      args.format = v;
    } else if (a === '--engine') args.engine = true;
    else if (a === '-o' || a === '--output') args.output = value();
    else if (a === '--project-name' || a === '-p') args.projectName = value();
    else if (a === '--egress-target') args.egressTarget = value();
    else if (a === '--probe-image') args.probeImage = value();
    else if (a === '--profile') (args.profiles ??= []).push(value());
    else if (a === '--env-file') (args.envFiles ??= []).push(value());
    else if (a === '--project-directory') args.projectDirectory = value();
    else if (a === '--stack') args.stack = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (!dirSet) {
      args.dir = a;
      dirSet = true;
    } else throw new UsageError(`unexpected argument ${a}`);
  }
  return args;
}

// Regular files only, 8 MiB at most (COMPOSE_NET_MAX_FILE_BYTES to change it): a FIFO or /dev/zero never hangs the CLI.
const diskHost = createFileHost(process.env.COMPOSE_NET_MAX_FILE_BYTES ? { maxBytes: Number(process.env.COMPOSE_NET_MAX_FILE_BYTES) } : {});

function analyzeArgs(args: CliArgs, engine?: EngineSnapshot) {
  const cwd = process.cwd();
  const dir = path.resolve(cwd, args.dir);
  const files = args.files.map((f) => path.resolve(cwd, f));
  if (files.length === 0 && !fs.existsSync(dir)) throw new UsageError(`no such directory: ${args.dir}`);
  const load = { profiles: args.profiles ?? [], envFiles: (args.envFiles ?? []).map((f) => path.resolve(cwd, f)), ...(args.projectDirectory ? { projectDirectory: path.resolve(cwd, args.projectDirectory) } : {}), ...(args.stack ? { stackMode: 'always' as const } : {}) };
  const analysis = analyze({ dir, files, env: process.env, ...load }, diskHost, engine);
  if (analysis.project.files.size === 0 && analysis.findings.length === 0) throw new UsageError(`no compose file found in ${dir} (looked for compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml); name one with -f`);
  return analysis;
}

function diagram(argv: string[], out: NodeJS.WriteStream): number {
  const args = parseArgs(argv);
  const svg = renderSvg(layoutProject(analyzeArgs(args)), 'standalone');
  if (args.output) fs.writeFileSync(args.output, svg);
  else out.write(svg);
  return 0;
}

async function verify(argv: string[], out: NodeJS.WriteStream): Promise<number> {
  // The logic lives in ./verify.ts; it reaches the engine through `await import()` only.
  const { verifyCommand, VerifyUsageError } = await import('./verify');
  try {
    return await verifyCommand(argv, out, { parseArgs, analyzeArgs: (a: CliArgs) => analyzeArgs(a), version: VERSION });
  } catch (err) {
    if (err instanceof VerifyUsageError) throw new UsageError(err.message);
    throw err;
  }
}

async function lint(argv: string[], out: NodeJS.WriteStream): Promise<number> {
  // The logic lives in ./lint.ts (many projects, --recursive, --fix). The engine client is loaded only for --engine:
  // it is most of what we ship and most of the start-up time. An EngineError says which endpoint failed and why.
  const engine = async () => (await import('../engine/dockerodeClient')).createEngineClient(undefined).snapshot();
  try {
    // process.stderr is created only when lint writes to it (creating it costs a few ms of start-up).
    return await lintCommand(argv, out, { host: diskHost, version: VERSION, engine, stderr: { write: (s: string) => process.stderr.write(s) }, threadScript: path.join(__dirname, 'cli-worker.js') });
  } catch (err) {
    if (err instanceof LintUsageError) throw new UsageError(err.message);
    throw err;
  }
}

/** A worker thread of a lint run over many projects (dist/cli-worker.js): lints the projects it takes from the run's list. */
export function lintThread(threadData: Parameters<typeof serveLintThread>[0], port: Parameters<typeof serveLintThread>[1]): void {
  serveLintThread(threadData, port, diskHost);
}

async function traffic(command: 'captureCommand' | 'flowsCommand' | 'exposureCommand', argv: string[], out: NodeJS.WriteStream): Promise<number> {
  // The logic lives in ./traffic.ts; it reaches the engine through `await import()` only.
  const mod = await import('./traffic');
  try {
    return await mod[command](argv, out, { parseArgs, analyzeArgs: (a) => analyzeArgs(a as CliArgs) });
  } catch (err) {
    if (err instanceof mod.TrafficUsageError) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * The subcommands: add yours with ONE line here and put its logic in src/cli/<name>.ts. Whatever needs the engine
 * (dockerode) must be reached through `await import()`: it is a separate bundle loaded only when first needed.
 */
const COMMANDS: Record<string, (argv: string[], out: NodeJS.WriteStream) => number | Promise<number>> = {
  lint: (argv, out) => lint(argv, out),
  diagram: (argv, out) => diagram(argv, out),
  verify: (argv, out) => verify(argv, out),
  config: (argv, out) => runConfig(argv, out, diskHost),
  capture: (argv, out) => traffic('captureCommand', argv, out),
  flows: (argv, out) => traffic('flowsCommand', argv, out),
  exposure: (argv, out) => traffic('exposureCommand', argv, out),
};

/** `out`: standard output (dist/cli.js passes a lighter writer when it is a pipe or a file: see src/bootstrap/cli.ts). */
export async function main(argv: string[], out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const run = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (run) return await run(rest, out);
    if (command === '--version') {
      out.write(`${VERSION}\n`);
      return 0;
    }
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      out.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (err) {
    if (err instanceof UsageError) process.stderr.write(`compose-net: ${err.message}\n${USAGE}\n`);
    else process.stderr.write(`compose-net: ${(err as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) runCli(() => main(process.argv.slice(2))); // a crash or a drained loop exits 2, never 0 or 1
