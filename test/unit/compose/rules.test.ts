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
  {
    rule: 'invalid-port',
    trigger: yaml`
      services:
        app:
          image: app
          ports: ["70000:80"]
      `,
    at: '"70000:80"',
    message: /host port "70000" is not a port number or range between 1 and 65535/,
    near: yaml`
      services:
        app:
          image: app
          ports: ["65535:80", "8000-8010:8000-8010"]
      `,
  },
  {
    rule: 'invalid-subnet',
    trigger: yaml`
      services:
        app: {image: app, networks: [back]}
      networks:
        back:
          ipam:
            config:
              - subnet: 10.0.0.0/33
      `,
    at: '10.0.0.0/33',
    message: /subnet "10\.0\.0\.0\/33" of "back" is not a valid CIDR: the prefix length \/33 is out of range \(0-32\)/,
    near: yaml`
      services:
        app: {image: app, networks: [back]}
      networks:
        back:
          ipam:
            config:
              - subnet: 10.0.0.0/32
              - subnet: \${SUBNET}
      `,
  },
  {
    rule: 'duplicate-key',
    trigger: yaml`
      services:
        app:
          image: app
          image: app2
      `,
    at: 'image',
    message: /key "image" is already defined at line 3 of this mapping/,
    near: yaml`
      x-base: &base
        image: app
      services:
        app:
          <<: *base
          image: app2
      `,
    fixed: yaml`
      services:
        app:
          image: app
      `,
  },
  {
    rule: 'duplicate-host-port',
    trigger: yaml`
      services:
        web: {image: web, ports: ["8080:80"]}
        admin: {image: admin, ports: ["0.0.0.0:8080:8080"]}
      `,
    at: '"0.0.0.0:8080:8080"',
    message: /host port 8080\/tcp is also published by "web": the second container fails at up \("port is already allocated"\)/,
    near: yaml`
      services:
        web: {image: web, ports: ["127.0.0.1:8080:80", "53:53/udp"]}
        admin: {image: admin, ports: ["10.0.0.5:8080:8080", "53:53/tcp"]}
      `,
  },
  {
    rule: 'subnet-overlaps-engine-network',
    engine: { networkNames: ['mailcow_other'], networks: [{ name: 'legacy_net', subnets: ['172.22.0.0/16'], composeProject: 'legacy' }, { name: 'project_back', subnets: ['172.23.1.0/24'], composeProject: 'project' }] },
    trigger: yaml`
      services:
        app: {image: app, networks: [back]}
      networks:
        back:
          ipam:
            config:
              - subnet: 172.22.1.0/24
      `,
    at: '172.22.1.0/24',
    message: /subnet 172\.22\.1\.0\/24 of "back" overlaps 172\.22\.0\.0\/16 of the engine network "legacy_net": docker compose up fails with "Pool overlaps/,
    // The project's own network, already up, is not a clash.
    near: yaml`
      services:
        app: {image: app, networks: [back]}
      networks:
        back:
          ipam:
            config:
              - subnet: 172.23.1.0/24
      `,
    fixed: true,
  },
  {
    rule: 'subnet-in-default-pools',
    engine: { networkNames: [], networks: [] },
    trigger: yaml`
      services:
        app: {image: app, networks: [back]}
      networks:
        back:
          ipam:
            config:
              - subnet: 192.168.32.0/20
      `,
    at: '192.168.32.0/20',
    message: /is inside the engine's default address pools/,
    near: yaml`
      services:
        app: {image: app, networks: [back]}
      networks:
        back:
          ipam:
            config:
              - subnet: 10.77.0.0/24
      `,
  },
  {
    rule: 'subnet-overlaps-host-route',
    engine: { networkNames: [], networks: [], hostRoutes: [{ destination: '10.8.0.0/16', iface: 'tun0' }, { destination: '0.0.0.0/0', iface: 'eth0' }] },
    trigger: yaml`
      services:
        app: {image: app, networks: [back]}
      networks:
        back:
          ipam:
            config:
              - subnet: 10.8.4.0/24
      `,
    at: '10.8.4.0/24',
    message: /overlaps the host's route to 10\.8\.0\.0\/16 via tun0/,
    // The default route covers everything: it is not a clash.
    near: yaml`
      services:
        app: {image: app, networks: [back]}
      networks:
        back:
          ipam:
            config:
              - subnet: 10.9.4.0/24
      `,
  },
  {
    rule: 'ports-on-macvlan-only',
    trigger: yaml`
      services:
        nas:
          image: nas
          ports: ["445:445"]
          networks: [lan]
      networks:
        lan:
          driver: macvlan
          driver_opts: {parent: eth0}
      `,
    at: 'ports',
    message: /service "nas": nothing is published: every network it is on is macvlan\/ipvlan \[lan\]/,
    near: yaml`
      services:
        nas:
          image: nas
          ports: ["445:445"]
          networks: [lan, default]
      networks:
        lan:
          driver: macvlan
          driver_opts: {parent: eth0}
      `,
    fixed: true,
  },
  {
    rule: 'static-ip-across-networks',
    trigger: yaml`
      services:
        pihole:
          image: pihole
          networks:
            private: {ipv4_address: 10.2.0.100}
        wireguard:
          image: wg
          environment:
            PEERDNS: 10.2.0.100
          networks: [vpn]
      networks:
        private:
          ipam: {config: [{subnet: 10.2.0.0/24}]}
        vpn: {}
      `,
    at: '10.2.0.100',
    message: /10\.2\.0\.100 is the static address of "pihole" on "private", a network "wireguard" is not on \(it is on \[vpn\]\)/,
    near: yaml`
      services:
        pihole:
          image: pihole
          networks:
            private: {ipv4_address: 10.2.0.100}
        wireguard:
          image: wg
          environment:
            PEERDNS: 10.2.0.100
            ALLOWED: 10.2.0.1000
          networks: [vpn, private]
      networks:
        private:
          ipam: {config: [{subnet: 10.2.0.0/24}]}
        vpn: {}
      `,
    fixed: true,
  },
  {
    rule: 'host-docker-internal-unresolved',
    trigger: yaml`
      services:
        app:
          image: app
          environment:
            OTEL_ENDPOINT: http://host.docker.internal:4317
      `,
    at: 'host.docker.internal',
    message: /service "app": host\.docker\.internal does not resolve on Linux engines unless extra_hosts maps it to host-gateway/,
    near: yaml`
      services:
        app:
          image: app
          environment:
            OTEL_ENDPOINT: http://host.docker.internal:4317
          extra_hosts:
            - "host.docker.internal:host-gateway"
      `,
    fixed: yaml`
      services:
        app:
          image: app
          environment:
            OTEL_ENDPOINT: http://host.docker.internal:4317
          extra_hosts:
            - host.docker.internal:host-gateway
      `,
  },
  {
    rule: 'sensitive-port-published',
    trigger: yaml`
      services:
        db:
          image: postgres
          ports: ["5432:5432"]
      `,
    at: '"5432:5432"',
    message: /service "db": PostgreSQL port 5432 is published on all interfaces of the host/,
    near: yaml`
      services:
        db:
          image: postgres
          ports: ["127.0.0.1:5432:5432"]
      `,
    fixed: yaml`
      services:
        db:
          image: postgres
          ports: ["127.0.0.1:5432:5432"]
      `,
  },
  // Stack rules (docker stack deploy): these files are stacks by their Swarm-only deploy keys. More in stack.test.ts.
  {
    rule: 'dnsrr-with-ingress-ports',
    trigger: yaml`
      services:
        dns:
          image: nginx
          ports: ["8080:80"]
          deploy: {endpoint_mode: dnsrr}
      `,
    at: '"8080:80"',
    message: /service "dns" publishes a port in ingress mode with endpoint_mode: dnsrr: Swarm refuses it/,
    near: yaml`
      services:
        dns:
          image: nginx
          ports: [{target: 80, published: 8080, mode: host}]
          deploy: {endpoint_mode: dnsrr}
      `,
  },
  {
    rule: 'overlay-not-attachable',
    trigger: yaml`
      services:
        api: {image: nginx, networks: [mesh], deploy: {mode: replicated}}
        debug: {image: busybox, container_name: debug, networks: [mesh]}
      networks:
        mesh:
          driver: overlay
      `,
    at: 'overlay',
    message: /overlay network "mesh" is not attachable, but service "debug" \(container_name\)/,
    near: yaml`
      services:
        api: {image: nginx, networks: [mesh], deploy: {mode: replicated}}
        debug: {image: busybox, container_name: debug, networks: [mesh]}
      networks:
        mesh:
          driver: overlay
          attachable: true
      `,
    fixed: true,
  },
  {
    rule: 'overlay-encrypted',
    trigger: yaml`
      services:
        web: {image: nginx, networks: [secure], deploy: {mode: global}}
      networks:
        secure:
          driver_opts: {encrypted: ""}
      `,
    at: '""',
    message: /overlay network "secure" is encrypted: .*IP protocol 50/,
    near: yaml`
      services:
        web: {image: nginx, networks: [secure], deploy: {mode: global}}
      networks:
        secure: {}
      `,
  },
  {
    rule: 'overlay-mtu-too-large',
    trigger: yaml`
      services:
        web: {image: nginx, networks: [mesh]}
      networks:
        mesh:
          driver: overlay
          driver_opts: {com.docker.network.driver.mtu: "9000"}
      `,
    at: '"9000"',
    message: /overlay network "mesh" has MTU 9000, but VXLAN adds 50 bytes/,
    near: yaml`
      services:
        web: {image: nginx, networks: [mesh]}
      networks:
        mesh:
          driver: overlay
          driver_opts: {com.docker.network.driver.mtu: "1450"}
      `,
    fixed: true,
  },
  {
    rule: 'host-ports-replicas-exceed-nodes',
    trigger: yaml`
      services:
        edge:
          image: nginx
          ports: [{target: 80, published: 80, mode: host}]
          deploy: {mode: replicated, replicas: 3}
      `,
    at: '{target: 80, published: 80, mode: host}',
    message: /3 replicas, but the Swarm has 2 nodes/,
    engine: { networkNames: [], swarmActive: true, swarmNodes: 2 },
    near: yaml`
      services:
        edge:
          image: nginx
          ports: [{target: 80, published: 80, mode: host}]
          deploy: {mode: replicated, replicas: 2}
      `,
  },
  {
    rule: 'stack-ignored-option',
    trigger: yaml`
      services:
        web: {image: nginx, container_name: web1, deploy: {mode: global}}
      `,
    at: 'container_name',
    message: /service "web": container_name is ignored by docker stack deploy/,
    near: yaml`
      services:
        web: {image: nginx, container_name: web1, deploy: {replicas: 1}}
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
    const untested = RULES.filter((r) => !tested.has(r.id) && !['yaml-syntax', 'file-not-found', 'file-unreadable', 'compose-load-error', 'analysis-limit'].includes(r.id)).map((r) => r.id);
    assert.deepStrictEqual(untested, []);
  });
});

describe('issue 11: the model follows what the engine does (each behaviour pinned in test/engine/behaviours.test.ts)', () => {
  it('hostname: is a DNS name for peers on user-defined networks (Engine 20.10 adds it to the aliases)', () => {
    const r = lint(yaml`
      services:
        db:
          image: postgres
          hostname: database-host
        app:
          image: app
          command: ["wait-for", "database-host:5432"]
      `);
    assert.deepStrictEqual(r.findings.map((f) => f.rule), []);
    assert.ok(r.topology.namesOf('db').has('database-host'));
  });

  it('hostname: counts for unreachable-hostname and dns-name-collision', () => {
    const r = lint(yaml`
      services:
        db:
          image: postgres
          hostname: database-host
          networks: [back]
        cache:
          image: redis
          hostname: db
          networks: [back]
        app:
          image: app
          command: ["wait-for", "database-host:5432"]
          networks: [front]
      networks:
        front: {}
        back: {}
      `);
    assert.deepStrictEqual(r.of('unreachable-hostname').map((f) => [r.textOf(f), f.message]), [['database-host', '"database-host" resolves only on [back]; "app" is on [front]']]);
    assert.deepStrictEqual(r.of('dns-name-collision').map((f) => [f.severity, f.message]), [['warning', 'the hostname "db" of "cache" is also the name of service "db" on "back": which container answers is not guaranteed']]);
  });

  it('hostname: a hostname with a domain may resolve outside Compose, so it is not reported', () => {
    const r = lint(yaml`
      services:
        mail:
          image: mail
          hostname: mail.example.com
          networks: [back]
        web:
          image: web
          environment: {SMTP_HOST: mail.example.com}
          networks: [front]
      networks:
        front: {}
        back: {}
      `);
    assert.deepStrictEqual(r.of('unreachable-hostname'), []);
  });

  const icc = (value: string) => yaml`
    services:
      api:
        image: api
        environment: {DB_HOST: db}
        networks: [back]
      db:
        image: postgres
        networks: [back]
    networks:
      back:
        driver_opts:
          com.docker.network.bridge.enable_icc: "${value}"
    `;

  it('enable_icc "false": the name resolves but nothing connects: unreachable-hostname, and no "reaches" in the topology', () => {
    const r = lint(icc('false'));
    assert.deepStrictEqual(r.of('unreachable-hostname').map((f) => f.message), ['"db" resolves on [back], but containers there cannot connect to each other (com.docker.network.bridge.enable_icc is "false")']);
    assert.strictEqual(r.topology.canReach('api', 'db'), false);
    assert.deepStrictEqual(r.topology.reachVia('api', 'db'), []);
    assert.strictEqual(r.topology.peersIsolated('back'), true);
  });

  it('enable_icc "true": near miss', () => {
    const r = lint(icc('true'));
    assert.deepStrictEqual(r.of('unreachable-hostname'), []);
    assert.strictEqual(r.topology.canReach('api', 'db'), true);
    assert.deepStrictEqual(r.topology.reachVia('api', 'db'), ['back']);
  });

  it('internal and enable_ip_masquerade "false" leave no way out; a normal bridge does', () => {
    const r = lint(yaml`
      services:
        a: {image: a, networks: [closed]}
        b: {image: b, networks: [nomasq]}
        c: {image: c, networks: [closed, open]}
        d: {image: d, network_mode: host}
        e: {image: e, network_mode: none}
      networks:
        closed: {internal: true}
        nomasq:
          driver_opts: {com.docker.network.bridge.enable_ip_masquerade: "false"}
        open: {}
      `);
    const t = r.topology;
    assert.deepStrictEqual(['closed', 'nomasq', 'open'].map((n) => t.egressBlockedBy(n)), ['internal', 'no-masquerade', undefined]);
    assert.deepStrictEqual(['a', 'b', 'c', 'd', 'e'].map((s) => t.canEgress(s)), [false, false, true, true, false]);
  });

  it('bridge driver options do nothing on other drivers', () => {
    const r = lint(yaml`
      services:
        a: {image: a, environment: {PEER: b}, networks: [mesh]}
        b: {image: b, networks: [mesh]}
      networks:
        mesh:
          driver: overlay
          driver_opts: {com.docker.network.bridge.enable_icc: "false"}
      `);
    assert.strictEqual(r.topology.canReach('a', 'b'), true);
  });
});

describe('issue 11: precision on real projects', () => {
  it('unreachable-hostname: a configuration relay (bunkerweb: a controller holds the app URL for a proxy that shares its network) is info', () => {
    const r = lint(yaml`
      services:
        app:
          image: app
          networks: [apps]
        proxy:
          image: bunkerweb
          networks: [apps, control]
        controller:
          image: autoconf
          environment:
            REVERSE_PROXY_HOST: http://app:8080
          networks: [control]
      networks:
        apps: {}
        control: {}
      `);
    const found = r.of('unreachable-hostname');
    assert.deepStrictEqual(found.map((f) => [f.severity, f.message]), [['info', '"app" is only reachable through "proxy" (a configuration relay?): "app" resolves only on [apps]; "controller" is on [control]']]);
  });

  it('implicit-default-mixed: silent when a service joins the two groups (deliberate segmentation)', () => {
    const r = lint(yaml`
      services:
        web: {image: web}
        proxy: {image: proxy, networks: [default, back]}
        api: {image: api, networks: [back]}
      networks:
        back: {}
      `);
    assert.deepStrictEqual(r.of('implicit-default-mixed'), []);
  });

  it('implicit-default-mixed: still reported for the groups no service joins', () => {
    const r = lint(yaml`
      services:
        web: {image: web}
        proxy: {image: proxy, networks: [default, back]}
        api: {image: api, networks: [back]}
        batch: {image: batch, networks: [jobs]}
      networks:
        back: {}
        jobs: {}
      `);
    assert.deepStrictEqual(r.of('implicit-default-mixed').map((f) => f.message), ['"web" is only on the implicit default network, while [batch] are only on custom networks, and no service joins the two: they cannot reach each other']);
  });

  for (const [subnet, why] of [
    ['10.0.0.0/33', /prefix length \/33 is out of range/],
    ['010.0.0.0/8', /leading zeros \(octal forms\)/],
    ['0x0a.0.0.0/8', /hexadecimal/],
    ['255.255.255.0', /an address without a prefix length/],
    ['/24', /a prefix length without an address/],
  ] as const) {
    it(`invalid-subnet: ${subnet}`, () => {
      const r = lint(yaml`
        services:
          app: {image: app, networks: [back]}
        networks:
          back:
            ipam:
              config:
                - subnet: "${subnet}"
        `);
      assert.match(r.of('invalid-subnet').map((f) => f.message).join('\n'), why);
    });
  }

  it('invalid-subnet: a mapping where a string belongs', () => {
    const r = lint(yaml`
      services:
        app: {image: app, networks: [back]}
      networks:
        back:
          ipam:
            config:
              - subnet: {address: 10.0.0.0, prefix: 24}
      `);
    assert.deepStrictEqual(r.of('invalid-subnet').map((f) => [r.textOf(f), f.message]), [['subnet', 'subnet of "back" must be a string, not a mapping']]);
  });

  it('invalid-port: 0, words and reversed ranges; not ${VAR}', () => {
    const r = lint(yaml`
      services:
        app:
          image: app
          ports: ["0:80", "8080:http", "9010-9000:9000-9010", "\${PORT}:80", {target: 80, published: 99999}]
      `);
    assert.deepStrictEqual(r.of('invalid-port').map((f) => r.textOf(f)), ['"0:80"', '"8080:http"', '"9010-9000:9000-9010"', '{target: 80, published: 99999}']);
  });

  it('duplicate-host-port: with the engine, a port a running container of another project holds', () => {
    const engine = { networkNames: [], publishedPorts: [{ hostIp: '0.0.0.0', port: 8080, protocol: 'tcp', container: 'old-web-1', composeProject: 'old' }, { hostIp: '0.0.0.0', port: 9090, protocol: 'tcp', container: 'project-web-1', composeProject: 'project' }] };
    const r = lint(yaml`
      services:
        web: {image: web, ports: ["8080:80", "9090:90", "8080:80/udp"]}
      `, { engine });
    assert.deepStrictEqual(r.of('duplicate-host-port').map((f) => f.message), ['host port 8080/tcp is already taken on the engine by running container "old-web-1" (project "old"): "web" fails at up ("port is already allocated")']);
  });

  it('host-docker-internal-unresolved: in logging.options the fix is an address of the host (extra_hosts does not reach the engine)', () => {
    const r = lint(yaml`
      x-logging: &logging
        driver: fluentd
        options:
          fluentd-address: host.docker.internal:24224
      services:
        app:
          image: app
          extra_hosts: ["host.docker.internal:host-gateway"]
          logging: *logging
      `);
    const found = r.of('host-docker-internal-unresolved');
    assert.deepStrictEqual(found.map((f) => r.textOf(f)), ['host.docker.internal']);
    assert.match(found[0].message, /logging option fluentd-address names host\.docker\.internal, but the logging driver runs in the engine on the host/);
    assert.strictEqual(found[0].fixes[0].title, 'Use 127.0.0.1');
  });

  it('static-ip-across-networks: dns and extra_hosts count; the owner itself and host-mode services do not', () => {
    const r = lint(yaml`
      services:
        pihole:
          image: pihole
          environment: {FTLCONF_LOCAL_IPV4: 10.2.0.100}
          networks:
            private: {ipv4_address: 10.2.0.100}
        vpn:
          image: wg
          dns: [10.2.0.100]
        vpn2:
          image: wg
          extra_hosts: ["pi.hole:10.2.0.100"]
        tool:
          image: tool
          network_mode: host
          environment: {DNS: 10.2.0.100}
      networks:
        private:
          ipam: {config: [{subnet: 10.2.0.0/24}]}
      `);
    assert.deepStrictEqual(r.of('static-ip-across-networks').map((f) => r.textOf(f)), ['10.2.0.100', '"pi.hole:10.2.0.100"']);
  });

  it('sensitive-port-published: a random host port ("6379") is on all interfaces too; the long syntax gets no automatic fix', () => {
    const r = lint(yaml`
      services:
        cache:
          image: redis
          ports: ["6379", {target: 27017, published: 27017}]
      `);
    const found = r.of('sensitive-port-published');
    assert.deepStrictEqual(found.map((f) => [r.textOf(f), f.fixes.length]), [['"6379"', 1], ['{target: 27017, published: 27017}', 0]]);
    const after = applyFix(r.files, found[0].fixes[0]);
    assert.match(after['compose.yaml'], /ports: \["127\.0\.0\.1::6379"/);
  });
});

describe('issue 11: duplicate-host-port at scale', () => {
  it('ranges clash port by port; 2,000 services with distinct ports give no finding', () => {
    const r = lint(yaml`
      services:
        a: {image: a, ports: ["9000-9010:9000-9010"]}
        b: {image: b, ports: ["9010:80"]}
        c: {image: c, ports: ["1-65535:1-65535/udp"]}
        d: {image: d, ports: ["40000:40000/udp"]}
      `);
    assert.deepStrictEqual(r.of('duplicate-host-port').map((f) => f.message.slice(0, 45)), ['host port 9010/tcp is also published by "a": ', 'host port 40000/udp is also published by "c":']);
    const many = 'services:\n' + Array.from({ length: 2000 }, (_, i) => `  s${i}: {image: x, ports: ["${10000 + i}:80"]}\n`).join('');
    assert.deepStrictEqual(lint(many).of('duplicate-host-port'), []);
  });
});

describe('issue 11: duplicate-key stays out of files that do not parse', () => {
  it('reports the syntax error only', () => {
    const r = lint('services:\n  app:\n    image: a\n    ...\n    image: b\n  x: [\n');
    assert.ok(r.of('yaml-syntax').length > 0);
    assert.deepStrictEqual(r.of('duplicate-key'), []);
  });
});

describe('issue 11: host-docker-internal-unresolved with extra_hosts in mapping form', () => {
  it('adds the entry to the mapping, and the fixed file is clean', () => {
    const r = lint(yaml`
      services:
        app:
          image: app
          command: ["curl", "http://host.docker.internal:8080"]
          extra_hosts:
            metrics.local: 10.0.0.5
      `);
    const f = r.of('host-docker-internal-unresolved');
    assert.strictEqual(f.length, 1);
    const after = applyFix(r.files, f[0].fixes[0]);
    assert.match(after['compose.yaml'], /extra_hosts:\n {6}metrics\.local: 10\.0\.0\.5\n {6}host\.docker\.internal: host-gateway\n/);
    assert.deepStrictEqual(lint(after).of('host-docker-internal-unresolved'), []);
  });
});
