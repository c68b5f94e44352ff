/**
 * Scale benchmark: scenarios/bench/scale.yaml (N devices, N/100 access points and edge servers at
 * utilization 0.6, a cloud behind a WAN) run by the real CLI (`node bin/edelear.js run … --no-charts`,
 * compiled dist/) at N = 10^3, 10^4, 10^5, 10^6 for 30 simulated minutes. For each N it reports
 * the served work — completed requests per wall second of the event loop (manifest.json
 * `simulationSeconds`) and of the whole process (start-up, build, loop, writing results) — the share of
 * requests dropped, build time — the scenario read and its spec built (manifest.json `buildSeconds`),
 * and in full, to a world ready to run (adding the scenario's checks and the world's construction:
 * `phaseSeconds` load + build + checks + world) — peak RSS, and the ratio of each to the next
 * smaller N.
 *
 * Targets (issue 7): ≥ 1,000,000 completed requests per loop second at 10^4 devices; whole-process
 * rate ≥ 0.8 × the loop rate at 10^4; from each N to the next, 10× the devices cost at most 12×
 * the build time and 12× the peak memory above an empty process (`node -e 0`); 10^6 devices
 * within 8 GiB.
 *
 * Each run's system CPU seconds are printed beside its phases: on a host that backs memory only
 * when it is first touched (a virtual machine; bench/host-memory.ts measures it), the page faults
 * of a large run cost several times those of a small one, and the ratios from 10^5 to 10^6 then
 * measure the host as well (docs/design.md, Speed, stop 37).
 *
 * With `--rounds R` every N runs R times (the sizes ascending and descending by turns, so that
 * neighbouring sizes run close in time); the table shows medians, and each target is judged over
 * the rounds — the mean with its 95 % Student-t interval: holds, does not hold, or inconclusive
 * (bench/measure.ts `targetVerdict`; one round is inconclusive: one run decides nothing).
 *
 *   npx tsx bench/scale.ts [--devices N[,N…]] [--minutes M] [--rounds R]
 *
 * Needs a fresh build (`npm run build`) and /usr/bin/time (Debian package "time").
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchFlags, fmt, isScaleDeviceCount, median, targetText, timed } from './measure.ts';
import type { PhaseSeconds } from '../src/report/manifest.ts';
import { assertFreshBuild } from './startup.ts';

const SCENARIO = 'scenarios/bench/scale.yaml';

/** The overrides that give scale.yaml N devices (N a multiple of 100). */
export function scaleOverrides(devices: number, minutes: number): string[] {
  if (!isScaleDeviceCount(devices)) throw new Error(`expected a device count that is a multiple of 100 from 200 to 10^6 (one access point would be named ap, which ap-* does not match), got ${devices}`);
  return [`nodes[0].count=${devices}`, `nodes[1].count=${devices / 100}`, `nodes[2].count=${devices / 100}`, `duration=${minutes * 60}`];
}

/** One run at N devices. */
export interface ScaleRow {
  readonly devices: number;
  readonly generated: number;
  readonly completed: number;
  readonly dropped: number;
  /** Events the loop handled, and the requests it completed, warm-up included (run.csv `events`, `completed_total`). */
  readonly events: number;
  readonly completedTotal: number;
  readonly buildSeconds: number;
  /**
   * From reading the scenario to a world ready to run: the phases load, build, checks (the
   * scenario's warnings: offered load per node and link) and world (the world made from its spec,
   * first arrivals scheduled) — what building costs in full, where `buildSeconds` is load and build.
   */
  readonly readySeconds: number;
  readonly loopSeconds: number;
  readonly processSeconds: number;
  readonly peakRssMiB: number;
  readonly loopRate: number;
  readonly processRate: number;
  /** The run's phases (manifest.json `phaseSeconds`): where the process's time outside the loop went. */
  readonly phases: PhaseSeconds;
  /** The process's system CPU seconds and minor page faults (/usr/bin/time): mostly its page faults. */
  readonly systemSeconds: number;
  readonly minorFaults: number;
}

/** The `(all)` row of a requests.csv: generated, completed, dropped. */
export function requestCounts(file: string): { generated: number; completed: number; dropped: number } {
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = header.split(',');
  const all = rows[rows.length - 1].split(',');
  const get = (name: string) => Number(all[cols.indexOf(name)]);
  return { generated: get('generated'), completed: get('completed'), dropped: get('dropped') };
}

/** Seconds from reading the scenario to a world ready to run (see {@link ScaleRow.readySeconds}). */
function readySeconds(p: PhaseSeconds): number {
  return p.load + p.build + p.checks + p.world;
}

export function runScale(devices: number, minutes: number): ScaleRow {
  const out = mkdtempSync(join(tmpdir(), 'edelear-scale-'));
  try {
    const sets = scaleOverrides(devices, minutes).flatMap((s) => ['--set', s]);
    const { seconds, rssMiB, systemSeconds, minorFaults } = timed(process.execPath, ['bin/edelear.js', 'run', SCENARIO, ...sets, '--no-charts', '--quiet', '--out', out]);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { buildSeconds: number; simulationSeconds: number; phaseSeconds: PhaseSeconds };
    const c = requestCounts(join(out, 'requests.csv'));
    const [runHeader, runRow] = readFileSync(join(out, 'run.csv'), 'utf8').trim().split('\n');
    const run = (name: string) => Number(runRow.split(',')[runHeader.split(',').indexOf(name)]);
    return {
      devices,
      ...c,
      events: run('events'),
      completedTotal: run('completed_total'),
      buildSeconds: manifest.buildSeconds,
      readySeconds: readySeconds(manifest.phaseSeconds),
      loopSeconds: manifest.simulationSeconds,
      processSeconds: seconds,
      peakRssMiB: rssMiB,
      loopRate: c.completed / manifest.simulationSeconds,
      processRate: c.completed / seconds,
      phases: manifest.phaseSeconds,
      systemSeconds,
      minorFaults,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The median over rounds of a figure of one N's runs. */
function med(runs: readonly ScaleRow[], g: (r: ScaleRow) => number): number {
  return median(runs.map(g));
}

export function main(devices: readonly number[] = [1e3, 1e4, 1e5, 1e6], minutes = 30, rounds = 1): ScaleRow[] {
  assertFreshBuild();
  const empty = median([0, 1, 2].map(() => timed(process.execPath, ['-e', '0']).rssMiB));
  console.log(`Scale (${SCENARIO}, ${minutes} simulated minutes, the CLI from dist/; an empty process peaks at ${fmt(empty)} MiB${rounds > 1 ? `; ${rounds} rounds, the sizes in ascending and descending order by turns, medians` : ''})`);
  // Round by round, every N once: ascending in even rounds, descending in odd ones, so that each pair of
  // neighbouring sizes is measured close in time (their ratios are taken within a round).
  const runs = new Map<number, ScaleRow[]>(devices.map((n) => [n, []]));
  for (let k = 0; k < rounds; k++) for (const n of k % 2 === 0 ? devices : [...devices].reverse()) runs.get(n)!.push(runScale(n, minutes));
  console.log('  devices     completed   dropped  completed/s loop  completed/s process  process/loop  build s  ×prev  ready s  ×prev  peak RSS  ×prev (above empty)');
  devices.forEach((n, i) => {
    const rs = runs.get(n)!;
    const prev = i > 0 ? runs.get(devices[i - 1])! : undefined;
    const x = (g: (r: ScaleRow) => number) => (prev ? fmt(med(rs, g) / med(prev, g), 1).padStart(5) : '    –');
    const completed = med(rs, (r) => r.completed);
    const dropShare = med(rs, (r) => (r.generated > 0 ? r.dropped / r.generated : 0));
    console.log(
      `  ${fmt(n).padStart(9)}  ${fmt(completed).padStart(11)}  ${`${(dropShare * 100).toFixed(2)}%`.padStart(8)}  ${fmt(med(rs, (r) => r.loopRate)).padStart(16)}  ${fmt(med(rs, (r) => r.processRate)).padStart(19)}  ${fmt(med(rs, (r) => r.processRate / r.loopRate), 2).padStart(12)}  ${fmt(med(rs, (r) => r.buildSeconds), 2).padStart(7)}  ${x((r) => r.buildSeconds)}  ${fmt(med(rs, (r) => r.readySeconds), 2).padStart(7)}  ${x((r) => r.readySeconds)}  ${`${fmt(med(rs, (r) => r.peakRssMiB))} MiB`.padStart(9)}  ${x((r) => r.peakRssMiB - empty)}`,
    );
  });
  console.log(`  outside the loop, s (manifest phaseSeconds; the rest of the process: exit and the manifest itself)${rounds > 1 ? ', each run' : ''}:`);
  console.log('  devices  start-up  read  build  checks  world  summaries  files   rest   system CPU s  page faults  µs a fault');
  for (const n of devices) {
    for (const r of runs.get(n)!) {
      const p = r.phases;
      const rest = r.processSeconds - Object.values(p).reduce((a, b) => a + b, 0);
      console.log(`  ${fmt(r.devices).padStart(7)}  ${[p.startup, p.load, p.build, p.checks, p.world, p.summaries, p.files, rest].map((x, k) => fmt(x, 3).padStart([8, 5, 6, 7, 6, 10, 6, 6][k])).join(' ')}  ${fmt(r.systemSeconds, 2).padStart(12)}  ${fmt(r.minorFaults).padStart(11)}  ${fmt((1e6 * r.systemSeconds) / r.minorFaults, 1).padStart(10)}`);
    }
  }
  // The targets, each judged over the rounds (bench/measure.ts targetVerdict: the 95 % interval of the
  // rounds' mean on one side of the bound, or straddling it; one round is inconclusive).
  // Linear building: from each N to the next 10× (at most 12× the time and 12× the memory above an empty process), ratios within a round.
  for (let i = 1; i < devices.length; i++) {
    const [a, b] = [devices[i - 1], devices[i]];
    if (b !== 10 * a) continue;
    const [ra, rb] = [runs.get(a)!, runs.get(b)!];
    const within = (g: (r: ScaleRow) => number) => rb.map((r, k) => g(r) / g(ra[k]));
    console.log(`  ${fmt(a)} → ${fmt(b)}, the rounds' ratios:`);
    console.log(`    build × ${targetText(within((r) => r.buildSeconds), 12, 'at most', 1)}`);
    console.log(`    ready to run × ${targetText(within((r) => r.readySeconds), 12, 'at most', 1)}`);
    console.log(`    peak RSS above empty × ${targetText(within((r) => r.peakRssMiB - empty), 12, 'at most', 1)}`);
  }
  const at4 = runs.get(1e4);
  if (at4) {
    console.log(`  at 10^4: completed/s of loop ${targetText(at4.map((r) => r.loopRate), 1e6, 'at least', 0)}`);
    console.log(`  at 10^4: process/loop ${targetText(at4.map((r) => r.processRate / r.loopRate), 0.8, 'at least', 2)}${minutes === 30 ? '' : ' (the target is for 30 simulated minutes)'}`);
  }
  const at6 = runs.get(1e6);
  if (at6) console.log(`  at 10^6: peak RSS MiB ${targetText(at6.map((r) => r.peakRssMiB), 8192, 'at most', 0)}`);
  return devices.flatMap((n) => runs.get(n)!);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/scale.ts [--devices N[,N…]] [--minutes M] [--rounds R]   (N distinct multiples of 100 from 200 to 10^6, M > 1, R ≥ 1; default 1000,10000,100000,1000000 for 30 minutes, 1 round — two or more give each target a 95 % interval and a verdict)';
  const a = benchFlags('bench/scale.ts', usage, ['--devices', '--minutes', '--rounds']);
  const devices = a.deviceList();
  const minutes = a.minutes();
  const rounds = a.whole('--rounds');
  main(devices, minutes, rounds);
}
