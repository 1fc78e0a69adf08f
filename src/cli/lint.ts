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
import { GLOB_CHARS } from './lintSyntax';
import { isLean } from './tiering';
import { toJson, toSarif, toText } from './format';
import { computeAcrossThreads, serveItems, type ThreadData } from './threads';

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
  /**
   * The worker script that lints projects on other threads (dist/cli-worker.js; it calls serveLintThread). Absent or
   * missing on disk: every project on this thread.
   */
  threadScript?: string;
}

/** Sets how many threads `lint` uses for many projects (1: this one only); default from the cores and the projects. */
export const LINT_THREADS_ENV = 'COMPOSE_NET_LINT_THREADS';
/**
 * Projects per thread. A worker takes 50-100 ms to start and slows this thread while it does; measured on the corpus
 * (2 cores, one worker): 54 projects 1.12-1.15x slower (wall), 108 even, 216 1.14-1.23x faster (BENCHMARKS.md).
 */
const PROJECTS_PER_WORKER = 64;
const MAX_WORKERS = 3;

/** How the report is written: the same on every thread. */
interface ReportStyle {
  format: LintArgs['format'];
  many: boolean;
  cwd: string;
  version: string;
  color: boolean;
}

type Counts = { findings: number; error: number; warning: number; info: number };

/**
 * What the output needs of one project, taken as soon as it is analysed: a monorepo's analyses (documents, models) are
 * not all kept until the end, so memory stays bounded and short-lived garbage stays cheap to collect. Plain data: a
 * worker thread sends it as it is.
 */
interface LintPiece {
  counts: Counts;
  text?: string;
  json?: object[];
  sarif?: SarifLog;
}

function reportPiece(style: ReportStyle, label: string, { findings, project }: Analysis): LintPiece {
  const counts: Counts = { findings: findings.length, error: 0, warning: 0, info: 0 };
  for (const f of findings) if (f.severity in counts) counts[f.severity as 'error' | 'warning' | 'info']++;
  if (style.format === 'json') return { counts, json: toJson(findings, project, style.cwd).map((f) => (style.many ? { project: label, ...f } : f)) };
  if (style.format === 'sarif') {
    const sarif = toSarif(findings, project, style.cwd, style.version) as SarifLog;
    if (style.many) for (const r of sarif.runs[0].results) r.properties = { ...(r.properties as object | undefined), project: label };
    return { counts, sarif };
  }
  return { counts, text: (style.many ? `project ${label}\n` : '') + toText(findings, project, style.cwd, style.color) };
}

class LintReport {
  private readonly texts: string[] = [];
  private readonly json: object[] = [];
  private sarif: SarifLog | undefined;
  private readonly counts: Counts = { findings: 0, error: 0, warning: 0, info: 0 };
  projects = 0;

  constructor(private readonly style: ReportStyle) {}

  add(piece: LintPiece): void {
    this.projects++;
    for (const k of ['findings', 'error', 'warning', 'info'] as const) this.counts[k] += piece.counts[k];
    if (piece.text !== undefined) this.texts.push(piece.text);
    if (piece.json) for (const f of piece.json) this.json.push(f);
    if (piece.sarif) {
      if (this.sarif) this.sarif.runs[0].results.push(...piece.sarif.runs[0].results);
      else this.sarif = piece.sarif; // the first project's run (tool, rules) carries every project's results
    }
  }

  get hasErrors(): boolean {
    return this.counts.error > 0;
  }

  text(): string {
    const { format, cwd, version, many } = this.style;
    if (format === 'json') return JSON.stringify(this.json, null, 2) + '\n';
    if (format === 'sarif') return JSON.stringify(this.sarif ?? toSarif([], { files: new Map() } as unknown as Analysis['project'], cwd, version), null, 2) + '\n';
    const c = this.counts;
    const summary = `${c.findings} finding(s): ${c.error} error(s), ${c.warning} warning(s), ${c.info} info`;
    return this.texts.join('') + (many ? `${this.projects} project(s): ${summary}\n` : '');
  }
}

/** What a lint thread needs to lint any of the run's projects as this thread would (structured-cloneable). */
export interface LintThreadData {
  /** The process runs with the optimizing compiler off (cli/tiering.ts): the worker loads the code cache written so. */
  lean: boolean;
  specs: ProjectSpec[];
  style: ReportStyle;
  env: NodeJS.ProcessEnv;
  stack: boolean;
}

/** What to load for one project of the run: its files (discovered now in a run over many), env, stack mode. */
function projectLoad(data: LintThreadData, host: ProjectHost, spec: ProjectSpec) {
  const files = spec.files.length || !data.style.many ? spec.files : discoverComposeFiles(spec.dir, host);
  return { dir: spec.dir, files, env: data.env, ...(data.stack ? { stackMode: 'always' as const } : {}) };
}

/**
 * Whether the analysis found a project to report. None: skipped in a run over many (a folder whose only compose file
 * vanished meanwhile); for one project, a usage error.
 */
function foundProject(analysis: Analysis, data: LintThreadData, spec: ProjectSpec): boolean {
  if (analysis.project.files.size > 0 || analysis.findings.length > 0) return true;
  if (data.style.many) return false;
  throw new LintUsageError(`no compose file found in ${spec.dir} (looked for ${DEFAULT_COMPOSE_FILES.join(', ')}); name one with -f`);
}

/** Lints one project (no --fix): its report piece, or undefined for a folder whose only compose file vanished meanwhile. */
function lintProject(data: LintThreadData, host: ProjectHost, engine: EngineSnapshot | undefined, spec: ProjectSpec): LintPiece | undefined {
  const analysis = analyze(projectLoad(data, host, spec), host, engine);
  return foundProject(analysis, data, spec) ? reportPiece(data.style, spec.label, analysis) : undefined;
}

/** A worker thread's part of a lint run (dist/cli-worker.js): the projects it takes, each sent back as a report piece. */
export function serveLintThread(threadData: ThreadData<LintThreadData>, port: { postMessage(m: unknown): void }, host: ProjectHost): void {
  const data = threadData.data;
  serveItems(threadData, port, (i) => lintProject(data, host, undefined, data.specs[i]));
}

/** Worker threads for this run: one thread (this one) per PROJECTS_PER_WORKER projects, the others workers, up to the spare cores. */
function lintWorkers(projects: number, env: NodeJS.ProcessEnv): number {
  const asked = env[LINT_THREADS_ENV];
  if (asked !== undefined && asked !== '') {
    const n = Number(asked);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new LintUsageError(`${LINT_THREADS_ENV} must be a whole number from 1 to 64, not "${asked}"`);
    return n - 1;
  }
  if (projects < 2 * PROJECTS_PER_WORKER) return 0;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, as in threads.ts
  const cores = (require('os') as typeof import('os')).availableParallelism();
  return Math.max(0, Math.min(cores - 1, Math.floor(projects / PROJECTS_PER_WORKER) - 1, MAX_WORKERS));
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

  const style: ReportStyle = { format: args.format, many, cwd, version: options.version, color: out.isTTY === true && !env.NO_COLOR };
  const report = new LintReport(style);
  const data: LintThreadData = { lean: isLean(), specs, style, env: { ...env }, stack: args.stack === true };
  if (args.fix) {
    // One project after another: two projects may share a file (include, extends) that a fix rewrites.
    let fixed = 0;
    const fixedFiles = new Set<string>();
    for (const spec of specs) {
      const r = fixProject(projectLoad(data, options.host, spec), options.host, engine);
      if (r.refused) stderr.write(`compose-net: ${spec.label}: ${r.refused}\n`);
      for (const n of r.applied.values()) fixed += n;
      r.written.forEach((f) => fixedFiles.add(f));
      if (foundProject(r.analysis, data, spec)) report.add(reportPiece(style, spec.label, r.analysis));
    }
    stderr.write(`compose-net: applied ${fixed} fix(es) to ${fixedFiles.size} file(s)\n`);
  } else {
    // Other threads only without --engine (the engine's facts stay on this thread) and where the worker script is.
    const workers = many && !engine && options.threadScript ? lintWorkers(specs.length, env) : 0;
    const plan = workers > 0 && fs.existsSync(options.threadScript!) ? { script: options.threadScript!, workers, data } : undefined;
    const pieces = await computeAcrossThreads(specs.length, (i) => lintProject(data, options.host, engine, specs[i]), plan);
    for (const piece of pieces) if (piece) report.add(piece);
  }
  out.write(report.text());
  return report.hasErrors ? 1 : 0;
}

interface SarifLog {
  runs: Array<{ results: Array<Record<string, unknown>> }>;
}
