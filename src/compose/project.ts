// Reads a compose project the way Compose does: default file names and their override, several -f files
// merged in order, `extends` (same file and `file:`), `include`, and `.env` interpolation.
import * as path from 'path';
import { parseDocument } from 'yaml';
import { readFileContribution, type FileContribution } from './build';
import { parseDotEnv, type Environment } from './interpolate';
import { mergeNetwork, mergeService } from './merge';
import type { ComposeProject, NetworkSymbol, ProjectFile, Service } from './model';
import { FileReader } from './read';
import { LineIndex } from './text';
import type { Finding, Span } from './types';

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
  return host.exists ? host.exists(filePath) : host.readFile(filePath) !== undefined;
}

export const DEFAULT_COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export interface LoadOptions {
  /** Project directory: where default files, `.env` and relative paths are looked up. */
  dir: string;
  /** Explicit `-f` files, merged in order; empty: discover the default file and its override. */
  files?: string[];
  /** The process environment; it wins over `.env`, as in Compose. */
  env?: Environment;
}

export interface LoadedProject {
  project: ComposeProject;
  /** Problems met while loading: YAML syntax errors, missing files. */
  findings: Finding[];
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

/** Compose lowercases project names and keeps only letters, digits, `_` and `-`. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

export function parseProjectFile(filePath: string, text: string): ProjectFile {
  const doc = parseDocument(text, { merge: true, uniqueKeys: false, prettyErrors: false, strict: false });
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

export function loadProject(options: LoadOptions, host: ProjectHost): LoadedProject {
  const dir = path.resolve(options.dir);
  const dotEnvText = host.readFile(path.join(dir, '.env'));
  const env: Environment = { ...(dotEnvText ? parseDotEnv(dotEnvText) : {}), ...(options.env ?? {}) };
  const loader = new Loader(host, env);
  const files = options.files?.length ? options.files.map((f) => path.resolve(dir, f)) : discoverComposeFiles(dir, host);
  const project: ComposeProject = {
    name: '',
    files: new Map(),
    services: new Map(),
    networks: new Map(),
    networksSections: new Map(),
    isStack: files.some((f) => /stack/i.test(path.basename(f))),
    networkSymbols: [],
    serviceSymbols: [],
    ...(files[0] ? { mainFile: files[0] } : {}),
  };
  for (const f of files) loader.addFile(project, f, []);
  // Files read only for `extends` hold positions of inherited values, but add no services of their own.
  for (const file of loader.filesRead()) if (!project.files.has(file.path)) project.files.set(file.path, file);
  project.name = normalizeProjectName(loader.projectName() ?? env.COMPOSE_PROJECT_NAME ?? path.basename(dir));
  project.networkSymbols = loader.networkSymbols();
  project.serviceSymbols = loader.serviceSymbols();
  return { project, findings: loader.findings };
}

class Loader {
  readonly findings: Finding[] = [];
  private readonly parsed = new Map<string, { file: ProjectFile; contribution: FileContribution } | null>();

  constructor(
    private readonly host: ProjectHost,
    private readonly env: Environment,
  ) {}

  /** The last top-level `name:` among the files read (later files override earlier ones). */
  projectName(): string | undefined {
    let name: string | undefined;
    for (const p of this.parsed.values()) if (p?.contribution.projectName) name = p.contribution.projectName.value;
    return name;
  }

  networkSymbols(): NetworkSymbol[] {
    const out: NetworkSymbol[] = [];
    for (const p of this.parsed.values()) {
      if (!p) continue;
      for (const net of p.contribution.networks.values()) out.push({ network: net.name, span: net.nameSpan, kind: 'declaration' });
      for (const svc of p.contribution.services.values()) {
        for (const ref of svc.networks?.values() ?? []) if (!ref.name.unknown) out.push({ network: ref.name.value, span: ref.name.span, kind: 'reference', service: svc.name });
      }
    }
    return out;
  }

  serviceSymbols(): Array<{ service: string; span: Span }> {
    return [...this.parsed.values()].flatMap((p) => (p ? [...p.contribution.services.values()].map((s) => ({ service: s.name, span: s.nameSpan })) : []));
  }

  filesRead(): ProjectFile[] {
    return [...this.parsed.values()].flatMap((p) => (p ? [p.file] : []));
  }

  read(filePath: string): { file: ProjectFile; contribution: FileContribution } | null {
    if (this.parsed.has(filePath)) return this.parsed.get(filePath)!;
    const text = this.host.readFile(filePath);
    let result: { file: ProjectFile; contribution: FileContribution } | null = null;
    if (text !== undefined) {
      const file = parseProjectFile(filePath, text);
      this.findings.push(...yamlSyntaxFindings(file));
      result = { file, contribution: readFileContribution(new FileReader(file, this.env)) };
    }
    this.parsed.set(filePath, result);
    return result;
  }

  addFile(project: ComposeProject, filePath: string, including: string[]): void {
    if (including.includes(filePath)) return; // an include cycle: Compose rejects it; we stop
    const loaded = this.read(filePath);
    if (!loaded) {
      this.findings.push({
        rule: 'file-not-found',
        severity: 'error',
        message: `compose file not found: ${filePath}`,
        span: { file: including[including.length - 1] ?? filePath, start: 0, end: 0 },
        related: [],
        fixes: [],
      });
      return;
    }
    const { file, contribution } = loaded;
    project.files.set(filePath, file);
    for (const inc of contribution.includes) {
      if (!inc.unknown) this.addFile(project, path.resolve(path.dirname(filePath), inc.value), [...including, filePath]);
    }
    if (contribution.networksSection) project.networksSections.set(filePath, contribution.networksSection);
    for (const [name, net] of contribution.networks) {
      const prev = project.networks.get(name);
      project.networks.set(name, prev ? mergeNetwork(prev, net) : net);
    }
    for (const name of contribution.services.keys()) {
      const svc = this.resolveExtends(filePath, name, []);
      if (!svc) continue;
      const prev = project.services.get(name);
      project.services.set(name, prev ? mergeService(prev, svc) : svc);
    }
  }

  /** A service with its `extends` chain applied: the base first, then this file's own keys. */
  private resolveExtends(filePath: string, name: string, seen: string[]): Service | undefined {
    const loaded = this.read(filePath);
    const svc = loaded?.contribution.services.get(name);
    if (!loaded || !svc) return undefined;
    const ext = loaded.contribution.extendsOf.get(name);
    const id = `${filePath}#${name}`;
    if (!ext || ext.service.unknown || ext.file?.unknown || seen.includes(id)) return svc;
    const baseFile = ext.file ? path.resolve(path.dirname(filePath), ext.file.value) : filePath;
    const base = this.resolveExtends(baseFile, ext.service.value, [...seen, id]);
    return base ? mergeService(base, svc) : svc;
  }
}
