// The steps every screenshot script shares (scripts/screenshot.js, scripts/engines/screenshot-swarm*.js): a throw-away
// profile with the packaged extension, code-server + Chromium on a folder, the Docker Networking view opened, the side
// bar widened, a picture of what the page showed when a step failed, and the capture itself.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startCodeServer, installVsix, launchBrowser, workbenchUrl } = require('./codeServer');

/** The value after `--name` on the command line. */
function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

/**
 * Installs `options.vsix` into a new profile, starts code-server (user `settings`; `machineSettings`, if given, in the
 * Machine settings, where the remote extension host reads machine-scoped ones) and Chromium, opens `folder` and runs
 * `use(page)` once the workbench is there. Browser and server are always stopped.
 * options: { vsix, folder, settings, machineSettings, viewport: { width, height }, defaultTimeout, gotoTimeout }
 */
async function withWorkbench(options, use) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-shot-'));
  const extensionsDir = path.join(userDataDir, 'ext');
  installVsix(options.vsix, extensionsDir, userDataDir);
  if (options.machineSettings) {
    fs.mkdirSync(path.join(userDataDir, 'Machine'), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'Machine/settings.json'), JSON.stringify(options.machineSettings, null, 2));
  }
  const server = await startCodeServer({ userDataDir, extensionsDir, settings: options.settings });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: options.viewport });
    if (options.defaultTimeout) page.setDefaultTimeout(options.defaultTimeout);
    // A loaded machine can take well over 30 s to serve the workbench the first time (as in host-tests.js).
    await page.goto(workbenchUrl(server.url, options.folder), { timeout: options.gotoTimeout || 180_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    return await use(page);
  } finally {
    await browser.close();
    server.stop();
  }
}

/** Opens the Docker Networking view from the activity bar and waits for a row matching `rowSelector`. */
async function openNetworksView(page, rowSelector, timeoutMs) {
  await page.locator('.activitybar [aria-label^="Docker Networking"]').first().click({ timeout: timeoutMs });
  await page.waitForSelector(rowSelector, { timeout: timeoutMs });
}

/** Drags the sash between the side bar and the editor to x, to make room for the rows' descriptions. */
async function widenSidebar(page, x) {
  const sidebarBox = await page.locator('.part.sidebar').boundingBox();
  for (const sash of await page.locator('.monaco-sash.vertical').all()) {
    const b = await sash.boundingBox();
    if (b && sidebarBox && Math.abs(b.x + b.width / 2 - (sidebarBox.x + sidebarBox.width)) < 6 && b.height > 200) {
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
      await page.mouse.down();
      await page.mouse.move(x, b.y + b.height / 2, { steps: 5 });
      await page.mouse.up();
      return;
    }
  }
}

/** Runs `steps`; if one fails, saves what the page showed next to `out` and says where in the error. */
async function showingFailure(page, out, steps) {
  try {
    return await steps();
  } catch (err) {
    await page.screenshot({ path: `${out}.failed.png` });
    throw new Error(`${err.message.split('\n')[0]} (what the page showed: ${out}.failed.png)`);
  }
}

/** Lets the view and editor settle their animations for `settleMs`, then writes the picture to `out`. */
async function capture(page, out, settleMs) {
  await page.waitForTimeout(settleMs);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
}

module.exports = { arg, withWorkbench, openNetworksView, widenSidebar, showingFailure, capture };
