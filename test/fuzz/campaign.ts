// `npm run fuzz [-- --inputs N] [--seed S] [--deadline MS] [--family F]...`: the directed hardening campaign.
// Prints one line per failing input (family, seed: reproduce with `--family F --seed S --inputs 1`) and the figures.
import { FAMILIES, generate } from './generate';
import { Watchdog, type FuzzResult } from './watchdog';

export interface CampaignOptions {
  inputs: number;
  seed: number;
  families?: string[];
  deadlineMs?: number;
  heapMb?: number;
  onResult?: (r: FuzzResult) => void;
}

export interface CampaignSummary {
  inputs: number;
  crashes: FuzzResult[];
  hangs: FuzzResult[];
  memory: FuzzResult[];
  blowups: FuzzResult[];
  /** By wall time and by CPU time (on a shared machine the two differ a lot). */
  slowest?: FuzzResult;
  slowestCpu?: FuzzResult;
  totalMs: number;
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignSummary> {
  const families = options.families?.length ? options.families : Object.keys(FAMILIES);
  const dog = new Watchdog({ ...(options.deadlineMs ? { deadlineMs: options.deadlineMs } : {}), ...(options.heapMb ? { heapMb: options.heapMb } : {}) });
  const summary: CampaignSummary = { inputs: 0, crashes: [], hangs: [], memory: [], blowups: [], totalMs: 0 };
  const start = Date.now();
  try {
    for (let i = 0; i < options.inputs; i++) {
      const input = generate(families[i % families.length], options.seed + i);
      const r = await dog.run(input);
      summary.inputs++;
      options.onResult?.(r);
      if (r.verdict === 'crash') summary.crashes.push(r);
      else if (r.verdict === 'hang') summary.hangs.push(r);
      else if (r.verdict === 'memory') summary.memory.push(r);
      else if (r.verdict === 'blowup') summary.blowups.push(r);
      if (r.verdict === 'ok' && (!summary.slowest || (r.ms ?? 0) > (summary.slowest.ms ?? 0))) summary.slowest = r;
      if (r.verdict === 'ok' && (!summary.slowestCpu || (r.cpuMs ?? 0) > (summary.slowestCpu.cpuMs ?? 0))) summary.slowestCpu = r;
    }
  } finally {
    await dog.close();
  }
  summary.totalMs = Date.now() - start;
  return summary;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const families = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--family' ? [a] : []));
  const options = { inputs: arg('--inputs', 400), seed: arg('--seed', 1), families, deadlineMs: arg('--deadline', 30_000) };
  console.log(`[fuzz] ${options.inputs} inputs from seed ${options.seed}, families: ${(families.length ? families : Object.keys(FAMILIES)).join(', ')}; deadline ${options.deadlineMs} ms, heap 512 MiB per input`);
  const s = await runCampaign({
    ...options,
    onResult: (r) => {
      if (r.verdict !== 'ok') console.log(`[fuzz] ${r.verdict.toUpperCase()} family=${r.family} seed=${r.seed} (${r.inputBytes} bytes): ${r.detail}`);
    },
  });
  const slow = s.slowest ? `${s.slowest.ms!.toFixed(0)} ms wall (family=${s.slowest.family} seed=${s.slowest.seed}, ${s.slowest.inputBytes} bytes)` : 'none';
  const slowCpu = s.slowestCpu ? `${s.slowestCpu.cpuMs!.toFixed(0)} ms CPU (family=${s.slowestCpu.family} seed=${s.slowestCpu.seed}, ${s.slowestCpu.inputBytes} bytes)` : 'none';
  console.log(`[fuzz] inputs: ${s.inputs}, crashes: ${s.crashes.length}, hangs: ${s.hangs.length}, out of memory: ${s.memory.length}, output blow-ups: ${s.blowups.length}, slowest input: ${slow}; by CPU: ${slowCpu}; total ${(s.totalMs / 1000).toFixed(1)} s`);
  process.exitCode = s.crashes.length + s.hangs.length + s.memory.length + s.blowups.length ? 1 : 0;
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 2;
  });
}
