// In-memory projects for analyzer tests: files by name, findings with the text they point at, fixes applied.
import * as path from 'path';
import { analyze, type Analysis } from '../../../src/compose/analyze';
import type { EngineSnapshot, Finding, Fix, TextEdit } from '../../../src/compose/types';
import { rng } from '../../fuzz/generate';

export const DIR = '/project';

export interface Lint extends Analysis {
  files: Record<string, string>;
  /** The source text a finding points at. */
  textOf(f: Finding): string;
  of(rule: string): Finding[];
}

export function lint(files: Record<string, string> | string, opts: { files?: string[]; env?: Record<string, string>; engine?: EngineSnapshot } = {}): Lint {
  const byName = typeof files === 'string' ? { 'compose.yaml': files } : files;
  const host = { readFile: (p: string) => byName[path.relative(DIR, p)] };
  const a = analyze({ dir: DIR, ...(opts.files ? { files: opts.files } : {}), env: opts.env ?? {} }, host, opts.engine);
  return {
    ...a,
    files: byName,
    textOf: (f) => (byName[path.relative(DIR, f.span.file)] ?? '').slice(f.span.start, f.span.end),
    of: (rule) => a.findings.filter((f) => f.rule === rule),
  };
}

/** Applies a fix's edits (last first, so offsets stay valid) and returns the new files. */
export function applyFix(files: Record<string, string>, fix: Fix): Record<string, string> {
  const out = { ...files };
  const byFile = new Map<string, TextEdit[]>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    const name = path.relative(DIR, file);
    let text = out[name];
    for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    out[name] = text;
  }
  return out;
}

export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/**
 * A random project of 12 services on 5 networks (one with enable_icc false): URLs naming services and aliases,
 * network_mode host and service:X, aliases. The same project for the same seed.
 */
export function randomNetworkProject(seed: number): string {
  const rnd = rng(seed); // mulberry32, deterministic from the seed
  const pick = (n: number) => Math.floor(rnd() * n);
  const services = 12;
  const lines = ['services:'];
  for (let i = 0; i < services; i++) {
    lines.push(`  s${i}:`, '    image: x');
    const refs = Array.from({ length: 1 + pick(3) }, () => `http://${rnd() < 0.2 ? `al${pick(4)}` : `s${pick(services)}`}:80`);
    lines.push('    environment:', ...refs.map((r, k) => `      URL${k}: ${r}`));
    const mode = rnd();
    if (mode < 0.1) lines.push('    network_mode: host');
    else if (mode < 0.2) lines.push(`    network_mode: service:s${pick(services)}`);
    else {
      const nets = [...new Set(Array.from({ length: 1 + pick(2) }, () => `n${pick(5)}`))];
      lines.push('    networks:', ...nets.map((n) => (rnd() < 0.2 ? `      ${n}: {aliases: [al${pick(4)}]}` : `      ${n}: {}`)));
    }
  }
  lines.push('networks:');
  for (let n = 0; n < 5; n++) lines.push(`  n${n}:`, ...(n === 4 ? ['    driver_opts: {com.docker.network.bridge.enable_icc: "false"}'] : ['    {}']).map((l) => (l === '    {}' ? '    driver: bridge' : l)));
  return lines.join('\n') + '\n';
}
