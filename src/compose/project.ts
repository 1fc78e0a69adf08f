// Reads a compose project the way Compose v2 does (compose-go's loader is the reference):
// - the working directory (PATH, or the editor's folder) and the project directory (`--project-directory`, else the
//   first `-f` file's folder, else the working directory); `.env` of the project directory, or `--env-file`s;
// - the environment: the process environment wins over `.env`; COMPOSE_FILE (split by COMPOSE_PATH_SEPARATOR),
//   COMPOSE_PROJECT_NAME and COMPOSE_PROFILES are read from both;
// - files merged in order (default file + override, `-f`, COMPOSE_FILE), `extends` resolved per file (same file
//   or `file:`, chains across folders), `include` with each included project's own `.env`/`env_file` and
//   `project_directory`, `!reset`/`!override` tags, profiles.
// Every file is read from the host at most once per analysis, every `include` (same files, same environment) is
// loaded once and every `extends` target is resolved once, so include DAGs and long extends chains stay linear.
import * as path from 'path';
import { parseDocument, YAMLParseError } from 'yaml';
import { readFileContribution, type FileContribution, type IncludeRef } from './build';
import { emptyEnv, parseDotEnvText } from './dotenv';
import type { Environment } from './interpolate';
import { mergeNetwork, mergeService } from './merge';
import type { ComposeProject, Entry, NetworkDecl, NetworkSymbol, ProjectFile, Service } from './model';
import { FileReader } from './read';
import { isStackProject, type StackMode } from './stack';
import { LineIndex } from './text';
import type { Finding, Located, Span } from './types';

/**
 * A file the host refuses to read: not a regular file (FIFO, device, directory), too large, or unreadable.
 * The loader turns it into a finding at the reference that names the file; `undefined` from readFile means "does not exist".
 */
export class FileReadError extends Error {}

/** How the analyzer reads files: the disk for the CLI, open editors first for the extension. */
export interface ProjectHost {
  /** The file's text; undefined when it does not exist; throws FileReadError when it must not be read. */
  readFile(filePath: string): string | undefined;
  /** Whether a file exists, without reading it (discovery asks this often); defaults to reading it. */
  exists?(filePath: string): boolean;
}

function exists(host: ProjectHost, filePath: string): boolean {
  if (host.exists) return host.exists(filePath);
  try {
    return host.readFile(filePath) !== undefined;
  } catch (err) {
    if (err instanceof FileReadError) return true;
    throw err;
  }
}

export const DEFAULT_COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export interface LoadOptions {
  /** The working directory: where default files are looked for and relative `-f` and COMPOSE_FILE paths start. */
  dir: string;
  /** Explicit `-f` files, merged in order; empty: COMPOSE_FILE, else the default file and its override. */
  files?: string[];
  /** The process environment; it wins over `.env`, as in Compose. */
  env?: Environment;
  /** `--project-directory`: where `.env` and relative paths are looked up (default: the first file's folder). */
  projectDirectory?: string;
  /** `--env-file`s, in order (default: the project directory's `.env`, when it exists). */
  envFiles?: string[];
  /** `--profile`s; when none, COMPOSE_PROFILES (comma-separated) from the environment or `.env`. */
  profiles?: string[];
  /** Stack semantics (`docker stack deploy`): `always` (CLI `--stack`), `never`, or `auto` (detected; the default). */
  stackMode?: StackMode;
  /** Stacks deployed on the engine (the editor looks them up): in `auto`, a project named like one is a stack. */
  deployedStacks?: readonly string[];
}

/** What loading cost: deterministic counts for tests that pin the loader's complexity. */
export interface LoadStats {
  /** Calls to the host's readFile. */
  fileReads: number;
  /** Services whose `extends` chain was resolved (each file+service once). */
  extendsResolutions: number;
  /** `include` entries actually loaded (repeats of the same include are reused). */
  includeLoads: number;
}

export interface LoadedProject {
  project: ComposeProject;
  /** Problems met while loading: YAML syntax errors, missing or unreadable files, what Compose rejects. */
  findings: Finding[];
  stats: LoadStats;
}

/** The default file in `dir` and its `.override` file, as `docker compose` finds them. */
export function discoverComposeFiles(dir: string, host: ProjectHost): string[] {
  for (const name of DEFAULT_COMPOSE_FILES) {
    const base = path.join(dir, name);
    if (!exists(host, base)) continue;
    const stem = name.replace(/\.ya?ml$/, '');
    const override = ['.yaml', '.yml'].map((ext) => path.join(dir, `${stem}.override${ext}`)).find((f) => exists(host, f));
    return override ? [base, override] : [base];
  }
  return [];
}

/** Without `-f`: the files COMPOSE_FILE names (split by COMPOSE_PATH_SEPARATOR), else the discovered default files. */
export function selectComposeFiles(projectDir: string, env: Environment, host: ProjectHost): string[] {
  if (has(env, 'COMPOSE_FILE') && env.COMPOSE_FILE) {
    const sep = has(env, 'COMPOSE_PATH_SEPARATOR') && env.COMPOSE_PATH_SEPARATOR ? env.COMPOSE_PATH_SEPARATOR : path.delimiter;
    const named = env.COMPOSE_FILE.split(sep).filter(Boolean).map((f) => path.resolve(projectDir, f));
    if (named.length) return named;
  }
  return discoverComposeFiles(projectDir, host);
}

/**
 * The files `docker compose` run in `dir` would merge: the process environment over `dir/.env` decides COMPOSE_FILE.
 * For the editor, which has a file rather than a command line. A `.env` that cannot be read counts as absent here
 * (loading the project reports it).
 */
export function defaultProjectFiles(dir: string, host: ProjectHost, osEnv: Environment): string[] {
  let text: string | undefined;
  try {
    text = host.readFile(path.join(dir, '.env'));
  } catch {
    text = undefined;
  }
  const env: Environment = Object.assign(emptyEnv(), text === undefined ? {} : parseDotEnvText(text, osEnv).values, osEnv);
  return selectComposeFiles(dir, env, host);
}

/** Compose lowercases project names and keeps only letters, digits, `_` and `-`. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

export function parseProjectFile(filePath: string, text: string): ProjectFile {
  const options = { merge: true, uniqueKeys: false, prettyErrors: false, strict: false } as const;
  let doc;
  try {
    doc = parseDocument(text, options);
  } catch (err) {
    // The yaml parser recurses per nesting level: `- - - … x` 5,000 deep (10 KB) overflows the stack. The file is then
    // read as empty, with the reason as a syntax error, instead of the analysis crashing.
    if (!(err instanceof RangeError)) throw err;
    doc = parseDocument('', options);
    doc.errors.push(new YAMLParseError([0, Math.min(1, text.length)], 'IMPOSSIBLE', `nesting too deep to read (${err.message})`));
  }
  return { path: filePath, text, lines: new LineIndex(text), doc };
}

export function yamlSyntaxFindings(file: ProjectFile): Finding[] {
  return file.doc.errors.map((e) => ({
    rule: 'yaml-syntax',
    severity: 'error' as const,
    message: `YAML syntax error: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
    span: { file: file.path, start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) },
    related: [],
    fixes: [],
  }));
}

/** The profiles in effect: `--profile`s, else COMPOSE_PROFILES (comma-separated). */
export function activeProfiles(options: Pick<LoadOptions, 'profiles'>, env: Environment): string[] {
  if (options.profiles?.length) return [...new Set(options.profiles.flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean))];
  const fromEnv = Object.prototype.hasOwnProperty.call(env, 'COMPOSE_PROFILES') ? env.COMPOSE_PROFILES : undefined;
  return [...new Set((fromEnv ?? '').split(',').map((p) => p.trim()).filter(Boolean))];
}

/** Whether Compose starts the service with these profiles active: no `profiles:`, or one of them (or `*`) is active. */
export function isServiceActive(svc: Service, profiles: string[]): boolean {
  if (!svc.profiles?.length) return true;
  return profiles.includes('*') || svc.profiles.some((p) => profiles.includes(p.value));
}

interface Ctx {
  env: Environment;
  envId: number;
  /** Where this project's relative paths start (the project directory of the main project or of an include). */
  workingDir: string;
}

/** What one file (with its includes) or one list of merged files contributes. */
interface Layer {
  services: Map<string, Service>;
  networks: Map<string, NetworkDecl>;
  networksSections: Map<string, Entry>;
  name?: Located;
  serviceResets: Set<string>;
  networkResets: Set<string>;
  networkOverrides: Set<string>;
}

const emptyLayer = (): Layer => ({ services: new Map(), networks: new Map(), networksSections: new Map(), serviceResets: new Set(), networkResets: new Set(), networkOverrides: new Set() });

const has = (env: Environment, name: string) => Object.prototype.hasOwnProperty.call(env, name) && typeof env[name] === 'string';

export function loadProject(options: LoadOptions, host: ProjectHost): LoadedProject {
  const loader = new Loader(host);
  const workingDir = path.resolve(options.dir);
  const osEnv: Environment = options.env ?? {};
  const explicit = (options.files ?? []).map((f) => path.resolve(workingDir, f));
  const projectDir = options.projectDirectory ? path.resolve(workingDir, options.projectDirectory) : explicit[0] ? path.dirname(explicit[0]) : workingDir;

  // The environment: `.env` (or --env-file) under the process environment.
  const envFiles = options.envFiles?.length ? options.envFiles.map((f) => ({ path: path.resolve(workingDir, f), required: true })) : [{ path: path.join(projectDir, '.env'), required: false }];
  const fromFiles = loader.readEnvFiles(envFiles, osEnv);
  const env: Environment = Object.assign(emptyEnv(), fromFiles, osEnv);

  // Which files: -f, else COMPOSE_FILE, else discovery.
  const files = explicit.length ? explicit : selectComposeFiles(projectDir, env, host);

  const ctx: Ctx = { env, envId: loader.envId(env), workingDir: projectDir };
  const layer = loader.loadFiles(files.map((f) => ({ path: f })), ctx, []);

  const profiles = activeProfiles(options, env);
  const services = new Map<string, Service>();
  const inactive = new Map<string, Service>();
  for (const [name, merged] of layer.services) {
    // `networks: {}` (or every entry reset) is the `default` network, like no `networks:` at all.
    const svc = merged.networks?.size === 0 ? { ...merged, networks: undefined } : merged;
    if (!svc.networks) delete svc.networks;
    (isServiceActive(svc, profiles) ? services : inactive).set(name, svc);
  }

  // Project name: COMPOSE_PROJECT_NAME, else the top-level `name:`, else the project directory's name.
  const fromEnv = has(env, 'COMPOSE_PROJECT_NAME') && env.COMPOSE_PROJECT_NAME ? env.COMPOSE_PROJECT_NAME : undefined;
  const name = normalizeProjectName(fromEnv ?? layer.name?.value ?? path.basename(projectDir));
  let networkSymbols: NetworkSymbol[] | undefined;
  let serviceSymbols: ComposeProject['serviceSymbols'] | undefined;
  const project: ComposeProject = {
    name,
    files: new Map(),
    services,
    networks: layer.networks,
    networksSections: layer.networksSections,
    isStack: isStackProject(options.stackMode, files, services.values(), options.deployedStacks ? { projectName: name, stacks: options.deployedStacks } : undefined),
    // Built on first read (go-to, references, rename and code lenses read them; a lint never does): the loader's
    // contributions do not change once the project is loaded, so the lists are the same whenever they are asked for.
    get networkSymbols() {
      return (networkSymbols ??= loader.networkSymbols());
    },
    get serviceSymbols() {
      return (serviceSymbols ??= loader.serviceSymbols());
    },
    activeProfiles: profiles,
    inactiveServices: inactive,
    projectDirectory: projectDir,
    ...(files[0] ? { mainFile: files[0] } : {}),
  };
  // Main files first (Compose's merge order), then files read for include and extends.
  for (const f of files) {
    const file = loader.fileAt(f);
    if (file) project.files.set(f, file);
  }
  for (const file of loader.filesRead()) if (!project.files.has(file.path)) project.files.set(file.path, file);
  return { project, findings: loader.uniqueFindings(), stats: loader.stats };
}

class Loader {
  readonly stats: LoadStats = { fileReads: 0, extendsResolutions: 0, includeLoads: 0 };
  private readonly findings: Finding[] = [];
  /** Host reads: the text, or the reason it cannot be read. */
  private readonly texts = new Map<string, { text?: string; error?: FileReadError }>();
  private readonly parsed = new Map<string, ProjectFile>();
  private readonly contributions = new Map<string, FileContribution>();
  private readonly resolved = new Map<string, Service | undefined>();
  private readonly includes = new Map<string, Layer>();
  private readonly includeEnvs = new Map<string, Environment>();
  private readonly envIds = new WeakMap<object, number>();
  private nextEnvId = 0;

  constructor(private readonly host: ProjectHost) {}

  envId(env: Environment): number {
    let id = this.envIds.get(env);
    if (id === undefined) this.envIds.set(env, (id = this.nextEnvId++));
    return id;
  }

  uniqueFindings(): Finding[] {
    const seen = new Set<string>();
    return this.findings.filter((f) => {
      const key = `${f.rule}\0${f.span.file}\0${f.span.start}\0${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  private problem(rule: string, message: string, span: Span): void {
    this.findings.push({ rule, severity: 'error', message, span, related: [], fixes: [] });
  }

  /** The host's text for a file, read once. */
  private text(filePath: string): { text?: string; error?: FileReadError } {
    let t = this.texts.get(filePath);
    if (!t) {
      this.stats.fileReads++;
      try {
        const text = this.host.readFile(filePath);
        t = text === undefined ? {} : { text };
      } catch (err) {
        if (!(err instanceof FileReadError)) throw err;
        t = { error: err };
      }
      this.texts.set(filePath, t);
    }
    return t;
  }

  /** Reports a missing or unreadable file at the reference that names it (or at the file itself for -f files). */
  private fileProblem(filePath: string, what: string, ref: Span | undefined, error?: FileReadError): void {
    const span = ref ?? { file: filePath, start: 0, end: 0 };
    if (error) this.problem('file-unreadable', `${what} cannot be read: ${filePath}: ${error.message}`, span);
    else this.problem('file-not-found', `${what} not found: ${filePath}`, span);
  }

  /** Reads env files in order; later files see earlier ones. */
  readEnvFiles(files: Array<{ path: string; required: boolean; ref?: Span }>, lookup: Environment): Record<string, string> {
    const values = emptyEnv();
    for (const f of files) {
      const { text, error } = this.text(f.path);
      if (text === undefined) {
        if (error || f.required) this.fileProblem(f.path, 'env file', f.ref, error);
        continue;
      }
      const parsed = parseDotEnvText(text, Object.assign(emptyEnv(), values, lookup));
      Object.assign(values, parsed.values);
      for (const e of parsed.errors) {
        this.problem('compose-load-error', `${path.basename(f.path)} line ${e.line}: ${e.message} (Compose refuses this env file)`, f.ref ?? { file: f.path, start: 0, end: 0 });
      }
    }
    return values;
  }

  fileAt(filePath: string): ProjectFile | undefined {
    return this.parsed.get(filePath);
  }

  filesRead(): ProjectFile[] {
    return [...this.parsed.values()];
  }

  private file(filePath: string, ref: Span | undefined, what = 'compose file'): ProjectFile | undefined {
    const done = this.parsed.get(filePath);
    if (done) return done;
    const { text, error } = this.text(filePath);
    if (text === undefined) {
      this.fileProblem(filePath, what, ref, error);
      return undefined;
    }
    const file = parseProjectFile(filePath, text);
    this.parsed.set(filePath, file);
    this.findings.push(...yamlSyntaxFindings(file));
    return file;
  }

  /** The file read into the model with one environment (interpolation depends on it). */
  private contribution(filePath: string, ctx: Ctx, ref: Span | undefined, baseDir = ctx.workingDir): FileContribution | undefined {
    const key = `${ctx.envId}\0${baseDir}\0${filePath}`;
    const done = this.contributions.get(key);
    if (done) return done;
    const file = this.file(filePath, ref);
    if (!file) return undefined;
    const reader = new FileReader(file, ctx.env);
    const c = readFileContribution(reader, ctx.env);
    this.findings.push(...((reader as { findings?: Finding[] }).findings ?? []));
    for (const p of c.problems) this.problem(p.rule, p.message, p.span);
    for (const svc of c.services.values()) if (svc.envFiles) this.addEnvFileReferences(svc, ctx.env, baseDir);
    this.contributions.set(key, c);
    return c;
  }

  /** Variables of `env_file:` files become host references (the service's own `environment:` wins for the same key). */
  private addEnvFileReferences(svc: Service, env: Environment, baseDir: string): void {
    const own = new Set(svc.hostReferences.flatMap((r) => (r.key !== undefined ? [r.key] : [])));
    const refs = [];
    for (const f of svc.envFiles ?? []) {
      if (f.path.unknown) continue;
      const values = this.readEnvFiles([{ path: path.resolve(baseDir, f.path.value), required: f.required, ref: f.path.span }], env);
      for (const [key, value] of Object.entries(values)) if (!own.has(key)) refs.push({ key, value: { value, span: f.path.span } });
    }
    // Later env files win over earlier ones, as Compose reads them.
    const byKey = new Map(refs.map((r) => [r.key, r]));
    svc.hostReferences = [...byKey.values(), ...svc.hostReferences];
  }

  networkSymbols(): NetworkSymbol[] {
    const out: NetworkSymbol[] = [];
    const seen = new Set<string>();
    for (const [key, c] of this.contributions) {
      const file = key.slice(key.lastIndexOf('\0') + 1);
      if (seen.has(file)) continue;
      seen.add(file);
      for (const net of c.networks.values()) out.push({ network: net.name, span: net.nameSpan, kind: 'declaration' });
      for (const svc of c.services.values()) {
        for (const ref of svc.networks?.values() ?? []) if (!ref.name.unknown) out.push({ network: ref.name.value, span: ref.name.span, kind: 'reference', service: svc.name });
      }
    }
    return out;
  }

  serviceSymbols(): ComposeProject['serviceSymbols'] {
    const out: ComposeProject['serviceSymbols'] = [];
    const seen = new Set<string>();
    for (const [key, c] of this.contributions) {
      const file = key.slice(key.lastIndexOf('\0') + 1);
      if (seen.has(file)) continue;
      seen.add(file);
      for (const s of c.services.values()) out.push({ service: s.name, span: s.nameSpan });
    }
    return out;
  }

  /** Files merged in order, like `-f a -f b`. */
  loadFiles(files: Array<{ path: string; ref?: Span }>, ctx: Ctx, includeStack: string[]): Layer {
    // One file (most projects, most includes): its layer as it is, not copied into an empty one (the same services,
    // networks, sections and name, in the same order; nothing reads a merged layer's resets).
    if (files.length === 1) return this.loadFile(files[0].path, ctx, includeStack, files[0].ref) ?? emptyLayer();
    const acc = emptyLayer();
    for (const f of files) {
      const layer = this.loadFile(f.path, ctx, includeStack, f.ref);
      if (layer) mergeLayer(acc, layer);
    }
    return acc;
  }

  /** One file: what it includes, then its own services (extends resolved) and networks. */
  private loadFile(filePath: string, ctx: Ctx, includeStack: string[], ref: Span | undefined): Layer | undefined {
    const c = this.contribution(filePath, ctx, ref);
    if (!c) return undefined;
    const layer = emptyLayer();
    if (c.projectName) layer.name = c.projectName;
    for (const inc of c.includes) {
      const included = this.include(inc, ctx, [...includeStack, filePath]);
      if (included) this.importLayer(layer, included, inc);
    }
    for (const name of c.services.keys()) {
      const svc = this.resolveExtends(filePath, name, ctx, c);
      if (!svc) continue;
      const prev = layer.services.get(name);
      if (prev && prev !== svc) this.problem('compose-load-error', `service "${name}" is also defined by an included file: Compose rejects it ("services.${name} conflicts with imported resource")`, svc.nameSpan);
      layer.services.set(name, svc);
    }
    for (const [name, net] of c.networks) {
      const prev = layer.networks.get(name);
      if (prev && prev !== net) this.problem('compose-load-error', `network "${name}" is also defined by an included file: Compose rejects it ("networks.${name} conflicts with imported resource")`, net.nameSpan);
      layer.networks.set(name, net);
    }
    if (c.networksSection) layer.networksSections.set(filePath, c.networksSection);
    layer.serviceResets = c.serviceResets;
    layer.networkResets = c.networkResets;
    layer.networkOverrides = c.networkOverrides;
    return layer;
  }

  /** Resources imported by `include`: identical ones (the same include reached twice) are fine, others conflict. */
  private importLayer(into: Layer, from: Layer, inc: IncludeRef): void {
    for (const [name, svc] of from.services) {
      const prev = into.services.get(name);
      if (prev && prev !== svc) this.problem('compose-load-error', `service "${name}" is imported twice by include with different definitions: Compose rejects it`, inc.paths[0].span);
      else into.services.set(name, svc);
    }
    for (const [name, net] of from.networks) {
      const prev = into.networks.get(name);
      if (prev && prev !== net) this.problem('compose-load-error', `network "${name}" is imported twice by include with different definitions: Compose rejects it`, inc.paths[0].span);
      else into.networks.set(name, net);
    }
    for (const [f, e] of from.networksSections) into.networksSections.set(f, e);
  }

  /** An `include` entry: its files merged, read with its own project directory and env files; loaded once. */
  private include(inc: IncludeRef, ctx: Ctx, includeStack: string[]): Layer | undefined {
    if (inc.paths.some((p) => p.unknown)) return undefined;
    const paths = inc.paths.map((p) => ({ path: path.resolve(ctx.workingDir, p.value), ref: p.span }));
    const cycle = includeStack.indexOf(paths[0].path);
    if (cycle >= 0) {
      const chain = [...includeStack.slice(cycle), paths[0].path].map((f) => path.basename(f)).join(' -> ');
      this.problem('compose-load-error', `include cycle: ${chain} (Compose rejects it)`, inc.paths[0].span);
      return undefined;
    }
    const projectDir = inc.projectDirectory && !inc.projectDirectory.unknown ? path.resolve(ctx.workingDir, inc.projectDirectory.value) : path.dirname(paths[0].path);
    const envFiles = inc.envFiles.length
      ? inc.envFiles.filter((f) => !f.unknown).map((f) => ({ path: path.resolve(ctx.workingDir, f.value), required: true, ref: f.span }))
      : [{ path: path.join(projectDir, '.env'), required: false }];
    const envKey = `${ctx.envId}\0${envFiles.map((f) => f.path).join('\0')}`;
    let env = this.includeEnvs.get(envKey);
    if (!env) {
      // The including project's variables win; the included project's env files only add what is missing.
      env = Object.assign(emptyEnv(), this.readEnvFiles(envFiles, ctx.env), ctx.env);
      this.includeEnvs.set(envKey, env);
    }
    const sub: Ctx = { env, envId: this.envId(env), workingDir: projectDir };
    const key = `${sub.envId}\0${projectDir}\0${paths.map((p) => p.path).join('\0')}`;
    let layer = this.includes.get(key);
    if (!layer) {
      this.stats.includeLoads++;
      layer = this.loadFiles(paths, sub, includeStack);
      this.includes.set(key, layer);
    }
    return layer;
  }

  /**
   * A service with its `extends` chain applied (the base first, then each extending file's keys), resolved once
   * per file+service+environment. Walks the chain iteratively until a resolved link, the end, or a cycle.
   */
  private resolveExtends(filePath: string, name: string, ctx: Ctx, own: FileContribution): Service | undefined {
    const keyOf = (f: string, n: string) => `${ctx.envId}\0${f}#${n}`;
    const first = keyOf(filePath, name);
    if (this.resolved.has(first)) return this.resolved.get(first);
    // Most services extend nothing: the chain is the service itself (`own` is this file's contribution in ctx, the one
    // the walk below would look up), resolved without its bookkeeping.
    const alone = own.extendsOf.has(name) ? undefined : own.services.get(name);
    if (alone) {
      this.resolved.set(first, alone);
      this.stats.extendsResolutions++;
      return alone;
    }
    const chain: Array<{ key: string; svc: Service }> = [];
    const inChain = new Set<string>();
    let cur = { file: filePath, name };
    let ref: { span: Span } | undefined;
    let base: Service | undefined;
    for (;;) {
      const key = keyOf(cur.file, cur.name);
      if (this.resolved.has(key)) {
        base = this.resolved.get(key);
        break;
      }
      if (inChain.has(key)) {
        const names = [...chain.map((l) => l.svc.name), cur.name].join(' -> ');
        this.problem('compose-load-error', `extends cycle: ${names} (Compose rejects it)`, ref!.span);
        break;
      }
      // The first file is read in its project's directory; files reached through `extends.file` in their own folder.
      const c = this.contribution(cur.file, ctx, ref?.span, cur.file === filePath ? ctx.workingDir : path.dirname(cur.file));
      const svc = c?.services.get(cur.name);
      if (!c || !svc) {
        if (c && ref) this.problem('compose-load-error', `extends: no service "${cur.name}" in ${path.basename(cur.file)} (Compose rejects it)`, ref.span);
        break;
      }
      chain.push({ key, svc });
      inChain.add(key);
      const ext = c.extendsOf.get(cur.name);
      if (!ext || ext.service.unknown || ext.file?.unknown) break;
      ref = { span: (ext.file ?? ext.service).span };
      cur = { file: ext.file ? path.resolve(path.dirname(cur.file), ext.file.value) : cur.file, name: ext.service.value };
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const { key, svc } = chain[i];
      const result = base ? mergeService(base, svc) : svc;
      this.resolved.set(key, result);
      this.stats.extendsResolutions++;
      base = result;
    }
    if (!this.resolved.has(first)) this.resolved.set(first, undefined);
    return this.resolved.get(first);
  }
}

/** `acc` followed by `layer`, as Compose merges a later file: `!reset` removes, `!override` replaces, the rest merges. */
function mergeLayer(acc: Layer, layer: Layer): void {
  for (const name of layer.serviceResets) acc.services.delete(name);
  for (const [name, svc] of layer.services) {
    const prev = acc.services.get(name);
    acc.services.set(name, prev ? mergeService(prev, svc) : svc);
  }
  for (const name of layer.networkResets) acc.networks.delete(name);
  for (const [name, net] of layer.networks) {
    const prev = acc.networks.get(name);
    acc.networks.set(name, prev && !layer.networkOverrides.has(name) ? mergeNetwork(prev, net) : net);
  }
  for (const [f, e] of layer.networksSections) acc.networksSections.set(f, e);
  if (layer.name) acc.name = layer.name;
}
