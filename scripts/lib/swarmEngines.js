// A 3-node Swarm of scripts/engines/engines.sh (its own network namespaces, never the main engine's Swarm) for the
// screenshot scripts: up, the docker CLI against its manager, and always down. (The tests use test/engine/multihost/engines.ts.)
const { execFileSync } = require('child_process');
const path = require('path');

const ENGINES = path.resolve(__dirname, '../engines/engines.sh');

/** Starts the Swarm named `${prefix}${pid}`, runs `use({ manager, docker })`, then tears it down whatever happened. */
async function withSwarm(prefix, use) {
  const id = `${prefix}${process.pid}`.slice(0, 12);
  const manager = `/tmp/docker-net-engines/${id}/node1.sock`;
  const docker = (...args) => execFileSync('docker', ['-H', `unix://${manager}`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  execFileSync('bash', [ENGINES, id, 'up', 'swarm'], { stdio: 'inherit' });
  try {
    return await use({ manager, docker });
  } finally {
    execFileSync('bash', [ENGINES, id, 'down'], { stdio: 'inherit' });
  }
}

module.exports = { withSwarm };
