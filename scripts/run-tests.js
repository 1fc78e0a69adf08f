// Runs the three kinds of tests (unit, engine, host) and prints how many of each passed, failed, skipped.
// REQUIRE_ENGINE=1 / REQUIRE_HOST=1: a missing engine or extension host is a failure, not a skip.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const http = require('http');
const { ROOT, hostAvailable } = require('./lib/codeServer');

const RESULTS = path.join(ROOT, 'test-results');
const requireEngine = process.env.REQUIRE_ENGINE === '1';
const requireHost = process.env.REQUIRE_HOST === '1';
const only = process.argv.slice(2); // e.g. `unit engine`

function engineProblem() {
  const socketPath = '/var/run/docker.sock';
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? undefined : `engine at unix://${socketPath} answered ${res.statusCode}`);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => resolve(`no Docker engine at unix://${socketPath} (${e.code || e.message}); start dockerd or run scripts/provision.sh engine`));
  });
}

function runKind(kind, command, args) {
  const resultsFile = path.join(RESULTS, `${kind}.json`);
  fs.rmSync(resultsFile, { force: true });
  console.log(`\n===== ${kind} tests =====`);
  const run = spawnSync(command, [...args, resultsFile], { stdio: 'inherit', cwd: ROOT });
  if (fs.existsSync(resultsFile)) return JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  return { kind, passed: 0, failed: 1, skipped: 0, failures: [`${kind} runner exited ${run.status} without results`] };
}

function unavailable(kind, why, required) {
  const line = `${kind}: ${why}`;
  if (required) {
    console.error(`\n!!! ${kind} tests are required (REQUIRE_${kind.toUpperCase()}=1) but cannot run: ${why}`);
    return { kind, passed: 0, failed: 1, skipped: 0, failures: [line] };
  }
  console.error(`\n!!! SKIPPING ALL ${kind.toUpperCase()} TESTS: ${why}`);
  return { kind, passed: 0, failed: 0, skipped: 0, failures: [], skippedWhy: why };
}

async function main() {
  fs.mkdirSync(RESULTS, { recursive: true });
  // One id for this run's engine objects, inherited by every kind (the extension host too).
  process.env.DOCKER_NET_TEST_RUN = `run-${process.pid}`;
  const wanted = (k) => only.length === 0 || only.includes(k);
  const results = [];
  if (wanted('unit')) results.push(runKind('unit', process.execPath, ['out/test/support/runKind.js', 'unit']));
  const noEngine = await engineProblem();
  if (wanted('engine')) {
    results.push(noEngine ? unavailable('engine', noEngine, requireEngine) : runKind('engine', process.execPath, ['out/test/support/runKind.js', 'engine']));
  }
  if (wanted('host')) {
    const noHost = hostAvailable() || (noEngine && `the host tests need the engine: ${noEngine}`);
    results.push(noHost ? unavailable('host', noHost, requireHost) : runKind('host', process.execPath, ['scripts/host-tests.js']));
  }

  console.log('\n===== summary =====');
  for (const r of results) {
    const state = r.skippedWhy ? `  (KIND SKIPPED: ${r.skippedWhy})` : '';
    console.log(`${r.kind.padEnd(7)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${state}`);
    for (const f of r.failures) console.log(`  FAIL ${f}`);
  }
  const total = (k) => results.reduce((n, r) => n + r[k], 0);
  console.log(`tests: ${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped`);
  process.exit(total('failed') > 0 ? 1 : 0);
}

main();
