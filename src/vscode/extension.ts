// Activation wiring: the engine client and the Networks view; the compose language features.
import * as vscode from 'vscode';
import type { EngineClient } from '../engine/client';
import { lazyEngineClient } from '../engine/lazyClient';
import { EngineWatcher } from '../engine/watch';
import { ComposeCodeActions } from './codeActions';
import { ComposeCodeLenses } from './codeLenses';
import { SETTINGS, VIEWS } from './commandIds';
import { registerCommands } from './commands/index';
import { InspectDocuments, INSPECT_SCHEME } from './inspectDocuments';
import { ComposeCompletion } from './completion';
import { DiagramPanel } from './diagramPanel';
import { ComposeDiagnostics } from './diagnostics';
import { ComposeHover } from './hover';
import { ComposeNavigation } from './navigation';
import { LiveRates } from './liveRates';
import { NETWORKS_VIEW_SECTION, NetworksTreeProvider, networksViewFilter, type NetworksNode } from './networksTree';
import { filterNote } from '../engine/networkFilter';
import { ComposeProjects, isComposeDocument } from './projects';
import { ContextSwitcher } from './contextSwitcher';
import { composeFileGlobs } from './settings';

/** What the extension exposes to other extensions and to its own host tests. */
export interface DockerNetworkingApi {
  networksTree: NetworksTreeProvider;
  liveRates: LiveRates;
  projects: ComposeProjects;
  diagnostics: ComposeDiagnostics;
  diagram: DiagramPanel;
  /** The Networks view (its message names the engine endpoint in use). */
  networksView: vscode.TreeView<NetworksNode>;
}

/** The output channel's language: syntaxes/probe-output.tmLanguage.json colours it. */
const PROBE_LANGUAGE = 'docker-net-probe';

/** How often engine-aware rules look at the engine while a compose file is open. */
const ENGINE_POLL_MS = 10_000;

function configuredHost(): string {
  return vscode.workspace.getConfiguration(SETTINGS.section).get<string>(SETTINGS.dockerHost, '');
}

/**
 * The engine client (dockerode: most of the code we ship) is loaded on the first call that needs the engine: the
 * Networks view shown, a hover, a probe, or the engine-aware rules once a compose file is open. Until then the
 * endpoint shown is what the setting or DOCKER_HOST says.
 */
function createClient(onLoad: () => void, dockerContext?: string): EngineClient {
  const host = configuredHost();
  // A docker context picked for this window (contextSwitcher.ts) wins over the setting and DOCKER_HOST.
  const provisional = dockerContext
    ? ({ display: `context ${dockerContext}`, source: 'context' } as const)
    : ({ display: host || process.env.DOCKER_HOST || 'the default Docker engine', source: host ? 'setting' : process.env.DOCKER_HOST ? 'DOCKER_HOST' : 'default' } as const);
  return lazyEngineClient(async () => (await import('../engine/dockerodeClient')).createEngineClient(host, process.env, dockerContext ? { context: dockerContext } : {}), provisional, onLoad);
}

/** The first engine facts wait this long after activation, so the first diagnostics are not behind loading the engine client. */
const ENGINE_FIRST_DELAY_MS = 300;

function composeSelector(): vscode.DocumentSelector {
  return [
    { scheme: 'file', pattern: '**/{compose,docker-compose}*.{yml,yaml}' },
    { scheme: 'file', language: 'dockercompose' },
    ...composeFileGlobs().map((pattern) => ({ scheme: 'file', pattern })),
  ];
}

export function activate(context: vscode.ExtensionContext): DockerNetworkingApi {
  const endpointPicker = new ContextSwitcher(context.workspaceState);
  let client: EngineClient = createClient(() => showEndpoint(), endpointPicker.context);
  const networksTree = new NetworksTreeProvider(client);
  const projects = new ComposeProjects();
  const diagnostics = new ComposeDiagnostics(projects, vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md'));
  const lenses = new ComposeCodeLenses(projects, async () => (await networksTree.state()).containers);
  const diagram = new DiagramPanel(context.extensionUri, projects, () => client, () => liveRates);
  const probes = vscode.window.createOutputChannel('Docker Networking: Probes', PROBE_LANGUAGE);
  const navigation = new ComposeNavigation(projects);
  const selector = composeSelector();

  // Engine facts for the engine-aware rules (missing external networks, Swarm state), while compose files are open.
  const refreshEngineFacts = async () => {
    if (!vscode.workspace.textDocuments.some(isComposeDocument)) return;
    projects.setEngineSnapshot(await client.snapshot().catch(() => undefined));
  };

  const inspectDocuments = new InspectDocuments(networksTree);
  const treeView = vscode.window.createTreeView(VIEWS.networks, { treeDataProvider: networksTree, showCollapseAll: true, canSelectMany: true });
  // The description is hidden while the view is alone in its container: the message line always shows.
  const showEndpoint = () => {
    treeView.description = client.endpoint.display;
    // A filter that hides networks says so, or a user looks for a network that is only hidden.
    const note = filterNote(networksViewFilter());
    treeView.message = `Engine: ${client.endpoint.display}${note ? ` · ${note}` : ''}`;
    endpointPicker.show(client);
  };
  showEndpoint();
  // Follow engine events only while the view is visible; catch up when it becomes visible again.
  const watcher = new EngineWatcher(client, () => {
    networksTree.refresh();
    diagram.refreshOverlay();
    void refreshEngineFacts();
  });
  // Live rates per container and network, only while the view is visible (one stats request per container per interval).
  const liveRates = new LiveRates(networksTree, () => vscode.workspace.getConfiguration(SETTINGS.section).get<number>(SETTINGS.liveCountersInterval, 5) * 1000);
  networksTree.showRates(liveRates);
  const followVisibility = () => {
    liveRates.setVisible(treeView.visible);
    if (treeView.visible && !watcher.running) {
      watcher.start();
      networksTree.refresh();
    } else if (!treeView.visible) watcher.stop();
  };
  followVisibility();

  const poll = setInterval(() => void refreshEngineFacts(), ENGINE_POLL_MS);
  const firstFacts = setTimeout(() => void refreshEngineFacts(), ENGINE_FIRST_DELAY_MS);

  // The endpoint setting changed, or a docker context was picked for this window: a new client everywhere.
  const swapClient = () => {
    client = createClient(() => showEndpoint(), endpointPicker.context);
    networksTree.setClient(client);
    watcher.setClient(client);
    showEndpoint();
    void refreshEngineFacts();
  };

  context.subscriptions.push(
    networksTree,
    projects,
    diagnostics,
    lenses,
    { dispose: () => clearInterval(poll) },
    { dispose: () => clearTimeout(firstFacts) },
    { dispose: () => watcher.stop() },
    treeView,
    networksTree.followExpansion(treeView),
    treeView.onDidChangeVisibility(followVisibility),
    liveRates,
    liveRates.onDidChange(() => networksTree.repaint()),
    networksTree.onDidChangeTreeData(() => lenses.refresh()),
    projects.onDidChange(() => lenses.refresh()),
    inspectDocuments,
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, inspectDocuments),
    diagram,
    probes,
    ...registerCommands({ networksTree, refreshEngineFacts, diagram, projects, probes }),
    vscode.languages.registerCodeActionsProvider(selector, new ComposeCodeActions(projects), ComposeCodeActions.metadata),
    vscode.languages.registerCodeLensProvider(selector, lenses),
    vscode.languages.registerHoverProvider(selector, new ComposeHover(projects, () => client)),
    vscode.languages.registerDefinitionProvider(selector, navigation),
    vscode.languages.registerReferenceProvider(selector, navigation),
    vscode.languages.registerRenameProvider(selector, navigation),
    vscode.languages.registerCompletionItemProvider(selector, new ComposeCompletion(projects), ...ComposeCompletion.triggers),
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (isComposeDocument(d)) setTimeout(() => void refreshEngineFacts(), ENGINE_FIRST_DELAY_MS);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTINGS.section}.${SETTINGS.dockerHost}`)) swapClient();
      else if (e.affectsConfiguration(NETWORKS_VIEW_SECTION)) showEndpoint();
    }),
    endpointPicker,
    endpointPicker.onDidChange(swapClient),
  );
  return { networksTree, liveRates, projects, diagnostics, diagram, networksView: treeView };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
