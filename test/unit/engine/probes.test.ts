import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/compose/analyze';
import { parseNslookup, parsePing, toolMissing } from '../../../src/engine/probeOutput';
import { ProbeCancelled, ProbeDeadline, probeEndText } from '../../../src/engine/exec';
import { dnsArgv, httpArgv, pingArgv, tcpArgv, validatePortText, validateTarget, validateUrl } from '../../../src/engine/probes';
import { expectedEgress, expectedReach } from '../../../src/engine/verify';

describe('probe argv and targets', () => {
  it('builds argument vectors, never shell strings', () => {
    assert.deepStrictEqual(pingArgv('db', 3), ['ping', '-c', '3', '-W', '2', 'db']);
    assert.deepStrictEqual(dnsArgv('db.internal'), ['nslookup', 'db.internal']);
    assert.deepStrictEqual(tcpArgv('10.0.0.5', 5432), ['nc', '-w', '3', '10.0.0.5', '5432']);
    assert.deepStrictEqual(httpArgv('http://api:3000/health'), ['wget', '-S', '--spider', 'http://api:3000/health']);
  });

  it('refuses anything that is not a host name, an address, a port or an http URL', () => {
    for (const bad of ['db; rm -rf /', '$(id)', '-c 1000', 'a b', '', '`x`']) assert.ok(validateTarget(bad), bad);
    for (const good of ['db', 'shop_db_1', 'my-db.internal', '172.28.2.10', 'fd00::5']) assert.strictEqual(validateTarget(good), undefined, good);
    assert.throws(() => pingArgv('x;y'), /not a host name/);
    assert.throws(() => tcpArgv('db', 70000), /not a TCP port/);
    assert.ok(validateUrl('file:///etc/passwd'));
    assert.ok(validateUrl('http://db:99999/'));
  });
});

describe('probe output', () => {
  it('reads busybox and iputils ping summaries', () => {
    assert.deepStrictEqual(parsePing('4 packets transmitted, 3 packets received, 25% packet loss\nround-trip min/avg/max = 0.085/0.151/0.217 ms'), { sent: 4, received: 3, lossPercent: 25, avgMs: 0.151 });
    assert.deepStrictEqual(parsePing('2 packets transmitted, 2 received, 0% packet loss, time 1001ms\nrtt min/avg/max/mdev = 0.040/0.052/0.064/0.012 ms'), { sent: 2, received: 2, lossPercent: 0, avgMs: 0.052 });
    assert.strictEqual(parsePing("ping: bad address 'x'"), undefined);
  });

  it('reads nslookup answers and their resolver', () => {
    const out = 'Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\nName:\tdb\nAddress: 172.28.2.10\n';
    assert.deepStrictEqual(parseNslookup(out), { server: '127.0.0.11', addresses: ['172.28.2.10'] });
    assert.deepStrictEqual(parseNslookup("Server: 127.0.0.11\n** server can't find ghost: NXDOMAIN\n").addresses, []);
  });

  it('knows a missing tool from a failed probe', () => {
    assert.ok(toolMissing(127, ''));
    assert.ok(toolMissing(126, 'OCI runtime exec failed: exec failed: unable to start container process: exec: "ping": executable file not found in $PATH'));
    assert.ok(!toolMissing(1, "ping: bad address 'x'"));
  });
});

describe('expected reachability and egress from the model', () => {
  const sample = path.resolve(__dirname, '../../../../sample');
  const a = analyze({ dir: sample, env: {} }, { readFile: (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) });
  it('follows shared networks and service names', () => {
    assert.strictEqual(expectedReach(a, 'lb', 'api'), 'reachable');
    assert.strictEqual(expectedReach(a, 'lb', 'db'), 'isolated');
    assert.strictEqual(expectedReach(a, 'api', 'db'), 'reachable');
  });
  it('allows egress only through a non-internal network', () => {
    assert.deepStrictEqual(['lb', 'api', 'db', 'cache'].map((s) => expectedEgress(a, s)), ['allowed', 'none', 'none', 'none']);
  });
});

describe('what a person reads (issue 16: defects 6 and 11)', () => {
  it('a typed port that is not a number says so, never "NaN is not a TCP port"', () => {
    assert.strictEqual(validatePortText('abc'), '"abc" is not a port number: write a number from 1 to 65535.');
    assert.strictEqual(validatePortText(''), '"" is not a port number: write a number from 1 to 65535.');
    assert.match(validatePortText('70000') ?? '', /70000 is not a TCP port/);
    assert.strictEqual(validatePortText(' 5432 '), undefined);
  });

  it('our deadline reads as "timed out after N s"; only the user\'s Cancel reads as "cancelled"', () => {
    assert.match(probeEndText(new ProbeDeadline(['ping', 'db'], 60_000, 'in the container')), /^timed out after 60 s: no result from ping/);
    assert.strictEqual(probeEndText(new ProbeCancelled()), 'cancelled');
  });
});
