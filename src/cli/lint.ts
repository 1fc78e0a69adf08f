// `compose-net lint`: one project (the folder's compose files, or -f files), or many in one process:
//   compose-net lint [-f FILE]... [--format text|json|sarif] [--engine] [--fix] [--recursive] [--stack] [PATH|GLOB]...
// A PATH is a project folder (with --recursive: every project folder under it) or a compose file; a GLOB (quoted, so
// the shell leaves it alone) is expanded here: `*`, `?`, `[...]`, `{a,b}`, `**` (any depth).
// Many projects: one report per project (text sections; JSON findings with a `project` field; one SARIF run).
// Exit status over all: 0 no error-severity finding, 1 at least one, 2 the command could not run.
import * as fs from 'fs';
import * as path from 'path';
import { analyze, type Analysis } from '../compose/analyze';
import { byCodePoint } from '../compose/names';
import { DEFAULT_COMPOSE_FILES, discoverComposeFiles, type ProjectHost } from '../compose/project';
import type { EngineSnapshot } from '../compose/types';
import { fixProject } from './fix';
import { toJson, toSarif, toText } from './format';

export class LintUsageError extends Error {}

export interface LintArgs {
  files: string[];
  format: 'text' | 'json' | 'sarif';
  engine: boolean;
  fix: boolean;
  recursive: boolean;
  targets: string[];
  /** --stack: analyze with `docker stack deploy` semantics (else detected per project). */
  stack?: boolean;
}

export function parseLintArgs(argv: string[]): LintArgs {
  const args: LintArgs = { files: [], format: 'text', engine: false, fix: false, recursive: false, targets: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new LintUsageError(`${a} needs a value`);
      return v;
    };
    if (a === '-f' || a === '--file') args.files.push(value());
    else if (a.startsWith('--file=')) args.files.push(a.slice(7));
    else if (a === '--format' || a.startsWith('--format=')) {
      const v = a.includes('=') ? a.slice(9) : value();
      if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new LintUsageError(`unknown format "${v}": use text, json or sarif`);
      args.format = v;
    } else if (a === '--engine') args.engine = true;
    else if (a === '--fix') args.fix = true;
    else if (a === '--recursive' || a === '-r') args.recursive = true;
    else if (a === '--stack') args.stack = true;
    else if (a === '--') args.targets.push(...argv.splice(i + 1));
    else if (a.startsWith('-')) throw new LintUsageError(`unknown option ${a}`);
    else args.targets.push(a);
  }
  if (args.files.length && (args.recursive || args.targets.length > 1)) throw new LintUsageError('-f names the files of one project: do not combine it with --recursive or several paths');
  return args;
}

/** One project to lint: where it is, its files (empty: discovered in `dir` as Compose does), and how it is shown. */
export interface ProjectSpec {
  label: string;
  dir: string;
  files: string[];
}

/** Folders never searched for projects: dependencies and VCS metadata (hidden folders are skipped too). */
const SKIPPED_DIRS = new Set(['node_modules']);
/** Deep enough for any monorepo; a bound on pathological trees. */
const MAX_DEPTH = 32;
const GLOB_CHARS = /[*?[{]/;

/** The regular expression for one path segment of a glob. */
function segmentRegex(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        const body = seg.slice(i + 1, close).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = close;
      }
    } else if (c === '{') {
      const close = seg.indexOf('}', i + 1);
      if (close < 0) re += '\\{';
      else {
        re += `(?:${seg
          .slice(i + 1, close)
          .split(',')
          .map((alt) => alt.replace(/[.+^$()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
          .join('|')})`;
        i = close;
      }
    } else re += c.replace(/[.+^$()|\\\]}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function readDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => byCodePoint(a.name, b.name));
  } catch {
    return []; // unreadable or gone: nothing to find there
  }
}

/** Paths matching `pattern` (relative to `cwd` unless absolute), sorted; symlinked folders are not followed by `**`. */
export function expandGlob(pattern: string, cwd: string): string[] {
  const abs = path.resolve(cwd, pattern);
  const segments = abs.split(path.sep);
  const firstGlob = segments.findIndex((s) => GLOB_CHARS.test(s));
  if (firstGlob < 0) return fs.existsSync(abs) ? [abs] : [];
  const base = segments.slice(0, firstGlob).join(path.sep) || path.sep;
  const rest = segments.slice(firstGlob).filter((s) => s !== '');
  const out = new Set<string>();
  const walk = (dir: string, i: number, depth: number) => {
    if (i === rest.length) {
      out.add(dir);
      return;
    }
    if (depth > MAX_DEPTH) return;
    const seg = rest[i];
    if (seg === '**') {
      walk(dir, i + 1, depth); // zero folders
      for (const e of readDir(dir)) if (e.isDirectory() && !e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name)) walk(path.join(dir, e.name), i, depth + 1);
      return;
    }
    const re = segmentRegex(seg);
    for (const e of readDir(dir)) {
      if (e.name.startsWith('.') && !seg.startsWith('.')) continue; // like a shell: `*` does not match hidden names
      if (!re.test(e.name)) continue;
      const p = path.join(dir, e.name);
      if (i === rest.length - 1) out.add(p);
      else if (e.isDirectory() || (e.isSymbolicLink() && isDir(p))) walk(p, i + 1, depth + 1);
    }
  };
  walk(base, 0, 0);
  return [...out].sort();
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Every folder under `root` (itself included) holding a compose file Compose would pick, depth first, sorted. */
export function findProjectDirs(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    const entries = readDir(dir);
    if (entries.some((e) => !e.isDirectory() && DEFAULT_COMPOSE_FILES.includes(e.name))) found.push(dir);
    if (depth >= MAX_DEPTH) return;
    // Real folders only: a symlink could loop or leave the tree.
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name)) walk(path.join(dir, e.name), depth + 1);
  };
  walk(root, 0);
  return found;
}

/** The projects the arguments name, each once, in argument order. */
export function resolveProjects(args: LintArgs, cwd: string): ProjectSpec[] {
  const label = (p: string) => path.relative(cwd, p) || '.';
  if (args.files.length) {
    const dir = path.resolve(cwd, args.targets[0] ?? '.');
    return [{ label: label(dir), dir, files: args.files.map((f) => path.resolve(cwd, f)) }];
  }
  const specs = new Map<string, ProjectSpec>();
  const add = (spec: ProjectSpec) => {
    const key = spec.files.length ? spec.files.join('\n') : spec.dir;
    if (!specs.has(key)) specs.set(key, spec);
  };
  for (const target of args.targets.length ? args.targets : ['.']) {
    const matches = GLOB_CHARS.test(target) ? expandGlob(target, cwd) : [path.resolve(cwd, target)];
    if (matches.length === 0) throw new LintUsageError(GLOB_CHARS.test(target) ? `nothing matches ${target}` : `no such file or directory: ${target}`);
    for (const m of matches) {
      if (!fs.existsSync(m)) throw new LintUsageError(`no such file or directory: ${target}`);
      if (!isDir(m)) add({ label: label(m), dir: path.dirname(m), files: [m] });
      else if (args.recursive) for (const dir of findProjectDirs(m)) add({ label: label(dir), dir, files: [] });
      else add({ label: label(m), dir: m, files: [] });
    }
  }
  return [...specs.values()];
}

export interface LintOptions {
  host: ProjectHost;
  version: string;
  /** The engine facts for --engine (loaded by the caller, lazily). */
  engine?: () => Promise<EngineSnapshot>;
  env?: NodeJS.ProcessEnv;
  stderr?: { write(s: string): unknown };
}

/**
 * What the output needs of each project, taken as soon as it is analysed: a monorepo's analyses (documents, models)
 * are not all kept until the end, so memory stays bounded and short-lived garbage stays cheap to collect.
 */
class LintReport {
  private readonly texts: string[] = [];
  private readonly json: object[] = [];
  private sarif: SarifLog | undefined;
  private readonly counts = { findings: 0, error: 0, warning: 0, info: 0 };
  projects = 0;

  constructor(
    private readonly format: string,
    private readonly many: boolean,
    private readonly cwd: string,
    private readonly version: string,
    private readonly color: boolean,
  ) {}

  add(label: string, { findings, project }: Analysis): void {
    this.projects++;
    this.counts.findings += findings.length;
    for (const f of findings) if (f.severity in this.counts) this.counts[f.severity as 'error' | 'warning' | 'info']++;
    if (this.format === 'json') {
      for (const f of toJson(findings, project, this.cwd)) this.json.push(this.many ? { project: label, ...f } : f);
    } else if (this.format === 'sarif') {
      const log = toSarif(findings, project, this.cwd, this.version) as SarifLog;
      if (this.many) for (const r of log.runs[0].results) r.properties = { ...(r.properties as object | undefined), project: label };
      if (this.sarif) this.sarif.runs[0].results.push(...log.runs[0].results);
      else this.sarif = log; // the first project's run (tool, rules) carries every project's results
    } else this.texts.push((this.many ? `project ${label}\n` : '') + toText(findings, project, this.cwd, this.color));
  }

  get hasErrors(): boolean {
    return this.counts.error > 0;
  }

  text(): string {
    if (this.format === 'json') return JSON.stringify(this.json, null, 2) + '\n';
    if (this.format === 'sarif') return JSON.stringify(this.sarif ?? toSarif([], { files: new Map() } as unknown as Analysis['project'], this.cwd, this.version), null, 2) + '\n';
    const c = this.counts;
    const summary = `${c.findings} finding(s): ${c.error} error(s), ${c.warning} warning(s), ${c.info} info`;
    return this.texts.join('') + (this.many ? `${this.projects} project(s): ${summary}\n` : '');
  }
}

export async function lintCommand(argv: string[], out: NodeJS.WritableStream & { isTTY?: boolean }, options: LintOptions): Promise<number> {
  const args = parseLintArgs(argv);
  const cwd = process.cwd();
  const env = options.env ?? process.env;
  const stderr = options.stderr ?? process.stderr;
  const specs = resolveProjects(args, cwd);
  // Many projects: whatever COMPOSE_FILE says is about one project, not each of them.
  const many = args.recursive || specs.length > 1;
  if (specs.length === 0) throw new LintUsageError(`no compose project found under ${args.targets.join(', ') || '.'} (looked for ${DEFAULT_COMPOSE_FILES.join(', ')})`);
  const engine = args.engine && options.engine ? await options.engine() : undefined;

  const report = new LintReport(args.format, many, cwd, options.version, out.isTTY === true && !env.NO_COLOR);
  let fixed = 0;
  const fixedFiles = new Set<string>();
  for (const spec of specs) {
    const files = spec.files.length || !many ? spec.files : discoverComposeFiles(spec.dir, options.host);
    const load = { dir: spec.dir, files, env, ...(args.stack ? { stackMode: 'always' as const } : {}) };
    let analysis: Analysis;
    if (args.fix) {
      const r = fixProject(load, options.host, engine);
      if (r.refused) stderr.write(`compose-net: ${spec.label}: ${r.refused}\n`);
      for (const n of r.applied.values()) fixed += n;
      r.written.forEach((f) => fixedFiles.add(f));
      analysis = r.analysis;
    } else analysis = analyze(load, options.host, engine);
    if (analysis.project.files.size === 0 && analysis.findings.length === 0) {
      if (many) continue; // a folder whose only compose file vanished meanwhile
      throw new LintUsageError(`no compose file found in ${spec.dir} (looked for ${DEFAULT_COMPOSE_FILES.join(', ')}); name one with -f`);
    }
    report.add(spec.label, analysis);
  }
  if (args.fix) stderr.write(`compose-net: applied ${fixed} fix(es) to ${fixedFiles.size} file(s)\n`);
  out.write(report.text());
  return report.hasErrors ? 1 : 0;
}

interface SarifLog {
  runs: Array<{ results: Array<Record<string, unknown>> }>;
}
