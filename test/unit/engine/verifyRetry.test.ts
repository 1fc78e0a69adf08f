// verifyProject against a scripted engine (no Docker): a round that ran out of time on a busy machine is asked once
// more before its checks count as unanswered, and an engine that is gone stops the run instead of being re-asked.
import * as assert from 'assert';
import { analyze } from '../../../src/compose/analyze';
import type { EngineClient } from '../../../src/engine/client';
import { ProbeDeadline, type ExecResult } from '../../../src/engine/exec';
import type { ContainerSummary } from '../../../src/engine/model';
import { verifyProject } from '../../../src/engine/verify';

const FILE = 'services:\n  web:\n    image: x\n  api:\n    image: x\n';
const ADDRESS: Record<string, string> = { web: '172.30.0.2', api: '172.30.0.3' };

/** Answers a probe batch (probes/batch.ts's argv) as a healthy container would: every name resolves, every connect succeeds. */
function answerBatch(argv: string[]): string {
  const lines: string[] = [];
  let i = 5;
  for (let job = 0; i < argv.length; job++) {
    const n = Number(argv[i]);
    const [tool, ...args] = argv.slice(i + 1, i + 1 + n);
    i += n + 1;
    if (tool === 'nslookup') {
      const name = args[args.length - 1].replace(/\.$/, '');
      const svc = name.replace(/^p_(\w+)_1$/, '$1');
      lines.push(`${job}|Name:\t${name}`, `${job}|Address: ${ADDRESS[svc]}`);
    }
    lines.push(`${job}=0`);
  }
  return lines.join('\n') + '\n';
}

function scriptedEngine(failFirstRounds: number, engineAnswers = true): EngineClient & { rounds: number } {
  const containers: ContainerSummary[] = ['web', 'api'].map((s) => ({
    id: `${s}id`.padEnd(64, '0'),
    name: `p_${s}_1`,
    image: 'x',
    state: 'running',
    status: 'Up',
    composeProject: 'p',
    composeService: s,
    endpoints: [{ networkId: 'n1', networkName: 'p_default', ipv4: ADDRESS[s] }],
  }));
  const engine = {
    endpoint: { display: 'unix:///scripted.sock', source: 'default' },
    rounds: 0,
    sweepProbes: async () => 0,
    listContainers: async () => (engineAnswers ? containers : new Promise<never>(() => undefined)),
    listNetworks: async () => [{ id: 'n1', name: 'p_default', driver: 'bridge', scope: 'local', internal: false, composeProject: 'p', options: {}, subnets: [], containers: [] }],
    containerFacts: async () => ({ aliases: {}, exposedTcp: [80], publishedTcp: [] }),
    socketTablesHere: async () => '',
    probe: async (_id: string, argv: string[]): Promise<ExecResult> => {
      engine.rounds++;
      if (engine.rounds <= failFirstRounds) throw new ProbeDeadline(argv, 15_000, 'in the container');
      return { exitCode: 0, output: answerBatch(argv), via: 'exec' };
    },
  };
  return engine as unknown as EngineClient & { rounds: number };
}

describe('verify on a busy machine (scripted engine)', () => {
  const analysis = () => analyze({ dir: '/p', env: {} }, { readFile: (f) => (f === '/p/compose.yaml' ? FILE : undefined) });

  it('asks a round that ran out of time once more: every pair answered, exit 0', async () => {
    const engine = scriptedEngine(2);
    const r = await verifyProject(analysis(), engine, { probeImage: 'busybox', probeDeadlineMs: 1_000 });
    assert.strictEqual(r.errors, 0, JSON.stringify(r.pairs.map((p) => p.detail)));
    assert.strictEqual(r.mismatches, 0);
    assert.strictEqual(r.incomplete, undefined);
    assert.deepStrictEqual(r.pairs.map((p) => `${p.from}->${p.to} ${p.actual}`).sort(), ['api->web reachable', 'web->api reachable']);
    assert.strictEqual(engine.rounds, 4, 'two rounds timed out, each asked once more');
  });

  it("a round the probe script's own watchdog stopped (exit 137, no answers) is asked once more, without asking whether the engine is gone", async () => {
    const engine = scriptedEngine(0);
    const answered = engine.probe;
    let watchdogRounds = 0;
    engine.probe = async (id: string, argv: string[], ...rest: unknown[]) => {
      if (watchdogRounds < 2) {
        watchdogRounds++;
        engine.rounds++;
        return { exitCode: 137, output: '', via: 'exec' };
      }
      return (answered as (...a: unknown[]) => Promise<ExecResult>)(id, argv, ...rest);
    };
    let engineChecks = 0;
    const list = engine.listContainers;
    engine.listContainers = async () => {
      engineChecks++;
      return list();
    };
    const r = await verifyProject(analysis(), engine, { probeImage: 'busybox', probeDeadlineMs: 1_000 });
    assert.strictEqual(r.errors, 0, JSON.stringify(r.pairs.map((p) => p.detail)));
    assert.deepStrictEqual(r.pairs.map((p) => `${p.from}->${p.to} ${p.actual}`).sort(), ['api->web reachable', 'web->api reachable']);
    assert.strictEqual(engine.rounds, 4, 'two stopped rounds, each asked once more');
    assert.strictEqual(engineChecks, 1, 'the containers listed once at the start: a tool stopped by its deadline says nothing about the engine');
  });

  it('a round that runs out of time twice is unanswered (exit 2), never isolation', async () => {
    const engine = scriptedEngine(1_000);
    const r = await verifyProject(analysis(), engine, { probeImage: 'busybox', probeDeadlineMs: 1_000 });
    assert.ok(r.errors > 0);
    assert.strictEqual(r.mismatches, 0);
    assert.ok(r.pairs.every((p) => p.actual === 'error'));
  });

  it('an engine that no longer answers is not re-asked: the run stops, incomplete', async () => {
    const engine = scriptedEngine(1_000, false);
    // The project's containers are listed once at the start; after that the engine stops answering.
    let listed = false;
    const list = engine.listContainers;
    engine.listContainers = async () => {
      if (listed) return list();
      listed = true;
      return scriptedEngine(0).listContainers();
    };
    const r = await verifyProject(analysis(), engine, { probeImage: 'busybox', probeDeadlineMs: 1_000 });
    assert.match(r.incomplete ?? '', /stopped answering/);
    assert.strictEqual(engine.rounds, 2, 'one round per source, none asked again');
  });
});
