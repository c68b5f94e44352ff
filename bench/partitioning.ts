/**
 * Model partitioning at scale: scenarios/bench/scale.yaml at N devices (default 10^4, 30 simulated
 * minutes) without `policies.partitioning` and with it, paired in the same run (the arms alternate,
 * `--rounds` times; medians, and the median of the per-round ratios):
 *
 *   none            no partitioning (today's plans)
 *   all-remote      the baseline that never splits (the same figures as none; the per-request count only)
 *   edelear-once    EDeLeaR's split decided once, at the start (idle queues, the devices' declared load)
 *   edelear-10s     EDeLeaR's split re-decided every 10 s from the measured backlogs and queues
 *   edelear-10s-r   the same with devices at 0.5 GFLOP/s, where all remote wins: none's work and
 *                   figures, plus the decision point's cost (the fair ratio)
 *
 * scale.yaml's models are one layer each, so a split is all remote (k = 0) or all local (k = 1):
 * what this measures is the cost of the decision point (the per-request O(1) read and count, the
 * per-tick O(pairs) re-decision, the plans per split), not a deep model's split. For each arm:
 * completed requests per second of the event loop (bench/scale.ts's metric), its ratio to `none`
 * (issue 10 point 5: ≥ 0.5), events per request, the share of requests run local or split, and the
 * share of the loop's wall time in the ticks' re-decisions (timed in the same runs).
 *
 *   npx tsx bench/partitioning.ts [--devices N] [--minutes M] [--rounds R]
 */
import { fileURLToPath } from 'node:url';
import { simulate } from '../src/metrics/simulate.ts';
import { buildWorldSpec } from '../src/scenario/build.ts';
import { loadCatalog } from '../src/scenario/catalog.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { benchFlags, fmt, median, pairedRounds } from './measure.ts';
import { scaleOverrides } from './scale.ts';

const SCENARIO = 'scenarios/bench/scale.yaml';

/** The arms: their overrides on top of the scale overrides. */
export const PARTITIONING_ARMS: readonly { readonly name: string; readonly set: readonly string[] }[] = [
  { name: 'none', set: [] },
  // scale.yaml has no `policies` mapping, and --set does not create one.
  { name: 'all-remote', set: ['policies={ partitioning: all-remote }'] },
  { name: 'edelear-once', set: ['policies={ partitioning: edelear }'] },
  { name: 'edelear-10s', set: ['policies={ partitioning: edelear, interval: 10 s }'] },
  // The same work as none: devices at 0.5 GFLOP/s (none never computes on them) make all remote the
  // better choice everywhere, so this arm is none's run plus the decision point's whole cost.
  { name: 'edelear-10s-r', set: ['nodes[0].compute={ fp32: 0.5 GFLOP/s }', 'policies={ partitioning: edelear, interval: 10 s }'] },
];

interface PartitioningRun {
  readonly completed: number;
  readonly events: number;
  readonly loopSeconds: number;
  readonly born: number;
  readonly local: number;
  readonly split: number;
  /** Wall seconds in the splits' re-decisions at ticks. */
  readonly decideSeconds: number;
  readonly ticks: number;
}

function runArm(arm: (typeof PARTITIONING_ARMS)[number], devices: number, minutes: number): PartitioningRun {
  const spec = buildWorldSpec(loadScenario(SCENARIO, [...scaleOverrides(devices, minutes), ...arm.set]), loadCatalog());
  let decideSeconds = 0;
  let ticks = 0;
  const result = simulate(spec, {
    attach: (world) => {
      const part = world.partitioning;
      if (!part) return;
      const decide = part.decide.bind(part);
      part.decide = (view) => {
        const t = performance.now();
        decide(view);
        decideSeconds += performance.now() - t;
        ticks++;
      };
    },
  });
  const part = result.world.partitioning;
  const sum = (a: Float64Array | undefined) => (a ? a.reduce((x, y) => x + y, 0) : 0);
  return {
    completed: result.metrics.all.completed,
    events: result.world.sim.eventsProcessed,
    loopSeconds: result.wallSeconds,
    born: sum(part?.born) - sum(part?.answered), // run: less those a device cache answered (no layer run)
    local: sum(part?.local),
    split: sum(part?.split),
    decideSeconds: decideSeconds / 1000,
    ticks,
  };
}

export function main(devices = 1e4, minutes = 30, rounds = 3): void {
  console.log(`Model partitioning at scale (${SCENARIO}, ${fmt(devices)} devices, ${minutes} simulated minutes, in-process, ${rounds} alternating rounds, medians)`);
  const rate = (x: PartitioningRun) => x.completed / x.loopSeconds;
  const paired = pairedRounds(PARTITIONING_ARMS, (arm) => runArm(arm, devices, minutes), { rounds, rate, warm: true });
  console.log('  arm             completed  completed/s loop  ×none (median of rounds)  events/request  local share  split share  re-decisions: calls, share of loop');
  for (const arm of PARTITIONING_ARMS) {
    const xs = paired.runs.get(arm.name)!;
    const ratio = paired.ratio(arm.name);
    const x0 = xs[0];
    const share = x0.ticks > 0 ? `${x0.ticks}, ${fmt((100 * median(xs.map((x) => x.decideSeconds / x.loopSeconds))), 2)} %` : '–';
    console.log(
      `  ${arm.name.padEnd(14)}  ${fmt(median(xs.map((x) => x.completed))).padStart(9)}  ${fmt(median(xs.map(rate))).padStart(16)}  ${fmt(ratio, 2).padStart(24)}  ${fmt(median(xs.map((x) => x.events / x.completed)), 2).padStart(14)}  ${x0.born > 0 ? fmt(x0.local / x0.born, 3).padStart(11) : '          –'}  ${x0.born > 0 ? fmt(x0.split / x0.born, 3).padStart(11) : '          –'}  ${share}`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/partitioning.ts [--devices N] [--minutes M] [--rounds R]   (N a multiple of 100 from 200 to 10^6, M > 1, R ≥ 1; default 10000 devices, 30 minutes, 3 rounds)';
  const a = benchFlags('bench/partitioning.ts', usage, ['--devices', '--minutes', '--rounds']);
  main(a.devices(), a.minutes(), a.whole('--rounds'));
}
