// A cancelled probe stops inside the container too (issue 13): closing the exec's stream alone leaves the tool
// running in the user's container (a `wget` with no timeout, a long `ping`). The probe is killed with its process
// group by a second exec; `ps` in the container shows it gone.
import * as assert from 'assert';
import { createEngineClient } from '../../src/engine/dockerodeClient';
import { ProbeDeadline } from '../../src/engine/exec';
import { httpArgv } from '../../src/engine/probes';
import { TEST_IMAGE, cleanupTestObjects, createTestNetwork, startTestContainer, uniqueName } from '../support/engine';
import { until } from '../support/until';

const engine = createEngineClient('', {});

/** The command lines running in the container, read with its own `ps`. */
async function processes(containerId: string): Promise<string> {
  const r = await engine.probe(containerId, ['ps'], { probeImage: TEST_IMAGE, fallback: false, deadlineMs: 20_000 });
  return r.output;
}

describe('a cancelled probe leaves no process in the container (real engine)', function () {
  this.timeout(120_000);
  let source: string;
  let sinkAddress: string;

  before(async () => {
    const network = await createTestNetwork();
    source = (await startTestContainer({ name: uniqueName('dn-cancel-src'), HostConfig: { NetworkMode: network } })).id;
    // Accepts a connection and never answers: a wget to it waits forever (busybox wget has no usable timeout).
    const sink = await startTestContainer({ name: uniqueName('dn-cancel-sink'), Cmd: ['nc', '-l', '-p', '8080', '-e', 'sleep', '600'], HostConfig: { NetworkMode: network } });
    sinkAddress = (await sink.inspect()).NetworkSettings.Networks[network].IPAddress;
  });
  after(() => cleanupTestObjects());

  it('a cancelled wget is killed in the container, not just abandoned', async () => {
    const stop = new AbortController();
    const argv = httpArgv(`http://${sinkAddress}:8080/never`);
    const probe = engine.probe(source, argv, { probeImage: TEST_IMAGE, signal: stop.signal, fallback: false, deadlineMs: 60_000 });
    await until('the wget runs in the container', () => processes(source), (ps) => ps.includes(`wget -S --spider http://${sinkAddress}`), 30_000);
    stop.abort();
    const r = await probe;
    assert.strictEqual(r.exitCode, 130, 'a cancel resolves as exit 130');
    // Settled only after the kill: the process is gone at once (no waiting for a timeout it does not have).
    const ps = await processes(source);
    assert.ok(!ps.includes('wget'), `still running after the cancel:\n${ps}`);
  });

  it('a probe past its deadline is killed in the container', async () => {
    const probe = engine.probe(source, ['ping', '-c', '600', '127.0.0.1'], { probeImage: TEST_IMAGE, fallback: false, deadlineMs: 3_000 });
    await assert.rejects(probe, (err: Error) => err instanceof ProbeDeadline);
    const ps = await processes(source);
    assert.ok(!/ping -c 600/.test(ps), `still running after the deadline:\n${ps}`);
  });

  it('the wrapper that makes a probe killable is invisible: same output and exit status as the bare tool', async () => {
    const r = await engine.probe(source, ['sh', '-c', 'echo one; echo two >&2; exit 7'], { probeImage: TEST_IMAGE, fallback: false });
    assert.strictEqual(r.exitCode, 7);
    assert.deepStrictEqual(r.output.split('\n').filter(Boolean).sort(), ['one', 'two']);
    const missing = await engine.probe(source, ['dn-no-such-tool'], { probeImage: TEST_IMAGE, fallback: false });
    assert.strictEqual(missing.exitCode, 127, missing.output);
  });
});
