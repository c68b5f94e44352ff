/**
 * EDeLeaR's policies at scale: scenarios/bench/scale.yaml at N devices (default 10^4, 30 simulated
 * minutes) run in this process, as written — every `detect` request on its nearest edge server,
 * fixed placement — and with EDeLeaR's policies on, paired in the same run (the arms alternate,
 * `--rounds` times; the medians and the median of the per-round ratios are reported):
 *
 *   fixed        the scenario as written (nearest edge, FCFS edge servers)
 *   lp           detect placed by the lp program over { tier: [device, edge] } (each device, or any
 *                of the N/100 edge servers), re-solved every 10 s from the measured world
 *   lp+alloc     the same, and every edge server partitioned among its tenants (detect holds it
 *                all at the start; processes offer no work) under policies.allocation: edelear
 *   lp+alloc@60s the same, re-solved and re-allocated every 60 s instead of 10 s
 *
 * For each: completed requests per second of the event loop (the metric of bench/scale.ts), the
 * ratio to fixed (target ≥ 0.5), events per request, the build (world spec, where the program's
 * pair figures are computed) and the share of the loop's wall time spent in the program's solves
 * (the planner's own timing of its formulate + solve, from its stats).
 *
 *   npx tsx bench/policies.ts [--devices N] [--minutes M] [--rounds R]
 */
import { fileURLToPath } from 'node:url';
import { plannersOf } from '../src/cli/paper.ts';
import { simulate } from '../src/metrics/simulate.ts';
import { loadHighs } from '../src/policies/offloading/solver.ts';
import { buildWorldSpec } from '../src/scenario/build.ts';
import { loadCatalog } from '../src/scenario/catalog.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { benchFlags, fmt, pairedRounds } from './measure.ts';
import { scaleOverrides } from './scale.ts';

const SCENARIO = 'scenarios/bench/scale.yaml';

/** The arms: their overrides on top of the scale overrides. */
export const POLICY_ARMS: readonly { readonly name: string; readonly set: readonly string[] }[] = [
  { name: 'fixed', set: [] },
  { name: 'lp', set: ['workloads[0].placement={ lp: { tier: [device, edge] } }', 'policies={ interval: 10 s }'] },
  {
    name: 'lp+alloc',
    set: ['workloads[0].placement={ lp: { tier: [device, edge] } }', 'policies={ interval: 10 s, allocation: edelear }', 'nodes[2].scheduler={ partitioned: { detect: 1 } }'],
  },
  {
    name: 'lp+alloc@60s',
    set: ['workloads[0].placement={ lp: { tier: [device, edge] } }', 'policies={ interval: 60 s, allocation: edelear }', 'nodes[2].scheduler={ partitioned: { detect: 1 } }'],
  },
];

/** One run of one arm. */
export interface PolicyRun {
  readonly arm: string;
  readonly completed: number;
  readonly events: number;
  readonly buildSeconds: number;
  readonly loopSeconds: number;
  /** Wall seconds the planners spent formulating and solving, in the loop (ticks) and before it (the plan at the start). */
  readonly solverSeconds: number;
  readonly solves: number;
  readonly classes: number;
  readonly variables: number;
  /** Variables of the last program HiGHS solved (column generation writes a few options per class); the whole program's otherwise. */
  readonly written: number;
}

/** Runs one arm at N devices for M simulated minutes, in this process. */
export function runPolicyArm(arm: (typeof POLICY_ARMS)[number], devices: number, minutes: number): PolicyRun {
  const t0 = performance.now();
  const loaded = loadScenario(SCENARIO, [...scaleOverrides(devices, minutes), ...arm.set]);
  const spec = buildWorldSpec(loaded, loadCatalog());
  const buildSeconds = (performance.now() - t0) / 1000;
  const result = simulate(spec);
  const planners = plannersOf(spec);
  const last = planners[0]?.stats.last;
  return {
    arm: arm.name,
    completed: result.metrics.all.completed,
    events: result.world.sim.eventsProcessed,
    buildSeconds,
    loopSeconds: result.wallSeconds,
    solverSeconds: planners.reduce((a, p) => a + p.stats.seconds, 0),
    solves: planners.reduce((a, p) => a + p.stats.solves, 0),
    classes: last?.classes ?? 0,
    variables: last?.variables ?? 0,
    written: last?.columns ?? last?.variables ?? 0,
  };
}

export async function main(devices = 1e4, minutes = 30, rounds = 3): Promise<void> {
  await loadHighs(); // the program switches to HiGHS above javascript-lp-solver's size
  console.log(`EDeLeaR's policies at scale (${SCENARIO}, ${fmt(devices)} devices, ${minutes} simulated minutes, in-process, ${rounds} alternating rounds, medians)`);
  const paired = pairedRounds(POLICY_ARMS, (arm) => runPolicyArm(arm, devices, minutes), { rounds, rate: (r) => r.completed / r.loopSeconds });
  console.log('  arm           completed   completed/s loop  ×fixed  events/request  build s  loop s  solves  classes × variables (written)  solver s  solver share of loop');
  for (const arm of POLICY_ARMS) {
    const rs = paired.runs.get(arm.name)!;
    const m = (g: (r: PolicyRun) => number) => paired.median(arm.name, g);
    const rate = m((r) => r.completed / r.loopSeconds);
    const ratio = paired.ratio(arm.name);
    const share = m((r) => r.solverSeconds / r.loopSeconds);
    console.log(
      `  ${arm.name.padEnd(12)}  ${fmt(m((r) => r.completed)).padStart(9)}  ${fmt(rate).padStart(16)}  ${fmt(ratio, 2).padStart(6)}  ${fmt(m((r) => r.events / r.completed), 2).padStart(14)}  ${fmt(m((r) => r.buildSeconds), 2).padStart(7)}  ${fmt(m((r) => r.loopSeconds), 2).padStart(6)}  ${fmt(m((r) => r.solves)).padStart(6)}  ${`${fmt(rs[0].classes)} × ${fmt(rs[0].variables)} (${fmt(rs[0].written)})`.padStart(29)}  ${fmt(m((r) => r.solverSeconds), 3).padStart(8)}  ${`${fmt(share * 100, 1)}%`.padStart(21)}`,
    );
  }
  for (const arm of POLICY_ARMS.slice(1)) {
    const ratio = paired.ratio(arm.name);
    console.log(`  ${arm.name}: ${fmt(ratio, 2)}× the fixed placement's completed requests per loop second (target ≥ 0.5: ${ratio >= 0.5 ? 'met' : 'NOT met'})`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/policies.ts [--devices N] [--minutes M] [--rounds R]   (N a multiple of 100 from 200 to 10^6, M > 1, R ≥ 1; default 10000 devices, 30 minutes, 3 rounds)';
  const a = benchFlags('bench/policies.ts', usage, ['--devices', '--minutes', '--rounds']);
  await main(a.devices(), a.minutes(), a.whole('--rounds'));
}
