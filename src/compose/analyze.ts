// The analyzer's front door: a project (or files) in, findings out. Pure: no editor, no engine, no disk.
import type { ComposeProject } from './model';
import { byCodePoint } from './names';
import { loadProject, type LoadOptions, type ProjectHost } from './project';
import { annotateProfiles } from './profiles';
import { ALL_RULES } from './rules';
import { Topology } from './topology';
import type { EngineSnapshot, Finding } from './types';

export interface Analysis {
  project: ComposeProject;
  topology: Topology;
  findings: Finding[];
}

export function analyzeProject(project: ComposeProject, engine?: EngineSnapshot): { topology: Topology; findings: Finding[] } {
  const topology = new Topology(project);
  const ctx = { project, topology, ...(engine ? { engine } : {}) };
  // A finding on a service that only a profile activates says which profile (it is not there without it).
  const findings = annotateProfiles(ALL_RULES.flatMap((rule) => rule(ctx)), project);
  return { topology, findings };
}

/** Loads the project the way Compose does and runs every rule; loading problems come first. */
export function analyze(options: LoadOptions, host: ProjectHost, engine?: EngineSnapshot): Analysis {
  // Stacks deployed on the engine decide stack semantics in auto mode (compose/stack.ts isStackProject).
  const { project, findings: loadFindings } = loadProject(engine?.stacks ? { ...options, deployedStacks: engine.stacks } : options, host);
  const { topology, findings } = analyzeProject(project, engine);
  return { project, topology, findings: sortFindings([...loadFindings, ...findings], project) };
}

export function sortFindings(findings: Finding[], project: ComposeProject): Finding[] {
  const order = new Map([...project.files.keys()].map((f, i) => [f, i]));
  return [...findings].sort(
    (a, b) => (order.get(a.span.file) ?? 1e9) - (order.get(b.span.file) ?? 1e9) || byCodePoint(a.span.file, b.span.file) || a.span.start - b.span.start || byCodePoint(a.rule, b.rule),
  );
}
