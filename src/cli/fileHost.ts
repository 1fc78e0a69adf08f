// Reading compose files (and .env, include, extends targets) from disk without ever blocking or exhausting
// memory: only regular files, never under /proc, /sys or /dev (even through a symlink), at most a size cap.
// The CLI's ProjectHost; anything else running in Node (a worker) can use it too.
import * as fs from 'fs';
import * as path from 'path';
import { FileReadError, type ProjectHost } from '../compose/project';
import { decodeText } from '../compose/text';
import { noteInputRead } from './tiering';

/** Compose files are kilobytes; 8 MiB is far past any real one and still quick to analyze. */
export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;

export interface FileHostOptions {
  /** Larger files are refused with a FileReadError (default DEFAULT_MAX_FILE_BYTES). */
  maxBytes?: number;
}

/** Kernel interfaces: reading them can block forever, never end (/dev/zero), or leak secrets (/proc/self/environ). */
const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'];

function isUnder(p: string, root: string): boolean {
  return p === root || p.startsWith(root + path.sep);
}

function kind(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

const MISSING = new Set(['ENOENT', 'ENOTDIR']);

/** The first hop of a symlink chain that lies under /proc, /sys or /dev, if any (at most 40 hops, like the kernel). */
function specialHop(filePath: string): string | undefined {
  let p = path.resolve(filePath);
  for (let i = 0; i < 40; i++) {
    if (SPECIAL_ROOTS.some((root) => isUnder(p, root))) return p;
    let target: string;
    try {
      target = fs.readlinkSync(p);
    } catch {
      return undefined;
    }
    p = path.resolve(path.dirname(p), target);
  }
  return undefined;
}

/** No file and no link at `p` (a link to nowhere is something: the caller looks where it leads). */
function nothingThere(p: string): boolean {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false }) === undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOTDIR';
  }
}

/**
 * The text of a regular file; undefined when it does not exist; FileReadError when it must not be read
 * (FIFO, device, directory, socket, kernel file, larger than the cap, unreadable).
 */
export function readRegularFile(filePath: string, options: FileHostOptions = {}): string | undefined {
  const maxBytes = options.maxBytes !== undefined && Number.isFinite(options.maxBytes) && options.maxBytes >= 0 ? options.maxBytes : DEFAULT_MAX_FILE_BYTES;
  // Nothing there (no file, no link): missing, without the exceptions realpath would throw (a project looks for
  // .env and several compose file names; a monorepo run asks hundreds of times).
  const absolute = path.resolve(filePath);
  if (!SPECIAL_ROOTS.some((root) => isUnder(absolute, root)) && nothingThere(absolute)) return undefined;
  let real: string;
  try {
    real = fs.realpathSync.native(filePath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    // A link that resolves nowhere: missing, unless a hop is a kernel path (/dev/stdin -> /proc/self/fd/0 -> pipe:[…]).
    const hop = MISSING.has(code) ? specialHop(filePath) : undefined;
    if (hop) throw new FileReadError(`refusing to read ${filePath} (${hop}): files under /proc, /sys and /dev are not compose files`);
    if (MISSING.has(code)) return undefined;
    throw new FileReadError(`cannot read ${filePath}: ${code || (err as Error).message}`);
  }
  // Checked before open(): opening some devices has effects of its own.
  const special = SPECIAL_ROOTS.find((root) => isUnder(real, root) || isUnder(absolute, root));
  if (special) throw new FileReadError(`refusing to read ${filePath}${real !== filePath ? ` (${real})` : ''}: files under ${special} are not compose files`);
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO that was swapped in after the check still opens at once (then fstat refuses it).
    fd = fs.openSync(real, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (MISSING.has(code)) return undefined;
    throw new FileReadError(`cannot read ${filePath}: ${code === 'EACCES' ? 'permission denied' : code || (err as Error).message}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new FileReadError(`refusing to read ${filePath}: it is ${kind(stat)}, not a regular file`);
    if (stat.size > maxBytes) throw new FileReadError(`refusing to read ${filePath}: ${stat.size} bytes is more than the ${maxBytes}-byte limit`);
    // Read at most maxBytes + 1: a file that grows while it is read is still bounded.
    const buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(stat.size, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buf.length) break;
      const n = fs.readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw new FileReadError(`refusing to read ${filePath}: more than the ${maxBytes}-byte limit`);
    if (length === buf.length && length <= maxBytes) return readRest(fd, filePath, buf, maxBytes);
    return decodeText(buf.subarray(0, length));
  } catch (err) {
    if (err instanceof FileReadError) throw err;
    throw new FileReadError(`cannot read ${filePath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  } finally {
    fs.closeSync(fd);
  }
}

/** A file that grew past its fstat size while read: keep reading up to the cap. */
function readRest(fd: number, filePath: string, first: Buffer, maxBytes: number): string {
  const chunks = [first];
  let total = first.length;
  const chunk = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    total += n;
    if (total > maxBytes) throw new FileReadError(`refusing to read ${filePath}: more than the ${maxBytes}-byte limit`);
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return decodeText(Buffer.concat(chunks, total));
}

/** The ProjectHost of the CLI: regular files from disk, within the size cap. */
export function createFileHost(options: FileHostOptions = {}): ProjectHost {
  return {
    readFile: (p) => {
      const text = readRegularFile(p, options);
      if (text) noteInputRead(text.length);
      return text;
    },
    exists: (p) => {
      try {
        return fs.statSync(p, { throwIfNoEntry: false }) !== undefined; // stat never blocks, even on a FIFO
      } catch {
        return false; // EACCES, ENOTDIR...
      }
    },
  };
}
