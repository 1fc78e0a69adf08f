// Screenshot of the Networks view on a real 3-node Swarm (scripts/engines/engines.sh swarm), as a user sees it in
// browser VS Code with "dockerNetworking.dockerHost" pointing at the manager. Starts the Swarm, an attachable
// overlay, a VIP and a dnsrr service (three tasks each, one per node), takes the picture, and tears everything down.
// Usage (root): node scripts/engines/screenshot-swarm.js [--out docs/images/swarm.png] [--vsix dist/docker-networking.vsix]
const path = require('path');
const { ROOT } = require('../lib/codeServer');
const { arg, withWorkbench, openNetworksView, widenSidebar, showingFailure, capture } = require('../lib/screenshot');
const { withSwarm } = require('../lib/swarmEngines');

const IMG = process.env.DOCKER_NET_TEST_IMAGE || 'docker-net-busybox:latest';

async function main() {
  const out = path.resolve(arg('out', 'docs/images/swarm.png'));
  await withSwarm('shot', async ({ manager, docker }) => {
    docker('network', 'create', '-d', 'overlay', '--attachable', '--subnet', '10.10.0.0/24', 'appnet');
    docker('service', 'create', '-d', '--name', 'web', '--network', 'appnet', '--replicas', '3', '--replicas-max-per-node', '1', IMG, 'sleep', '3600');
    docker('service', 'create', '-d', '--name', 'dnsweb', '--endpoint-mode', 'dnsrr', '--network', 'appnet', '--replicas', '3', '--replicas-max-per-node', '1', IMG, 'sleep', '3600');
    const end = Date.now() + 120_000;
    while (docker('service', 'ps', 'web', 'dnsweb', '--filter', 'desired-state=running', '--format', '{{.CurrentState}}').split('\n').filter((l) => l.startsWith('Running')).length < 6) {
      if (Date.now() > end) throw new Error('tasks not running after 120 s');
      await new Promise((r) => setTimeout(r, 1000));
    }
    const workbench = {
      vsix: path.resolve(arg('vsix', path.join(ROOT, 'dist/docker-networking.vsix'))),
      folder: path.resolve(ROOT, 'sample'),
      settings: { 'workbench.colorTheme': 'Default Dark Modern', 'dockerNetworking.dockerHost': `unix://${manager}` },
      viewport: { width: 1400, height: 900 },
      gotoTimeout: 120_000,
    };
    await withWorkbench(workbench, async (page) => {
      await showingFailure(page, out, () => openNetworksView(page, '.monaco-list-row[aria-label*="Swarm node"]', 90_000));
      await widenSidebar(page, 900); // room for the descriptions
      // expand Overlay networks, then the overlay, then the VIP service, each once its row exists
      await page.locator('.monaco-list-row').filter({ hasText: /^\s*Overlay networks/ }).first().click();
      for (const aria of ['Overlay network appnet', 'Swarm service web,']) {
        const row = page.locator(`.monaco-list-row[aria-label^="${aria}"]`).first();
        await row.waitFor({ timeout: 60_000 });
        await row.click();
        await page.waitForTimeout(700);
      }
      await capture(page, out, 1500);
    });
  });
}

main().catch((err) => {
  console.error(`[screenshot-swarm] ${err.message}`);
  process.exit(1);
});
