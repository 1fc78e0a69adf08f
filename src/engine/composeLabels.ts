// Where a running Compose project's files are, from the labels Compose puts on its containers.
import * as path from 'path';

/**
 * The compose files as absolute paths on the engine's machine.
 * Compose v2 records absolute paths in `config_files`. Compose v1 records them as given on the command line,
 * relative to the directory it ran in, and records the project directory (the first file's folder) in
 * `working_dir`: `docker-compose -f sub/docker-compose.yml` run in /tmp/x gives `sub/docker-compose.yml` and
 * /tmp/x/sub (observed with docker-compose 1.29). So the directory it ran in is `working_dir` without the first
 * file's folder, and every relative file resolves against that.
 */
export function composeConfigFiles(configFiles: string | undefined, workingDir: string | undefined): string[] {
  const files = (configFiles ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  if (!workingDir) return files;
  const p = /^[a-zA-Z]:[\\/]|^\\\\/.test(workingDir) ? path.win32 : path.posix;
  if (!p.isAbsolute(workingDir)) return files;
  const relative = files.find((f) => !p.isAbsolute(f));
  const ranIn = relative ? runDirectory(p, workingDir, relative) : workingDir;
  return files.map((f) => (p.isAbsolute(f) ? f : p.resolve(ranIn, f)));
}

/** The directory Compose ran in, given the project directory and the first file as it was written. */
function runDirectory(p: path.PlatformPath, workingDir: string, firstFile: string): string {
  const folder = p.normalize(p.dirname(firstFile));
  if (folder === '.') return workingDir;
  const wd = p.normalize(workingDir).replace(/[\\/]+$/, '');
  const parts = folder.split(/[\\/]/);
  // Only a plain downward folder can be taken off the end; "../x" or a project directory override cannot be undone.
  if (!parts.includes('..') && wd.endsWith(p.sep + parts.join(p.sep))) return wd.slice(0, wd.length - folder.length - 1) || p.sep;
  return workingDir;
}
