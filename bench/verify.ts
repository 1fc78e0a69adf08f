// Verify isolation on generated projects of 4, 10 and 20 services (4 networks, 2 internal) on the real engine,
// against a hand-written reference in the same run: one exec per source pinging every other service by name
// in parallel (`sh -c` over argv, the names passed as arguments). Verify asks more (each name, each address,
// each port), so the ratio says what the three layers cost over the bare "by name" answer.
//   node out/bench/verify.js [SIZES...]   (DN_BENCH_REPEATS=3: runs per size, medians reported)
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Docker from 'dockerode';
import { analyze } from '../src/compose/analyze';
import { createEngineClient } from '../src/engine/dockerodeClient';
import { verifyProject } from '../src/engine/verify';

const IMAGE = process.env.DOCKER_NET_TEST_IMAGE || 'docker-net-busybox:latest';
const LABEL = 'dev.docker-networking.bench';

export function composeText(n: number): string {
  const lines = ['services:'];
  for (let i = 0; i < n; i++) {
    const nets = i % 2 === 0 ? [`net${i % 4}`, `net${(i + 1) % 4}`] : [`net${i % 4}`];
    lines.push(`  svc${i}:`, `    image: ${IMAGE}`, '    command: ["httpd", "-f", "-p", "8080", "-h", "/tmp"]', `    labels: { ${LABEL}: "1" }`, `    networks: [${nets.join(', ')}]`);
  }
  lines.push('networks:');
  for (let k = 0; k < 4; k++) lines.push(`  net${k}: { internal: ${k >= 2}, labels: { ${LABEL}: "1" } }`);
  return lines.join('\n') + '\n';
}

async function referenceMs(docker: Docker, project: string, services: string[]): Promise<number> {
  const containers = (await docker.listContainers({ filters: JSON.stringify({ label: [`com.docker.compose.project=${project}`] }) })) as Array<{ Id: string; Labels: Record<string, string> }>;
  const started = Date.now();
  await Promise.all(
    containers.map(async (c) => {
      const me = c.Labels['com.docker.compose.service'];
      const targets = services.filter((s) => s !== me);
      const exec = await docker.getContainer(c.Id).exec({ Cmd: ['sh', '-c', 'for t in "$@"; do ping -c 1 -W 1 "$t" >/dev/null 2>&1 & done; wait', 'sh', ...targets], AttachStdout: true, AttachStderr: true });
      const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream;
      stream.resume();
      await new Promise((r) => stream.on('end', r));
    }),
  );
  return Date.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Each size: `repeats` runs of verify and of the reference, alternating on the same running project; medians. */
export async function verifyBench(sizes = [4, 10, 20], repeats = 3): Promise<string[]> {
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  const engine = createEngineClient('', {});
  const rows: string[] = [];
  for (const n of sizes) {
    const project = `dnbench${n}x${process.pid}`;
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dnbench-')), project);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'compose.yaml'), composeText(n));
    const compose = (...args: string[]) => spawnSync('docker-compose', ['-p', project, ...args], { cwd: dir, encoding: 'utf8', timeout: 600_000, env: { ...process.env, COMPOSE_HTTP_TIMEOUT: '300' } });
    try {
      const up = compose('up', '-d');
      if (up.status !== 0) throw new Error(`docker-compose up: ${up.stderr}`);
      const analysis = analyze({ dir, env: {} }, { readFile: (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) });
      const verifyRuns: number[] = [];
      const refRuns: number[] = [];
      const loads: number[] = [];
      let report: Awaited<ReturnType<typeof verifyProject>> | undefined;
      for (let k = 0; k < repeats; k++) {
        loads.push(os.loadavg()[0]);
        const started = Date.now();
        report = await verifyProject(analysis, engine, { probeImage: IMAGE });
        verifyRuns.push(Date.now() - started);
        refRuns.push(await referenceMs(docker, project, [...analysis.project.services.keys()]));
        console.error(`[bench] verify ${n} services: ${verifyRuns[k]} ms, reference ${refRuns[k]} ms (load ${loads[k].toFixed(1)}; ${report.mismatches} mismatches, ${report.errors} errors)`);
      }
      const probes = report!.pairs.reduce((k, p) => k + p.checks.length, 0);
      const [v, r] = [median(verifyRuns), median(refRuns)];
      rows.push(`| ${n} | ${report!.pairs.length} | ${probes} | ${(v / 1000).toFixed(1)} | ${(r / 1000).toFixed(1)} | **${(v / r).toFixed(1)}x** | ${report!.mismatches} / ${report!.errors} | ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} |`);
    } finally {
      compose('down', '--timeout', '1');
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  }
  return [
    '## Verify isolation on the real engine (issue 13)',
    '',
    'Generated projects: services on 4 networks (2 internal), each one a busybox `httpd`. "verify" is `verifyProject` (names,',
    'addresses and ports of every ordered pair; one exec per source and round running its questions together, 8 sources',
    'at a time, each question bounded); "reference" is a hand-written loop in the same run: one exec per source, all sources',
    'at once, pinging every other service by name in parallel (one answer per pair, by name only). Medians (the lower middle) of',
    `${repeats} alternating runs; wall-clock seconds on a shared machine (the 1-minute load average when each run started is`,
    'in the last column); the ratio is the figure to compare.',
    '',
    '| services | pairs | checks | verify s | reference s | verify / reference | mismatches / errors | load |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ];
}

if (require.main === module) {
  const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
  const repeats = Number(process.env.DN_BENCH_REPEATS) || undefined;
  verifyBench(sizes.length ? sizes : undefined, repeats).then((lines) => console.log(lines.join('\n')), (err) => {
    console.error(err);
    process.exit(1);
  });
}
