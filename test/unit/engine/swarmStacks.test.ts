// Stacks in the Swarm view (pure joins of API records): grouped by the services' com.docker.stack.namespace label,
// with running task counts and networks by name; and when the view should read the Swarm again (tasks converging).
import * as assert from 'assert';
import { buildStacks, stackDescription, swarmConverging, type RawService, type RawSwarmNetwork, type RawTask, type SwarmView } from '../../../src/engine/swarm';
import { isStackName } from '../../../src/engine/swarmVerify';

const NS = 'com.docker.stack.namespace';

describe('swarm stacks', () => {
  const networks: RawSwarmNetwork[] = [
    { Id: 'f', Name: 'dnv_front', Driver: 'overlay' },
    { Id: 'b', Name: 'dnv_back', Driver: 'overlay' },
  ];
  const services: RawService[] = [
    { ID: 's1', Spec: { Name: 'dnv_web', Labels: { [NS]: 'dnv' }, Mode: { Replicated: { Replicas: 2 } }, TaskTemplate: { Networks: [{ Target: 'f' }, { Target: 'b' }] } } },
    { ID: 's2', Spec: { Name: 'dnv_api', Labels: { [NS]: 'dnv' }, Mode: { Replicated: { Replicas: 2 } }, TaskTemplate: { Networks: [{ Target: 'b' }] } } },
    { ID: 's3', Spec: { Name: 'loose', Mode: { Global: {} } } },
    { ID: 's4', Spec: { Name: 'a_mon', Labels: { [NS]: 'a' }, Mode: { Global: {} }, TaskTemplate: { Networks: [{ Target: 'gone' }] } } },
  ];
  const tasks: RawTask[] = [
    { ID: 't1', ServiceID: 's1', Status: { State: 'running' }, DesiredState: 'running' },
    { ID: 't2', ServiceID: 's1', Status: { State: 'starting' }, DesiredState: 'running' },
    { ID: 't3', ServiceID: 's2', Status: { State: 'running' }, DesiredState: 'running' },
    { ID: 't4', ServiceID: 's2', Status: { State: 'running' }, DesiredState: 'running' },
  ];

  it('groups the labelled services by stack (sorted), leaves unlabelled services out, names networks', () => {
    const stacks = buildStacks(services, tasks, networks);
    assert.deepStrictEqual(stacks.map((s) => s.name), ['a', 'dnv']);
    const dnv = stacks[1];
    assert.deepStrictEqual(dnv.services, [
      { name: 'dnv_api', mode: 'replicated', replicas: 2, running: 2, networks: ['dnv_back'] },
      { name: 'dnv_web', mode: 'replicated', replicas: 2, running: 1, networks: ['dnv_back', 'dnv_front'] },
    ]);
    assert.deepStrictEqual(dnv.networks, ['dnv_back', 'dnv_front']);
    assert.strictEqual(stackDescription(dnv), '2 services · 3/4 tasks running · dnv_back, dnv_front');
    // a global service has no replica count: the description counts what runs; an unknown network ID stays as is
    assert.strictEqual(stackDescription(stacks[0]), '1 service · 0 tasks running · gone');
  });

  it('a view is converging while a task that should run is not running yet (not when it failed or was rejected)', () => {
    const view = (state: string): SwarmView => ({
      role: 'manager',
      nodeId: 'n1',
      nodeAddr: '10.0.0.1',
      nodes: [],
      stacks: [],
      overlays: [{ id: 'o', name: 'o', scope: 'swarm', subnets: [], vxlanIds: [], attachable: false, encrypted: false, ingress: false, internal: false, services: [{ id: 's', name: 's', endpointMode: 'vip', mode: 'replicated', ports: [], tasks: [{ id: 't', name: 's.1', nodeId: 'n2', state, desiredState: 'running' }] }] }],
    });
    assert.deepStrictEqual(['pending', 'assigned', 'preparing', 'starting', 'running', 'failed', 'rejected'].map((s) => swarmConverging(view(s))), [true, true, true, true, false, false, false]);
    assert.strictEqual(swarmConverging({ role: 'none', state: 'inactive', why: '' }), false);
  });

  it('stack names are checked before they reach the engine', () => {
    assert.deepStrictEqual(['dnv', 'a.b_c-1', '', '-x', 'a b', 'x'.repeat(64), 'a;rm'].map(isStackName), [true, true, false, false, false, false, false]);
  });
});
