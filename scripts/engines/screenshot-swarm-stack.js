// Screenshot of "Verify Isolation of a Stack" from the Networks view on a real 3-node Swarm (scripts/engines/engines.sh
// swarm): deploys a stack of two services on two overlays (one shared), opens browser VS Code with the extension from
// a .vsix and "dockerNetworking.dockerHost" at the manager, expands Swarm > Stacks, clicks the stack's inline
// Verify button with the stack file open and takes the picture once the run has ended (the Isolation panel beside it). Tears it all down.
// The stack is the host test's (test/engine/multihost/swarmStack.ts), read from the compiled tests in out/.
// Usage (root, after `npm run package` and `npx tsc -p tsconfig.test.json`):
//   node scripts/engines/screenshot-swarm-stack.js [--out docs/images/swarm-stack-verify.png] [--vsix dist/docker-networking.vsix]
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ROOT } = require('../lib/codeServer');
const { arg, withWorkbench, openNetworksView, widenSidebar, showingFailure, capture } = require('../lib/screenshot');
const { withSwarm } = require('../lib/swarmEngines');

const IMG = process.env.DOCKER_NET_TEST_IMAGE || 'docker-net-busybox:latest';
const STACK = 'dnh';

function swarmStack() {
  const compiled = path.join(ROOT, 'out/test/engine/multihost/swarmStack.js');
  if (!fs.existsSync(compiled)) throw new Error(`${compiled} is missing: compile the tests first (npx tsc -p tsconfig.test.json)`);
  return require(compiled);
}

async function main() {
  const { stackFile, deployStack, waitForStackTasks } = swarmStack();
  const out = path.resolve(arg('out', 'docs/images/swarm-stack-verify.png'));
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-shot-stack-'));
  const file = path.join(ws, STACK, 'compose.yaml');
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, stackFile(IMG));
  try {
    await withSwarm('shs', async ({ manager }) => {
      const deployed = await deployStack(`unix://${manager}`, file, STACK);
      if (deployed.code !== 0) throw new Error(`docker stack deploy failed: ${deployed.stderr.trim()}`);
      const Docker = require('dockerode');
      await waitForStackTasks(new Docker({ socketPath: manager }), STACK, 4, 150_000);
      const workbench = {
        vsix: path.resolve(arg('vsix', path.join(ROOT, 'dist/docker-networking.vsix'))),
        folder: ws,
        settings: { 'workbench.colorTheme': 'Default Dark Modern', 'dockerNetworking.dockerHost': `unix://${manager}`, 'dockerNetworking.probeImage': IMG },
        // probeImage is machine-scoped: the extension host (remote) reads it from the Machine settings, not the User's.
        machineSettings: { 'dockerNetworking.probeImage': IMG },
        viewport: { width: 1500, height: 900 },
      };
      await withWorkbench(workbench, async (page) => {
        await showingFailure(page, out, async () => {
          await openNetworksView(page, '.monaco-list-row[aria-label*="Swarm node"]', 90_000);
          await widenSidebar(page, 560);
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
        });
        await page.mouse.move(1100, 750); // no tooltip over the panel
        await capture(page, out, 2500);
      });
    });
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`[screenshot-swarm-stack] ${err.message}`);
  process.exit(1);
});
