// Docker contexts as the docker CLI stores them (~/.docker/contexts/meta/<sha256(name)>/meta.json): the list a user
// picks from, and which one is current. Resolving a context to an endpoint is endpoint.ts's job.
import * as path from 'path';
import { currentContextName, dockerConfigDir, type EndpointFiles } from './endpoint';

export interface DockerContext {
  name: string;
  /** The Docker host it points at (`unix://…`, `tcp://…`, `ssh://…`); for "default", DOCKER_HOST or the default socket. */
  host: string;
  description?: string;
  /** The docker CLI's current context (DOCKER_CONTEXT, else config.json's currentContext, else "default"). */
  current: boolean;
  /** Why it cannot be used (unreadable metadata), when it cannot. */
  problem?: string;
}

/** "default" first, then the stored contexts by name. */
export function listContexts(env: NodeJS.ProcessEnv, files: EndpointFiles): DockerContext[] {
  const current = currentContextName(env, files) ?? 'default';
  const metaRoot = path.join(dockerConfigDir(env, files), 'contexts', 'meta');
  const out: DockerContext[] = [];
  for (const id of files.list?.(metaRoot) ?? []) {
    const file = path.join(metaRoot, id, 'meta.json');
    const text = files.readFile(file);
    if (text === undefined) continue;
    try {
      const meta = JSON.parse(text) as { Name?: string; Metadata?: { Description?: string }; Endpoints?: { docker?: { Host?: string } } };
      if (!meta.Name) continue;
      out.push({
        name: meta.Name,
        host: meta.Endpoints?.docker?.Host ?? '',
        ...(meta.Metadata?.Description ? { description: meta.Metadata.Description } : {}),
        current: meta.Name === current,
        ...(meta.Endpoints?.docker?.Host ? {} : { problem: 'names no Docker host' }),
      });
    } catch (err) {
      out.push({ name: `(${id.slice(0, 12)})`, host: '', current: false, problem: `${file} is not valid JSON: ${(err as Error).message}` });
    }
  }
  out.sort((a, b) => a.name.localeCompare(b.name));
  const defaultHost = env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock';
  return [{ name: 'default', host: defaultHost, description: 'DOCKER_HOST or the default socket', current: current === 'default' }, ...out];
}
