// Screenshot of the Networks view on a real 3-node Swarm (scripts/engines/engines.sh swarm), as a user sees it in
// browser VS Code with "dockerNetworking.dockerHost" pointing at the manager. Starts the Swarm, an attachable
// overlay, a VIP and a dnsrr service (three tasks each, one per node), takes the picture, and tears everything down.
// Usage (root): node scripts/engines/screenshot-swarm.js [--out docs/images/swarm.png] [--vsix dist/docker-networking.vsix]
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ROOT, startCodeServer, installVsix, launchBrowser, workbenchUrl } = require('../lib/codeServer');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const ID = `shot${process.pid}`.slice(0, 12);
const ENGINES = path.join(__dirname, 'engines.sh');
const IMG = process.env.DOCKER_NET_TEST_IMAGE || 'docker-net-busybox:latest';
const manager = `/tmp/docker-net-engines/${ID}/node1.sock`;
const dk = (...args) => execFileSync('docker', ['-H', `unix://${manager}`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

async function main() {
  const out = path.resolve(arg('out', 'docs/images/swarm.png'));
  execFileSync('bash', [ENGINES, ID, 'up', 'swarm'], { stdio: 'inherit' });
  try {
    dk('network', 'create', '-d', 'overlay', '--attachable', '--subnet', '10.10.0.0/24', 'appnet');
    dk('service', 'create', '-d', '--name', 'web', '--network', 'appnet', '--replicas', '3', '--replicas-max-per-node', '1', IMG, 'sleep', '3600');
    dk('service', 'create', '-d', '--name', 'dnsweb', '--endpoint-mode', 'dnsrr', '--network', 'appnet', '--replicas', '3', '--replicas-max-per-node', '1', IMG, 'sleep', '3600');
    const end = Date.now() + 120_000;
    while (dk('service', 'ps', 'web', 'dnsweb', '--filter', 'desired-state=running', '--format', '{{.CurrentState}}').split('\n').filter((l) => l.startsWith('Running')).length < 6) {
      if (Date.now() > end) throw new Error('tasks not running after 120 s');
      await new Promise((r) => setTimeout(r, 1000));
    }
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-shot-'));
    const extensionsDir = path.join(userDataDir, 'ext');
    installVsix(path.resolve(arg('vsix', path.join(ROOT, 'dist/docker-networking.vsix'))), extensionsDir, userDataDir);
    const server = await startCodeServer({ userDataDir, extensionsDir, settings: { 'workbench.colorTheme': 'Default Dark Modern', 'dockerNetworking.dockerHost': `unix://${manager}` } });
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(workbenchUrl(server.url, path.resolve(ROOT, 'sample')), { timeout: 120_000 });
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      try {
        await page.locator('.activitybar [aria-label^="Docker Networking"]').first().click({ timeout: 90_000 });
        await page.waitForSelector('.monaco-list-row[aria-label*="Swarm node"]', { timeout: 90_000 });
      } catch (err) {
        await page.screenshot({ path: `${out}.failed.png` });
        throw new Error(`${err.message.split('\n')[0]} (what the page showed: ${out}.failed.png)`);
      }
      // widen the side bar for the descriptions
      const sidebarBox = await page.locator('.part.sidebar').boundingBox();
      for (const sash of await page.locator('.monaco-sash.vertical').all()) {
        const b = await sash.boundingBox();
        if (b && sidebarBox && Math.abs(b.x + b.width / 2 - (sidebarBox.x + sidebarBox.width)) < 6 && b.height > 200) {
          await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
          await page.mouse.down();
          await page.mouse.move(900, b.y + b.height / 2, { steps: 5 });
          await page.mouse.up();
          break;
        }
      }
      // expand Overlay networks, then the overlay, then the VIP service, each once its row exists
      await page.locator('.monaco-list-row').filter({ hasText: /^\s*Overlay networks/ }).first().click();
      for (const aria of ['Overlay network appnet', 'Swarm service web,']) {
        const row = page.locator(`.monaco-list-row[aria-label^="${aria}"]`).first();
        await row.waitFor({ timeout: 60_000 });
        await row.click();
        await page.waitForTimeout(700);
      }
      await page.waitForTimeout(1500);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      await page.screenshot({ path: out });
      console.log(`wrote ${out}`);
    } finally {
      await browser.close();
      server.stop();
    }
  } finally {
    execFileSync('bash', [ENGINES, ID, 'down'], { stdio: 'inherit' });
  }
}

main().catch((err) => {
  console.error(`[screenshot-swarm] ${err.message}`);
  process.exit(1);
});
