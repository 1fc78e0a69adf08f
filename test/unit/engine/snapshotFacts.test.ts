// The engine snapshot's facts for the engine-aware rules: host routes from /proc/net/route, published ports.
import * as assert from 'assert';
import type { NetworkSummary } from '../../../src/engine/model';
import { engineNetworks, hostRoutes, publishedPorts } from '../../../src/engine/snapshotFacts';

const net = (name: string, subnet: string, extra: Partial<NetworkSummary> = {}): NetworkSummary => ({
  id: name, name, driver: 'bridge', scope: 'local', internal: false, attachable: false, ipv6: false, builtIn: false,
  subnets: [{ subnet }], labels: {}, options: {}, ...extra,
});

// As read on this machine (eth0 192.0.2.0/24, docker0), plus a VPN (tun0 10.8.0.0/16) and a named engine bridge.
const PROC_NET_ROUTE = `Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
eth0	00000000	010200C0	0003	0	0	0	00000000	0	0	0
docker0	000011AC	00000000	0001	0	0	0	0000FFFF	0	0	0
eth0	000200C0	00000000	0001	0	0	0	00FFFFFF	0	0	0
tun0	0000080A	00000000	0001	0	0	0	0000FFFF	0	0	0
mybr0	0000E70A	00000000	0001	0	0	0	00FFFFFF	0	0	0
br-1234abcd	000014AC	00000000	0001	0	0	0	0000FFFF	0	0	0
`;

describe('engine snapshot facts', () => {
  it('host routes: the LAN and a VPN; not the default route, loopback or the engine\'s own bridges', () => {
    const networks = [net('bridge', '172.17.0.0/16'), net('lab', '10.231.0.0/24', { options: { 'com.docker.network.bridge.name': 'mybr0' } })];
    assert.deepStrictEqual(hostRoutes(PROC_NET_ROUTE, networks), [
      { destination: '192.0.2.0/24', iface: 'eth0' },
      { destination: '10.8.0.0/16', iface: 'tun0' },
    ]);
  });

  it('host routes: a garbled file gives no routes, not a crash', () => {
    assert.deepStrictEqual(hostRoutes('Iface\tDestination\nwlan0\tZZZZ\t\n\n', []), []);
  });

  it('published ports of running containers, with their project', () => {
    const ports = publishedPorts([
      { Names: ['/old-web-1'], Labels: { 'com.docker.compose.project': 'old' }, Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }, { PrivatePort: 443, Type: 'tcp' }] },
      { Names: ['/dns'], Labels: null, Ports: [{ IP: '127.0.0.1', PrivatePort: 53, PublicPort: 53, Type: 'udp' }] },
    ]);
    assert.deepStrictEqual(ports, [
      { hostIp: '0.0.0.0', port: 8080, protocol: 'tcp', container: 'old-web-1', composeProject: 'old' },
      { hostIp: '127.0.0.1', port: 53, protocol: 'udp', container: 'dns' },
    ]);
  });

  it('engine networks keep their subnets and Compose project', () => {
    assert.deepStrictEqual(engineNetworks([net('mailcow_net', '172.22.1.0/24', { composeProject: 'mailcow' })]), [{ name: 'mailcow_net', subnets: ['172.22.1.0/24'], composeProject: 'mailcow' }]);
  });
});
