// A container's TCP socket tables read from this machine's /proc, when the engine runs here: no exec into the
// container (an exec costs the engine about a quarter of a second of CPU; verify would otherwise spend one per
// container just to learn its listening ports). Only when the PID the engine reports is, seen from here, a
// process of that very container: its /proc/PID/cgroup names the container's ID before and after the read (a
// remote engine, a VM (Docker Desktop), or another PID namespace all fail that and the caller execs instead).
import { promises as fs } from 'fs';

/** The text of /proc/PID/net/tcp and tcp6 of `containerId`'s main process, or undefined when that cannot be done here. */
export async function socketTablesOnThisHost(containerId: string, pid: number | undefined): Promise<string | undefined> {
  if (process.platform !== 'linux' || !pid || !Number.isInteger(pid) || pid <= 1 || !/^[0-9a-f]{64}$/.test(containerId)) return undefined;
  const isThatContainer = async () => (await fs.readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '')).includes(containerId);
  if (!(await isThatContainer())) return undefined;
  const read = (file: string) => fs.readFile(`/proc/${pid}/net/${file}`, 'utf8').catch(() => undefined);
  const [tcp, tcp6] = await Promise.all([read('tcp'), read('tcp6')]);
  // The process could have ended and its PID been reused while we read: ask again.
  if (tcp === undefined || !(await isThatContainer())) return undefined;
  return tcp + (tcp6 ?? '');
}
