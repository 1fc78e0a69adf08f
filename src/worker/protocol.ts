// Messages between the extension host and the analysis worker: plain data that structured clone carries.
import type { Position } from '../compose/text';
import type { LensSpec } from '../compose/lenses';
import type { StackMode } from '../compose/stack';
import type { EngineSnapshot, Severity } from '../compose/types';

/** Analyse the project made of `files` (in `dir`), seeing the editor's unsaved text where a file is open. */
export interface AnalysisRequest {
  id: number;
  dir: string;
  files: string[];
  /** Text of open editors, by file path: it wins over the disk, as in the editor. */
  open: Record<string, string>;
  /** Files larger than this are refused (a finding at the reference), never read. */
  maxFileBytes: number;
  engine?: EngineSnapshot;
  /** Active Compose profiles (the editor setting); empty: COMPOSE_PROFILES from the environment or `.env`. */
  profiles?: string[];
  /** `dockerNetworking.compose.stackMode`: stack semantics always, never, or detected (auto). */
  stackMode?: StackMode;
  /** The file open in the editor that asked: its code lenses and fix-all come back with the findings. */
  editorFile?: string;
}

export interface WireRange {
  start: Position;
  end: Position;
}

/** A finding with its ranges already in lines and columns (the worker has the texts; the host need not parse). */
export interface WireFinding {
  rule: string;
  severity: Severity;
  message: string;
  file: string;
  range: WireRange;
  related: Array<{ file: string; range: WireRange; message: string }>;
  /** The titles of its quick fixes (their edits are built on this thread when one is picked). */
  fixes: Array<{ title: string; preferred: boolean }>;
}

export interface WireLocation {
  file: string;
  range: WireRange;
}

/** A code lens (compose/lenses.ts LensSpec) with its ranges in lines and columns. */
export interface WireLens {
  kind: LensSpec['kind'];
  range: WireRange;
  title?: string;
  network?: string;
  /** create-network: the engine name to create. */
  name?: string;
  service?: string;
  references?: WireLocation[];
}

/** What the editor shows for one file beside its diagnostics, from the same analysis. */
export interface EditorDetails {
  file: string;
  /** The Compose project name (containers carry it in their labels). */
  projectName: string;
  lenses: WireLens[];
  /** How many problems of the file "fix all" fixes (compose/fixes.ts chooseFixes). */
  fixAllCount: number;
}

/** What the worker read from disk: the text, a refusal (FIFO, device, too large...) with its reason, or nothing there. */
export type DiskRead = { kind: 'text'; text: string } | { kind: 'refused'; message: string } | { kind: 'missing' };

export type AnalysisResponse =
  | {
      id: number;
      ok: true;
      /** Every file the project is made of (those read through include and extends too). */
      projectFiles: string[];
      findings: WireFinding[];
      /** Each disk file the analysis asked for, so the host can answer the same questions without touching the disk. */
      reads: Record<string, DiskRead>;
      /** Characters analysed: how large the project is. */
      size: number;
      /** For the request's editorFile. */
      editor?: EditorDetails;
    }
  | { id: number; ok: false; message: string };
