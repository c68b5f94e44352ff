/**
 * Memory per queue against SimPy: scenarios/bench/mm1-10k.yaml (10,000 independent M/M/1 queues,
 * about 100 customers each) run by the real CLI (`node bin/edelear.js run … --no-charts`, compiled
 * dist/), and the same model in SimPy 3 (bench/simpy/mm1.py, Debian's python3-simpy3), each under
 * /usr/bin/time; rounds alternate the two. Reports each side's peak RSS (median over rounds),
 * customers served and mean sojourn (closed form 2 s in steady state), and the ratio of peaks.
 * Target (issue 7): edelear's peak within 4× SimPy's, judged over the paired rounds' ratios
 * (bench/measure.ts `targetVerdict`: the 95 % interval of their mean; one round is inconclusive).
 *
 *   npx tsx bench/memory.ts [--rounds N]
 *
 * Needs a fresh build (`npm run build`), /usr/bin/time, and SimPy for /usr/bin/python3
 * (`apt-get install python3-simpy3`); without SimPy it reports edelear's side alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchFlags, fmt, median, targetText, timed } from './measure.ts';
import { assertFreshBuild } from './startup.ts';

const PYTHON = '/usr/bin/python3';

/** One side of one round. */
export interface MemoryRun {
  readonly peakRssMiB: number;
  readonly served: number;
  readonly meanSojourn: number;
  /** Wall seconds of the whole process. */
  readonly seconds: number;
}

/** A CSV file's rows as objects (the summary files have no quoted commas in these columns). */
function csvRows(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

export function runEdelear(): MemoryRun {
  const out = mkdtempSync(join(tmpdir(), 'edelear-memory-'));
  try {
    const { rssMiB, seconds } = timed(process.execPath, ['bin/edelear.js', 'run', 'scenarios/bench/mm1-10k.yaml', '--no-charts', '--quiet', '--out', out]);
    const run = csvRows(join(out, 'run.csv'))[0];
    const workload = csvRows(join(out, 'requests.csv'))[0];
    return { peakRssMiB: rssMiB, served: Number(run.completed_total), meanSojourn: Number(workload.latency_mean_s), seconds };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export function simpyAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import simpy'], { stdio: 'ignore' }).status === 0;
}

export function runSimpy(): MemoryRun {
  const { stdout, rssMiB, seconds } = timed(PYTHON, ['bench/simpy/mm1.py', '10000', '200', '1']);
  const served = Number(/served=(\d+)/.exec(stdout)?.[1]);
  const meanSojourn = Number(/mean_sojourn_s=([\d.]+)/.exec(stdout)?.[1]);
  return { peakRssMiB: rssMiB, served, meanSojourn, seconds };
}

export function main(rounds = 3): void {
  assertFreshBuild();
  const simpy = simpyAvailable();
  const ours: MemoryRun[] = [];
  const theirs: MemoryRun[] = [];
  for (let r = 0; r < rounds; r++) {
    ours.push(runEdelear());
    if (simpy) theirs.push(runSimpy());
  }
  const line = (name: string, runs: readonly MemoryRun[]) =>
    console.log(`  ${name.padEnd(8)} peak RSS ${fmt(median(runs.map((x) => x.peakRssMiB)), 1).padStart(7)} MiB  served ${fmt(runs[0].served).padStart(9)}  mean sojourn ${fmt(runs[0].meanSojourn, 3)} s  wall ${fmt(median(runs.map((x) => x.seconds)), 2)} s`);
  console.log(`Memory: 10,000 M/M/1 queues × ~100 customers (scenarios/bench/mm1-10k.yaml; median of ${rounds} alternating rounds)`);
  line('edelear', ours);
  if (!simpy) {
    console.log(`  SimPy 3 not found for ${PYTHON} (apt-get install python3-simpy3): no ratio`);
    return;
  }
  line('SimPy 3', theirs);
  const ratios = ours.map((o, i) => o.peakRssMiB / theirs[i].peakRssMiB);
  console.log(`  edelear / SimPy peak RSS: median of paired rounds ${fmt(median(ratios), 2)}; mean ${targetText(ratios, 4, 'at most', 2)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/memory.ts [--rounds R]   (R ≥ 1, default 3)';
  main(benchFlags('bench/memory.ts', usage, ['--rounds']).whole('--rounds'));
}
