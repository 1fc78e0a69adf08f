// Swarm state for the Networks view: on a manager, the nodes and each overlay network with the services attached to
// it (VIP, endpoint mode) and their tasks (node, state, address); on a worker or a standalone engine, what it can see
// and why it cannot see more. Raw API records are read here and nowhere else.
import type Docker from 'dockerode';

export interface SwarmNode {
  id: string;
  hostname: string;
  role: 'manager' | 'worker' | string;
  availability: 'active' | 'pause' | 'drain' | string;
  /** ready, down, unknown, disconnected. */
  state: string;
  address: string;
  leader: boolean;
  /** The node this engine is. */
  self: boolean;
  engineVersion?: string;
}

export interface SwarmTask {
  id: string;
  /** `service.slot` (replicated) or `service.nodeId` (global), like `docker service ps`. */
  name: string;
  nodeId: string;
  /** Hostname of the node, when it is known. */
  node?: string;
  state: string;
  desiredState: string;
  /** Address on the network this task is listed under (CIDR as the API gives it). */
  address?: string;
  error?: string;
}

export interface SwarmService {
  id: string;
  name: string;
  /** vip or dnsrr. */
  endpointMode: string;
  /** The service's VIP on this network (vip mode only). */
  vip?: string;
  mode: 'replicated' | 'global' | 'replicated-job' | 'global-job' | string;
  replicas?: number;
  /** Published ports: `8080:80/tcp (ingress)`. */
  ports: string[];
  stack?: string;
  tasks: SwarmTask[];
}

export interface OverlayNetwork {
  id: string;
  name: string;
  scope: string;
  subnets: string[];
  vxlanIds: string[];
  attachable: boolean;
  encrypted: boolean;
  ingress: boolean;
  internal: boolean;
  mtu?: string;
  stack?: string;
  services: SwarmService[];
}

/** A stack deployed with `docker stack deploy`: the services labelled com.docker.stack.namespace=NAME. */
export interface SwarmStack {
  name: string;
  services: Array<{ name: string; mode: string; replicas?: number; running: number; networks: string[] }>;
  /** Networks the stack's services are attached to (names), sorted. */
  networks: string[];
}

export type SwarmView =
  | { role: 'manager'; nodeId: string; nodeAddr: string; clusterId?: string; nodes: SwarmNode[]; overlays: OverlayNetwork[]; stacks: SwarmStack[] }
  | { role: 'worker'; nodeId: string; nodeAddr: string; managers: string[]; overlays: OverlayNetwork[]; why: string }
  | { role: 'none'; state: string; why: string };

interface RawInfo {
  Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; NodeID?: string; NodeAddr?: string; RemoteManagers?: Array<{ Addr?: string }> | null; Cluster?: { ID?: string }; Error?: string };
}
export interface RawNode {
  ID: string;
  Description?: { Hostname?: string; Engine?: { EngineVersion?: string } };
  Spec?: { Role?: string; Availability?: string };
  Status?: { State?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Addr?: string };
}
export interface RawService {
  ID: string;
  Spec?: {
    Name?: string;
    Labels?: Record<string, string>;
    Mode?: { Replicated?: { Replicas?: number }; Global?: object; ReplicatedJob?: object; GlobalJob?: object };
    EndpointSpec?: { Mode?: string };
    TaskTemplate?: { Networks?: Array<{ Target?: string }> };
  };
  Endpoint?: { VirtualIPs?: Array<{ NetworkID?: string; Addr?: string }>; Ports?: Array<{ PublishedPort?: number; TargetPort?: number; Protocol?: string; PublishMode?: string }> };
}
export interface RawTask {
  ID: string;
  ServiceID?: string;
  NodeID?: string;
  Slot?: number;
  DesiredState?: string;
  Status?: { State?: string; Err?: string };
  NetworksAttachments?: Array<{ Network?: { ID?: string; Spec?: { Name?: string } }; Addresses?: string[] }>;
}
export interface RawSwarmNetwork {
  Id: string;
  Name: string;
  Driver?: string;
  Scope?: string;
  Internal?: boolean;
  Attachable?: boolean;
  Ingress?: boolean;
  IPAM?: { Config?: Array<{ Subnet?: string }> | null };
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

const STACK_LABEL = 'com.docker.stack.namespace';

export function nodeFromRaw(n: RawNode, selfId: string): SwarmNode {
  return {
    id: n.ID,
    hostname: n.Description?.Hostname ?? n.ID.slice(0, 12),
    role: n.Spec?.Role ?? 'unknown',
    availability: n.Spec?.Availability ?? 'unknown',
    state: n.Status?.State ?? 'unknown',
    address: n.Status?.Addr && n.Status.Addr !== '0.0.0.0' ? n.Status.Addr : (n.ManagerStatus?.Addr?.replace(/:\d+$/, '') ?? ''),
    leader: n.ManagerStatus?.Leader === true,
    self: n.ID === selfId,
    ...(n.Description?.Engine?.EngineVersion ? { engineVersion: n.Description.Engine.EngineVersion } : {}),
  };
}

function serviceMode(s: RawService): string {
  const m = s.Spec?.Mode ?? {};
  if (m.Global) return 'global';
  if (m.ReplicatedJob) return 'replicated-job';
  if (m.GlobalJob) return 'global-job';
  return 'replicated';
}

export function overlayFromRaw(n: RawSwarmNetwork): Omit<OverlayNetwork, 'services'> {
  const opts = n.Options ?? {};
  const vxlan = opts['com.docker.network.driver.overlay.vxlanid_list'];
  return {
    id: n.Id,
    name: n.Name,
    scope: n.Scope ?? 'swarm',
    subnets: (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? '').filter(Boolean),
    vxlanIds: vxlan ? vxlan.split(',').filter(Boolean) : [],
    attachable: n.Attachable === true,
    encrypted: 'encrypted' in opts,
    ingress: n.Ingress === true,
    internal: n.Internal === true,
    ...(opts['com.docker.network.driver.mtu'] ? { mtu: opts['com.docker.network.driver.mtu'] } : {}),
    ...(n.Labels?.[STACK_LABEL] ? { stack: n.Labels[STACK_LABEL] } : {}),
  };
}

/** Joins networks, services, tasks and nodes: each overlay lists the services on it, each service its tasks there. */
export function buildSwarmOverlays(networks: RawSwarmNetwork[], services: RawService[], tasks: RawTask[], nodes: SwarmNode[]): OverlayNetwork[] {
  const hostnames = new Map(nodes.map((n) => [n.id, n.hostname]));
  const overlays = networks.filter((n) => n.Driver === 'overlay').map(overlayFromRaw);
  const byId = new Map(overlays.map((o) => [o.id, { ...o, services: [] as SwarmService[] }]));
  for (const s of services) {
    const name = s.Spec?.Name ?? s.ID.slice(0, 12);
    const mode = serviceMode(s);
    const replicas = s.Spec?.Mode?.Replicated?.Replicas;
    const vips = new Map((s.Endpoint?.VirtualIPs ?? []).map((v) => [v.NetworkID ?? '', v.Addr ?? '']));
    const targets = new Set([...(s.Spec?.TaskTemplate?.Networks ?? []).map((t) => t.Target ?? ''), ...vips.keys()]);
    const ports = (s.Endpoint?.Ports ?? []).map((p) => `${p.PublishedPort ?? ''}:${p.TargetPort ?? ''}/${p.Protocol ?? 'tcp'} (${p.PublishMode ?? 'ingress'})`);
    for (const netId of targets) {
      const overlay = byId.get(netId) ?? [...byId.values()].find((o) => o.name === netId);
      if (!overlay) continue;
      const serviceTasks = tasks
        .filter((t) => t.ServiceID === s.ID)
        .map((t): SwarmTask => {
          const att = (t.NetworksAttachments ?? []).find((a) => a.Network?.ID === overlay.id);
          const node = t.NodeID ? hostnames.get(t.NodeID) : undefined;
          return {
            id: t.ID,
            name: `${name}.${t.Slot ?? (t.NodeID ?? '').slice(0, 12)}`,
            nodeId: t.NodeID ?? '',
            ...(node ? { node } : {}),
            state: t.Status?.State ?? 'unknown',
            desiredState: t.DesiredState ?? 'unknown',
            ...(att?.Addresses?.[0] ? { address: att.Addresses[0] } : {}),
            ...(t.Status?.Err ? { error: t.Status.Err } : {}),
          };
        })
        // Running first, then by name; old shut-down tasks after.
        .sort((a, b) => Number(b.desiredState === 'running') - Number(a.desiredState === 'running') || a.name.localeCompare(b.name, undefined, { numeric: true }));
      const vip = vips.get(overlay.id);
      overlay.services.push({
        id: s.ID,
        name,
        endpointMode: s.Spec?.EndpointSpec?.Mode ?? 'vip',
        ...(vip ? { vip } : {}),
        mode,
        ...(replicas !== undefined ? { replicas } : {}),
        ports,
        ...(s.Spec?.Labels?.[STACK_LABEL] ? { stack: s.Spec.Labels[STACK_LABEL] } : {}),
        tasks: serviceTasks,
      });
    }
  }
  for (const o of byId.values()) o.services.sort((a, b) => a.name.localeCompare(b.name));
  // The ingress network last: it is Swarm's own.
  return [...byId.values()].sort((a, b) => Number(a.ingress) - Number(b.ingress) || a.name.localeCompare(b.name));
}

/** The stacks among the services (by their com.docker.stack.namespace label), with running task counts and networks. */
export function buildStacks(services: RawService[], tasks: RawTask[], networks: RawSwarmNetwork[]): SwarmStack[] {
  const netName = new Map(networks.map((n) => [n.Id, n.Name]));
  const byName = new Map<string, SwarmStack>();
  for (const s of services) {
    const stack = s.Spec?.Labels?.[STACK_LABEL];
    if (!stack) continue;
    let entry = byName.get(stack);
    if (!entry) byName.set(stack, (entry = { name: stack, services: [], networks: [] }));
    const nets = (s.Spec?.TaskTemplate?.Networks ?? []).map((t) => netName.get(t.Target ?? '') ?? t.Target ?? '').filter(Boolean).sort();
    const replicas = s.Spec?.Mode?.Replicated?.Replicas;
    entry.services.push({
      name: s.Spec?.Name ?? s.ID.slice(0, 12),
      mode: serviceMode(s),
      ...(replicas !== undefined ? { replicas } : {}),
      running: tasks.filter((t) => t.ServiceID === s.ID && t.Status?.State === 'running').length,
      networks: nets,
    });
    for (const n of nets) if (!entry.networks.includes(n)) entry.networks.push(n);
  }
  const out = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const st of out) {
    st.services.sort((a, b) => a.name.localeCompare(b.name));
    st.networks.sort();
  }
  return out;
}

/** Names of the stacks deployed on this engine, when it is a Swarm manager (else empty: a worker cannot list services). */
export async function deployedStackNames(docker: Docker, info: { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } }): Promise<string[]> {
  if (info.Swarm?.LocalNodeState !== 'active' || !info.Swarm.ControlAvailable) return [];
  const services = (await docker.listServices({ filters: JSON.stringify({ label: [STACK_LABEL] }) })) as RawService[];
  return [...new Set(services.map((s) => s.Spec?.Labels?.[STACK_LABEL] ?? '').filter(Boolean))].sort();
}

/** A stack's description in the view: `2 services · 3/4 tasks running · dnv_back, dnv_front`. */
export function stackDescription(st: SwarmStack): string {
  const wanted = st.services.reduce((n, s) => n + (s.replicas ?? 0), 0);
  const running = st.services.reduce((n, s) => n + s.running, 0);
  const tasks = st.services.every((s) => s.replicas !== undefined) ? `${running}/${wanted} tasks running` : `${running} tasks running`;
  return [`${st.services.length} service${st.services.length === 1 ? '' : 's'}`, tasks, st.networks.join(', ')].filter(Boolean).join(' · ');
}

/** Tasks on their way to their desired state (a service just created, scaled or updated): the view reads again soon. */
export function swarmConverging(view: SwarmView): boolean {
  if (view.role !== 'manager') return false;
  return view.overlays.some((o) => o.services.some((s) => s.tasks.some((t) => t.desiredState === 'running' && !['running', 'failed', 'rejected', 'shutdown', 'orphaned', 'remove'].includes(t.state))));
}

const NOT_MANAGER_WHY =
  'This engine is a Swarm worker: only managers can list nodes, services and tasks. It sees the overlay networks its own containers use. Point the extension at a manager (a docker context or "dockerNetworking.dockerHost") to see the whole Swarm.';

/** Reads the Swarm as this engine sees it. Five API calls on a manager, two elsewhere. */
export async function readSwarm(docker: Docker): Promise<SwarmView> {
  const info = (await docker.info()) as RawInfo;
  const sw = info.Swarm ?? {};
  const state = sw.LocalNodeState ?? 'inactive';
  if (state !== 'active') {
    const why =
      state === 'inactive'
        ? 'This engine is not part of a Swarm: overlay networks, services and stacks need one (`docker swarm init` on the engine that should manage it, `docker swarm join` on the others).'
        : state === 'locked'
          ? 'This Swarm manager is locked (autolock): unlock it with `docker swarm unlock` to see its nodes and services.'
          : `This engine's Swarm state is "${state}"${sw.Error ? ` (${sw.Error})` : ''}: it cannot list the Swarm until it is active.`;
    return { role: 'none', state, why };
  }
  if (!sw.ControlAvailable) {
    const networks = (await docker.listNetworks({ filters: JSON.stringify({ driver: ['overlay'] }) })) as RawSwarmNetwork[];
    return {
      role: 'worker',
      nodeId: sw.NodeID ?? '',
      nodeAddr: sw.NodeAddr ?? '',
      managers: (sw.RemoteManagers ?? []).map((m) => m.Addr ?? '').filter(Boolean),
      overlays: buildSwarmOverlays(networks, [], [], []),
      why: NOT_MANAGER_WHY,
    };
  }
  const [rawNodes, services, tasks, networks] = await Promise.all([
    docker.listNodes() as Promise<RawNode[]>,
    docker.listServices() as Promise<RawService[]>,
    docker.listTasks() as Promise<RawTask[]>,
    docker.listNetworks({ filters: JSON.stringify({ driver: ['overlay'] }) }) as Promise<RawSwarmNetwork[]>,
  ]);
  // The list does not carry every network's options everywhere (VXLAN IDs): inspect the overlays (few per Swarm).
  const detailed = await Promise.all(networks.map((n) => docker.getNetwork(n.Id).inspect().then((d: RawSwarmNetwork) => d, () => n)));
  const nodes = rawNodes.map((n) => nodeFromRaw(n, sw.NodeID ?? '')).sort((a, b) => Number(b.role === 'manager') - Number(a.role === 'manager') || a.hostname.localeCompare(b.hostname));
  return {
    role: 'manager',
    nodeId: sw.NodeID ?? '',
    nodeAddr: sw.NodeAddr ?? '',
    ...(sw.Cluster?.ID ? { clusterId: sw.Cluster.ID } : {}),
    nodes,
    overlays: buildSwarmOverlays(detailed, services, tasks, nodes),
    stacks: buildStacks(services, tasks, networks),
  };
}

/** Overlay networks can be created only on a manager: the reason to refuse, or undefined when it can. */
export async function overlayRefusal(docker: Docker, endpointDisplay: string): Promise<string | undefined> {
  const sw = ((await docker.info()) as RawInfo).Swarm ?? {};
  if (sw.LocalNodeState !== 'active')
    return `${endpointDisplay} is not part of a Swarm (state "${sw.LocalNodeState ?? 'inactive'}"): overlay networks need one. Run \`docker swarm init\` on the engine that should manage it, or use a bridge network.`;
  if (!sw.ControlAvailable)
    return `${endpointDisplay} is a Swarm worker: only a manager can create overlay networks. Point the extension at a manager${sw.RemoteManagers?.length ? ` (${sw.RemoteManagers.map((m) => m.Addr).join(', ')})` : ''}.`;
  return undefined;
}

/** One line per node for descriptions: `manager · active · ready · 10.99.0.1`. */
export function nodeDescription(n: SwarmNode): string {
  return [n.leader ? 'leader' : n.role, n.availability, n.state, n.address].filter(Boolean).join(' · ');
}

export function overlayDescription(o: OverlayNetwork): string {
  const flags = [o.attachable && 'attachable', o.encrypted && 'encrypted', o.ingress && 'ingress', o.internal && 'internal'].filter(Boolean);
  return [o.scope, ...o.subnets, o.vxlanIds.length ? `VXLAN ${o.vxlanIds.join(',')}` : '', ...flags].filter(Boolean).join(' · ');
}

export function serviceDescription(s: SwarmService): string {
  const running = s.tasks.filter((t) => t.state === 'running').length;
  const mode = s.mode === 'replicated' && s.replicas !== undefined ? `${running}/${s.replicas}` : `${s.mode} ${running} running`;
  return [s.endpointMode === 'dnsrr' ? 'dnsrr' : `VIP ${s.vip ?? '(none on this network)'}`, mode, ...s.ports].join(' · ');
}

export function taskDescription(t: SwarmTask): string {
  return [t.node ?? t.nodeId.slice(0, 12), t.state === t.desiredState ? t.state : `${t.state} → ${t.desiredState}`, t.address].filter(Boolean).join(' · ');
}
