// Serves code-server with the packaged extension installed and the sample workspace open.
const fs = require('fs');
const path = require('path');
const { ROOT, startCodeServer, installVsix } = require('./lib/codeServer');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

async function main() {
  const userDataDir = path.join(ROOT, '.vscode-test/try-user-data');
  const extensionsDir = path.join(userDataDir, 'ext');
  fs.mkdirSync(extensionsDir, { recursive: true });
  installVsix(path.join(ROOT, 'dist/docker-networking.vsix'), extensionsDir, userDataDir);
  const server = await startCodeServer({
    port: Number(arg('port', '8443')),
    bind: arg('bind', '127.0.0.1'),
    userDataDir,
    extensionsDir,
    // The images provisioning made from Debian's busybox and tcpdump: probes and captures work offline, nothing is pulled.
    settings: { 'workbench.colorTheme': 'Default Dark Modern', 'dockerNetworking.probeImage': 'docker-net-busybox:latest', 'dockerNetworking.captureImage': 'docker-net-tcpdump:latest' },
  });
  const folder = path.join(ROOT, 'sample');
  console.log(`\nDocker Networking is running in VS Code at:\n\n    ${server.url}/?folder=${encodeURIComponent(folder)}\n`);
  console.log(`(code-server log: ${server.logFile}; Ctrl-C to stop)`);
  const stop = () => {
    server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.proc.on('exit', (code) => {
    console.error(`code-server exited (${code}); log: ${server.logFile}`);
    process.exit(code || 1);
  });
}

main().catch((err) => {
  console.error(`[try] ${err.message}`);
  process.exit(1);
});
