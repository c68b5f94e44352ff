import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunResult, simulate } from '../metrics/simulate.ts';
import { summarize } from '../metrics/summary.ts';
import { claimsChart, compressionChart, flAccuracyChart, latencyCdfChart, nodeChart } from '../report/charts.ts';
import { writeRows, writeStream } from '../report/csv.ts';
import type { NamedChart } from '../report/render.ts';
import { gitCommit, type Manifest, scenarioHash, versions } from '../report/manifest.ts';
import { buildWorldSpec } from '../scenario/build.ts';
import { loadCatalog } from '../scenario/catalog.ts';
import { buildLearningPlan, partitionLabel } from '../scenario/learning.ts';
import { loadScenario } from '../scenario/load.ts';
import type { FederatedOutcome } from './federated.ts';
import { count, joules, percent, seconds, table } from './format.ts';
import { warnOverload } from './warnings.ts';

/** Options of `edelear run`. */
export interface RunCommandOptions {
  readonly seed?: number;
  readonly set: readonly string[];
  readonly out?: string;
  readonly trace: boolean;
  readonly quiet: boolean;
  /** Write Vega-Lite charts (.vl.json, .svg, .png) beside the CSV files. */
  readonly charts: boolean;
}

/** Exit code of a run stopped before its end (requests in flight past limits.requestsInFlight). */
export const EXIT_INCOMPLETE = 3;

/** Writes one line to the console. */
const log = (s = ''): void => {
  process.stdout.write(`${s}\n`);
};

const TRACE_COLUMNS = ['request', 'workload', 'device', 'node', 'born_s', 'end_s', 'outcome', 'latency_s', 'node_wait_s', 'link_wait_s', 'transfer_s', 'compute_s', 'energy_J', 'input_key'];

/** `edelear run FILE`: simulates a scenario and writes its CSV files and manifest. */
export async function runCommand(file: string, options: RunCommandOptions): Promise<void> {
  const t0 = performance.now();
  const loaded = loadScenario(file, options.set);
  const spec = buildWorldSpec(loaded, loadCatalog(), options.seed);
  const plan = buildLearningPlan(loaded, spec);
  const buildSeconds = (performance.now() - t0) / 1000;
  warnOverload(spec);
  const scenario = loaded.scenario;
  let result: RunResult;
  let outcomes: FederatedOutcome[] = [];
  let compressions: FederatedOutcome[] = [];
  // Learning and chart rendering are loaded only when a run uses them (start-up time).
  const fed = plan ? await import('./federated.ts') : undefined;
  if (plan && fed) {
    // The scenario's own split drives the main run; each further split is a run of its own.
    const splits = [plan.partition, ...plan.compare.filter((p) => partitionLabel(p) !== partitionLabel(plan.partition))];
    outcomes = splits.map((split, i) => fed.runFederatedScenario(spec, plan, split, { trace: i === 0 && options.trace }));
    result = outcomes[0].result;
    compressions = plan.compareCompression.map((compression) => fed.runFederatedScenario(spec, plan, plan.partition, { compression, baselines: false }));
  } else {
    result = simulate(spec, { trace: options.trace });
  }
  const tables = summarize(result, { scenario: scenario.name, seed: spec.seed });
  const out = options.out ?? join('results', scenario.name);
  mkdirSync(out, { recursive: true });
  const files = ['requests.csv', 'latency.csv', 'nodes.csv', 'links.csv', 'run.csv'];
  writeRows(join(out, 'requests.csv'), tables.requests);
  writeRows(join(out, 'latency.csv'), tables.latency);
  writeRows(join(out, 'nodes.csv'), tables.nodes);
  writeRows(join(out, 'links.csv'), tables.links);
  writeRows(join(out, 'run.csv'), tables.run);
  if (fed && outcomes.length > 0) {
    const label = { scenario: scenario.name, seed: spec.seed };
    writeRows(join(out, 'fl_rounds.csv'), fed.roundRows(label.scenario, label.seed, outcomes));
    writeRows(join(out, 'fl_energy.csv'), fed.energyRows(label.scenario, label.seed, outcomes));
    writeRows(join(out, 'fl_baselines.csv'), fed.baselineRows(label.scenario, label.seed, outcomes));
    writeRows(join(out, 'claims.csv'), fed.claimRows(label.scenario, label.seed, outcomes));
    files.push('fl_rounds.csv', 'fl_energy.csv', 'fl_baselines.csv', 'claims.csv');
  }
  if (fed && compressions.length > 0) {
    writeRows(join(out, 'fl_compression.csv'), fed.compressionRows(scenario.name, spec.seed, compressions));
    files.push('fl_compression.csv');
  }
  if (options.charts) {
    const charts: NamedChart[] = [{ name: 'nodes', spec: nodeChart(tables.nodes) }];
    if (tables.latency.length > 0) charts.unshift({ name: 'latency', spec: latencyCdfChart(tables.latency) });
    if (fed && outcomes.length > 0) {
      charts.push({ name: 'fl_accuracy', spec: flAccuracyChart(fed.roundRows(scenario.name, spec.seed, outcomes)) });
      charts.push({ name: 'claims', spec: claimsChart(fed.claimRows(scenario.name, spec.seed, outcomes)) });
    }
    if (fed && compressions.length > 0) charts.push({ name: 'fl_compression', spec: compressionChart(fed.compressionRows(scenario.name, spec.seed, compressions)) });
    const { writeCharts } = await import('../report/render.ts');
    files.push(...(await writeCharts(out, charts)));
  }
  if (result.metrics.trace) {
    await writeStream(join(out, 'trace.csv'), TRACE_COLUMNS, result.metrics.trace);
    files.push('trace.csv');
  }
  const { version, dependencies } = versions();
  const manifest: Manifest = {
    tool: 'edelear',
    version,
    gitCommit: gitCommit(),
    scenario: { file, sha256: scenarioHash(loaded.text, options.set), overrides: options.set },
    seed: spec.seed,
    node: process.version,
    dependencies,
    buildSeconds,
    wallSeconds: result.wallSeconds,
    eventsProcessed: result.world.sim.eventsProcessed,
    requestsPerWallSecond: result.world.generatedCount / result.wallSeconds,
    files: [...files, 'manifest.json'],
    ...(result.world.stopped === undefined ? {} : { incomplete: result.world.stopped }),
  };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  if (!options.quiet) {
    printSummary(result, tables, out, file, files);
    if (outcomes.length > 0) printLearning(outcomes, plan!.federated.rounds);
    if (fed && compressions.length > 0) printCompression(fed, compressions);
  }
  if (result.world.stopped !== undefined) {
    process.stderr.write(`error: the run stopped early: ${result.world.stopped}\n  results up to then are written to ${out}/ and marked incomplete (run.csv complete = no, manifest.json incomplete)\n`);
    process.exitCode = EXIT_INCOMPLETE;
  }
}

function printLearning(outcomes: readonly FederatedOutcome[], rounds: number): void {
  log();
  log('  federated learning (real training on MNIST; accuracy on the held-out digits):');
  log(
    table(
      ['split', 'rounds', 'sim time', 'federated', 'local-only mean', 'local-only worst', 'centralized', '+5 points over local-only?'],
      outcomes.map((o) => {
        const last = o.rounds[o.rounds.length - 1];
        const margin = o.accuracy - o.localOnly.mean;
        return [
          o.split,
          `${o.rounds.length}/${rounds}`,
          last ? seconds(last.end_s) : '–',
          percent(o.accuracy),
          percent(o.localOnly.mean),
          percent(o.localOnly.worst),
          percent(o.centralized),
          Number.isFinite(margin) ? `${margin >= 0.05 ? 'holds' : 'does not hold'} (${margin >= 0 ? '+' : ''}${(margin * 100).toFixed(1)} points)` : '–',
        ];
      }),
    ),
  );
}

function printCompression(fed: typeof import('./federated.ts'), outcomes: readonly FederatedOutcome[]): void {
  log();
  log(`  update compression on the ${outcomes[0].split} split (accuracy change against ${outcomes[0].compression}):`);
  log(
    table(
      ['compression', 'accuracy', 'change', 'uploaded', 'mean round', 'updates used'],
      fed.compressionRows('', 0, outcomes).map((r) => [
        String(r.compression),
        percent(Number(r.final_accuracy)),
        `${Number(r.accuracy_change_points) >= 0 ? '+' : ''}${(Number(r.accuracy_change_points) * 100).toFixed(1)} points`,
        `${(Number(r.bytes_up_total) / 1e6).toFixed(1)} MB`,
        seconds(Number(r.round_time_mean_s)),
        String(r.client_updates_used),
      ]),
    ),
  );
}

function printSummary(result: RunResult, tables: ReturnType<typeof summarize>, out: string, file: string, files: readonly string[]): void {
  const { world } = result;
  const spec = world.spec;
  const run = tables.run[0];
  log(`edelear run ${file} (seed ${spec.seed})`);
  log(
    `  ${seconds(world.end)} simulated${world.stopped === undefined ? '' : ` of ${seconds(spec.duration)} (stopped early)`}${spec.warmup > 0 ? ` (statistics after ${seconds(spec.warmup)} of warm-up)` : ''}: ` +
      `${count(world.generatedCount)} requests generated, ${count(world.completedCount)} completed, ` +
      `${count(world.droppedCount)} dropped, ${count(world.inFlight)} in flight — conservation ${run.conservation_holds === 'yes' ? 'holds' : 'BROKEN'}`,
  );
  log();
  if (spec.workloads.length === 0) log('  no inference workloads');
  else log(
    table(
      ['workload', 'completed', 'throughput', 'mean', 'p50', 'p95', 'p99', 'deadline met (of generated)', 'energy/generated'],
      tables.requests.map((r) => [
        String(r.workload),
        count(Number(r.completed)),
        `${Number(r.throughput_per_s).toFixed(1)}/s`,
        seconds(Number(r.latency_mean_s)),
        seconds(Number(r.latency_p50_s)),
        seconds(Number(r.latency_p95_s)),
        seconds(Number(r.latency_p99_s)),
        percent(Number(r.deadline_met_of_generated)),
        joules(Number(r.energy_per_generated_J)),
      ]),
    ),
  );
  log();
  const busiest = [...tables.nodes].sort((a, b) => Number(b.energy_J) - Number(a.energy_J));
  const shown = tables.nodes.length > 12 ? busiest.slice(0, 12) : tables.nodes;
  log(
    table(
      ['node', 'kind', 'served', 'utilization', 'mean queue', 'energy', 'mean power'],
      shown.map((n) => [
        String(n.node),
        String(n.kind),
        count(Number(n.served)),
        percent(Number(n.utilization)),
        Number(n.queue_length_mean).toFixed(2),
        joules(Number(n.energy_J)),
        `${Number(n.power_mean_W).toFixed(2)} W`,
      ]),
    ),
  );
  if (shown.length < tables.nodes.length) log(`  … the ${shown.length} using most energy shown; ${tables.nodes.length - shown.length} more nodes in nodes.csv`);
  log();
  log(`  ${count(world.sim.eventsProcessed)} events in ${result.wallSeconds.toFixed(2)} s wall (${count(world.generatedCount / result.wallSeconds)} requests/s)`);
  log(`  results: ${out}/ (${[...files, 'manifest.json'].join(', ')})`);
}
