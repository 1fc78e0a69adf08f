// Hover on a network name: its declaration and, when the engine answers, its live state.
import * as vscode from 'vscode';
import type { NetworkDecl } from '../compose/model';
import { networkDriver } from '../compose/stack';
import type { EngineClient } from '../engine/client';
import type { NetworkSummary } from '../engine/model';
import { escapeMarkdown, markdownCode as code } from '../shared/escape';
import { toRange } from './convert';
import type { ComposeProjects } from './projects';
import { networkSymbolAt } from './symbols';

/** A hover waits this long for the worker to read files a just-opened project names, then answers with what it has. */
const ANALYSIS_WAIT_MS = 1000;
/** A hover must not wait long for an engine that is slow or gone. */
const ENGINE_WAIT_MS = 1500;

export class ComposeHover implements vscode.HoverProvider {
  constructor(
    private readonly projects: ComposeProjects,
    private readonly engine: () => EngineClient,
  ) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const analysis = await this.projects.analysisReady(doc, ANALYSIS_WAIT_MS);
    const sym = networkSymbolAt(analysis, doc, position);
    if (!sym) return undefined;
    const md = new vscode.MarkdownString();
    const decl = analysis.project.networks.get(sym.network);
    // Every name and value below comes from the compose file or the engine: code spans or escaped text, never raw Markdown.
    md.appendMarkdown(`**Network ${code(sym.network)}**`);
    if (!decl) {
      md.appendMarkdown(sym.network === 'default' ? ` — the project's implicit default network (${networkDriver(undefined, analysis.project.isStack)})\n` : ' — not declared in this project\n');
    } else {
      md.appendMarkdown('\n\n' + describe(decl, analysis.project.isStack));
    }
    const attached = analysis.topology.servicesOn(sym.network);
    md.appendMarkdown(`\n\nServices: ${attached.length ? attached.map(code).join(', ') : 'none'}`);
    md.appendMarkdown('\n\n' + (await this.liveState(sym.network, decl, analysis.project.name)));
    return new vscode.Hover(md, toRange(analysis.project, sym.span));
  }

  private async liveState(key: string, decl: NetworkDecl | undefined, projectName: string): Promise<string> {
    const client = this.engine();
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ENGINE_WAIT_MS));
    try {
      const networks = await Promise.race([client.listNetworks(), timeout]);
      if (networks === 'timeout') return `_Engine at ${escapeMarkdown(client.endpoint.display)} did not answer in time._`;
      const live = findOnEngine(networks, key, decl, projectName);
      if (!live) {
        return decl?.external
          ? `**Engine:** ${code(decl.externalName?.value ?? key)} does not exist on ${escapeMarkdown(client.endpoint.display)}.`
          : `**Engine:** not created for project ${code(projectName)} (run \`docker compose up\`).`;
      }
      const containers = await Promise.race([client.networkContainers(live.id), timeout]);
      const list = containers === 'timeout' ? 'unknown' : containers.length ? containers.map(code).join(', ') : 'none';
      return `**Engine:** ${code(live.name)} exists (${escapeMarkdown(live.driver)}${live.subnets.length ? `, ${live.subnets.map((s) => escapeMarkdown(s.subnet)).join(', ')}` : ''}); containers: ${list}`;
    } catch (err) {
      return `_Engine unreachable: ${escapeMarkdown((err as Error).message)}_`;
    }
  }
}

function describe(decl: NetworkDecl, isStack: boolean): string {
  const rows = [
    `driver: ${code(networkDriver(decl, isStack))}`,
    decl.internal ? 'internal: **yes** (no route out of the machine\'s Docker networks)' : undefined,
    decl.external ? `external: **yes**${decl.externalName ? ` (name ${code(decl.externalName.value)})` : ''}` : undefined,
    ...decl.ipam.map((c) => [c.subnet && `subnet ${code(c.subnet.value)}`, c.gateway && `gateway ${code(c.gateway.value)}`, c.ipRange && `ip_range ${code(c.ipRange.value)}`].filter(Boolean).join(', ')),
    decl.enableIpv6 ? 'IPv6 enabled' : undefined,
  ].filter((r): r is string => !!r);
  return rows.map((r) => `- ${r}`).join('\n');
}

/** Compose labels its networks with the project and the key; external ones keep their own name. */
function findOnEngine(networks: NetworkSummary[], key: string, decl: NetworkDecl | undefined, projectName: string): NetworkSummary | undefined {
  if (decl?.external || decl?.externalName) return networks.find((n) => n.name === (decl.externalName?.value ?? key));
  return networks.find((n) => n.composeProject === projectName && n.labels['com.docker.compose.network'] === key);
}
