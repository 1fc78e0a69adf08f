// Create network: a multi-step input with every value checked before it reaches the engine,
// or a NetworkSpec argument for scripts.
import * as vscode from 'vscode';
import type { NetworkSpec, NetworkSummary } from '../../engine/model';
import { validateAddressIn, validateIpRange, validateName, validateNetworkSpec, validateSubnet } from '../../engine/validate';
import type { NetworksTreeProvider } from '../networksTree';
import { cancelled, fail, mutate, type CommandResult } from './run';

const DRIVERS: NetworkSpec['driver'][] = ['bridge', 'overlay', 'macvlan', 'ipvlan'];

export async function createNetwork(tree: NetworksTreeProvider, hostInterfaces: () => Promise<string[]>, arg?: unknown): Promise<CommandResult<string>> {
  let networks: NetworkSummary[];
  try {
    networks = (await tree.state()).networks;
  } catch (err) {
    return fail('Create network', err);
  }
  const spec = isSpec(arg) ? arg : await askSpec(networks, hostInterfaces);
  if (!spec) return cancelled as CommandResult<string>;
  const problems = validateNetworkSpec(spec, networks);
  if (problems.length) return fail(`Create network "${spec.name}"`, new Error(problems.join(' ')));
  return mutate(`Creating network "${spec.name}"`, async () => {
    const id = await tree.engine.createNetwork(spec);
    tree.refresh();
    return { message: `Created network "${spec.name}" (${spec.driver}${spec.subnet ? `, ${spec.subnet}` : ''}).`, value: id };
  });
}

function isSpec(arg: unknown): arg is NetworkSpec {
  return !!arg && typeof arg === 'object' && typeof (arg as NetworkSpec).name === 'string' && !('kind' in arg);
}

async function askSpec(networks: NetworkSummary[], hostInterfaces: () => Promise<string[]>): Promise<NetworkSpec | undefined> {
  const title = 'Create Docker network';
  const names = networks.map((n) => n.name);
  const name = await vscode.window.showInputBox({ title: `${title} (1/6): name`, prompt: 'Letters, digits, "_", "." and "-"', validateInput: (v) => validateName(v.trim(), names) });
  if (name === undefined) return undefined;
  const driver = await vscode.window.showQuickPick(
    DRIVERS.map((d) => ({ label: d, description: { bridge: 'single host (default)', overlay: 'multi-host, needs Swarm', macvlan: 'own MAC on the host LAN', ipvlan: 'own IP on the host LAN' }[d] })),
    { title: `${title} (2/6): driver` },
  );
  if (!driver) return undefined;
  const spec: NetworkSpec = { name: name.trim(), driver: driver.label as NetworkSpec['driver'] };
  if (spec.driver === 'macvlan' || spec.driver === 'ipvlan') {
    const ifaces = await hostInterfaces().catch((): string[] => []);
    const parent = await vscode.window.showQuickPick([...ifaces.map((i) => ({ label: i })), { label: 'None (isolated dummy parent)' }], { title: `${title}: parent interface` });
    if (!parent) return undefined;
    if (ifaces.includes(parent.label)) spec.parent = parent.label;
  }
  const subnet = await vscode.window.showInputBox({ title: `${title} (3/6): subnet`, prompt: 'CIDR, e.g. 172.30.0.0/24; empty to let Docker choose', validateInput: (v) => (v.trim() ? validateSubnet(v.trim(), networks) : undefined) });
  if (subnet === undefined) return undefined;
  if (subnet.trim()) {
    spec.subnet = subnet.trim();
    const gateway = await vscode.window.showInputBox({ title: `${title} (4/6): gateway`, prompt: `An address inside ${spec.subnet}; empty for the first one`, validateInput: (v) => (v.trim() ? validateAddressIn(v.trim(), spec.subnet, 'gateway') : undefined) });
    if (gateway === undefined) return undefined;
    if (gateway.trim()) spec.gateway = gateway.trim();
    const range = await vscode.window.showInputBox({ title: `${title} (5/6): IP range for containers`, prompt: `A CIDR inside ${spec.subnet}; empty for the whole subnet`, validateInput: (v) => (v.trim() ? validateIpRange(v.trim(), spec.subnet) : undefined) });
    if (range === undefined) return undefined;
    if (range.trim()) spec.ipRange = range.trim();
  }
  const flags = await vscode.window.showQuickPick(
    [
      { label: 'internal', description: 'no route out of the machine' },
      { label: 'attachable', description: 'standalone containers may join (overlay)' },
      { label: 'IPv6', description: 'enable IPv6' },
    ],
    { title: `${title} (6/6): options`, canPickMany: true },
  );
  if (!flags) return undefined;
  spec.internal = flags.some((f) => f.label === 'internal');
  spec.attachable = flags.some((f) => f.label === 'attachable');
  spec.ipv6 = flags.some((f) => f.label === 'IPv6');
  const labels = await vscode.window.showInputBox({
    title: `${title}: labels`,
    prompt: 'key=value, comma-separated; empty for none',
    validateInput: (v) => (v.trim() && !v.split(',').every((p) => /^[\w.-]+=.*$/.test(p.trim())) ? 'Write labels as key=value, separated by commas.' : undefined),
  });
  if (labels === undefined) return undefined;
  if (labels.trim()) spec.labels = Object.fromEntries(labels.split(',').map((p) => p.trim().split(/=(.*)/s).slice(0, 2) as [string, string]));
  return spec;
}
