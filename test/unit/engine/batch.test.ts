// The probe script that runs one source's questions together (src/engine/probes/batch.ts): run here with the
// machine's own `sh`, so its quoting, its job numbering and its reading are checked without an engine.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ANSWER_DIR_PREFIX, ANSWER_DIRS } from '../../../src/engine/exec';
import { batchArgv, batchNoShell, readBatch } from '../../../src/engine/probes/batch';

function runLocally(jobs: string[][], timeoutS = 5, env?: NodeJS.ProcessEnv): string {
  const argv = batchArgv(jobs, timeoutS);
  try {
    return execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 20_000, ...(env ? { env } : {}) });
  } catch (err) {
    return (err as { stdout?: string }).stdout ?? '';
  }
}

describe('probe batch script', function () {
  this.timeout(30_000);
  it('runs every job with its own argv, never as shell text, and reads back one answer per job', () => {
    const hostile = ['$(touch /tmp/dn-batch-pwned)', '`id`', 'a;b', '"quoted"', "it's", '*', '${1}', 'two words', ''];
    const jobs = [['printf', '%s\\n', ...hostile], ['sh', '-c', 'echo out; echo err >&2; exit 3'], ['dn-no-such-tool-h13a'], ['true']];
    const answers = readBatch(runLocally(jobs), jobs.length);
    assert.deepStrictEqual(answers[0], { exitCode: 0, output: `${hostile.join('\n')}\n` });
    assert.strictEqual(answers[1]?.exitCode, 3);
    assert.match(answers[1]!.output, /out\nerr|err\nout/);
    assert.strictEqual(answers[2]?.exitCode, 127, 'a missing tool reads as 126/127: the caller falls back for that question only');
    assert.deepStrictEqual(answers[3], { exitCode: 0, output: '' });
    assert.throws(() => execFileSync('test', ['-e', '/tmp/dn-batch-pwned']));
  });

  it('runs the jobs side by side: ten 1-second jobs take about one second', () => {
    const started = Date.now();
    const answers = readBatch(runLocally(Array.from({ length: 10 }, () => ['sleep', '1'])), 10);
    assert.ok(answers.every((a) => a?.exitCode === 0));
    // Not a timing claim (bench/ measures speed): ten in sequence would take 10 s.
    assert.ok(Date.now() - started < 8_000, `${Date.now() - started} ms`);
  });

  it('stops the jobs still running at its deadline (137: the caller reads it as the deadline); the jobs that finished still answer', () => {
    const started = Date.now();
    const [slow, quick] = readBatch(runLocally([['sleep', '30'], ['echo', 'hi']], 1), 2);
    assert.strictEqual(slow?.exitCode, 137);
    assert.deepStrictEqual(quick, { exitCode: 0, output: 'hi\n' });
    assert.ok(Date.now() - started < 15_000, `${Date.now() - started} ms`);
  });

  it('keeps each answer in a private directory while it runs (one process a job) and removes it at the end', () => {
    const dirs = () => ANSWER_DIRS.flatMap((d) => (fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.startsWith(ANSWER_DIR_PREFIX)).map((f) => path.join(d, f)) : []));
    const before = new Set(dirs());
    // The job reports where its output goes: a file of the script's own directory, not a pipe to a subshell.
    const [where] = readBatch(runLocally([['readlink', '/proc/self/fd/1']]), 1);
    assert.strictEqual(where?.exitCode, 0);
    assert.match(where!.output, new RegExp(`^(${ANSWER_DIRS.join('|')})/${ANSWER_DIR_PREFIX.replace('.', '\\.')}\\d+/0\\n$`));
    assert.deepStrictEqual(dirs().filter((d) => !before.has(d)), [], 'the answers directory is removed');
  });

  it('where no directory can be made (a read-only container), runs each job in a subshell with the same answers and deadline', function () {
    // A `mkdir` that always fails, first on PATH: the script cannot make its answers directory.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-batch-ro-'));
    try {
      fs.writeFileSync(path.join(bin, 'mkdir'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
      const [where, missing, echoed] = readBatch(runLocally([['readlink', '/proc/self/fd/1'], ['dn-no-such-tool-h13a'], ['printf', '%s\\n', 'a b', '$(id)']], 5, env), 3);
      assert.match(where!.output, /^pipe:/, 'a subshell captures the output');
      assert.strictEqual(missing?.exitCode, 127);
      assert.deepStrictEqual(echoed, { exitCode: 0, output: 'a b\n$(id)\n' });
      // Subshell mode: the deadline stops the whole script (as a group leader, as an exec in a container is).
      try {
        execFileSync('setsid', ['true']);
      } catch {
        this.skip();
      }
      const argv = batchArgv([['sleep', '30'], ['echo', 'hi']], 1);
      let out = '';
      try {
        out = execFileSync('setsid', ['-w', ...argv], { encoding: 'utf8', timeout: 20_000, env });
      } catch (err) {
        out = (err as { stdout?: string }).stdout ?? '';
      }
      const [slow, quick] = readBatch(out, 2);
      assert.strictEqual(slow, undefined, 'no answer from the job the deadline stopped');
      assert.deepStrictEqual(quick, { exitCode: 0, output: 'hi\n' });
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  it('reads interleaved lines by job number; a job without a status line has no answer', () => {
    const out = ['1|b1', '0|a1', '1|b2', '0|a2', '0=0', 'noise', '1=1', '2|c1'].join('\n');
    assert.deepStrictEqual(readBatch(out, 3), [{ exitCode: 0, output: 'a1\na2\n' }, { exitCode: 1, output: 'b1\nb2\n' }, undefined]);
  });

  it('tells a missing shell (nothing ran) from a job whose tool is missing', () => {
    assert.ok(batchNoShell({ exitCode: 127, output: 'OCI runtime exec failed: exec: "sh": executable file not found in $PATH' }));
    assert.ok(!batchNoShell({ exitCode: 0, output: '0|sh: ping: not found\n0=127\n' }));
  });

  it('refuses a job that is not an argv', () => {
    assert.throws(() => batchArgv([[]], 1));
    assert.throws(() => batchArgv([['echo', 'a\0b']], 1));
    assert.throws(() => batchArgv([['nc x', 'a']], 1), 'a tool name is one word');
  });
});
