// Every rule of the catalogue: a file that triggers it (id, exact range, message, fix result) and a near miss that must not.
import * as assert from 'assert';
import { RULES } from '../../../src/compose/rules/catalogue';
import type { EngineSnapshot } from '../../../src/compose/types';
import { applyFix, lint, yaml } from './helpers';

interface Case {
  rule: string;
  trigger: string;
  /** The exact source text the finding's range covers. */
  at: string;
  message: RegExp;
  severity?: string;
  near: string;
  engine?: EngineSnapshot;
  /** Expected file text after applying the preferred (or first) fix; true: only check the finding is gone. */
  fixed?: string | true;
}

const CASES: Case[] = [
  {
    rule: 'undefined-network',
    trigger: yaml`
      services:
        web:
          image: nginx
          networks: [frontend]
      networks:
        front-end: {}
      `,
    at: 'frontend',
    message: /service "web" refers to undefined network "frontend"/,
    near: yaml`
      services:
        web:
          image: nginx
          networks: [front-end, default]
      networks:
        front-end: {}
      `,
    fixed: yaml`
      services:
        web:
          image: nginx
          networks: [front-end]
      networks:
        front-end: {}
      `,
  },
  {
    rule: 'network-mode-with-networks',
    trigger: yaml`
      services:
        web:
          image: nginx
          network_mode: host
          networks: [default]
      `,
    at: 'network_mode',
    message: /network_mode and networks are mutually exclusive/,
    near: yaml`
      services:
        web:
          image: nginx
          network_mode: host
      `,
    fixed: yaml`
      services:
        web:
          image: nginx
          networks: [default]
      `,
  },
  {
    rule: 'network-mode-unknown-service',
    trigger: yaml`
      services:
        vpn: {image: vpn}
        app:
          image: app
          network_mode: service:vnp
      `,
    at: 'service:vnp',
    message: /network_mode refers to unknown service "vnp"/,
    near: yaml`
      services:
        vpn: {image: vpn}
        app:
          image: app
          network_mode: service:vpn
      `,
    fixed: true,
  },
  {
    rule: 'static-ip-without-subnet',
    trigger: yaml`
      services:
        db:
          image: postgres
          networks:
            back:
              ipv4_address: 10.5.0.7
      networks:
        back: {}
      `,
    at: '10.5.0.7',
    message: /a static IP needs a user-configured IPv4 subnet on "back"/,
    near: yaml`
      services:
        db:
          image: postgres
          networks:
            back:
              ipv4_address: 10.5.0.7
      networks:
        back:
          ipam:
            config:
              - subnet: 10.5.0.0/24
      `,
    fixed: true,
  },
  {
    rule: 'static-ip-outside-subnet',
    trigger: yaml`
      services:
        db:
          image: postgres
          networks:
            back:
              ipv4_address: 10.6.0.7
      networks:
        back:
          ipam:
            config:
              - subnet: 10.5.0.0/24
                gateway: 10.5.0.1
      `,
    at: '10.6.0.7',
    message: /10\.6\.0\.7 is outside the subnet\(s\) of "back" \(10\.5\.0\.0\/24\)/,
    near: yaml`
      services:
        db:
          image: postgres
          networks:
            back:
              ipv4_address: 10.5.0.7
      networks:
        back:
          ipam:
            config:
              - subnet: 10.5.0.0/24
      `,
    fixed: true,
  },
  {
    rule: 'invalid-static-ip',
    trigger: yaml`
      services:
        db:
          image: postgres
          networks:
            back:
              ipv4_address: 10.5.0.300
      networks:
        back:
          ipam: {config: [{subnet: 10.5.0.0/24}]}
      `,
    at: '10.5.0.300',
    message: /"10\.5\.0\.300" .* is not a valid IPv4 address/,
    near: yaml`
      services:
        db:
          image: postgres
          networks:
            back:
              ipv6_address: fd00::5
      networks:
        back:
          enable_ipv6: true
          ipam: {config: [{subnet: "fd00::/64"}]}
      `,
  },
  {
    rule: 'duplicate-static-ip',
    trigger: yaml`
      services:
        a:
          image: x
          networks: {back: {ipv4_address: 10.5.0.5}}
        b:
          image: x
          networks: {back: {ipv4_address: 10.5.0.5}}
      networks:
        back:
          ipam: {config: [{subnet: 10.5.0.0/24}]}
      `,
    at: '10.5.0.5',
    message: /address 10\.5\.0\.5 on "back" is also assigned to "a"/,
    near: yaml`
      services:
        a:
          image: x
          networks: {back: {ipv4_address: 10.5.0.5}}
        b:
          image: x
          networks: {back: {ipv4_address: 10.5.0.6}}
      networks:
        back:
          ipam: {config: [{subnet: 10.5.0.0/24}]}
      `,
    fixed: true,
  },
  {
    rule: 'gateway-outside-subnet',
    trigger: yaml`
      services:
        a: {image: x, networks: [back]}
      networks:
        back:
          ipam:
            config:
              - subnet: 10.5.0.0/24
                gateway: 10.6.0.1
      `,
    at: '10.6.0.1',
    message: /gateway 10\.6\.0\.1 of "back" is outside subnet 10\.5\.0\.0\/24/,
    near: yaml`
      services:
        a: {image: x, networks: [back]}
      networks:
        back:
          ipam:
            config:
              - subnet: 10.5.0.0/24
                gateway: 10.5.0.254
      `,
    fixed: yaml`
      services:
        a: {image: x, networks: [back]}
      networks:
        back:
          ipam:
            config:
              - subnet: 10.5.0.0/24
                gateway: 10.5.0.1
      `,
  },
  {
    rule: 'ip-range-outside-subnet',
    trigger: yaml`
      services:
        a: {image: x, networks: [back]}
      networks:
        back:
          ipam:
            config:
              - subnet: 10.5.0.0/24
                ip_range: 10.5.1.0/25
      `,
    at: '10.5.1.0/25',
    message: /ip_range 10\.5\.1\.0\/25 of "back" is outside subnet 10\.5\.0\.0\/24/,
    near: yaml`
      services:
        a: {image: x, networks: [back]}
      networks:
        back:
          ipam:
            config:
              - subnet: 10.5.0.0/24
                ip_range: 10.5.0.128/25
      `,
  },
  {
    rule: 'overlapping-subnets',
    trigger: yaml`
      services:
        a: {image: x, networks: [one, two]}
      networks:
        one:
          ipam: {config: [{subnet: 10.5.0.0/16}]}
        two:
          ipam: {config: [{subnet: 10.5.3.0/24, gateway: 10.5.3.1}]}
      `,
    at: '10.5.3.0/24',
    message: /subnet 10\.5\.3\.0\/24 of "two" overlaps subnet 10\.5\.0\.0\/16 of "one"/,
    near: yaml`
      services:
        a: {image: x, networks: [one, two]}
      networks:
        one:
          ipam: {config: [{subnet: 10.5.0.0/24}]}
        two:
          ipam: {config: [{subnet: 10.5.1.0/24}]}
      `,
    fixed: yaml`
      services:
        a: {image: x, networks: [one, two]}
      networks:
        one:
          ipam: {config: [{subnet: 10.5.0.0/16}]}
        two:
          ipam: {config: [{subnet: 172.16.0.0/24, gateway: 172.16.0.1}]}
      `,
  },
  {
    rule: 'shared-netns-conflict',
    trigger: yaml`
      services:
        vpn: {image: vpn}
        app:
          image: app
          network_mode: service:vpn
          ports:
            - "8080:80"
      `,
    at: 'ports',
    message: /conflicting options: ports and the container network mode "service:vpn"/,
    near: yaml`
      services:
        vpn:
          image: vpn
          ports:
            - "8080:80"
        app:
          image: app
          network_mode: service:vpn
      `,
    fixed: yaml`
      services:
        vpn: {image: vpn}
        app:
          image: app
          network_mode: service:vpn
      `,
  },
  {
    rule: 'host-mode-links',
    trigger: yaml`
      services:
        db: {image: db}
        app:
          image: app
          network_mode: host
          links: [db]
      `,
    at: 'links',
    message: /links cannot be used with host networking/,
    near: yaml`
      services:
        db: {image: db}
        app:
          image: app
          network_mode: host
          depends_on: [db]
      `,
    fixed: yaml`
      services:
        db: {image: db}
        app:
          image: app
          network_mode: host
          depends_on: [db]
      `,
  },
  {
    rule: 'mac-address-mismatch',
    trigger: yaml`
      services:
        app:
          image: app
          mac_address: 02:42:ac:11:00:02
          networks:
            front:
              mac_address: 02:42:ac:11:00:03
      networks:
        front: {}
      `,
    at: '02:42:ac:11:00:02',
    message: /mac_address 02:42:ac:11:00:02 differs from 02:42:ac:11:00:03 on network "front"/,
    near: yaml`
      services:
        app:
          image: app
          mac_address: 02:42:ac:11:00:03
          networks:
            front:
              mac_address: 02:42:AC:11:00:03
      networks:
        front: {}
      `,
    fixed: true,
  },
  {
    rule: 'external-network-missing',
    engine: { networkNames: ['bridge', 'host', 'none', 'proxy'] },
    trigger: yaml`
      services:
        app: {image: app, networks: [edge]}
      networks:
        edge:
          external: true
          name: traefik
      `,
    at: 'edge',
    message: /network "traefik" is declared as external, but it does not exist on the engine/,
    near: yaml`
      services:
        app: {image: app, networks: [edge]}
      networks:
        edge:
          external: true
          name: proxy
      `,
  },
  {
    rule: 'unreachable-hostname',
    trigger: yaml`
      services:
        api:
          image: api
          environment:
            DATABASE_URL: postgres://db:5432/app
          networks: [front]
        db:
          image: postgres
          networks: [back]
      networks:
        front: {}
        back: {}
      `,
    at: 'db',
    message: /"db" resolves only on \[back\]; "api" is on \[front\]/,
    near: yaml`
      services:
        api:
          image: api
          environment:
            DATABASE_URL: postgres://db:5432/app
          networks: [front, back]
        db:
          image: postgres
          networks: [back]
      networks:
        front: {}
        back: {}
      `,
    fixed: yaml`
      services:
        api:
          image: api
          environment:
            DATABASE_URL: postgres://db:5432/app
          networks: [front, back]
        db:
          image: postgres
          networks: [back]
      networks:
        front: {}
        back: {}
      `,
  },
  {
    rule: 'link-without-shared-network',
    trigger: yaml`
      services:
        web:
          image: web
          links: [db]
          networks: [front]
        db:
          image: db
          networks: [back]
      networks:
        front: {}
        back: {}
      `,
    at: 'db',
    message: /"web" links to "db" but they share no network/,
    near: yaml`
      services:
        web:
          image: web
          network_mode: bridge
          links: [db]
        db:
          image: db
          network_mode: bridge
      `,
    fixed: true,
  },
  {
    rule: 'depends-on-no-shared-network',
    trigger: yaml`
      services:
        web:
          image: web
          depends_on: [db]
          networks: [front]
        db:
          image: db
          networks: [back]
      networks:
        front: {}
        back: {}
      `,
    at: 'db',
    message: /"web" depends on "db" but cannot reach it/,
    near: yaml`
      services:
        web:
          image: web
          depends_on: [db]
          networks: [front, back]
        db:
          image: db
          networks: [back]
      networks:
        front: {}
        back: {}
      `,
    fixed: true,
  },
  {
    rule: 'ports-on-internal-only',
    trigger: yaml`
      services:
        web:
          image: web
          ports: ["8080:80"]
          networks: [back]
      networks:
        back: {internal: true}
        front: {}
      `,
    at: 'ports',
    message: /published ports will not be reachable from the host: every network it is on is internal \[back\]/,
    near: yaml`
      services:
        web:
          image: web
          ports: ["8080:80"]
          networks: [back, front]
      networks:
        back: {internal: true}
        front: {}
      `,
    fixed: true,
  },
  {
    rule: 'host-mode-ports',
    trigger: yaml`
      services:
        web:
          image: web
          network_mode: host
          ports:
            - "80:80"
      `,
    at: 'ports',
    message: /ports are discarded in host network mode/,
    near: yaml`
      services:
        web:
          image: web
          network_mode: host
          expose: ["80"]
      `,
    fixed: yaml`
      services:
        web:
          image: web
          network_mode: host
      `,
  },
  {
    rule: 'dns-name-collision',
    severity: 'warning',
    trigger: yaml`
      services:
        api:
          image: api
        worker:
          image: worker
          networks:
            default:
              aliases: [api]
      `,
    at: 'api',
    message: /the alias "api" of "worker" is also the name of service "api" on "default"/,
    near: yaml`
      services:
        api:
          image: api
        worker:
          image: worker
          networks:
            default:
              aliases: [jobs]
      `,
    fixed: true,
  },
  {
    rule: 'namespace-tenant-has-no-dns',
    trigger: yaml`
      services:
        vpn: {image: vpn}
        torrent:
          image: torrent
          network_mode: service:vpn
        ui:
          image: ui
          environment:
            TORRENT_HOST: torrent
      `,
    at: 'torrent',
    message: /"torrent" has no Compose DNS name of its own \(network_mode service:vpn\); use its namespace owner "vpn"/,
    near: yaml`
      services:
        vpn: {image: vpn}
        torrent:
          image: torrent
          network_mode: service:vpn
        ui:
          image: ui
          environment:
            TORRENT_HOST: vpn
      `,
    fixed: yaml`
      services:
        vpn: {image: vpn}
        torrent:
          image: torrent
          network_mode: service:vpn
        ui:
          image: ui
          environment:
            TORRENT_HOST: vpn
      `,
  },
  {
    rule: 'hostname-attribute-not-dns',
    trigger: yaml`
      services:
        db:
          image: postgres
          hostname: database-host
        app:
          image: app
          command: ["wait-for", "database-host:5432"]
      `,
    at: 'database-host',
    message: /"database-host" is the hostname: of "db", which peers do not resolve/,
    near: yaml`
      services:
        db:
          image: postgres
          hostname: database-host
        app:
          image: app
          command: ["wait-for", "db:5432"]
      `,
    fixed: true,
  },
  {
    rule: 'implicit-default-mixed',
    trigger: yaml`
      services:
        web:
          image: web
        api:
          image: api
          networks: [back]
      networks:
        back: {}
      `,
    at: 'web',
    message: /"web" is only on the implicit default network, while \[api\] are only on custom networks/,
    near: yaml`
      services:
        web:
          image: web
        api:
          image: api
          networks: [back, default]
      networks:
        back: {}
      `,
    fixed: true,
  },
  {
    rule: 'unused-network',
    trigger: yaml`
      services:
        web: {image: web, networks: [front]}
      networks:
        front: {}
        legacy:
          driver: bridge
      `,
    at: 'legacy',
    message: /network "legacy" is declared but no service uses it/,
    near: yaml`
      services:
        web: {image: web, networks: [front]}
      networks:
        front: {}
        legacy:
          external: true
      `,
    fixed: yaml`
      services:
        web: {image: web, networks: [front]}
      networks:
        front: {}
      `,
  },
  {
    rule: 'external-network-with-config',
    trigger: yaml`
      services:
        web: {image: web, networks: [proxy]}
      networks:
        proxy:
          external: true
          driver: bridge
      `,
    at: 'driver',
    message: /network "proxy" is external: its "driver" is ignored/,
    near: yaml`
      services:
        web: {image: web, networks: [proxy]}
      networks:
        proxy:
          external: true
          name: traefik_proxy
          x-note: shared with traefik
      `,
    fixed: yaml`
      services:
        web: {image: web, networks: [proxy]}
      networks:
        proxy:
          external: true
      `,
  },
  {
    rule: 'macvlan-without-parent',
    engine: { networkNames: [], hostInterfaces: ['eth0'] },
    trigger: yaml`
      services:
        web: {image: web, networks: [lan]}
      networks:
        lan:
          driver: macvlan
      `,
    at: 'macvlan',
    message: /macvlan network "lan" has no driver_opts.parent/,
    near: yaml`
      services:
        web: {image: web, networks: [lan]}
      networks:
        lan:
          driver: macvlan
          driver_opts:
            parent: eth0
      `,
    fixed: yaml`
      services:
        web: {image: web, networks: [lan]}
      networks:
        lan:
          driver: macvlan
          driver_opts:
            parent: eth0
      `,
  },
  {
    rule: 'overlay-requires-swarm',
    severity: 'warning',
    engine: { networkNames: [], swarmActive: false },
    trigger: yaml`
      services:
        web: {image: web, networks: [mesh]}
      networks:
        mesh:
          driver: overlay
      `,
    at: 'overlay',
    message: /overlay network "mesh" needs Swarm mode, and Swarm is not active on this engine/,
    near: yaml`
      services:
        web: {image: web, networks: [mesh]}
      networks:
        mesh:
          driver: bridge
      `,
    fixed: true,
  },
  {
    rule: 'extra-hosts-shadows-service',
    trigger: yaml`
      services:
        db: {image: db}
        app:
          image: app
          extra_hosts:
            - "db:10.0.0.5"
      `,
    at: 'db',
    message: /extra_hosts entry "db" of "app" overrides Compose DNS for that name/,
    near: yaml`
      services:
        db: {image: db}
        app:
          image: app
          extra_hosts:
            - "metrics.internal:10.0.0.5"
      `,
    fixed: yaml`
      services:
        db: {image: db}
        app:
          image: app
          extra_hosts:
      `,
  },
  {
    rule: 'links-redundant',
    trigger: yaml`
      services:
        db: {image: db}
        app:
          image: app
          links:
            - db
      `,
    at: 'db',
    message: /link to "db" is not needed: they share \[default\]/,
    near: yaml`
      services:
        db: {image: db}
        app:
          image: app
          depends_on:
            - db
      `,
    fixed: yaml`
      services:
        db: {image: db}
        app:
          image: app
          depends_on:
            - db
      `,
  },
  {
    rule: 'port-range-mismatch',
    trigger: yaml`
      services:
        app:
          image: app
          ports: ["8000-8010:80-85"]
      `,
    at: '"8000-8010:80-85"',
    message: /port range 8000-8010 has 11 port\(s\) but 80-85 has 6/,
    near: yaml`
      services:
        app:
          image: app
          ports: ["8000-8005:80-85", "9000-9010:80"]
      `,
  },
  {
    rule: 'port-host-ip-invalid',
    trigger: yaml`
      services:
        app:
          image: app
          ports: ["127.0.0.300:8080:80"]
      `,
    at: '"127.0.0.300:8080:80"',
    message: /"127\.0\.0\.300" is not a valid host IP address/,
    near: yaml`
      services:
        app:
          image: app
          ports: ["127.0.0.1:8080:80", "[::1]:8081:80"]
      `,
  },
];

describe('rules: each trigger and near miss', () => {
  for (const c of CASES) {
    describe(c.rule, () => {
      const opts = c.engine ? { engine: c.engine } : {};
      it('triggers with the exact range and message', () => {
        const r = lint(c.trigger, opts);
        const found = r.of(c.rule);
        assert.strictEqual(found.length, 1, `expected one ${c.rule}, got ${JSON.stringify(r.findings.map((f) => [f.rule, f.message]), null, 1)}`);
        assert.strictEqual(r.textOf(found[0]), c.at);
        assert.match(found[0].message, c.message);
        const expectedSeverity = c.severity ?? RULES.find((x) => x.id === c.rule)!.severity;
        assert.strictEqual(found[0].severity, expectedSeverity);
      });
      it('stays silent on the near miss', () => {
        const r = lint(c.near, opts);
        assert.deepStrictEqual(r.of(c.rule).map((f) => f.message), []);
      });
      if (c.fixed !== undefined) {
        it('its fix removes the finding', () => {
          const r = lint(c.trigger, opts);
          const f = r.of(c.rule)[0];
          const fix = f.fixes.find((x) => x.preferred) ?? f.fixes[0];
          assert.ok(fix, 'a fix is offered');
          const after = applyFix(r.files, fix);
          if (typeof c.fixed === 'string') assert.strictEqual(after['compose.yaml'], c.fixed);
          const again = lint(after, opts);
          assert.deepStrictEqual(again.of(c.rule).map((x) => x.message), []);
          assert.deepStrictEqual(again.of('yaml-syntax'), [], 'the fixed file is valid YAML');
        });
      }
    });
  }

  it('covers every rule of the catalogue sections A, B and C', () => {
    const tested = new Set(CASES.map((c) => c.rule));
    const untested = RULES.filter((r) => !tested.has(r.id) && !['yaml-syntax', 'file-not-found', 'file-unreadable', 'compose-load-error'].includes(r.id)).map((r) => r.id);
    assert.deepStrictEqual(untested, []);
  });
});
