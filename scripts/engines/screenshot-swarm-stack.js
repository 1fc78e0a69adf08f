// Screenshot of "Verify Isolation of a Stack" from the Networks view on a real 3-node Swarm (scripts/engines/engines.sh
// swarm): deploys a stack of two services on two overlays (one shared), opens browser VS Code with the extension from
// a .vsix and "dockerNetworking.dockerHost" at the manager, expands Swarm > Stacks, clicks the stack's inline
// Verify button with the stack file open and takes the picture once the run has ended (the Isolation panel beside it). Tears it all down.
// Usage (root, after `npm run package`): node scripts/engines/screenshot-swarm-stack.js [--out docs/images/swarm-stack-verify.png] [--vsix dist/docker-networking.vsix]
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ROOT, startCodeServer, installVsix, launchBrowser, workbenchUrl } = require('../lib/codeServer');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const ID = `shs${process.pid}`.slice(0, 12);
const ENGINES = path.join(__dirname, 'engines.sh');
const IMG = process.env.DOCKER_NET_TEST_IMAGE || 'docker-net-busybox:latest';
const STACK = 'dnh';
const manager = `/tmp/docker-net-engines/${ID}/node1.sock`;
const dk = (...args) => execFileSync('docker', ['-H', `unix://${manager}`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

const STACK_FILE = `services:
  web:
    image: ${IMG}
    command: ["httpd", "-f", "-p", "8080"]
    networks: [front, back]
    expose: ["8080"]
    deploy:
      replicas: 2
  api:
    image: ${IMG}
    command: ["httpd", "-f", "-p", "9090"]
    networks: [back]
    expose: ["9090"]
    deploy:
      replicas: 2
networks:
  front: {}
  back: {}
`;

async function main() {
  const out = path.resolve(arg('out', 'docs/images/swarm-stack-verify.png'));
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-shot-stack-'));
  fs.mkdirSync(path.join(ws, STACK));
  fs.writeFileSync(path.join(ws, STACK, 'compose.yaml'), STACK_FILE);
  execFileSync('bash', [ENGINES, ID, 'up', 'swarm'], { stdio: 'inherit' });
  try {
    dk('stack', 'deploy', '-c', path.join(ws, STACK, 'compose.yaml'), STACK);
    const end = Date.now() + 150_000;
    while (dk('stack', 'ps', STACK, '--filter', 'desired-state=running', '--format', '{{.CurrentState}}').split('\n').filter((l) => l.startsWith('Running')).length < 4) {
      if (Date.now() > end) throw new Error('the stack\'s 4 tasks are not running after 150 s');
      await new Promise((r) => setTimeout(r, 1000));
    }
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-shot-'));
    const extensionsDir = path.join(userDataDir, 'ext');
    installVsix(path.resolve(arg('vsix', path.join(ROOT, 'dist/docker-networking.vsix'))), extensionsDir, userDataDir);
    // probeImage is machine-scoped: the extension host (remote) reads it from the Machine settings, not the User's.
    fs.mkdirSync(path.join(userDataDir, 'Machine'), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'Machine/settings.json'), JSON.stringify({ 'dockerNetworking.probeImage': IMG }));
    const server = await startCodeServer({
      userDataDir,
      extensionsDir,
      settings: { 'workbench.colorTheme': 'Default Dark Modern', 'dockerNetworking.dockerHost': `unix://${manager}`, 'dockerNetworking.probeImage': IMG },
    });
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
      await page.goto(workbenchUrl(server.url, ws), { timeout: 180_000 });
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      try {
        await page.locator('.activitybar [aria-label^="Docker Networking"]').first().click({ timeout: 90_000 });
        await page.waitForSelector('.monaco-list-row[aria-label*="Swarm node"]', { timeout: 90_000 });
        const sidebarBox = await page.locator('.part.sidebar').boundingBox();
        for (const sash of await page.locator('.monaco-sash.vertical').all()) {
          const b = await sash.boundingBox();
          if (b && sidebarBox && Math.abs(b.x + b.width / 2 - (sidebarBox.x + sidebarBox.width)) < 6 && b.height > 200) {
            await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
            await page.mouse.down();
            await page.mouse.move(560, b.y + b.height / 2, { steps: 5 });
            await page.mouse.up();
            break;
          }
        }
        // The stack file open (the expectation: its project is named like the stack), then in the view: collapse Nodes
        // (room for the stack), expand Stacks, then the stack; its inline button verifies it.
        await page.keyboard.press('Control+P');
        await page.keyboard.type(`${STACK}/compose.yaml`);
        await page.waitForTimeout(1500);
        await page.keyboard.press('Enter');
        await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 30_000 });
        await page.locator('.monaco-list-row').filter({ hasText: /^\s*Nodes/ }).first().click();
        await page.locator('.monaco-list-row').filter({ hasText: /^\s*Stacks/ }).first().click();
        const row = page.locator(`.monaco-list-row[aria-label^="Stack ${STACK},"]`).first();
        await row.waitFor({ timeout: 60_000 });
        await row.click();
        await page.waitForTimeout(700);
        await row.hover();
        await row.locator('.action-label[aria-label^="Verify Isolation of a Stack"]').first().click({ timeout: 30_000 });
        // The run ends with a notification naming the stack; the panel is beside the view.
        await page.locator('.notification-toast').filter({ hasText: new RegExp(`Stack "${STACK}" is isolated|mismatch\\(es\\) between|Verification of stack "${STACK}"|Verify isolation of the stack failed`) }).first().waitFor({ timeout: 300_000 });
      } catch (err) {
        await page.screenshot({ path: `${out}.failed.png` });
        throw new Error(`${err.message.split('\n')[0]} (what the page showed: ${out}.failed.png)`);
      }
      await page.mouse.move(1100, 750); // no tooltip over the panel
      await page.waitForTimeout(2500);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      await page.screenshot({ path: out });
      console.log(`wrote ${out}`);
    } finally {
      await browser.close();
      server.stop();
    }
  } finally {
    execFileSync('bash', [ENGINES, ID, 'down'], { stdio: 'inherit' });
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`[screenshot-swarm-stack] ${err.message}`);
  process.exit(1);
});
