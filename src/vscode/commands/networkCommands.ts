// Remove, prune, connect, disconnect: each confirms what destroys, shows progress, and explains failures.
import * as vscode from 'vscode';
import type { EngineError } from '../../engine/errors';
import type { NetworkSummary } from '../../engine/model';
import { capabilitiesOf } from '../../engine/networkCapabilities';
import { parseAliases, validateAddressIn } from '../../engine/validate';
import { removalConfirmation, removalSummary, type RemovalCandidate, type RemovalOutcome } from '../../engine/networkRemoval';
import { attachmentsOf, type Attachment } from '../../engine/view';
import type { NetworksNode, NetworksTreeProvider } from '../networksTree';
import { cancelled, confirm, fail, failureMessage, mutate, type CommandResult } from './run';
import { resolveContainer, resolveNetwork } from './targets';

interface Confirmable {
  confirmed?: boolean;
}

/**
 * Remove from the view (one network, or several selected: VS Code passes the selection as the second argument),
 * the palette (a pick), or a script (`(name, { confirmed })`). Several: one confirmation listing them all, each
 * removed in turn, and each failure reported with its own reason.
 */
export async function removeNetwork(tree: NetworksTreeProvider, arg?: unknown, second?: unknown, third?: Confirmable): Promise<CommandResult<RemovalOutcome[]>> {
  const options = (Array.isArray(second) ? third : second) as Confirmable | undefined;
  const selected = Array.isArray(second) ? selectedNetworks(second) : [];
  if (selected.length > 1) return removeNetworks(tree, selected, options);
  try {
    const network = await resolveNetwork(tree, arg, 'Network to remove', (n) => !n.builtIn);
    if (!network) return cancelled as CommandResult<RemovalOutcome[]>;
    if (network.builtIn) return fail(`Remove network "${network.name}"`, new Error(`"${network.name}" is one of the engine's built-in networks and cannot be removed.`));
    if (!(await confirm(await removalQuestion(tree, network), 'Remove', options))) return cancelled as CommandResult<RemovalOutcome[]>;
    return await mutate(
      `Removing network "${network.name}"`,
      async () => {
        await tree.engine.removeNetwork(network.id);
        tree.refresh();
        return { message: `Removed network "${network.name}".` };
      },
      inUseExplanation(tree, network),
    );
  } catch (err) {
    return fail('Remove network', err);
  }
}

/** The networks among the view's selected rows, each once, in the view's order. */
function selectedNetworks(selection: unknown[]): NetworkSummary[] {
  const out = new Map<string, NetworkSummary>();
  for (const node of selection as NetworksNode[]) if (node && typeof node === 'object' && node.kind === 'network') out.set(node.network.id, node.network);
  return [...out.values()];
}

/** Docker's "active endpoints" refusal, completed with who is on it and what to do. */
function inUseExplanation(tree: NetworksTreeProvider, network: NetworkSummary): (err: EngineError) => Promise<string | undefined> {
  return async (err) => {
    if (!/active endpoints|in use/i.test(err.problem.reason)) return undefined;
    const users = await tree.engine.networkContainers(network.id);
    return `It is in use by ${users.join(', ')}: disconnect them first (right-click a container > Disconnect), or stop them.`;
  };
}

async function removalCandidates(tree: NetworksTreeProvider, networks: NetworkSummary[]): Promise<RemovalCandidate[]> {
  const attachments = await tree.state().then((s) => s.attachments, () => new Map<string, Attachment[]>());
  return networks.map((n) => ({ name: n.name, builtIn: n.builtIn, users: attachmentsOf(n, attachments).map((a) => a.container.name), ...(n.composeProject ? { composeProject: n.composeProject } : {}) }));
}

async function removeNetworks(tree: NetworksTreeProvider, networks: NetworkSummary[], options?: Confirmable): Promise<CommandResult<RemovalOutcome[]>> {
  try {
    const { message, detail } = removalConfirmation(await removalCandidates(tree, networks));
    const action = 'Remove';
    if (options?.confirmed !== true && (await vscode.window.showWarningMessage(message, { modal: true, ...(detail ? { detail } : {}) }, action)) !== action) return cancelled as CommandResult<RemovalOutcome[]>;
    const outcomes = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Removing ${networks.length} networks`, cancellable: false }, async (progress) => {
      const done: RemovalOutcome[] = [];
      for (const network of networks) {
        progress.report({ message: network.name, increment: 100 / networks.length });
        if (network.builtIn) {
          done.push({ name: network.name, ok: false, reason: 'it is one of the engine\'s built-in networks and cannot be removed.' });
          continue;
        }
        try {
          await tree.engine.removeNetwork(network.id);
          done.push({ name: network.name, ok: true });
        } catch (err) {
          const reason = await failureMessage('', err, inUseExplanation(tree, network));
          done.push({ name: network.name, ok: false, reason: reason.replace(/^ failed: /, '') });
        }
      }
      return done;
    });
    tree.refresh();
    const summary = removalSummary(outcomes);
    const ok = outcomes.every((o) => o.ok);
    void (ok ? vscode.window.showInformationMessage(summary) : vscode.window.showErrorMessage(summary));
    return { ok, message: summary, value: outcomes };
  } catch (err) {
    return fail('Remove networks', err);
  }
}

/** The confirmation names what the user may not know: containers still on it, and Compose owning it. */
export async function removalQuestion(tree: NetworksTreeProvider, network: NetworkSummary): Promise<string> {
  return removalConfirmation(await removalCandidates(tree, [network])).message;
}

export async function pruneNetworks(tree: NetworksTreeProvider, options?: Confirmable & { label?: string }): Promise<CommandResult<string[]>> {
  const scope = options?.label ? ` labelled "${options.label}"` : '';
  if (!(await confirm(`Remove every network${scope} that no container uses? Built-in networks are kept.`, 'Prune', options))) return cancelled as CommandResult<string[]>;
  return mutate('Pruning unused networks', async () => {
    const removed = await tree.engine.pruneNetworks(options?.label);
    tree.refresh();
    return { message: removed.length ? `Removed ${removed.length} unused network(s): ${removed.join(', ')}.` : 'No unused networks to remove.', value: removed };
  });
}

export interface ConnectOptions {
  container?: string;
  aliases?: string[];
  ipv4?: string;
}

export async function connectContainer(tree: NetworksTreeProvider, arg?: unknown, options: ConnectOptions = {}): Promise<CommandResult> {
  try {
    const network = await resolveNetwork(tree, arg, 'Network to connect a container to', (n) => capabilitiesOf(n).connect);
    if (!network) return cancelled;
    const can = capabilitiesOf(network);
    if (!can.connect) return fail(`Connect a container to "${network.name}"`, new Error(`Docker refuses it: ${can.whyNoConnect}.`));
    const onIt = (c: { endpoints: { networkId: string }[] }) => c.endpoints.some((e) => e.networkId === network.id);
    const container = await resolveContainer(tree, options.container, `Container to connect to "${network.name}"`, (c) => !onIt(c));
    if (!container) return cancelled;
    if (onIt(container)) return fail(`Connect "${container.name}"`, new Error(`"${container.name}" is already on "${network.name}".`));
    const interactive = options.container === undefined;
    let aliases = options.aliases;
    let ipv4 = options.ipv4;
    const { subnet, gateway } = network.subnets[0] ?? {};
    // Docker takes aliases and a static address only on user-defined networks: the default bridge skips both steps.
    if (interactive && can.aliases) {
      const title = `Connect "${container.name}" to "${network.name}"`;
      const a = await vscode.window.showInputBox({ title: `${title} (1/2): aliases`, prompt: 'Other names for it on this network, comma-separated (optional)', validateInput: (v) => parseAliases(v).problem });
      if (a === undefined) return cancelled;
      aliases = parseAliases(a).aliases;
      const ip = await vscode.window.showInputBox({
        title: `${title} (2/2): static address`,
        prompt: subnet ? `Static IPv4 inside ${subnet} (optional)` : 'Static IPv4 (optional; needs a user-configured subnet)',
        validateInput: (v) => (v.trim() ? validateAddressIn(v.trim(), subnet, 'address', gateway) : undefined),
      });
      if (ip === undefined) return cancelled;
      ipv4 = ip.trim() || undefined;
    }
    const problem =
      (aliases?.length || ipv4) && !can.aliases
        ? `Docker refuses it: ${can.whyNoAliases}.`
        : (aliases ? parseAliases(aliases.join(',')).problem : undefined) ?? (ipv4 ? validateAddressIn(ipv4, subnet, 'address', gateway) : undefined);
    if (problem) return fail(`Connect "${container.name}" to "${network.name}"`, new Error(problem));
    return await mutate(`Connecting "${container.name}" to "${network.name}"`, async () => {
      await tree.engine.connect(network.id, container.id, { ...(aliases?.length ? { aliases } : {}), ...(ipv4 ? { ipv4 } : {}) });
      tree.refresh();
      return { message: `Connected "${container.name}" to "${network.name}"${ipv4 ? ` at ${ipv4}` : ''}.` };
    });
  } catch (err) {
    return fail('Connect container', err);
  }
}

export async function disconnectContainer(tree: NetworksTreeProvider, arg?: unknown, options: Confirmable & { network?: string; container?: string; force?: boolean } = {}): Promise<CommandResult> {
  try {
    const node = arg as NetworksNode | undefined;
    let networkId: string;
    let networkName: string;
    let containerId: string;
    let containerName: string;
    if (node && typeof node === 'object' && node.kind === 'attachment') {
      ({ networkId, networkName } = node.attachment.endpoint);
      ({ id: containerId, name: containerName } = node.attachment.container);
    } else {
      const network = await resolveNetwork(tree, options.network ?? arg, 'Network to disconnect a container from');
      if (!network) return cancelled;
      const container = await resolveContainer(tree, options.container, `Container to disconnect from "${network.name}"`, (c) => c.endpoints.some((e) => e.networkId === network.id));
      if (!container) return cancelled;
      [networkId, networkName, containerId, containerName] = [network.id, network.name, container.id, container.name];
    }
    if (!(await confirm(`Disconnect "${containerName}" from "${networkName}"? It loses its address and names there.`, 'Disconnect', options))) return cancelled;
    return await mutate(`Disconnecting "${containerName}" from "${networkName}"`, async () => {
      await tree.engine.disconnect(networkId, containerId, options.force === true);
      tree.refresh();
      return { message: `Disconnected "${containerName}" from "${networkName}".` };
    });
  } catch (err) {
    return fail('Disconnect container', err);
  }
}

export async function copy(what: 'name' | 'id' | 'ip', arg: unknown): Promise<CommandResult<string>> {
  const node = arg as NetworksNode | undefined;
  let text: string | undefined;
  if (node?.kind === 'network') text = what === 'name' ? node.network.name : what === 'id' ? node.network.id : node.network.subnets[0]?.subnet;
  else if (node?.kind === 'attachment') text = what === 'name' ? node.attachment.container.name : what === 'id' ? node.attachment.container.id : node.attachment.endpoint.ipv4 ?? node.attachment.endpoint.ipv6;
  if (!text && node?.kind === 'network') return fail(`Copy ${what}`, new Error(`Network "${node.network.name}" has no subnet: ${node.network.driver === 'host' || node.network.driver === 'null' ? `the ${node.network.name} network gives containers no addresses of its own` : 'the engine assigned it none'}.`));
  if (!text && node?.kind === 'attachment') return fail(`Copy ${what}`, new Error(`"${node.attachment.container.name}" has no address on "${node.attachment.endpoint.networkName}".`));
  if (!text) return fail(`Copy ${what}`, new Error('Select a network or a container in the Networks view.'));
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`Copied ${text}`, 3000);
  return { ok: true, message: `Copied ${text}`, value: text };
}
