// compose-net config [-f FILE]... [--profile P]... [--env-file F] [--project-directory D] [--format json|yaml] [PATH]
// Prints the resolved project in the shape of `docker compose config` for the networking keys.
// Exit status: 0 printed; 1 Compose would refuse the project (the errors go to standard error, like Compose);
// 2 bad usage or nothing to read.
import * as fs from 'fs';
import * as path from 'path';
import { formatConfig, toComposeConfig, type ConfigFormat } from '../compose/config';
import { loadProject, type ProjectHost } from '../compose/project';
import { escapeTerminal } from '../shared/escape';

export class ConfigUsageError extends Error {}

export interface ConfigArgs {
  files: string[];
  profiles: string[];
  envFiles: string[];
  projectDirectory?: string;
  format: ConfigFormat;
  dir: string;
}

export function parseConfigArgs(argv: string[]): ConfigArgs {
  const args: ConfigArgs = { files: [], profiles: [], envFiles: [], format: 'yaml', dir: '.' };
  let dirSet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = () => {
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new ConfigUsageError(`${a} needs a value`);
      return v;
    };
    if (flag === '-f' || flag === '--file') args.files.push(value());
    else if (flag === '--profile') args.profiles.push(value());
    else if (flag === '--env-file') args.envFiles.push(value());
    else if (flag === '--project-directory') args.projectDirectory = value();
    else if (flag === '--format') {
      const v = value();
      if (v !== 'json' && v !== 'yaml') throw new ConfigUsageError(`unknown format "${v}": use json or yaml`);
      args.format = v;
    } else if (a.startsWith('-')) throw new ConfigUsageError(`unknown option ${a}`);
    else if (!dirSet) {
      args.dir = a;
      dirSet = true;
    } else throw new ConfigUsageError(`unexpected argument ${a}`);
  }
  return args;
}

/** Errors Compose itself stops on while loading (the rules' findings are lint's business, not config's). */
const LOAD_ERRORS = new Set(['yaml-syntax', 'file-not-found', 'file-unreadable', 'compose-load-error']);

export const CONFIG_USAGE = `usage: compose-net config [-f FILE]... [--profile P]... [--env-file F] [--project-directory D]
                          [--format yaml|json] [PATH]`;

/** The `config` subcommand: usage errors print the usage and exit 2. */
export function runConfig(argv: string[], out: NodeJS.WritableStream, host: ProjectHost, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): number {
  try {
    return printConfig(argv, out, host, env, cwd);
  } catch (err) {
    if (!(err instanceof ConfigUsageError)) throw err;
    process.stderr.write(`compose-net: ${err.message}\n${CONFIG_USAGE}\n`);
    return 2;
  }
}

function printConfig(argv: string[], out: NodeJS.WritableStream, host: ProjectHost, env: NodeJS.ProcessEnv, cwd: string): number {
  const args = parseConfigArgs(argv);
  const dir = path.resolve(cwd, args.dir);
  if (!args.files.length && !fs.existsSync(dir)) throw new ConfigUsageError(`no such directory: ${args.dir}`);
  const { project, findings } = loadProject(
    {
      dir,
      files: args.files.map((f) => path.resolve(cwd, f)),
      env,
      ...(args.projectDirectory ? { projectDirectory: path.resolve(cwd, args.projectDirectory) } : {}),
      envFiles: args.envFiles.map((f) => path.resolve(cwd, f)),
      profiles: args.profiles,
    },
    host,
  );
  if (project.files.size === 0 && findings.length === 0) throw new ConfigUsageError(`no compose file found in ${dir} (looked for compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml); name one with -f`);
  const errors = findings.filter((f) => f.severity === 'error' && LOAD_ERRORS.has(f.rule));
  if (errors.length) {
    for (const f of errors) process.stderr.write(`compose-net: ${escapeTerminal(path.relative(cwd, f.span.file) || f.span.file)}: ${escapeTerminal(f.message)}\n`);
    return 1;
  }
  out.write(formatConfig(toComposeConfig(project), args.format));
  return 0;
}
