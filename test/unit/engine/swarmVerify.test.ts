// The pure parts of verify --stack (src/engine/swarmVerify.ts, src/cli/verifyStack.ts): questions built only from
// checked targets, the probe logs read back per node, and the verdicts assembled from the answers.
import * as assert from 'assert';
import { exitStatus } from '../../../src/engine/probes/report';
import { assembleStackReport, demuxLogs, parseProbeLogs, planQuestions, question, sweepAddresses, tcpPortsOf, type LiveStack, type NodeAnswers, type ProbeAnswers, type StackExpectation } from '../../../src/engine/swarmVerify';
import { stackJunit, stackText, takeStackName } from '../../../src/cli/verifyStack';

const live: LiveStack = {
  nodes: ['node1', 'node2'],
  idleNodes: [],
  settling: [],
  networkIds: { s_front: 'F', s_back: 'B' },
  services: [
    { key: 'api', name: 's_api', endpointMode: 'vip', networks: ['s_back'], vips: { s_back: '10.0.2.5' }, ports: [], tasks: [{ id: 'a1', name: 's_api.1', node: 'node2', addresses: { s_back: '10.0.2.6' } }] },
    { key: 'web', name: 's_web', endpointMode: 'vip', networks: ['s_back', 's_front'], vips: { s_back: '10.0.2.2', s_front: '10.0.1.2' }, ports: [8080], tasks: [{ id: 'w1', name: 's_web.1', node: 'node1', addresses: { s_back: '10.0.2.3', s_front: '10.0.1.3' } }] },
  ],
};
const expected: StackExpectation = { source: 'the stack file', networks: { web: ['s_front', 's_back'], api: ['s_back'] }, ports: { web: [8080], api: [9090] } };

const nslookup = (name: string, addrs: string[]) => (addrs.length ? `Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nName:\t${name}\n${addrs.map((a) => `Address: ${a}`).join('\n')}\n` : ';; connection timed out; no servers could be reached\n');
const pingOk = (a: string) => `PING ${a} (${a}): 56 data bytes\n64 bytes from ${a}: seq=0 ttl=64 time=0.1 ms\n\n--- ${a} ping statistics ---\n1 packets transmitted, 1 packets received, 0% packet loss\n`;
const pingNo = (a: string) => `PING ${a} (${a}): 56 data bytes\n\n--- ${a} ping statistics ---\n1 packets transmitted, 0 packets received, 100% packet loss\n`;

/** What a healthy overlay answers, without IPVS: names resolve, task addresses answer, VIPs time out. */
function healthy(q: string, net: string): { exitCode: number; output: string } {
  const [kind, ...rest] = q.split(':');
  const target = rest.join(':');
  const vips = new Set(live.services.flatMap((s) => Object.values(s.vips)));
  if (kind === 'n') {
    const svc = live.services.find((s) => s.key === target.replace(/^tasks\./, ''))!;
    if (!svc.networks.includes(net)) return { exitCode: 1, output: nslookup(target, []) };
    return { exitCode: 0, output: nslookup(target, target.startsWith('tasks.') ? svc.tasks.map((t) => t.addresses[net]) : [svc.vips[net]]) };
  }
  if (kind === 'i') return vips.has(target) ? { exitCode: 1, output: pingNo(target) } : { exitCode: 0, output: pingOk(target) };
  const [addr, port] = target.split(':');
  if (vips.has(addr)) return { exitCode: 1, output: 'nc: timed out\n' };
  const owner = live.services.find((s) => s.tasks.some((t) => Object.values(t.addresses).includes(addr)))!;
  return (expected.ports[owner.key] ?? []).includes(Number(port)) ? { exitCode: 0, output: '' } : { exitCode: 1, output: `nc: can't connect to remote host (${addr}): Connection refused\n` };
}

function answersFor(answer: (q: string, net: string, node: string) => { exitCode: number; output: string }, skip?: { node: string; net: string }, stack: LiveStack = live): ProbeAnswers {
  const plan = planQuestions(stack, expected, { sweep: stack !== live });
  const byNode = new Map<string, Map<string, NodeAnswers>>();
  const missing = new Map<string, Map<string, string>>();
  for (const node of live.nodes) {
    byNode.set(node, new Map());
    for (const [net, qs] of Object.entries(plan.questions)) {
      if (skip && skip.node === node && skip.net === net) {
        missing.set(node, new Map([[net, `the probe on ${node} failed: No such image`]]));
        continue;
      }
      byNode.get(node)!.set(net, { ipvs: false, done: true, answers: new Map(qs.map((q, i) => [i + 1, answer(q, net, node)])) });
    }
  }
  return { byNode, missing };
}

describe('verify --stack: questions, probe logs, verdicts', () => {
  it('questions carry only checked names, addresses and ports (nothing reaches the script as code)', () => {
    assert.strictEqual(question('n', 'tasks.api'), 'n:tasks.api');
    assert.strictEqual(question('t', '10.0.1.2', 80), 't:10.0.1.2:80');
    assert.throws(() => question('n', 'x;rm -rf /'), /not a host name/);
    assert.throws(() => question('i', 'web'), /not an IP address/);
    assert.throws(() => question('t', '10.0.1.2', 70000), /not a TCP port/);
  });

  it('TCP ports from targets and expose: ranges, protocols', () => {
    assert.deepStrictEqual(tcpPortsOf([{ value: '80' }, { value: '53', protocol: 'udp' }, { value: '9000-9002/tcp' }, { value: '5000/udp' }, { value: '${X}' }]), [80, 9000, 9001, 9002]);
  });

  it('reads the logs: framed or plain, only this run, output lines restored', () => {
    const frame = (s: string) => Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, Buffer.byteLength(s)]), Buffer.from(s)]);
    const raw = Buffer.concat([frame('@dnv abc node1 ipvs no\n'), frame('@dnv abc node1 1 0 Name:\tweb|Address: 10.0.1.2\n'), frame('@dnv old node1 1 1 stale\n'), frame('@dnv abc node1 done\n')]);
    const parsed = parseProbeLogs(demuxLogs(raw), 'abc');
    const n1 = parsed.get('node1')!;
    assert.deepStrictEqual([n1.ipvs, n1.done, n1.answers.get(1)], [false, true, { exitCode: 0, output: 'Name:\tweb\nAddress: 10.0.1.2' }]);
    assert.strictEqual(parseProbeLogs('@dnv abc node2 2 1 nc: timed out\n', 'abc').get('node2')!.done, false);
  });

  it('a healthy stack: zero mismatches; each VIP that carries nothing is a diagnosis of the node, not a check', () => {
    const plan = planQuestions(live, expected);
    const report = assembleStackReport('s', live, expected, plan, answersFor(healthy), { swept: 0 });
    assert.deepStrictEqual([report.mismatches, report.errors, exitStatus(report)], [0, 0, 0]);
    assert.deepStrictEqual(report.pairs.map((p) => `${p.from}->${p.to}`), ['api@node1->api', 'api@node1->web', 'api@node2->api', 'api@node2->web', 'web@node1->api', 'web@node1->web', 'web@node2->api', 'web@node2->web']);
    assert.deepStrictEqual(report.pairs.find((p) => p.from === 'web@node1' && p.to === 'api')!.reachedBy, ['name', 'address', 'port']);
    assert.ok(!report.pairs.some((p) => p.checks.some((c) => c.target.startsWith('10.0.2.5:') || c.target.startsWith('10.0.2.2:'))), 'no VIP check without IPVS');
    assert.deepStrictEqual(report.diagnoses.map((d) => d.node), ['node1', 'node2']);
    assert.match(report.diagnoses[0].text, /no IPVS.*not isolation.*web's VIP 10\.0\.2\.2:8080 on s_back: timeout, while web's tasks accept 8080/);
    assert.match(stackText(report), /^stack s on 2 node\(s\) \(node1, node2\), expected from the stack file[^]*~~ node1: [^]*project s: 8 pair\(s\) probed, 0 mismatch/);
    assert.match(stackJunit(report), /<system-out>node1: node1 cannot carry service VIP traffic/);
  });

  it("another service's port answering at an address of web on front: a container of it outside its spec (mismatch, exit 1)", () => {
    const plan = planQuestions(live, expected);
    // web's VIP on front (10.0.1.2) accepts 9090: an api container was connected to front by hand and got that address
    const report = assembleStackReport('s', live, expected, plan, answersFor((q, net) => (q === 't:10.0.1.2:9090' ? { exitCode: 0, output: '' } : healthy(q, net))), { swept: 0 });
    assert.strictEqual(exitStatus(report), 1);
    const flagged = report.pairs.filter((p) => p.mismatch);
    assert.deepStrictEqual(flagged.map((p) => `${p.from}->${p.to}`), ['web@node1->api', 'web@node2->api']);
    const c = flagged[0].checks.find((x) => x.actual === true && !x.expected)!;
    assert.deepStrictEqual([c.layer, c.target, c.network], ['port', '10.0.1.2:9090', 's_front']);
    assert.match(c.detail, /10\.0\.1\.2 is web's VIP on s_front by the manager's records, yet it accepts api's port 9090: a container of api is on s_front outside its service spec/);
  });

  it("sweeps the addresses of small subnets nobody has a record of; one accepting api's port on front is flagged", () => {
    assert.deepStrictEqual(sweepAddresses(['10.0.1.0/30', '10.0.0.0/16', 'fd00::/64']), ['10.0.1.1', '10.0.1.2']);
    assert.strictEqual(sweepAddresses(['10.0.1.0/24']).length, 254);
    assert.strictEqual(question('u', '10.0.1.9', [8080, 9090]), 'u:10.0.1.9:8080,9090');
    const swept: LiveStack = { ...live, subnets: { s_front: ['10.0.1.0/28'] }, known: { s_front: ['10.0.1.1', '10.0.1.2', '10.0.1.3'] } };
    assert.ok(!planQuestions(swept, expected).questions.s_front.some((q) => q.startsWith('u:')), 'no sweep unless asked');
    const plan = planQuestions(swept, expected, { sweep: true });
    const sweep = plan.questions.s_front.filter((q) => q.startsWith('u:'));
    assert.deepStrictEqual([sweep.length, sweep[0]], [11, 'u:10.0.1.4:8080,9090']);
    const report = assembleStackReport('s', swept, expected, plan, answersFor((q, net) => (q.startsWith('u:') ? { exitCode: 0, output: q === 'u:10.0.1.9:8080,9090' ? 'up 9090' : q === 'u:10.0.1.5:8080,9090' ? 'up' : 'down' } : healthy(q, net)), undefined, swept), { swept: 0 });
    assert.strictEqual(exitStatus(report), 1);
    const c = report.pairs.find((p) => p.from === 'web@node1' && p.to === 'api')!.checks.find((x) => x.actual === true && !x.expected)!;
    assert.deepStrictEqual([c.target, c.network], ['10.0.1.9:9090', 's_front']);
    assert.match(c.detail, /the manager has no record of 10\.0\.1\.9 on s_front/);
    assert.ok(!report.pairs.find((p) => p.from === 'web@node1' && p.to === 'web')!.mismatch, "web is on front: nothing to flag for web's own port");
  });

  it('the file puts api on front but the engine does not: promised but not found', () => {
    const plan = planQuestions(live, expected);
    const file: StackExpectation = { ...expected, networks: { web: ['s_front', 's_back'], api: ['s_back', 's_front'] } };
    const report = assembleStackReport('s', live, file, plan, answersFor(healthy), { swept: 0 });
    const p = report.pairs.find((x) => x.from === 'api@node1' && x.to === 'web')!;
    assert.ok(p.mismatch);
    assert.match(p.detail, /promised by the compose file but not found: .*api is not attached to s_front on the engine/);
  });

  it('a node whose probe gave no answer: those checks have no answer (exit 2), never isolation', () => {
    const plan = planQuestions(live, expected);
    const report = assembleStackReport('s', live, expected, plan, answersFor(healthy, { node: 'node2', net: 's_back' }), { swept: 0 });
    assert.strictEqual(exitStatus(report), 2);
    assert.strictEqual(report.mismatches, 0);
    const p = report.pairs.find((x) => x.from === 'web@node2' && x.to === 'api')!;
    assert.strictEqual(p.actual, 'error');
    assert.match(p.detail, /the probe on node2 failed: No such image/);
  });

  it('verify --stack takes a stack name; lint --stack stays a flag (the shared parser never sees the name)', () => {
    assert.deepStrictEqual(takeStackName(['--stack', 'shop', '--format', 'json']), { stack: 'shop', rest: ['--format', 'json'] });
    assert.deepStrictEqual(takeStackName(['--stack=shop']), { stack: 'shop', rest: [] });
    assert.throws(() => takeStackName(['--stack']), /needs the name of a deployed stack/);
    assert.throws(() => takeStackName(['--stack', '--format']), /needs the name/);
    assert.throws(() => takeStackName(['--stack', 'a;b']), /not a stack name/);
  });
});
