// Runs test/host inside a real VS Code extension host (code-server + Chromium) and records the counts.
// Usage: node scripts/host-tests.js <results.json> [--tests out/test/<dir>/index.js] [--workspace DIR]
// (the benchmarks reuse it with their own tests entry and workspace)
const fs = require('fs');
const os = require('os');
const path = require('path');
const util = require('util');
const { ROOT, startCodeServer, launchBrowser, workbenchUrl } = require('./lib/codeServer');

// The whole host suite (about 60 tests, several with real captures, a Swarm and sample-stack runs) must end by then.
const DEADLINE_MS = 25 * 60_000;
const WORKBENCH_NOISE = /open-vsx\.org|AccountPolicyGate|AgentHost|^\s*$/;

async function main() {
  const resultsFile = path.resolve(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : path.join(ROOT, 'test-results/host.json'));
  fs.rmSync(resultsFile, { force: true });
  const flag = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
  const testsEntry = path.resolve(ROOT, flag('--tests', 'out/test/host/index.js'));
  // The tests may edit files: give them a copy of their workspace.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-host-ws-'));
  fs.cpSync(path.resolve(ROOT, flag('--workspace', 'test/host/workspace')), workspace, { recursive: true });

  const server = await startCodeServer({ smokeDriver: true, env: { DOCKER_NET_HOST_RESULTS: resultsFile, DOCKER_NET_HOST_WORKSPACE: workspace } });
  const browser = await launchBrowser();
  let exitCode;
  try {
    const page = await browser.newPage();
    // DN_RENDERER_PROFILE=file.cpuprofile: a CPU profile of the workbench (the browser page) over the whole run.
    const profiler = process.env.DN_RENDERER_PROFILE ? await page.context().newCDPSession(page) : undefined;
    // DN_WS_BYTES=file: the bytes the workbench received over each websocket (the extension host's messages come this
    // way), and the size of each frame over 20 KB, as JSON; DN_WS_SAMPLE=file: the start of each frame over 100 KB.
    const wsBytes = {};
    let sockets = 0;
    if (process.env.DN_WS_BYTES) {
      page.on('websocket', (ws) => {
        const key = `${ws.url().replace(/\?.*/, '')} #${sockets++}`;
        wsBytes[key] = 0;
        ws.on('framereceived', (f) => {
          const n = typeof f.payload === 'string' ? Buffer.byteLength(f.payload) : f.payload.length;
          wsBytes[key] += n;
          if (n <= 20_000) return;
          (wsBytes[`${key} frames over 20 KB`] ??= []).push(n);
          const printable = Buffer.from(f.payload).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
          if (process.env.DN_WS_SAMPLE && n > 100_000) fs.appendFileSync(process.env.DN_WS_SAMPLE, `${key} ${n} ${printable.slice(0, 700)}\n`);
        });
      });
    }
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.send('Profiler.start');
    }
    const exited = new Promise((resolve) => {
      page.exposeFunction('codeAutomationExit', (code) => resolve(code));
    });
    // The workbench forwards console lines as (level, args); print the tests' lines, not the offline workbench's noise.
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      const line = Array.isArray(args) ? util.format(...args) : String(args ?? level);
      if (!WORKBENCH_NOISE.test(line)) process.stdout.write(`${line}\n`);
    });
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://remote${ROOT}`],
      ['extensionTestsPath', `vscode-remote://remote${testsEntry}`],
      ['skipWelcome', 'true'],
    ];
    // A loaded machine (CI runners too) can take well over 30 s to serve the workbench the first time.
    const response = await page.goto(workbenchUrl(server.url, workspace, payload), { timeout: 180_000 });
    // A broken code-server answers the workbench page with an error: fail now, not at the deadline.
    if (!response || response.status() >= 400) throw new Error(`code-server answered ${response?.status()} for the workbench; log: ${server.logFile}`);
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), DEADLINE_MS));
    exitCode = await Promise.race([exited, timeout]);
    if (exitCode === 'timeout') console.error(`[host] the extension host did not finish within ${DEADLINE_MS / 60000} min; log: ${server.logFile}`);
    if (process.env.DN_WS_BYTES) fs.writeFileSync(process.env.DN_WS_BYTES, JSON.stringify(wsBytes));
    if (profiler) fs.writeFileSync(process.env.DN_RENDERER_PROFILE, JSON.stringify((await profiler.send('Profiler.stop')).profile));
  } finally {
    await browser.close();
    server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  if (!fs.existsSync(resultsFile)) {
    console.error(`[host] no results were written (exit ${exitCode}); code-server log: ${server.logFile}`);
    process.exit(1);
  }
  process.exit(exitCode === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(`[host] ${err.message}`);
  process.exit(1);
});
