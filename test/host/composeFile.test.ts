// The editor reads a project with the files `docker compose` would use in that folder: COMPOSE_FILE in `.env`.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { until } from '../support/until';

const WORKSPACE = vscode.workspace.workspaceFolders![0].uri.fsPath;
const DIR = path.join(WORKSPACE, 'compose-file-env');

const codes = (uri: vscode.Uri) =>
  vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'Docker Networking')
    .map((d) => (d.code as { value: string }).value);

describe('COMPOSE_FILE in the project folder\'s .env', () => {
  before(() => {
    fs.mkdirSync(DIR, { recursive: true });
    // compose.networks.yaml is not an override Compose finds by itself: only COMPOSE_FILE merges it.
    fs.writeFileSync(path.join(DIR, '.env'), 'COMPOSE_FILE=compose.yaml:compose.networks.yaml\n');
    fs.writeFileSync(path.join(DIR, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    networks:\n      front:\n        ipv4_address: 10.99.1.5\n');
    fs.writeFileSync(path.join(DIR, 'compose.networks.yaml'), 'networks:\n  front:\n    ipam:\n      config:\n        - subnet: 10.99.0.0/24\n');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(DIR, { recursive: true, force: true });
  });

  it('merges the files it names when the first is opened: the address is checked against the other file\'s subnet', async () => {
    const doc = await vscode.workspace.openTextDocument(path.join(DIR, 'compose.yaml'));
    await vscode.window.showTextDocument(doc, { preview: false });
    // Read alone, compose.yaml has an undefined network; merged as COMPOSE_FILE says, the address is off the subnet.
    const seen = await until('the merged project\'s diagnostics', () => codes(doc.uri), (c) => c.includes('static-ip-outside-subnet'), 30_000);
    assert.ok(!seen.includes('undefined-network'), `diagnostics: ${seen.join(', ')}`);
  });
});
