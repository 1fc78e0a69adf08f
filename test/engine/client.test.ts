import * as assert from 'assert';
import { createEngineClient } from '../../src/engine/dockerodeClient';
import { EngineError } from '../../src/engine/errors';
import { TEST_LABEL, cleanupTestObjects, rawDocker, uniqueName, TEST_RUN } from '../support/engine';

describe('DockerodeEngineClient (real engine)', () => {
  after(() => cleanupTestObjects());

  it('lists the built-in networks and one we create, with its subnet', async () => {
    const name = uniqueName('dn-client');
    await rawDocker().createNetwork({
      Name: name,
      Internal: true,
      Labels: { [TEST_LABEL]: TEST_RUN, 'com.docker.compose.project': 'demo' },
      IPAM: { Config: [{ Subnet: '10.231.7.0/24', Gateway: '10.231.7.1' }] },
    });
    const networks = await createEngineClient('', {}).listNetworks();
    const names = networks.map((n) => n.name);
    for (const builtIn of ['bridge', 'host', 'none']) assert.ok(names.includes(builtIn), builtIn);
    const ours = networks.find((n) => n.name === name);
    assert.ok(ours, `${name} not listed`);
    assert.deepStrictEqual([ours.internal, ours.composeProject, ours.subnets], [true, 'demo', [{ subnet: '10.231.7.0/24', gateway: '10.231.7.1' }]]);
  });

  it('fails with an actionable EngineError for a socket that does not exist', async () => {
    const client = createEngineClient('unix:///tmp/no-such-docker.sock', {});
    await assert.rejects(client.listNetworks(), (e: unknown) => {
      assert.ok(e instanceof EngineError);
      assert.match(e.message, /unix:\/\/\/tmp\/no-such-docker\.sock/);
      assert.match(e.problem.hint, /Start the Docker daemon/);
      return true;
    });
  });
});
