// Stack semantics: a compose file deployed with `docker stack deploy` (Swarm), not `docker compose up`.
// There `overlay` is the default driver, each service answers to its name (the VIP, or the tasks' addresses with
// `endpoint_mode: dnsrr`) and to `tasks.<service>` (every task's address), and `container_name`, `links` and
// `network_mode` are ignored ("Ignoring unsupported options" in the docker CLI).
// A project is a stack when the CLI gets `--stack`, the editor setting `dockerNetworking.compose.stackMode` is
// `always`, or (mode `auto`, the default) a service's `deploy:` has a key only Swarm uses, a file's name says "stack",
// or the project is named like a stack deployed on the engine (a fact the editor's engine lookup passes in).
import * as path from 'path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Service } from './model';
import type { Located, Span } from './types';

export type StackMode = 'auto' | 'always' | 'never';

export const STACK_MODES: readonly StackMode[] = ['auto', 'always', 'never'];

/** `deploy:` keys that only `docker stack deploy` acts on (Compose ignores them). */
export const SWARM_ONLY_DEPLOY_KEYS = ['mode', 'placement', 'endpoint_mode', 'update_config', 'rollback_config', 'restart_policy'] as const;

/** The first Swarm-only `deploy:` key of a service, when it has one. */
export function swarmOnlyDeployKey(svc: Service): string | undefined {
  const deploy = svc.entries.get('deploy')?.pair.value;
  if (!isMap(deploy)) return undefined;
  return SWARM_ONLY_DEPLOY_KEYS.find((k) => deploy.has(k));
}

/** Stacks deployed on the engine (services labelled com.docker.stack.namespace=NAME), and this project's name. */
export interface DeployedStacks {
  projectName: string;
  stacks: readonly string[];
}

/** Whether the project follows stack semantics. */
export function isStackProject(mode: StackMode | undefined, files: string[], services: Iterable<Service>, deployed?: DeployedStacks): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  if (deployed?.stacks.includes(deployed.projectName)) return true;
  if (files.some((f) => /stack/i.test(path.basename(f)))) return true;
  for (const svc of services) if (swarmOnlyDeployKey(svc)) return true;
  return false;
}

/** A scalar under the service's `deploy:` (e.g. `endpoint_mode`, `mode`), with where it is written. */
export function deployValue(svc: Service, key: string): Located | undefined {
  const entry = svc.entries.get('deploy');
  const deploy = entry?.pair.value;
  if (!entry || !isMap(deploy)) return undefined;
  const node = deploy.get(key, true) as Node | undefined;
  if (!isScalar(node) || !node.range) return undefined;
  const value = String(node.value ?? '');
  return { value, span: { file: entry.keySpan.file, start: node.range[0], end: node.range[1] }, ...(value.includes('${') ? { unknown: true } : {}) };
}

export interface StackPort {
  span: Span;
  /** `ingress` (the default, and every short-syntax port) or `host`. */
  mode: 'ingress' | 'host' | 'unknown';
  published?: string;
}

/** The service's ports as a stack publishes them: short syntax is ingress; the long syntax says `mode:`. */
export function stackPorts(svc: Service): StackPort[] {
  const entry = svc.entries.get('ports');
  const list = entry?.pair.value;
  if (!entry || !isSeq(list)) return [];
  const file = entry.keySpan.file;
  const out: StackPort[] = [];
  for (const item of list.items) {
    const node = item as Node;
    if (!node?.range) continue;
    const span = { file, start: node.range[0], end: node.range[1] };
    if (isScalar(node)) {
      const raw = String(node.value ?? '');
      // `[ip:]published:target[/proto]`: published when there is a host part.
      const parts = raw.replace(/\/\w+$/, '').split(':');
      out.push({ span, mode: 'ingress', ...(parts.length >= 2 ? { published: parts[parts.length - 2] } : {}) });
    } else if (isMap(node)) {
      const mode = node.get('mode');
      const published = node.get('published');
      out.push({
        span,
        mode: mode === undefined || mode === 'ingress' ? 'ingress' : mode === 'host' ? 'host' : 'unknown',
        ...(published !== undefined && published !== null && String(published) !== '' ? { published: String(published) } : {}),
      });
    }
  }
  return out;
}

/** The default driver of a network under these semantics. */
export function defaultDriver(isStack: boolean): string {
  return isStack ? 'overlay' : 'bridge';
}

/** The driver a declared network gets: its own, else the default of the project's semantics (a stack: overlay). */
export function networkDriver(decl: { driver?: { value: string } } | undefined, isStack: boolean): string {
  return decl?.driver?.value ?? defaultDriver(isStack);
}
