// Verify's pure parts: the layers' argv and readers, the model's expectations, the pair verdicts and the exit status.
import * as assert from 'assert';
import { analyze } from '../../../src/compose/analyze';
import { egressArgv } from '../../../src/engine/verify';
import { engineNetworkNames, expectAddress, expectName, modelSide, namesToProbe, peersIsolatedIn, type VerifyNode } from '../../../src/engine/probes/expected';
import { connectArgv, nameArgv, parseListening, readConnect, readName, UnreadableAnswer } from '../../../src/engine/probes/layers';
import { assemblePair, countReport, exitStatus, type Check } from '../../../src/engine/probes/report';
import { parseVerifyArgs, verifyJson, verifyJunit, verifySarif, verifyText } from '../../../src/cli/verify';

const check = (c: Partial<Check> & Pick<Check, 'layer' | 'expected' | 'actual'>): Check => ({ target: 'x', detail: '', ...c });

describe('verify: layer readers', () => {
  it('bounds name resolution to about a second and asks without search domains', () => {
    assert.deepStrictEqual(nameArgv('db'), ['nslookup', '-timeout=1', '-retry=1', 'db.']);
    assert.throws(() => nameArgv('db; rm -rf /'));
  });

  it('reads whether a name resolves to the target, to someone else, or not at all', () => {
    const ok = 'Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\nName:\tdb\nAddress: 172.28.2.10\n';
    assert.strictEqual(readName('db', { exitCode: 0, output: ok }, ['172.28.2.10']).ok, true);
    const other = readName('db', { exitCode: 0, output: ok }, ['172.28.2.11']);
    assert.strictEqual(other.ok, false);
    assert.match(other.detail, /not to this container/);
    assert.strictEqual(readName('db', { exitCode: 1, output: "** server can't find db.: NXDOMAIN\n" }, []).ok, false);
    assert.strictEqual(readName('db', { exitCode: 1, output: ';; connection timed out; no servers could be reached\n' }, []).ok, false);
    assert.throws(() => readName('db', { exitCode: 1, output: 'nslookup: unrecognized option' }, []), UnreadableAnswer);
  });

  it('reads a TCP connect: accepted and refused both prove the address answers; a silent drop does not', () => {
    assert.deepStrictEqual(connectArgv('fd00::2', 80), ['nc', '-w', '1', 'fd00::2', '80']);
    assert.throws(() => connectArgv('db', 80), /not an IP address/);
    assert.strictEqual(readConnect({ exitCode: 0, output: '' }), 'connected');
    assert.strictEqual(readConnect({ exitCode: 1, output: 'nc: can\'t connect to remote host (172.22.0.3): Connection refused' }), 'refused');
    assert.strictEqual(readConnect({ exitCode: 1, output: 'nc: timed out' }), 'timeout');
    assert.strictEqual(readConnect({ exitCode: 1, output: "nc: can't connect to remote host: Cannot assign requested address" }), 'unreachable');
    assert.throws(() => readConnect({ exitCode: 2, output: 'weird' }), UnreadableAnswer);
  });

  it('reads listening sockets from /proc/net/tcp and tcp6, leaving out loopback-only listeners', () => {
    const out = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0B00007F:9CF1 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 59596 1 0 100 0 0 10 0
   1: 00000000:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 59597 1 0 100 0 0 10 0
   2: 0300A8C0:0050 0400A8C0:C350 01 00000000:00000000 00:00000000 00000000     0        0 59598 1 0 100 0 0 10 0
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 59700 1 0 100 0 0 10 0
   1: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 59701 1 0 100 0 0 10 0
`;
    assert.deepStrictEqual(parseListening(out), [
      { port: 5432, address: '0.0.0.0' },
      { port: 8080, address: '::' },
    ]);
  });

  it('builds the egress probe for addresses, ports and IPv6 targets', () => {
    assert.deepStrictEqual(egressArgv('198.18.0.2'), ['ping', '-c', '1', '-W', '2', '198.18.0.2']);
    assert.deepStrictEqual(egressArgv('198.18.0.2:80'), ['nc', '-w', '3', '198.18.0.2', '80']);
    assert.deepStrictEqual(egressArgv('::1'), ['ping', '-c', '1', '-W', '2', '::1']);
    assert.deepStrictEqual(egressArgv('[fd00::1]:80'), ['nc', '-w', '3', 'fd00::1', '80']);
    assert.throws(() => egressArgv('$(id):80'), /egress target/);
  });
});

describe('verify: what the compose file promises', () => {
  const files: Record<string, string> = {
    '/p/compose.yaml': `name: shop
services:
  lb:
    image: x
    networks: [dmz, app]
  api:
    image: x
    hostname: apihost
    networks:
      app:
        aliases: [backend]
  quiet:
    image: x
    networks: [noicc]
  other:
    image: x
    networks: [noicc]
networks:
  dmz: {}
  app: { internal: true }
  noicc:
    driver_opts:
      com.docker.network.bridge.enable_icc: "false"
`,
  };
  const analysis = analyze({ dir: '/p', env: {} }, { readFile: (p: string) => files[p] });
  const node = (service: string, containerName: string, endpoints: VerifyNode['endpoints']): VerifyNode => ({ key: service, foreign: false, containerId: service, containerName, endpoints, ...modelSide(analysis, service) });
  const lb = node('lb', 'shop_lb_1', [{ network: 'shop_dmz', ipv4: '10.0.1.2', aliases: ['lb'] }, { network: 'shop_app', ipv4: '10.0.2.2', aliases: ['lb'] }]);
  const api = node('api', 'shop_api_1', [{ network: 'shop_app', ipv4: '10.0.2.3', aliases: ['api', 'backend', 'apihost'] }]);
  const db = node('api', 'shop_db_1', []);

  it('locates a SARIF result at the line that connects the pair, else at the source\'s declaration', () => {
    const declaration = (service: string) => analysis.project.services.get(service)!.nameSpan;
    const opened = check({ layer: 'address', target: '10.0.9.9', network: 'shop_dmz', expected: false, actual: true, addresses: ['10.0.9.9'] });
    const pairs = [
      // Connected on app by lb's `networks: [dmz, app]`, and reached on dmz too: the line to look at is that entry.
      assemblePair('lb', 'api', [opened], { span: declaration('lb') }),
      // Nothing in the file connects them: the declaration decides.
      assemblePair('lb', 'quiet', [opened], { span: declaration('lb') }),
    ];
    const report = { project: 'shop', pairs, egress: [], skipped: [], swept: 0, ...countReport(pairs, []) };
    const sarif = verifySarif(report, analysis, '/p', '0.0.0') as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { region: { startLine: number; startColumn: number } } }> }> }> };
    const lines = files['/p/compose.yaml'].split('\n');
    const at = sarif.runs[0].results.map((r) => r.locations[0].physicalLocation.region).map((g) => lines[g.startLine - 1].slice(g.startColumn - 1));
    assert.deepStrictEqual(at, ['app]', 'lb:']);
  });

  it('maps the model to the engine: network names, names per network, icc', () => {
    assert.strictEqual(engineNetworkNames(analysis).get('app'), 'shop_app');
    assert.deepStrictEqual(api.modelNetworks, ['shop_app']);
    assert.deepStrictEqual([...api.modelNames.get('shop_app')!].sort(), ['api', 'apihost', 'backend']);
    const icc = peersIsolatedIn(analysis, new Map());
    assert.strictEqual(icc('shop_noicc'), true);
    assert.strictEqual(icc('shop_app'), false);
    assert.deepStrictEqual(namesToProbe(api), ['api', 'apihost', 'backend', 'shop_api_1']);
    void db;
  });

  it('expects names only over a shared network, the container name included', () => {
    assert.strictEqual(expectName(lb, api, 'backend'), true);
    assert.strictEqual(expectName(lb, api, 'shop_api_1'), true);
    assert.strictEqual(expectName(lb, api, 'something-added-by-hand'), false);
  });

  it('expects an address only on a network the file gives both, and not where icc is off', () => {
    const icc = peersIsolatedIn(analysis, new Map());
    assert.strictEqual(expectAddress(lb, api, 'shop_app', icc), true);
    assert.strictEqual(expectAddress(api, lb, 'shop_dmz', icc), false, 'api is not on dmz by the file');
    const quiet = node('quiet', 'shop_quiet_1', []);
    const other = node('other', 'shop_other_1', []);
    assert.strictEqual(expectAddress(quiet, other, 'shop_noicc', icc), false);
    assert.strictEqual(expectName(quiet, other, 'other'), true, 'names still resolve with icc off');
  });
});

describe('verify: pair verdicts and exit status', () => {
  it('a container connected by hand without alias is caught by address, and the verdict says which layer', () => {
    const p = assemblePair('lb', 'db', [
      check({ layer: 'name', target: 'db', expected: false, actual: false }),
      check({ layer: 'address', target: '172.20.0.5', network: 'shop_dmz', expected: false, actual: true, detail: '172.20.0.5 answered on TCP 5432 (connected)', addresses: ['172.20.0.5'] }),
      check({ layer: 'port', target: '172.20.0.5:5432', network: 'shop_dmz', expected: false, actual: true, addresses: ['172.20.0.5'] }),
    ]);
    assert.strictEqual(p.expected, 'isolated');
    assert.strictEqual(p.actual, 'reachable');
    assert.deepStrictEqual(p.reachedBy, ['address', 'port']);
    assert.strictEqual(p.mismatch, true);
    assert.match(p.detail, /not in the compose file: address 172\.20\.0\.5 on shop_dmz/);
  });

  it('reached by name when a name resolves to an address that answered', () => {
    const p = assemblePair('lb', 'api', [
      check({ layer: 'name', target: 'api', expected: true, actual: true, addresses: ['10.0.2.3'] }),
      check({ layer: 'address', target: '10.0.2.3', expected: true, actual: true, addresses: ['10.0.2.3'] }),
    ]);
    assert.deepStrictEqual(p.reachedBy, ['name', 'address']);
    assert.deepStrictEqual(p.expectedBy, ['name', 'address']);
    assert.strictEqual(p.mismatch, false);
  });

  it('an unanswered probe is an error, never "isolated" and never a mismatch; exit 2', () => {
    const p = assemblePair('lb', 'api', [check({ layer: 'address', target: '10.0.2.3', expected: true, actual: 'error', detail: 'no result from nc in the container within 8.0 s' })]);
    assert.strictEqual(p.actual, 'error');
    assert.strictEqual(p.mismatch, false);
    const counts = countReport([p], []);
    assert.deepStrictEqual(counts, { mismatches: 0, errors: 1 });
    assert.strictEqual(exitStatus({ ...counts }), 2);
    assert.strictEqual(exitStatus({ mismatches: 3, errors: 0, incomplete: 'lost the engine' }), 2);
    assert.strictEqual(exitStatus({ mismatches: 3, errors: 0 }), 1);
    assert.strictEqual(exitStatus({ mismatches: 0, errors: 0 }), 0);
  });

  it('prints the failing run for people, for scripts and for CI dashboards', () => {
    const pairs = [
      assemblePair('lb', 'db', [check({ layer: 'address', target: '172.20.0.5', network: 'shop_dmz', expected: false, actual: true, addresses: ['172.20.0.5'] })]),
      assemblePair('db', 'lb', [check({ layer: 'address', target: '172.20.0.2', network: 'shop_dmz', expected: false, actual: 'not-probed', detail: 'not probed' })]),
    ];
    const report = { project: 'shop', pairs, egress: [], skipped: [{ service: 'job', reason: 'not running' }], ...countReport(pairs, []), swept: 2, incomplete: 'lost the engine during the run: connection refused' };
    const status = exitStatus(report);
    assert.strictEqual(status, 2);
    const json = verifyJson(report, status) as { status: string; exitCode: number; incomplete: string; pairs: Array<{ reachedBy: string[]; checks: unknown[] }> };
    assert.strictEqual(json.status, 'error');
    assert.strictEqual(json.exitCode, 2);
    assert.match(json.incomplete, /lost the engine/);
    assert.deepStrictEqual(json.pairs[0].reachedBy, ['address']);
    const text = verifyText(report);
    assert.match(text, /INCOMPLETE: lost the engine/);
    assert.match(text, /!! {2}lb -> db: expected isolated, actual reachable by address/);
    assert.match(text, /\?\? {2}db -> lb/);
    const junit = verifyJunit(report);
    assert.match(junit, /tests="2" failures="1" errors="1"/);
  });

  it('parses verify options: consent to pull, foreign containers, formats, probe deadline', () => {
    const v = parseVerifyArgs(['--pull', '--include-foreign', '--format', 'junit', '--probe-timeout', '2.5', '-f', 'x.yml', 'dir']);
    assert.deepStrictEqual(v, { format: 'junit', pull: true, includeForeign: true, probeTimeoutMs: 2500, rest: ['-f', 'x.yml', 'dir'] });
    assert.throws(() => parseVerifyArgs(['--format', 'xml']), /unknown verify format/);
  });
});
