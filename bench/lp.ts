/**
 * The offloading LP's solvers: solve time of random offloading programs of W workloads × N
 * nodes (each workload its own class: the worst case, nothing aggregates) with
 * javascript-lp-solver and HiGHS, medians over repeated solves; the sweep over small sizes that
 * sets SOLVER_THRESHOLD (where HiGHS starts to win); and the re-solve during a run at 1,000
 * workloads × 10 nodes, whose target is ≤ 50 ms — measured two ways: 1,000 distinct workloads
 * re-solved by HiGHS cold and warm-started from the last basis (rates moved by ±10 %, as
 * measured rates move between ticks), and a simulated run of 1,000 cameras with 10 candidate
 * nodes each, where alike cameras aggregate into classes (the planner's per-tick solve, and its
 * share of the run's wall time). Baseline in the same run: javascript-lp-solver. Never asserted in tests.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulate } from '../src/metrics/simulate.ts';
import { formulate, type OffloadingProblem } from '../src/policies/offloading/formulation.ts';
import type { LpPlacementPolicy } from '../src/policies/offloading/lp.ts';
import { loadHighs, programSize, SOLVER_THRESHOLD, type SolverName, solve, WarmStart } from '../src/policies/offloading/solver.ts';
import { buildWorldSpec } from '../src/scenario/build.ts';
import { loadCatalog } from '../src/scenario/catalog.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { randomProblem } from '../test/policies/offloading-instances.ts';
import { benchFlags, median } from './measure.ts';

/** Median wall milliseconds of `runs` solves of a problem's program by one solver. */
function timeSolves(p: OffloadingProblem, solver: SolverName, runs: number): { ms: number; objective: number } {
  const lp = formulate(p).lp;
  const times: number[] = [];
  let objective = NaN;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const result = solve(lp, { solver });
    times.push(performance.now() - t0);
    objective = result.objective;
  }
  return { ms: median(times), objective };
}

const fmt = (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0)).padStart(8);

/** A problem like `p` with each class's rate moved by up to ±10 % (a tick later: the same shape, other numbers). */
function moved(p: OffloadingProblem, step: number): OffloadingProblem {
  return { ...p, classes: p.classes.map((c, i) => ({ ...c, rate: c.rate * (1 + 0.1 * Math.sin(7 * i + step)) })) };
}

/** A deployment of 1,000 cameras behind a gateway, 8 edge servers and a cloud: each camera's candidates are itself, the edges and the cloud (10). */
function cameraScenario(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'edelear-bench-lp-')), 'cameras.yaml');
  writeFileSync(
    file,
    `name: lp-bench
duration: 2 min
seed: 1
nodes:
  - { name: cam, kind: device, profile: raspberry-pi-4, count: 1000 }
  - { name: gw, kind: gateway, profile: raspberry-pi-4 }
  - { name: edge, kind: edge, profile: jetson-xavier-nx, count: 8 }
  - { name: cloud, kind: cloud, profile: nvidia-t4 }
links:
  - { between: [cam-*, gw], bandwidth: 54 Mbit/s, delay: 2 ms, energy: { tx: 283 nJ/bit, rx: 137 nJ/bit } }
  - { between: [gw, edge-*], bandwidth: 10 Gbit/s, delay: 1 ms }
  - { between: [gw, cloud], bandwidth: 10 Gbit/s, delay: 20 ms }
workloads:
  - { name: classify, on: cam-*, model: mobilenet-v2, arrivals: { poisson: 2/s }, input: 150 KiB }
policies:
  interval: 5 s
  placement: { lp: { tier: [device, edge, cloud] } }
`,
  );
  return file;
}

/** Runs the benchmark and prints its figures; returns them. */
export async function main(): Promise<{ sizes: Record<string, Partial<Record<SolverName, number>>>; warmMs: number; coldMs: number; runSolveMs: number }> {
  await loadHighs();
  // Warm-up: both solvers once on a few programs, so the first timings are not the JIT's.
  for (let seed = 1; seed <= 20; seed++) for (const solver of ['javascript-lp-solver', 'highs'] as const) solve(formulate(randomProblem(seed, { workloads: 20, nodes: 5 })).lp, { solver });
  console.log('offloading LP (bench/lp.ts): median solve time, ms; each workload its own class');
  console.log('  workloads×nodes   variables×rows   javascript-lp-solver     HiGHS   objectives agree');
  const sizes: Record<string, Partial<Record<SolverName, number>>> = {};
  for (const [w, n] of [
    [10, 4],
    [100, 10],
    [1000, 10],
    [5000, 20],
  ]) {
    const p = randomProblem(1, { workloads: w, nodes: n });
    const lp = formulate(p).lp;
    const hi = timeSolves(p, 'highs', w >= 1000 ? 5 : 15);
    // javascript-lp-solver's dense tableau at 5,000 × 20 took 26 s and 15 GB here: skipped.
    const js = w * n <= 10_000 ? timeSolves(p, 'javascript-lp-solver', w >= 1000 ? 3 : 15) : undefined;
    sizes[`${w}x${n}`] = { highs: hi.ms, ...(js ? { 'javascript-lp-solver': js.ms } : {}) };
    const agree = js ? (Math.abs(js.objective - hi.objective) <= 1e-6 * Math.max(1, Math.abs(hi.objective)) ? 'yes' : `NO (${js.objective} vs ${hi.objective})`) : '–';
    console.log(`  ${`${w}×${n}`.padEnd(16)}  ${`${lp.variables.length}×${lp.constraints.length}`.padEnd(15)}  ${(js ? fmt(js.ms) : 'skipped').padStart(20)}  ${fmt(hi.ms)}   ${agree}`);
  }

  console.log('  (javascript-lp-solver is skipped at 5,000 × 20: its dense tableau took 26 s and 15 GB when measured before)');
  console.log(`\n  threshold sweep (SOLVER_THRESHOLD = ${SOLVER_THRESHOLD} variables × rows): median of 21 solves, ms`);
  for (const [w, n] of [
    [3, 2],
    [5, 3],
    [8, 3],
    [10, 4],
    [12, 5],
    [16, 5],
    [25, 6],
    [30, 7],
    [35, 8],
    [40, 8],
    [50, 10],
  ]) {
    const p = randomProblem(2, { workloads: w, nodes: n });
    const size = programSize(formulate(p).lp);
    const js = timeSolves(p, 'javascript-lp-solver', 21).ms;
    const hi = timeSolves(p, 'highs', 21).ms;
    console.log(`    ${`${w}×${n}`.padEnd(6)} size ${String(size).padStart(6)}   javascript-lp-solver ${fmt(js)}   HiGHS ${fmt(hi)}   ${js <= hi ? 'javascript-lp-solver' : 'HiGHS'} faster`);
  }

  // Re-solve at 1,000 distinct workloads × 10 nodes: cold, then warm from the last basis.
  const base = randomProblem(3, { workloads: 1000, nodes: 10 });
  const cold: number[] = [];
  const warm: number[] = [];
  const start = new WarmStart();
  for (let step = 0; step < 9; step++) {
    const lp = formulate(moved(base, step)).lp;
    let t0 = performance.now();
    solve(lp, { solver: 'highs' });
    cold.push(performance.now() - t0);
    t0 = performance.now();
    solve(lp, { solver: 'highs', warm: start });
    if (step > 0) warm.push(performance.now() - t0);
  }
  console.log(`\n  re-solve, 1,000 distinct workloads × 10 nodes (HiGHS): cold ${fmt(median(cold))} ms, warm-started from the last tick's basis ${fmt(median(warm))} ms (target ≤ 50)`);

  // Re-solve in a run: 1,000 cameras × 10 candidates, re-solved every 5 s for 2 simulated minutes.
  const spec = buildWorldSpec(loadScenario(cameraScenario()), loadCatalog());
  const t0 = performance.now();
  const result = simulate(spec);
  const wall = (performance.now() - t0) / 1000;
  const planner = (spec.placement.policies[0] as LpPlacementPolicy).planner;
  const s = planner.stats;
  const runSolveMs = median(s.times) * 1000;
  console.log(
    `  re-solve in a run, 1,000 cameras × 10 candidates: ${s.solves} solves, median ${fmt(runSolveMs)} ms (${s.last?.classes} classes, ${s.last?.variables} variables, ${s.last?.solver}); ` +
      `solver share of the run's wall time ${((100 * s.seconds) / wall).toFixed(2)} % (${result.world.completedCount.toLocaleString('en-US')} requests in ${wall.toFixed(1)} s)`,
  );
  return { sizes, warmMs: median(warm), coldMs: median(cold), runSolveMs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchFlags('bench/lp.ts', 'usage: npx tsx bench/lp.ts   (no options)', []);
  await main();
}
