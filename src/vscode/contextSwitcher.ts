// Which engine this window talks to: a status-bar item showing the endpoint in use (and where it came from), and
// "Switch Docker Context…", which lists the docker CLI's contexts and picks one for this window only (like
// `docker --context NAME`; `docker context use` would change it for every shell). The pick is kept per workspace.
import * as vscode from 'vscode';
import type { EngineClient } from '../engine/client';
import { listContexts } from '../engine/contexts';
import { localEndpointFiles } from '../engine/endpointFiles';

export const SWITCH_CONTEXT_COMMAND = 'dockerNetworking.switchContext';
const STATE_KEY = 'dockerNetworking.context';

interface ContextPick extends vscode.QuickPickItem {
  context: string | undefined;
}

export class ContextSwitcher implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly changed = new vscode.EventEmitter<void>();
  /** The window's engine changed: make a new client with `createClient()`. */
  readonly onDidChange = this.changed.event;
  private readonly command: vscode.Disposable;

  constructor(private readonly state: vscode.Memento) {
    this.item = vscode.window.createStatusBarItem('dockerNetworking.endpoint', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Docker endpoint';
    this.item.command = SWITCH_CONTEXT_COMMAND;
    this.command = vscode.commands.registerCommand(SWITCH_CONTEXT_COMMAND, (name?: unknown) => this.pick(typeof name === 'string' ? name : undefined));
  }

  /** The context picked for this window, if any (undefined: the setting, DOCKER_HOST, then the CLI's current context). */
  get context(): string | undefined {
    return this.state.get<string>(STATE_KEY) || undefined;
  }

  /** Shows the endpoint `client` uses. */
  show(client: EngineClient): void {
    const e = client.endpoint;
    const context = /\(context ([^)]+)\)$/.exec(e.display)?.[1];
    const short = context ?? e.display.replace(/^unix:\/\//, '');
    this.item.text = `$(server-environment) ${short}`;
    const from = this.context ? 'picked for this window' : { setting: '"dockerNetworking.dockerHost"', DOCKER_HOST: 'DOCKER_HOST', context: "the docker CLI's current context", default: 'the default' }[e.source];
    this.item.tooltip = `Docker engine: ${e.display}\nFrom: ${from}\nClick to switch the docker context for this window.`;
    this.item.accessibilityInformation = { label: `Docker engine ${e.display}, from ${from}` };
    this.item.show();
  }

  /** Quick pick of the contexts (or `name` directly, for scripts and tests); resolves with the name picked. */
  async pick(name?: string): Promise<string | undefined> {
    let chosen: string | undefined | null = name;
    if (chosen === undefined) {
      const contexts = listContexts(process.env, localEndpointFiles());
      const current = this.context;
      const items: ContextPick[] = [
        { label: '$(settings-gear) Follow the settings', description: 'dockerNetworking.dockerHost, DOCKER_HOST, then the docker CLI\'s current context', context: undefined, picked: !current },
        ...contexts.map((c): ContextPick => ({
          label: `${c.name === current ? '$(check) ' : ''}${c.name}`,
          description: c.problem ? `cannot be used: ${c.problem}` : c.host,
          detail: [c.description, c.current ? "the docker CLI's current context" : ''].filter(Boolean).join(' · ') || undefined,
          context: c.name,
        })),
      ];
      const picked = await vscode.window.showQuickPick(items, { title: 'Docker engine for this window', placeHolder: 'Pick a docker context (docker context ls)', matchOnDescription: true });
      if (!picked) return undefined;
      chosen = picked.context ?? null;
    }
    await this.state.update(STATE_KEY, chosen ?? undefined);
    this.changed.fire();
    return chosen ?? undefined;
  }

  dispose(): void {
    this.item.dispose();
    this.command.dispose();
    this.changed.dispose();
  }
}
