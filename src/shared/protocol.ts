// The messages between the extension host and the diagram webview, typed once for both sides and checked on receipt.

import type { Flow } from '../traffic/summary';
export interface LiveService {
  state: string;
  /** Address per network key (the compose network name). */
  addresses: Record<string, string>;
}

/** Receive/transmit bytes per second of a service's container on one network (the attachment's live rate). */
export interface LiveRate {
  rx: number;
  tx: number;
  /** As the Networks view writes it ("↓12.3 kB/s ↑850 B/s"). */
  text: string;
  /** Both directions together ("13.2 kB/s"): what fits after an address on a card. */
  total: string;
}

/** A published port of the running project as the engine bound it on its host. */
export interface BoundPort {
  port: number;
  protocol: string;
  hostIp: string;
  /** Bound to 0.0.0.0 or :: : reachable on every interface of the host (Docker's rules come before ufw's). */
  allInterfaces: boolean;
}

/** A flow observed by "Record Flows" between two services; `unexpected`: the file keeps them apart. */
export interface ObservedFlow extends Pick<Flow, 'from' | 'to' | 'protocol' | 'port' | 'packets' | 'bytes'> {
  unexpected: boolean;
}

export type HostToWebview =
  | { type: 'render'; file: string; svg: string; networks: string[]; networksOf: Record<string, string[]> }
  | { type: 'highlight'; service: string | null }
  /** `unavailable`: the engine could not be asked, so no card may show a live state (says why). */
  /** `rates`: service -> network key -> live rate on that attachment (while live counters sample). */
  /** `bound`: the project's ports as the engine bound them on its host (the Host card marks every-interface ones). */
  | { type: 'overlay'; services: Record<string, LiveService>; unavailable?: string; rates?: Record<string, Record<string, LiveRate>>; bound?: BoundPort[] }
  /** Flows of the last recording of this project (`seconds` long), drawn over the diagram; an empty list clears them. */
  | { type: 'flows'; flows: ObservedFlow[]; seconds: number }
  | { type: 'error'; message: string };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'rendered'; file: string; services: number; networks: number }
  /** The overlay was applied: how many cards show a live line, and the unavailability note shown, if any. */
  /** `exposed`: Host card lines marked as bound on every interface. */
  | { type: 'overlaid'; live: number; unavailable?: string; rated?: number; exposed?: number }
  /** Observed flows were drawn: edges on screen, and how many of them are marked as warnings. */
  | { type: 'flowsShown'; edges: number; warnings: number }
  | { type: 'reveal'; kind: 'service' | 'network'; name: string }
  | { type: 'export'; format: 'svg' | 'png'; data: string };

const isString = (v: unknown): v is string => typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Accepts only well-formed messages from the webview (it is a browser page: treat its input as untrusted). */
export function isWebviewToHost(v: unknown): v is WebviewToHost {
  if (!isObject(v) || !isString(v.type)) return false;
  switch (v.type) {
    case 'ready':
      return true;
    case 'rendered':
      return isString(v.file) && typeof v.services === 'number' && typeof v.networks === 'number';
    case 'overlaid':
      return typeof v.live === 'number' && (v.unavailable === undefined || isString(v.unavailable)) && (v.rated === undefined || typeof v.rated === 'number') && (v.exposed === undefined || typeof v.exposed === 'number');
    case 'flowsShown':
      return typeof v.edges === 'number' && typeof v.warnings === 'number';
    case 'reveal':
      return (v.kind === 'service' || v.kind === 'network') && isString(v.name) && v.name.length < 256;
    case 'export':
      return (v.format === 'svg' || v.format === 'png') && isString(v.data) && v.data.length < 50_000_000;
    default:
      return false;
  }
}

export function isHostToWebview(v: unknown): v is HostToWebview {
  if (!isObject(v) || !isString(v.type)) return false;
  switch (v.type) {
    case 'render':
      return isString(v.file) && isString(v.svg) && Array.isArray(v.networks) && isObject(v.networksOf);
    case 'highlight':
      return v.service === null || isString(v.service);
    case 'overlay':
      return isObject(v.services) && (v.unavailable === undefined || isString(v.unavailable)) && (v.rates === undefined || isObject(v.rates)) && (v.bound === undefined || Array.isArray(v.bound));
    case 'flows':
      return Array.isArray(v.flows) && typeof v.seconds === 'number';
    case 'error':
      return isString(v.message);
    default:
      return false;
  }
}
