/**
 * Mobility at scale (issue 13, point 4): scenarios/bench/scale.yaml at N devices (default 10^4,
 * 30 simulated minutes) as written (`still`) against the same with nomadic mobility over its
 * access points — every device moves, dwell Exp(mean `--dwell` minutes, default 3) at each of the
 * N/100 places, next place uniform over the others (EdgeCloudSim's rule), `detect`'s nearest edge
 * following the device — with requests in flight lost as `moved` (`lost`) or delivered through
 * the new place (`delivered`). Each run is a Node process of its own (measure.ts `runChild`: arms
 * in one process share V8's compiled code), paired (bench/measure.ts `pairedRounds`: the arms
 * alternate, `--rounds` times; the median of the per-round ratios of completed requests per second
 * of the event loop to `still`'s; target ≥ 0.5).
 *
 *   npx tsx bench/mobility.ts [--devices N] [--minutes M] [--rounds R] [--dwell MIN]
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { simulate } from '../src/metrics/simulate.ts';
import { buildWorldSpec } from '../src/scenario/build.ts';
import { loadCatalog } from '../src/scenario/catalog.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { benchFlags, fmt, median, pairedRounds, runChild } from './measure.ts';
import { scaleOverrides } from './scale.ts';

interface Arm {
  readonly name: string;
  readonly set: readonly string[];
}

/** The mobility section of the moving arms, as a --set value. */
export function nomadicSet(dwellMinutes: number, inFlight: 'lost' | 'delivered'): string {
  return `mobility={ model: nomadic, inFlight: ${inFlight}, placeTypes: [{ name: place, dwell: { exponential: { mean: ${dwellMinutes} min } } }], places: [{ accessPoint: "ap-*", type: place }] }`;
}

interface Run {
  readonly generated: number;
  readonly completed: number;
  readonly moved: number;
  readonly moves: number;
  readonly events: number;
  readonly loopSeconds: number;
  /** CPU seconds of this process over the run (world built and run): less sensitive than wall time to other processes on a loaded machine. */
  readonly cpuSeconds: number;
}

function runArm(arm: Arm, devices: number, minutes: number): Run {
  const spec = buildWorldSpec(loadScenario('scenarios/bench/scale.yaml', [...scaleOverrides(devices, minutes), ...arm.set]), loadCatalog());
  const cpu = process.cpuUsage();
  const result = simulate(spec);
  const used = process.cpuUsage(cpu);
  const all = result.metrics.all;
  return {
    generated: all.generated,
    completed: all.completed,
    moved: all.dropped.moved,
    moves: result.world.mobility?.moves ?? 0,
    events: result.world.sim.eventsProcessed,
    loopSeconds: result.wallSeconds,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}

/** The arms, with a dwell of `dwell` minutes. */
function armsOf(dwell: number): Arm[] {
  return [
    { name: 'still', set: [] },
    { name: 'lost', set: [nomadicSet(dwell, 'lost')] },
    { name: 'delivered', set: [nomadicSet(dwell, 'delivered')] },
  ];
}

export function main(devices = 1e4, minutes = 30, rounds = 3, dwell = 3): void {
  const arms = armsOf(dwell);
  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`Nomadic mobility at scale (scale.yaml, ${fmt(devices)} devices, ${minutes} simulated minutes, dwell Exp(${dwell} min), a process per run, ${rounds} alternating rounds, medians; load ${load})`);
  const args = ['--devices', String(devices), '--minutes', String(minutes), '--dwell', String(dwell)];
  const paired = pairedRounds(arms, (arm) => runChild<Run>(fileURLToPath(import.meta.url), arm.name, args), { rounds, rate: (x) => x.completed / x.loopSeconds });
  console.log('  arm        generated  completed  moved (lost)  moves     completed/s loop  ×still (median of rounds)  per-round ratios      events/request');
  for (const arm of arms) {
    const m = (g: (x: Run) => number) => paired.median(arm.name, g);
    console.log(
      `  ${arm.name.padEnd(9)}  ${fmt(m((x) => x.generated)).padStart(9)}  ${fmt(m((x) => x.completed)).padStart(9)}  ${fmt(m((x) => x.moved)).padStart(12)}  ${fmt(m((x) => x.moves)).padStart(8)}  ${fmt(m((x) => x.completed / x.loopSeconds)).padStart(16)}  ${fmt(paired.ratio(arm.name), 2).padStart(25)}  ${paired.ratios.get(arm.name)!.map((r) => r.toFixed(2)).join(' ').padEnd(20)}  ${fmt(m((x) => x.events / x.completed), 2).padStart(14)}`,
    );
  }
  // The same pairing on CPU time: per round, the arm's completed per CPU second ÷ still's.
  const still = paired.runs.get('still')!;
  const cpuRate = (x: Run) => x.completed / x.cpuSeconds;
  for (const arm of arms.slice(1)) {
    const r = paired.runs.get(arm.name)!.map((x, k) => cpuRate(x) / cpuRate(still[k]));
    console.log(`  ${arm.name}: completed per CPU second ×still ${fmt(median(r), 2)} (median of rounds; per round ${r.map((x) => x.toFixed(2)).join(' ')}; still ${fmt(median(still.map(cpuRate)))} per CPU s)`);
  }
  console.log(`  load after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/mobility.ts [--devices N] [--minutes M] [--rounds R] [--dwell MIN]   (N a multiple of 100 from 200 to 10^6, M > 1, R ≥ 1, MIN > 0; default 10000 devices, 30 minutes, 3 rounds, a 3-minute dwell)';
  // --child ARM is this file's own: one arm's run in a process of its own (measure.ts runChild).
  const a = benchFlags('bench/mobility.ts', usage, ['--devices', '--minutes', '--rounds', '--dwell', '--child']);
  const dwell = a.above('--dwell', 0, 'minutes') ?? 3;
  const child = a.given.get('--child');
  if (child !== undefined) {
    // One arm's run, in this process alone (measure.ts runChild): its figures as one JSON line.
    const arm = armsOf(dwell).find((x) => x.name === child) ?? a.fail(`--child expects an arm's name, got "${child}"`);
    console.log(JSON.stringify(runArm(arm, a.devices() ?? 1e4, a.minutes() ?? 30)));
  } else main(a.devices(), a.minutes(), a.whole('--rounds'), dwell);
}
