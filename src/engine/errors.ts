// Engine failures as values a user can act on: which endpoint, what went wrong, what to do.
import type { EngineEndpoint } from './model';

export interface EngineProblem {
  endpoint: EngineEndpoint;
  /** What failed, in the engine's or the OS's words. */
  reason: string;
  /** What the user can do about it. */
  hint: string;
}

export function describeConnectionError(endpoint: EngineEndpoint, err: unknown): EngineProblem {
  const e = err as NodeJS.ErrnoException & { statusCode?: number; json?: { message?: string } };
  const code = e?.code;
  const base = { endpoint };
  switch (code) {
    case 'ENOENT':
      return { ...base, reason: `no socket at ${endpoint.display} (ENOENT)`, hint: 'Start the Docker daemon (e.g. `sudo systemctl start docker` or `dockerd`), or point DOCKER_HOST (in VS Code: "dockerNetworking.dockerHost") at a running engine.' };
    case 'EACCES':
      return { ...base, reason: `permission denied on ${endpoint.display} (EACCES)`, hint: 'Add your user to the "docker" group and log in again, or point "dockerNetworking.dockerHost" at an endpoint you may use.' };
    case 'ECONNREFUSED':
      return { ...base, reason: `connection refused by ${endpoint.display} (ECONNREFUSED)`, hint: 'Start the Docker daemon, or check "dockerNetworking.dockerHost" and DOCKER_HOST.' };
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return { ...base, reason: `no answer from ${endpoint.display} (timed out)`, hint: 'Check that the engine is running and reachable from this machine.' };
    case 'ENOTFOUND':
      return { ...base, reason: `host of ${endpoint.display} not found (ENOTFOUND)`, hint: 'Check the host name in "dockerNetworking.dockerHost" or DOCKER_HOST.' };
  }
  const message = e?.json?.message ?? e?.message ?? String(err);
  return { ...base, reason: message, hint: 'Check that the Docker daemon is running, then retry.' };
}

/** A failed engine call, carrying a problem description the UI can show as is. */
export class EngineError extends Error {
  constructor(readonly problem: EngineProblem) {
    super(`Docker Engine at ${problem.endpoint.display}: ${problem.reason}. ${problem.hint}`);
    this.name = 'EngineError';
  }
}
