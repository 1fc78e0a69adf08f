// Starts code-server (VS Code in the browser, with a real Node extension host) and drives it with
// Debian's Chromium through playwright-core. Used by the host tests, the screenshots and `try`.
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '../..');
const CACHE = path.join(ROOT, '.vscode-test');
const NODE24 = path.join(CACHE, 'node24/bin/node');
const ENTRY = path.join(CACHE, 'code-server/node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function hostAvailable() {
  const missing = [NODE24, ENTRY, CHROMIUM].filter((f) => !fs.existsSync(f));
  return missing.length ? `missing ${missing.join(', ')} (run scripts/provision.sh host)` : undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, deadlineMs) {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer at ${url} within ${deadlineMs / 1000} s`);
}

/**
 * Starts code-server on a free port with a throw-away user-data-dir.
 * options: { port, bind, extensionsDir, userDataDir, smokeDriver, env, log, settings }
 */
async function startCodeServer(options = {}) {
  const why = hostAvailable();
  if (why) throw new Error(why);
  const port = options.port || (await freePort());
  const bind = options.bind || '127.0.0.1';
  const userDataDir = options.userDataDir || fs.mkdtempSync(path.join(os.tmpdir(), 'dn-cs-'));
  const extensionsDir = options.extensionsDir || path.join(userDataDir, 'ext');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'chat.disableAIFeatures': true,
    'git.openRepositoryInParentFolders': 'never',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    ...(options.settings || {}),
  };
  fs.writeFileSync(path.join(userDataDir, 'User/settings.json'), JSON.stringify(settings, null, 2));
  const args = [
    ENTRY, '--auth', 'none', '--bind-addr', `${bind}:${port}`,
    '--user-data-dir', userDataDir, '--config', path.join(userDataDir, 'config.yaml'),
    '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
  ];
  if (options.smokeDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const logFile = options.log || path.join(userDataDir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const proc = spawn(NODE24, args, { stdio: ['ignore', out, out], env: { ...process.env, ...(options.env || {}) }, detached: true });
  const stop = () => {
    try {
      process.kill(-proc.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 30_000).catch((e) => {
    stop();
    throw new Error(`${e.message}; log: ${logFile}`);
  });
  return { port, url: `http://${bind === '0.0.0.0' ? '127.0.0.1' : bind}:${port}`, userDataDir, extensionsDir, logFile, proc, stop };
}

/** Installs a .vsix into the extensions folder offline, with the same code-server. */
function installVsix(vsix, extensionsDir, userDataDir) {
  const { execFileSync } = require('child_process');
  execFileSync(NODE24, [ENTRY, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], { stdio: 'pipe' });
}

async function launchBrowser() {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** URL that opens `folder`, optionally with the smoke-test payload that loads a development extension and its tests. */
function workbenchUrl(base, folder, payload) {
  let url = `${base}/?folder=${encodeURIComponent(folder)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

module.exports = { ROOT, hostAvailable, startCodeServer, installVsix, launchBrowser, workbenchUrl, freePort };
