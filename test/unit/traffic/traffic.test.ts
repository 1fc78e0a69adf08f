// The pure traffic layer: pcap files, frame decoding (IPv4/IPv6, TCP/UDP/ICMP, DNS), summaries named by
// service, flows against the model, the kernel's socket tables, and the exposure report.
import * as assert from 'assert';
import { parseDuration, validateCaptureFilter } from '../../../src/traffic/captureOptions';
import { decodeFrame } from '../../../src/traffic/decode';
import { exposureReport } from '../../../src/traffic/exposure';
import { compareFlows } from '../../../src/traffic/flowsVsModel';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL2, mergePcaps, readPcap, writePcap } from '../../../src/traffic/pcap';
import { parseProcNetSockets } from '../../../src/traffic/sockets';
import { summarize, summaryText, type AddressBook } from '../../../src/traffic/summary';

const ipv4 = (s: string) => s.split('.').map(Number);

function ethernet(etherType: number, payload: number[]): Uint8Array {
  return Uint8Array.from([...Array(12).fill(0x02), etherType >> 8, etherType & 0xff, ...payload]);
}

function ipv4Packet(proto: number, src: string, dst: string, transport: number[]): number[] {
  const total = 20 + transport.length;
  return [0x45, 0, total >> 8, total & 0xff, 0, 0, 0x40, 0, 64, proto, 0, 0, ...ipv4(src), ...ipv4(dst), ...transport];
}

function tcp(sport: number, dport: number, flags: number): number[] {
  return [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0];
}

function udp(sport: number, dport: number, payload: number[]): number[] {
  const len = 8 + payload.length;
  return [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, len >> 8, len & 0xff, 0, 0, ...payload];
}

function dnsName(name: string): number[] {
  return [...name.split('.').flatMap((l) => [l.length, ...[...l].map((c) => c.charCodeAt(0))]), 0];
}

/** A DNS answer for `name` A `address`, the answer's name compressed to the question (pointer 0xc00c). */
function dnsResponse(name: string, address: string): number[] {
  return [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, ...dnsName(name), 0, 1, 0, 1, 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ...ipv4(address)];
}

const book: AddressBook = {
  '172.20.0.2': { container: 'shop-web-1', service: 'web', network: 'shop_front' },
  '172.20.0.3': { container: 'shop-api-1', service: 'api', network: 'shop_front' },
  '172.20.0.1': { container: 'host', service: 'gateway of shop_front', network: 'shop_front' },
};

function capture(frames: Uint8Array[]): Uint8Array {
  return writePcap(LINKTYPE_ETHERNET, frames.map((data, i) => ({ time: 1_700_000_000 + i * 0.01, data, wireLength: data.byteLength })));
}

describe('traffic: pcap files', () => {
  it('round-trips records and reads big-endian nanosecond files too', () => {
    const frame = ethernet(0x0800, ipv4Packet(1, '10.0.0.1', '10.0.0.2', [8, 0, 0, 0]));
    const file = readPcap(capture([frame, frame]));
    assert.strictEqual(file.error, undefined);
    assert.strictEqual(file.records.length, 2);
    assert.deepStrictEqual([...file.records[1].data], [...frame]);
    const be = new Uint8Array(24 + 16 + 4);
    const v = new DataView(be.buffer);
    v.setUint32(0, 0xa1b23c4d, false);
    v.setUint32(20, LINKTYPE_LINUX_SLL2, false);
    v.setUint32(24, 10, false);
    v.setUint32(28, 500_000_000, false);
    v.setUint32(32, 4, false);
    v.setUint32(36, 4, false);
    const parsed = readPcap(be);
    assert.strictEqual(parsed.linkType, LINKTYPE_LINUX_SLL2);
    assert.strictEqual(parsed.records[0].time, 10.5);
  });

  it('a cut-off or foreign file keeps what came before and says what is wrong, never throws', () => {
    const whole = capture([ethernet(0x0800, ipv4Packet(1, '10.0.0.1', '10.0.0.2', [8, 0]))]);
    const cut = readPcap(whole.subarray(0, whole.byteLength - 3));
    assert.match(cut.error ?? '', /truncated/);
    assert.match(readPcap(Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a, ...Array(40).fill(0)])).error ?? '', /pcapng/);
    assert.match(readPcap(new Uint8Array(3)).error ?? '', /shorter than/);
  });

  it('merging captures of both ends drops the copy a packet leaves in each', () => {
    const frame = ethernet(0x0800, ipv4Packet(1, '10.0.0.1', '10.0.0.2', [8, 0]));
    const a = readPcap(writePcap(LINKTYPE_ETHERNET, [{ time: 1, data: frame, wireLength: frame.byteLength }]));
    const b = readPcap(writePcap(LINKTYPE_ETHERNET, [{ time: 1.00001, data: frame, wireLength: frame.byteLength }, { time: 5, data: frame, wireLength: frame.byteLength }]));
    assert.strictEqual(mergePcaps([a, b]).records.length, 2);
  });
});

describe('traffic: decoding frames', () => {
  it('TCP handshake flags, UDP DNS answers with compressed names, ICMP echo, IPv6 addresses', () => {
    const syn = decodeFrame(LINKTYPE_ETHERNET, ethernet(0x0800, ipv4Packet(6, '172.20.0.2', '172.20.0.3', tcp(40000, 8080, 0x02))), 0);
    assert.deepStrictEqual([syn.protocol, syn.srcPort, syn.dstPort, syn.tcpFlags], ['TCP', 40000, 8080, 'S']);
    const dns = decodeFrame(LINKTYPE_ETHERNET, ethernet(0x0800, ipv4Packet(17, '127.0.0.11', '172.20.0.2', udp(53, 40001, dnsResponse('api', '172.20.0.3')))), 0);
    assert.deepStrictEqual(dns.dns?.answers, [{ name: 'api', type: 'A', data: '172.20.0.3' }]);
    assert.deepStrictEqual(dns.dns?.questions, [{ name: 'api', type: 'A' }]);
    const v6 = [0x60, 0, 0, 0, 0, 8, 58, 64, 0xfd, 0, ...Array(13).fill(0), 1, 0xfd, 0, ...Array(13).fill(0), 2, 128, 0, 0, 0, 0, 0, 0, 0];
    const echo6 = decodeFrame(LINKTYPE_ETHERNET, ethernet(0x86dd, v6), 0);
    assert.deepStrictEqual([echo6.src, echo6.dst, echo6.icmp], ['fd00::1', 'fd00::2', 'echo request']);
  });

  it('hostile frames decode to less, never throw: truncations, pointer loops, control characters in names', () => {
    const full = ethernet(0x0800, ipv4Packet(17, '10.0.0.1', '10.0.0.2', udp(40000, 53, [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x61, 0x1b, 0x62, 0, 0, 1, 0, 1])));
    for (let n = 0; n <= full.byteLength; n++) decodeFrame(LINKTYPE_ETHERNET, full.subarray(0, n), 0);
    const named = decodeFrame(LINKTYPE_ETHERNET, full, 0);
    assert.strictEqual(named.dns?.questions[0].name, 'a\\x1bb', 'ESC is shown escaped');
    const loop = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1];
    const looped = decodeFrame(LINKTYPE_ETHERNET, ethernet(0x0800, ipv4Packet(17, '10.0.0.1', '10.0.0.2', udp(40000, 53, loop))), 0);
    assert.strictEqual(looped.dns, undefined);
    for (let seed = 1; seed < 300; seed++) {
      const bytes = Uint8Array.from({ length: seed % 90 }, (_, i) => (seed * 31 + i * 17) & 0xff);
      decodeFrame(LINKTYPE_ETHERNET, bytes, 0);
      decodeFrame(LINKTYPE_LINUX_SLL2, bytes, 0);
    }
  });
});

describe('traffic: summary and flows', () => {
  const frames = [
    ethernet(0x0800, ipv4Packet(17, '172.20.0.2', '127.0.0.11', udp(40001, 53, [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, ...dnsName('api'), 0, 1, 0, 1]))),
    ethernet(0x0800, ipv4Packet(17, '127.0.0.11', '172.20.0.2', udp(53, 40001, dnsResponse('api', '172.20.0.3')))),
    ethernet(0x0800, ipv4Packet(6, '172.20.0.2', '172.20.0.3', tcp(40000, 8080, 0x02))),
    ethernet(0x0800, ipv4Packet(6, '172.20.0.3', '172.20.0.2', tcp(8080, 40000, 0x12))),
    ethernet(0x0800, ipv4Packet(6, '172.20.0.2', '172.20.0.3', tcp(40000, 8080, 0x10))),
    ethernet(0x0800, ipv4Packet(6, '172.20.0.2', '172.20.0.3', tcp(40002, 5432, 0x02))),
    ethernet(0x0800, ipv4Packet(6, '172.20.0.3', '172.20.0.2', tcp(5432, 40002, 0x14))),
  ];

  it('names both ends by service, shows DNS questions and answers, handshakes and resets', () => {
    const text = summaryText(summarize(readPcap(capture(frames)), book), 'service web of shop');
    assert.match(text, /web \(shop-web-1 on shop_front\) asks 127\.0\.0\.11: api A/);
    assert.match(text, /answers web .*: api A -> A 172\.20\.0\.3/);
    assert.match(text, /web \(shop-web-1 on shop_front\):40000 opens api \(shop-api-1 on shop_front\):8080 \(SYN\)/);
    assert.match(text, /api .*:8080 accepts web/);
    assert.match(text, /api .*:5432 resets web .*:40002 \(RST/);
    assert.match(text, /web -> api {2}TCP 8080 {2}3 packets/);
  });

  it('flows the file keeps apart are unexpected; allowed pairs with no traffic are listed as possible, unused', () => {
    const summary = summarize(readPcap(capture(frames)), book);
    const model = { services: ['web', 'api', 'db'], canReach: (a: string, b: string) => (a === 'web' && b === 'db') || (a === 'api' && b === 'db') || (a === 'db' && b !== 'db') };
    const c = compareFlows(summary.flows, model);
    assert.deepStrictEqual(c.unexpected.map((f) => `${f.from}->${f.to}:${f.port}`), ['web->api:8080', 'web->api:5432']);
    assert.deepStrictEqual(c.unused, [{ from: 'api', to: 'db' }, { from: 'db', to: 'api' }, { from: 'db', to: 'web' }, { from: 'web', to: 'db' }]);
  });
});

describe('traffic: sockets and exposure', () => {
  const tables = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0',
    '   1: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0 100 0 0 10 0',
    '   2: 0200140A:9C40 0300140A:1F90 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 100 0 0 10 0',
    '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1 0 100 0 0 10 0',
    '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
    '  10: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5 2 0 0',
  ].join('\n');

  it('reads listening TCP and bound UDP sockets of both families from one concatenated read', () => {
    assert.deepStrictEqual(parseProcNetSockets(tables), [
      { protocol: 'udp', family: 4, address: '0.0.0.0', port: 53 },
      { protocol: 'tcp', family: 4, address: '127.0.0.1', port: 5432 },
      { protocol: 'tcp', family: 4, address: '0.0.0.0', port: 8080 },
      { protocol: 'tcp', family: 6, address: '::', port: 8080 },
    ]);
  });

  it('each published port as bound, listening, declared or not; all-interface bindings marked', () => {
    const entries = exposureReport(
      [
        { service: 'lb', container: 'shop-lb-1', hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
        { service: 'lb', container: 'shop-lb-1', hostIp: '::', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
        { service: 'db', container: 'shop-db-1', hostIp: '127.0.0.1', hostPort: 5432, containerPort: 5432, protocol: 'tcp' },
        { service: 'db', container: 'shop-db-1', hostIp: '0.0.0.0', hostPort: 9999, containerPort: 9999, protocol: 'tcp' },
      ],
      [{ service: 'lb', text: '8080:80', published: '8080', target: '80' }, { service: 'db', text: '127.0.0.1:5432:5432', hostIp: '127.0.0.1', published: '5432', target: '5432' }],
      parseProcNetSockets(tables),
    );
    assert.deepStrictEqual(
      entries.map((e) => [e.service, e.port, e.family, e.all_interfaces, e.declared, e.listening]),
      [
        ['db', 5432, 4, false, '127.0.0.1:5432:5432', true],
        ['db', 9999, 4, true, null, false],
        ['lb', 8080, 4, true, '8080:80', true],
        ['lb', 8080, 6, true, '8080:80', true],
      ],
    );
  });

  it('capture options: durations and filters are checked before the engine sees them', () => {
    assert.strictEqual(parseDuration('10s'), 10_000);
    assert.strictEqual(parseDuration('2m'), 120_000);
    assert.strictEqual(parseDuration('0'), undefined);
    assert.strictEqual(parseDuration('2h'), undefined);
    assert.strictEqual(validateCaptureFilter('tcp port 80 and host 172.18.0.3'), undefined);
    assert.strictEqual(validateCaptureFilter('icmp or (udp and port 53)'), undefined);
    for (const bad of ['port 80; rm -rf /', '$(id)', '`id`', '-w /etc/passwd', 'a\nb', 'x'.repeat(1001)]) assert.ok(validateCaptureFilter(bad), bad);
  });
});

describe('traffic: rates', () => {
  it('per network from two readings; re-created interfaces and unmapped ones give no rate', async () => {
    const { ratesBetween, rateText, sumRates } = await import('../../../src/traffic/rates');
    const before = { time: 1000, interfaces: [{ network: 'front', rxBytes: 1000, txBytes: 0 }, { network: 'back', rxBytes: 500, txBytes: 500 }, { rxBytes: 0, txBytes: 0 }] };
    const after = { time: 3000, interfaces: [{ network: 'front', rxBytes: 25_600, txBytes: 2000 }, { network: 'back', rxBytes: 10, txBytes: 600 }, { rxBytes: 9, txBytes: 9 }] };
    const rates = ratesBetween(before, after);
    assert.deepStrictEqual([...rates.keys()], ['front']);
    assert.strictEqual(rateText(rates.get('front')!), '↓12 kB/s ↑1.0 kB/s');
    assert.deepStrictEqual(sumRates([{ rx: 1, tx: 2 }, { rx: 3, tx: 4 }]), { rx: 4, tx: 6 });
    assert.strictEqual(ratesBetween(after, after).size, 0, 'no time passed: no rate');
  });
});
