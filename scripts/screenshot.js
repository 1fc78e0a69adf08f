// Takes a screenshot of the packaged extension in browser VS Code, as a new user meets it.
// Usage: node scripts/screenshot.js --out docs/images/networks.png [--theme dark|light] [--folder sample]
//        [--open compose.yaml] [--problems] [--goto LINE:COL] [--keys "Control+."]
//        [--expand NAME] [--hover NAME] [--command "Show Network Tiers"] [--width 1400 --height 860]
//        [--settings '{"dockerNetworking.captureImage": "docker-net-tcpdump:latest"}'] (user settings, JSON)
// --goto places the cursor; --keys then presses chords (comma-separated), e.g. "Control+." for quick fixes
// or "Control+K,Control+I" for the hover ("type:TEXT" types, "wait" waits a second); --expand/--hover act on
// Networks view rows.
const path = require('path');
const { ROOT } = require('./lib/codeServer');
const { arg, withWorkbench, openNetworksView, widenSidebar, capture } = require('./lib/screenshot');

const THEMES = { dark: 'Default Dark Modern', light: 'Default Light Modern' };

async function main() {
  const out = path.resolve(arg('out', 'docs/images/networks.png'));
  const extra = JSON.parse(arg('settings', '{}'));
  const workbench = {
    vsix: path.join(ROOT, 'dist/docker-networking.vsix'),
    folder: path.resolve(ROOT, arg('folder', 'sample')),
    settings: { 'workbench.colorTheme': THEMES[arg('theme', 'dark')], ...extra },
    // Machine-scoped settings (the capture image) are read from the server's Machine settings, not the user's.
    machineSettings: extra,
    viewport: { width: Number(arg('width', 1400)), height: Number(arg('height', 860)) },
    defaultTimeout: 120_000, // every step, on a machine shared by many
  };
  await withWorkbench(workbench, async (page) => {
    await openNetworksView(page, '.monaco-list-row[aria-label*="Network"], .monaco-list-row[aria-label*="Docker Engine"]', 120_000);
    const open = arg('open');
    if (open) {
      await page.keyboard.press('Control+P');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10_000 });
      await page.keyboard.type(open);
      await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${path.basename(open)}"]`, { timeout: 10_000 });
      await page.keyboard.press('Enter');
      await page.waitForSelector('.monaco-editor .view-lines', { timeout: 20_000 });
    }
    const command = arg('command');
    if (command) {
      await page.keyboard.press('F1');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10_000 });
      await page.keyboard.type(command);
      await page.waitForTimeout(600);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(2500); // the webview loads its script and draws
    }
    if (process.argv.includes('--problems')) {
      await page.keyboard.press('Control+Shift+M');
      await page.waitForSelector('.markers-panel', { timeout: 10_000 });
      await page.waitForTimeout(800); // let diagnostics arrive before the editor takes focus back
    }
    const sidebar = arg('sidebar');
    if (sidebar) await widenSidebar(page, Number(sidebar)); // room for descriptions
    const expand = arg('expand');
    if (expand) await page.locator(`.monaco-list-row[aria-label*="${expand}"]`).first().click();
    const hover = arg('hover');
    if (hover) {
      // Select the row and ask for its hover from the keyboard, as a keyboard user would.
      if (hover !== expand) await page.locator(`.monaco-list-row[aria-label*="${hover}"]`).first().click(); // clicking toggles: the expanded row is already focused
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      await page.waitForSelector('.monaco-hover-content, .workbench-hover', { timeout: 10_000 }).catch(() => console.error('[screenshot] no hover appeared'));
    }
    const goto = arg('goto');
    if (goto) {
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+G');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10_000 });
      await page.keyboard.type(goto);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(500);
    }
    for (const chord of (arg('keys') || '').split(',').filter(Boolean)) {
      if (chord === 'wait') {
        await page.waitForTimeout(1000);
        continue;
      }
      if (chord.startsWith('type:')) {
        await page.keyboard.type(chord.slice(5));
        await page.waitForTimeout(500);
        continue;
      }
      await page.keyboard.press(chord);
      await page.waitForTimeout(700);
    }
    const webviewClick = arg('webview-click');
    if (webviewClick) {
      // Webviews live in nested iframes: find the frame that has the element.
      for (const frame of page.frames()) {
        const el = await frame.$(webviewClick).catch(() => null);
        if (el) {
          await el.click();
          break;
        }
      }
    }
    await capture(page, out, Number(arg('settle', 1500))); // let the tree and editor settle their animations before capturing
  });
}

main().catch((err) => {
  console.error(`[screenshot] ${err.message}`);
  process.exit(1);
});
