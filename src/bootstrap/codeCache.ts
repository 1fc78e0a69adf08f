// Loads a CommonJS bundle through V8's code cache (vm.Script cachedData): the first run writes what V8 compiled,
// after the command ran (so the functions it used are in it), next to the bundle; later runs skip most of the
// parsing and compiling. Node 20 has no module.enableCompileCache, and that one would change every module of the
// process (in the extension host: other extensions' too); this touches only our bundle.
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import * as vm from 'vm';

export interface CodeCacheOptions {
  /** Also write a missing cache this long after loading (the extension host rarely exits cleanly); always at exit. */
  writeAfterMs?: number;
  /** false: use a cache but never write one (a worker thread: the main thread writes it). Default true. */
  write?: boolean;
  /**
   * A name for the V8 flags the process runs with ('lean': the CLI's optimizing compiler off): V8 refuses a cache
   * written under other flags, so each set has its own file (`file`.lean.cache), and runs of both kinds keep theirs.
   */
  flavor?: string;
}

/** What loadWithCodeCache did, for tests and benchmarks. */
export interface CodeCacheResult {
  exports: unknown;
  /**
   * 'hit': V8 took the cache; 'miss': none, stale or refused (one is written); 'off': COMPOSE_NET_CODE_CACHE=0;
   * 'loaded': this process already has the module (loaded or loading): its exports, as `require` gives them.
   */
  cache: 'hit' | 'miss' | 'off' | 'loaded';
  cacheFile: string;
}

// The bundle's text starts on line 1 of the script: the wrapper sits on line 0.
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {\n';
const WRAPPER_TAIL = '\n})';

/**
 * The cache is used only when it was written for this bundle file (size, modification time), this Node and
 * architecture, by the bundle's owner: V8 checks its own version and flags but only the source's length.
 */
function cacheKey(stat: fs.Stats): string {
  return `compose-net code cache 1 ${process.version} ${process.arch} ${stat.size} ${stat.mtimeMs}\n`;
}

function readCache(cacheFile: string, key: string, owner: number): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(cacheFile, 'r');
    const st = fs.fstatSync(fd);
    if (!st.isFile() || (typeof process.getuid === 'function' && st.uid !== owner)) return undefined;
    const data = fs.readFileSync(fd);
    return data.subarray(0, key.length).toString('latin1') === key ? data.subarray(key.length) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes the cache atomically (a temporary file renamed over it), or nothing where the folder is read-only. */
function writeCache(cacheFile: string, key: string, script: vm.Script): void {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.accessSync(path.dirname(cacheFile), fs.constants.W_OK);
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(key, 'latin1'), script.createCachedData()]));
    fs.renameSync(tmp, cacheFile);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing to clean up
    }
  }
}

/** Requires `file` (a CommonJS bundle) as `require` would, compiled with V8's code cache `file`.cache. */
export function loadWithCodeCache(file: string, options: CodeCacheOptions = {}): CodeCacheResult {
  const cacheFile = options.flavor ? `${file}.${options.flavor}.cache` : `${file}.cache`;
  // Once per process, as require does: a second evaluation would make second copies of every class and module state.
  const existing = Module.createRequire(file).cache[file];
  if (existing) return { exports: existing.exports, cache: 'loaded', cacheFile };
  const source = fs.readFileSync(file, 'utf8');
  const stat = fs.statSync(file);
  const enabled = process.env.COMPOSE_NET_CODE_CACHE !== '0';
  const key = cacheKey(stat);
  const cachedData = enabled ? readCache(cacheFile, key, stat.uid) : undefined;
  const script = new vm.Script(WRAPPER_HEAD + source + WRAPPER_TAIL, { filename: file, lineOffset: -1, cachedData });
  const hit = cachedData !== undefined && !script.cachedDataRejected;

  const mod = new Module(file, module);
  mod.filename = file;
  const req = Module.createRequire(file);
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  req.cache[file] = mod;
  (script.runInThisContext() as (...args: unknown[]) => void).call(mod.exports, mod.exports, req, mod, file, path.dirname(file));
  mod.loaded = true;

  if (enabled && !hit && options.write !== false) {
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      writeCache(cacheFile, key, script);
    };
    process.once('exit', write);
    if (options.writeAfterMs !== undefined) setTimeout(write, options.writeAfterMs).unref();
  }
  return { exports: mod.exports, cache: !enabled ? 'off' : hit ? 'hit' : 'miss', cacheFile };
}
