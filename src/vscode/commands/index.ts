// Commands as data: one record of handlers, registered by one loop.
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../commandIds';
import * as fs from 'fs';
import type { DiagramPanel } from '../diagramPanel';
import { InspectDocuments } from '../inspectDocuments';
import type { NetworksNode, NetworksTreeProvider } from '../networksTree';
import { isComposeDocument, type ComposeProjects } from '../projects';
import { runProbeCommand, type ProbeArgs } from './probeCommands';
import { ruleCommands } from './ruleCommands';
import { verifyIsolation } from './verifyCommand';
import { verifyStack, type VerifyStackOptions } from './verifyStack';
import { showResolvedModel } from './showResolvedModel';
import { captureTraffic, type CaptureArgs } from './captureCommand';
import { recordFlows, type FlowsArgs } from './flowsCommand';
import { createNetwork } from './createNetwork';
import { filterNetworks } from './filterNetworks';
import { connectContainer, copy, disconnectContainer, pruneNetworks, removeNetwork } from './networkCommands';
import { cancelled, fail, type CommandResult } from './run';
import { resolveNetwork } from './targets';
import type { WireLocation } from '../../worker/protocol';
import { fromWireLocation } from '../convert';

export interface CommandContext {
  networksTree: NetworksTreeProvider;
  refreshEngineFacts: () => Promise<void>;
  diagram: DiagramPanel;
  projects: ComposeProjects;
  probes: vscode.OutputChannel;
}

export function createCommands(ctx: CommandContext): Record<string, (...args: never[]) => unknown> {
  const tree = ctx.networksTree;
  const hostInterfaces = async () => (await tree.engine.snapshot()).hostInterfaces ?? [];
  return {
    [COMMANDS.refresh]: () => {
      tree.refresh();
      return ctx.refreshEngineFacts();
    },
    [COMMANDS.openSettings]: () => vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS.section}.${SETTINGS.dockerHost}`),
    ...ruleCommands,
    [COMMANDS.captureTraffic]: (node?: unknown, args?: CaptureArgs) => captureTraffic(tree, node, args),
    [COMMANDS.recordFlows]: (arg?: unknown, args?: FlowsArgs) => recordFlows(tree, ctx.projects, arg, args, (p, c, s) => ctx.diagram.showFlows(p, c, s)),
    [COMMANDS.createNetwork]: (arg?: unknown) => createNetwork(tree, hostInterfaces, arg),
    [COMMANDS.removeNetwork]: (arg?: unknown, selectionOrOptions?: unknown, options?: { confirmed?: boolean }) => removeNetwork(tree, arg, selectionOrOptions, options),
    [COMMANDS.pruneNetworks]: (options?: { confirmed?: boolean; label?: string }) => pruneNetworks(tree, options),
    [COMMANDS.connectContainer]: (arg?: unknown, options?: { container?: string; aliases?: string[]; ipv4?: string }) => connectContainer(tree, arg, options),
    [COMMANDS.disconnectContainer]: (arg?: unknown, options?: { confirmed?: boolean; network?: string; container?: string; force?: boolean }) => disconnectContainer(tree, arg, options),
    [COMMANDS.inspectNetwork]: async (arg?: unknown) => {
      try {
        const network = await resolveNetwork(tree, arg, 'Network to inspect');
        if (!network) return cancelled;
        const doc = await vscode.workspace.openTextDocument(InspectDocuments.uriFor(network));
        await vscode.languages.setTextDocumentLanguage(doc, 'json');
        await vscode.window.showTextDocument(doc, { preview: true });
        return { ok: true, message: `Inspecting "${network.name}"`, value: doc.uri.toString() };
      } catch (err) {
        return fail('Inspect network', err);
      }
    },
    [COMMANDS.showDiagram]: async (arg?: unknown) => {
      const uri = await composeFileFor(tree, arg);
      if (!uri) return fail('Show network tiers', new Error('Open a compose file first (compose.yaml, docker-compose.yml, ...).'));
      ctx.diagram.show(await vscode.workspace.openTextDocument(uri));
      return { ok: true, message: `Showing ${vscode.workspace.asRelativePath(uri)}` };
    },
    [COMMANDS.ping]: (arg?: unknown, args?: ProbeArgs) => runProbeCommand('ping', tree, ctx.probes, arg, args),
    [COMMANDS.dnsLookup]: (arg?: unknown, args?: ProbeArgs) => runProbeCommand('dns', tree, ctx.probes, arg, args),
    [COMMANDS.checkPort]: (arg?: unknown, args?: ProbeArgs) => runProbeCommand('tcp', tree, ctx.probes, arg, args),
    [COMMANDS.checkHttp]: (arg?: unknown, args?: ProbeArgs) => runProbeCommand('http', tree, ctx.probes, arg, args),
    [COMMANDS.verifyIsolation]: (arg?: unknown, options?: { egressTarget?: string }) => verifyIsolation(tree, ctx.projects, arg, options),
    [COMMANDS.verifyStack]: (arg?: unknown, options?: VerifyStackOptions) => verifyStack(tree, ctx.projects, arg, options),
    [COMMANDS.showResolvedModel]: (uri?: vscode.Uri) => showResolvedModel(ctx.projects, uri instanceof vscode.Uri ? uri : undefined),
    [COMMANDS.openLocation]: (file?: unknown, ...at: unknown[]) => openLocation(file, at),
    [COMMANDS.showLocations]: (uri?: unknown, position?: unknown, locations?: unknown) => showLocations(uri, position, locations),
    [COMMANDS.filterNetworks]: () => filterNetworks(),
    [COMMANDS.copyName]: (arg?: unknown) => copy('name', arg),
    [COMMANDS.copyId]: (arg?: unknown) => copy('id', arg),
    [COMMANDS.copyIp]: (arg?: unknown) => copy('ip', arg),
  };
}

/** A webview link's target: an absolute path and a range [line, character, endLine, endCharacter], all checked. */
async function openLocation(file: unknown, at: unknown[]): Promise<CommandResult<string>> {
  const [line, character, endLine, endCharacter] = at.map((n) => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : 0));
  if (typeof file !== 'string' || !file) return fail('Open location', new Error('No file was given.'));
  try {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(line, character, endLine ?? line, endCharacter ?? character) });
    return { ok: true, message: `Opened ${vscode.workspace.asRelativePath(editor.document.uri)}`, value: editor.document.uri.toString() };
  } catch (err) {
    return fail(`Open ${file}`, err);
  }
}

/** The references peek at `position` of `uri`, on locations as the analysis worker sends them (file, line range). */
async function showLocations(uri: unknown, position: unknown, locations: unknown): Promise<CommandResult<number>> {
  if (!(uri instanceof vscode.Uri) || !(position instanceof vscode.Position) || !Array.isArray(locations)) return fail('Show locations', new Error('No locations were given.'));
  const places = (locations as WireLocation[]).filter((l) => typeof l?.file === 'string' && l.range).map((l) => fromWireLocation(l));
  await vscode.commands.executeCommand('editor.action.showReferences', uri, position, places);
  return { ok: true, message: `${places.length} location(s)`, value: places.length };
}

/** The compose file to draw: a URI argument, a Compose project group in the tree, or the active editor. */
async function composeFileFor(tree: NetworksTreeProvider, arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const node = arg as NetworksNode | undefined;
  if (node?.kind === 'group' && node.group.id.startsWith('project:')) {
    const project = node.group.id.slice('project:'.length);
    const files = (await tree.state()).containers.find((c) => c.composeProject === project && c.composeFiles?.length)?.composeFiles;
    const local = files?.find((f) => fs.existsSync(f));
    if (local) return vscode.Uri.file(local);
    throw new Error(`The compose files of project "${project}" are not on this machine.`);
  }
  const active = vscode.window.activeTextEditor?.document;
  return active && isComposeDocument(active) ? active.uri : undefined;
}

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(createCommands(ctx)).map(([id, handler]) => vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown));
}
