// dist/cli.js, the `compose-net` command: loads the CLI bundle (dist/cli-main.js) through V8's code cache and runs it.
// A crash while loading exits 2 like any other (runCli), never 0 or 1.
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../cli/process';
import { isLean, startLean, startsLean } from '../cli/tiering';
import { loadWithCodeCache } from './codeCache';

// process.stderr is created only if something is written to it (creating it loads Node's stream modules).
const stderr = { write: (text: string) => process.stderr.write(text) } as NodeJS.WritableStream;

/**
 * Standard output as a pipe or a file, written with fs.writeSync: process.stdout would load Node's net and stream
 * modules (about 8% of a small lint's run). A terminal, a socket or anything else gets process.stdout itself, and so
 * does the rest of the output once the pipe answers EAGAIN (a non-blocking pipe that is full).
 */
export function standardOutput(fd = 1): NodeJS.WriteStream {
  let kind: fs.Stats | undefined;
  try {
    kind = fs.fstatSync(fd);
  } catch {
    kind = undefined;
  }
  if (!kind || !(kind.isFIFO() || kind.isFile())) return process.stdout;
  let stream: NodeJS.WriteStream | undefined;
  const write = (chunk: string | Uint8Array): boolean => {
    if (stream) return stream.write(chunk);
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let at = 0;
    while (at < data.length) {
      try {
        at += fs.writeSync(fd, data, at, data.length - at);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        stream = process.stdout;
        return stream.write(data.subarray(at));
      }
    }
    return true;
  };
  return { write, isTTY: false } as unknown as NodeJS.WriteStream;
}

// A lint over many projects: V8's optimizing compiler off until the run reads enough to earn it back
// (cli/tiering.ts). Before any code loads: V8 refuses a code cache written under other flags, so each set of flags
// has its own cache file.
if (startsLean(process.argv.slice(2))) startLean();
const flavor = isLean() ? 'lean' : undefined;

// dist/cli-engine.js (the engine side, esbuild.js engineOutside) is loaded through the code cache too, on first use.
(globalThis as Record<symbol, unknown>)[Symbol.for('compose-net.loadBundle')] = (file: string) => loadWithCodeCache(file, { flavor }).exports;

runCli(() => {
  const cli = loadWithCodeCache(path.join(__dirname, 'cli-main.js'), { flavor }).exports as typeof import('../cli/main');
  return cli.main(process.argv.slice(2), standardOutput());
}, stderr);
