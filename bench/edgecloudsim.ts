/**
 * The EdgeCloudSim sample_app1 mirror measured like EdgeCloudSim reports it (issue 13 point 3):
 * scenarios/bench/edgecloudsim-app1.yaml at 1,000 devices, 30 simulated minutes, over seeds 1…n,
 * each figure's mean with its 95 % confidence interval (Student t over the seeds) beside the figure
 * EdgeCloudSim v4.0 measured on this machine (TWO_TIER, NEXT_FIT, 1,000 devices, 30 min) and the
 * gap in percent. Two variants, one table each: the mirror (real FIFO links carrying each task's
 * bytes) and the mirror with EdgeCloudSim's network model AS CODED
 * (scenarios/bench/edgecloudsim-app1-as-coded.yaml: MM1Queue's analytic delays with its
 * quarter-size tasks), whose figures compare like for like.
 *
 *   npx tsx bench/edgecloudsim.ts [--seeds N] [--variant mirror|as-coded|both] [--scenario FILE] [--set path=value …] [--json]
 *
 * --variant both (the default) runs both tables; --scenario FILE runs that one file instead.
 *
 * The figures follow EdgeCloudSim's SimLogger (src/edu/boun/edgecloudsim/utils/SimLogger.java
 * @ 0c82e35b, lines 1035–1062 and 1116–1142): tasks born after the warm-up; failed share = failed /
 * (completed + failed), tasks still running at the end left out ("uncompleted"); service time =
 * end − start of completed tasks; processing time = service time − network delay, which in edelear
 * is the time at the executing node (compute + node wait: every other part of a request's time is
 * on links). Edge tasks are those of the edge-placed workloads (`*-edge`), cloud tasks those of the
 * cloud-placed ones (`*-cloud`): app1 books a task's tier when it is offloaded.
 */
import { confidenceInterval, type Estimate } from '../src/metrics/confidence.ts';
import { simulate } from '../src/metrics/simulate.ts';
import { type RunTables, summarize } from '../src/metrics/summary.ts';
import { buildWorldSpec } from '../src/scenario/build.ts';
import { loadCatalog } from '../src/scenario/catalog.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { fileURLToPath } from 'node:url';
import { benchFlags } from './measure.ts';

export const APP1 = fileURLToPath(new URL('../scenarios/bench/edgecloudsim-app1.yaml', import.meta.url));
/** The mirror with EdgeCloudSim's network model as coded (MM1Queue v4.0, analytic link delays, quarter-size tasks). */
export const APP1_AS_CODED = fileURLToPath(new URL('../scenarios/bench/edgecloudsim-app1-as-coded.yaml', import.meta.url));
const VARIANTS = { mirror: [APP1], 'as-coded': [APP1_AS_CODED], both: [APP1, APP1_AS_CODED] } as const;

/**
 * What EdgeCloudSim v4.0 measured on this machine for sample_app1 (TWO_TIER, NEXT_FIT, 1,000 devices,
 * 30 min), as issue 13 point 3 records it: shares as fractions, times in seconds.
 */
export const ECS_MEASURED = {
  failedAll: 0.33,
  failedEdge: 0.413,
  failedCloud: 0.003,
  edgeProcessing: 3.26,
  cloudProcessing: 0.186,
  edgeService: 3.28,
} as const;

export type App1Figure = keyof typeof ECS_MEASURED;

/** The figures of one run, from its requests.csv rows. */
export function app1Figures(t: RunTables): Record<App1Figure, number> {
  const sum = (tier: 'edge' | 'cloud') => {
    let completed = 0;
    let failed = 0;
    let service = 0;
    let processing = 0;
    for (const row of t.requests) {
      if (typeof row.workload !== 'string' || !row.workload.endsWith(`-${tier}`)) continue;
      const c = Number(row.completed);
      completed += c;
      failed += Number(row.dropped);
      if (c > 0) {
        service += c * Number(row.latency_mean_s);
        processing += c * (Number(row.compute_mean_s) + Number(row.node_wait_mean_s));
      }
    }
    return { completed, failed, service: service / completed, processing: processing / completed };
  };
  const edge = sum('edge');
  const cloud = sum('cloud');
  return {
    failedAll: (edge.failed + cloud.failed) / (edge.completed + edge.failed + cloud.completed + cloud.failed),
    failedEdge: edge.failed / (edge.completed + edge.failed),
    failedCloud: cloud.failed / (cloud.completed + cloud.failed),
    edgeProcessing: edge.processing,
    cloudProcessing: cloud.processing,
    edgeService: edge.service,
  };
}

/** Runs the mirror once per seed 1…n (with `--set` overrides) and returns each figure's estimate and every run's figures. */
export function measureApp1(
  seeds: number,
  overrides: readonly string[] = [],
  file = APP1,
): { estimates: Record<App1Figure, Estimate>; runs: Record<App1Figure, number>[]; tables: RunTables[] } {
  const loaded = loadScenario(file, overrides);
  const catalog = loadCatalog();
  const tables: RunTables[] = [];
  for (let seed = 1; seed <= seeds; seed++) tables.push(summarize(simulate(buildWorldSpec(loaded, catalog, seed)), { scenario: loaded.scenario.name, seed }));
  const runs = tables.map(app1Figures);
  const estimates = Object.fromEntries(
    (Object.keys(ECS_MEASURED) as App1Figure[]).map((f) => [f, confidenceInterval(runs.map((r) => r[f]))]),
  ) as Record<App1Figure, Estimate>;
  return { estimates, runs, tables };
}

function main(): void {
  const usage = 'usage: npx tsx bench/edgecloudsim.ts [--seeds N] [--variant mirror|as-coded|both] [--scenario FILE] [--set path=value …] [--json]   (N ≥ 2, default 5; both variants by default)';
  const a = benchFlags('bench/edgecloudsim.ts', usage, ['--seeds', '--variant', '--scenario', '--set'], ['--json'], ['--set']);
  // Two seeds at least: a confidence interval needs two runs.
  const seeds = a.whole('--seeds', 2) ?? 5;
  const json = a.has('--json');
  const overrides = a.all('--set');
  const variant = a.oneOf('--variant', Object.keys(VARIANTS) as (keyof typeof VARIANTS)[]);
  const scenario = a.given.get('--scenario');
  if (variant !== undefined && scenario !== undefined) a.fail('give --variant or --scenario, not both');
  const files: readonly string[] = scenario !== undefined ? [scenario] : VARIANTS[variant ?? 'both'];
  const results = files.map((file) => ({ file, ...measureApp1(seeds, overrides, file) }));
  if (json) {
    const variants = results.map(({ file, estimates, runs }) => ({ scenario: file, estimates, runs }));
    process.stdout.write(`${JSON.stringify({ seeds, overrides, variants, measured: ECS_MEASURED }, null, 2)}\n`);
    return;
  }
  results.forEach(({ file, estimates, runs, tables }, v) => {
    if (v > 0) console.log('');
    report(file, seeds, overrides, estimates, runs, tables);
  });
}

/** One variant's table: each figure's mean [95 % CI] against EdgeCloudSim's, then the drop reasons. */
function report(file: string, seeds: number, overrides: readonly string[], estimates: Record<App1Figure, Estimate>, runs: Record<App1Figure, number>[], tables: RunTables[]): void {
  const pct = (f: App1Figure) => f.startsWith('failed');
  const fmt = (f: App1Figure, v: number) => (pct(f) ? `${(100 * v).toFixed(2)} %` : `${v.toFixed(3)} s`);
  const label = file === APP1_AS_CODED ? " with EdgeCloudSim's network model AS CODED" : file === APP1 ? ' (real links)' : '';
  console.log(`EdgeCloudSim sample_app1 mirror${label} (${file}), seeds 1…${seeds}${overrides.length ? `, --set ${overrides.join(' ')}` : ''}`);
  console.log('figure            edelear mean [95 % CI]                 EdgeCloudSim v4.0   gap');
  for (const f of Object.keys(ECS_MEASURED) as App1Figure[]) {
    const e = estimates[f];
    const gap = (e.mean / ECS_MEASURED[f] - 1) * 100;
    console.log(`${f.padEnd(17)} ${fmt(f, e.mean).padStart(10)} [${fmt(f, e.low)}, ${fmt(f, e.high)}]`.padEnd(56) + `${fmt(f, ECS_MEASURED[f]).padStart(10)}   ${gap >= 0 ? '+' : ''}${gap.toFixed(1)} %`);
  }
  // Why tasks failed, per tier, summed over the seeds (requests.csv's drop columns).
  for (const tier of ['edge', 'cloud']) {
    const reasons = new Map<string, number>();
    for (const t of tables) {
      for (const row of t.requests) {
        if (typeof row.workload !== 'string' || !row.workload.endsWith(`-${tier}`)) continue;
        for (const [k, v] of Object.entries(row)) if (k.startsWith('dropped_') && Number(v) > 0) reasons.set(k, (reasons.get(k) ?? 0) + Number(v));
      }
    }
    console.log(`${tier} drops over the ${seeds} runs: ${[...reasons].map(([k, v]) => `${k.slice(8)} ${v}`).join(', ') || 'none'}`);
  }
  console.log(`per run: ${runs.map((r) => `${(100 * r.failedAll).toFixed(1)} %`).join(', ')} failed of all`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
