/**
 * Dynamic batching at scale: scenarios/bench/scale.yaml at N devices (default 10^4, 30 simulated
 * minutes), its N/100 edge servers (4 slots, ρ = 0.6 at batch 1) first come, first served as
 * written, and batching, run in this process and paired (the arms alternate, `--rounds` times;
 * medians, and the median of the per-round ratios):
 *
 *   fcfs       the scenario as written
 *   none       the batching scheduler with policy none (batches of one: the same figures as fcfs,
 *              so the ratio is the batcher's own cost)
 *   fixed      max 8, preferred [4], delay 5 ms, fixedShare 0.5 (the scale scenario's edge has no
 *              profile; 0.5 sits between the Xavier NX's 0.67 and the Xeon's 0.25)
 *   adaptive   the same under AIMD against a 1 s objective
 *
 * For each: completed and dropped requests, completed requests per second of the event loop (the
 * metric of bench/scale.ts) and its ratio to fcfs, events per completed request, the edge servers'
 * mean batch size and utilization.
 *
 *   npx tsx bench/batching.ts [--devices N] [--minutes M] [--rounds R]
 */
import { fileURLToPath } from 'node:url';
import { simulate } from '../src/metrics/simulate.ts';
import { buildWorldSpec } from '../src/scenario/build.ts';
import { loadCatalog } from '../src/scenario/catalog.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { benchFlags, fmt, pairedRounds } from './measure.ts';
import { batchTotals, edgeUtilization } from './world-figures.ts';
import { scaleOverrides } from './scale.ts';

const SCENARIO = 'scenarios/bench/scale.yaml';

/** The arms: their overrides of the edge servers' scheduler (nodes[2]). */
const ARMS: readonly { readonly name: string; readonly set: readonly string[] }[] = [
  { name: 'fcfs', set: [] },
  { name: 'none', set: ['nodes[2].scheduler={ batching: { policy: none } }'] },
  { name: 'fixed', set: ['nodes[2].scheduler={ batching: { max: 8, preferred: [4], delay: 5 ms, fixedShare: 0.5 } }'] },
  { name: 'adaptive', set: ['nodes[2].scheduler={ batching: { policy: adaptive, max: 8, preferred: [4], delay: 5 ms, fixedShare: 0.5, objective: 1 s } }'] },
];

interface Run {
  readonly completed: number;
  readonly dropped: number;
  readonly events: number;
  readonly loopSeconds: number;
  readonly batchMean: number;
  readonly edgeUtilization: number;
}

function runArm(arm: (typeof ARMS)[number], devices: number, minutes: number): Run {
  const spec = buildWorldSpec(loadScenario(SCENARIO, [...scaleOverrides(devices, minutes), ...arm.set]), loadCatalog());
  const result = simulate(spec);
  const w = result.world;
  const { batches, requests } = batchTotals(w);
  return {
    completed: w.completedCount,
    dropped: w.droppedCount,
    events: w.sim.eventsProcessed,
    loopSeconds: result.wallSeconds,
    batchMean: batches > 0 ? requests / batches : 1,
    edgeUtilization: edgeUtilization(spec, w),
  };
}

export function main(devices = 1e4, minutes = 30, rounds = 3): void {
  console.log(`Dynamic batching at scale (${SCENARIO}, ${fmt(devices)} devices, ${devices / 100} edge servers, ${minutes} simulated minutes, in-process, ${rounds} alternating rounds, medians)`);
  const paired = pairedRounds(ARMS, (arm) => runArm(arm, devices, minutes), { rounds, rate: (r) => r.completed / r.loopSeconds });
  console.log('  arm        completed  dropped  completed/s loop  ×fcfs  events/request  loop s  edge batch mean  edge utilization');
  for (const arm of ARMS) {
    const m = (g: (r: Run) => number) => paired.median(arm.name, g);
    console.log(
      `  ${arm.name.padEnd(9)}  ${fmt(m((r) => r.completed)).padStart(9)}  ${fmt(m((r) => r.dropped)).padStart(7)}  ${fmt(m((r) => r.completed / r.loopSeconds)).padStart(16)}  ${fmt(paired.ratio(arm.name), 2).padStart(5)}  ${fmt(m((r) => r.events / r.completed), 2).padStart(14)}  ${fmt(m((r) => r.loopSeconds), 2).padStart(6)}  ${fmt(m((r) => r.batchMean), 2).padStart(15)}  ${fmt(m((r) => r.edgeUtilization), 3).padStart(16)}`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/batching.ts [--devices N] [--minutes M] [--rounds R]   (N a multiple of 100 from 200 to 10^6, M > 1, R ≥ 1; default 10000 devices, 30 minutes, 3 rounds)';
  const a = benchFlags('bench/batching.ts', usage, ['--devices', '--minutes', '--rounds']);
  main(a.devices(), a.minutes(), a.whole('--rounds'));
}
