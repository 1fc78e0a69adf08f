import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SshDialError, SshStdioSocket, classifySshFailure, sshArgv } from '../../../src/engine/sshTransport';
import { describeFailure } from '../../../src/engine/dockerodeClient';

describe('ssh transport', () => {
  const t = { host: 'box', port: 2222, user: 'ops' };

  it('runs `docker system dial-stdio` like the docker CLI, in batch mode, with the host after `--`', () => {
    assert.deepStrictEqual(sshArgv(t), ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-T', '-l', 'ops', '-p', '2222', '--', 'box', 'docker', 'system', 'dial-stdio']);
    assert.deepStrictEqual(sshArgv({ host: 'alias' }).slice(-6), ['-T', '--', 'alias', 'docker', 'system', 'dial-stdio'], 'no -p/-l: ~/.ssh/config decides');
    assert.throws(() => sshArgv({ host: '-oProxyCommand=x' }), /not a host name/);
  });

  it('names the failed step and what to do for what ssh prints', () => {
    const cases: Array<[string, number, string, RegExp]> = [
      ['Host key verification failed.', 255, 'ssh host key', /known_hosts/],
      ['ops@box: Permission denied (publickey).', 255, 'ssh authentication', /ssh-add/],
      ['ssh: Could not resolve hostname box: Name or service not known', 255, 'ssh connection', /host name/],
      ['ssh: connect to host box port 2222: Connection refused', 255, 'ssh connection', /sshd runs/],
      ['bash: line 1: docker: command not found', 127, 'remote docker', /docker CLI/],
      ['Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?', 1, 'remote docker', /start dockerd there/],
    ];
    for (const [stderr, code, step, hint] of cases) {
      const e = classifySshFailure(t, code, stderr);
      assert.strictEqual(e.step, step, stderr);
      assert.match(e.hint, hint, stderr);
    }
  });

  it('becomes an EngineProblem that says the step, not "socket hang up"', () => {
    const p = describeFailure({ display: 'ssh://ops@box:2222', source: 'setting' }, classifySshFailure(t, 255, 'Host key verification failed.'));
    assert.strictEqual(p.reason, 'ssh host key failed: Host key verification failed');
    assert.match(p.hint, /ssh -p 2222 ops@box/);
  });

  describe('socket over a process (a stand-in `ssh` script)', () => {
    let dir: string;
    const fakeSsh = (body: string) => {
      const file = path.join(dir, `ssh-${Math.random().toString(36).slice(2)}`);
      fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      return file;
    };
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-ssh-'))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('has setTimeout, setNoDelay, setKeepAlive, ref and unref (docker-modem and http call them)', async () => {
      const sock = new SshStdioSocket(t, { sshCommand: fakeSsh('cat') });
      for (const m of ['setTimeout', 'setNoDelay', 'setKeepAlive', 'ref', 'unref'] as const) assert.strictEqual(typeof sock[m], 'function', m);
      let fired = false;
      sock.setTimeout(50, () => (fired = true));
      // still connecting (no byte back yet): the short idle timeout does not apply, ssh gets its connect budget
      await new Promise((r) => setTimeout(r, 300));
      assert.strictEqual(fired, false, 'timed out while ssh was still connecting');
      const echoed = new Promise((resolve) => sock.once('data', resolve));
      sock.write('x');
      await echoed;
      // answered: now the caller's idle timeout applies
      await new Promise<void>((resolve) => sock.once('timeout', resolve));
      sock.destroy();
    });

    it('carries bytes both ways and ends when ssh exits 0', async () => {
      const sock = new SshStdioSocket(t, { sshCommand: fakeSsh('cat') });
      const chunks: Buffer[] = [];
      sock.on('data', (c: Buffer) => chunks.push(c));
      const ended = new Promise<void>((resolve) => sock.on('end', resolve));
      sock.end('hello');
      await ended;
      assert.strictEqual(Buffer.concat(chunks).toString(), 'hello');
    });

    it('fails with the classified error when ssh exits non-zero, after stdout ended', async () => {
      const sock = new SshStdioSocket(t, { sshCommand: fakeSsh('echo "ops@box: Permission denied (publickey)." >&2; exit 255') });
      const err = await new Promise<Error>((resolve) => sock.on('error', resolve));
      assert.ok(err instanceof SshDialError);
      assert.strictEqual(err.step, 'ssh authentication');
    });

    it('says when there is no ssh to run', async () => {
      const sock = new SshStdioSocket(t, { sshCommand: path.join(dir, 'no-such-ssh') });
      const err = await new Promise<Error>((resolve) => sock.on('error', resolve));
      assert.ok(err instanceof SshDialError);
      assert.strictEqual(err.step, 'spawn ssh');
      assert.match(err.hint, /OpenSSH client/);
    });
  });
});
