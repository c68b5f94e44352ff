import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PROGRESS_STEPS, type RunResult, simulate } from '../metrics/simulate.ts';
import { compressionRows, summarize } from '../metrics/summary.ts';
import { BATCH_SIZE_COLUMNS, BATCHING_COLUMNS, batchingRows, batchSizeRows } from '../report/batches.ts';
import { CACHE_COLUMNS, cacheRows, cacheSummaryLine } from '../report/caches.ts';
import { MOBILITY_COLUMNS, mobilityRows } from '../report/mobility.ts';
import { PARTITIONING_COLUMNS, partitioningRows } from '../report/partitioning.ts';
import { latencyCdfChart, nodeChart } from '../report/charts.ts';
import { writeRows, writeStream } from '../report/csv.ts';
import { UTILIZATION_COLUMNS, UTILIZATION_MAX_NODES, utilizationOverTimeChart, UtilizationSampler } from '../report/utilization.ts';
import type { NamedChart } from '../report/render.ts';
import { gitCommit, type Manifest, type PhaseSeconds, scenarioIdentity, versions } from '../report/manifest.ts';
import { buildWorldSpec } from '../scenario/build.ts';
import { loadCatalog } from '../scenario/catalog.ts';
import { InputError, ioReason } from '../scenario/errors.ts';
import { buildLearningPlan } from '../scenario/learning.ts';
import { loadScenario } from '../scenario/load.ts';
import { replicationSeeds } from '../scenario/seeds.ts';
import { ResultCaches } from '../world/caches.ts';
import type { WorldSpec } from '../world/world.ts';
import { count, counted, fixed, joules, percent, seconds, table } from './format.ts';
import { startProgress } from './progress.ts';
import { writeWarnings } from '../report/warnings-file.ts';
import { Warnings, afterRunNotes, afterRunWarnings, warnScenario } from './warnings.ts';
import { StagedResults } from './results-folder.ts';
import { prepareSolvers } from './solvers.ts';

/** Options of `edelear run`. */
export interface RunCommandOptions {
  readonly seed?: number;
  readonly set: readonly string[];
  readonly out?: string;
  readonly trace: boolean;
  readonly quiet: boolean;
  /** Write Vega-Lite charts (.vl.json, .svg, .png) beside the CSV files. */
  readonly charts: boolean;
  /** Warnings are errors (exit 2): an implausible bare number or an overloaded node stops the run before it starts. */
  readonly strict: boolean;
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
  const commit = gitCommit(); // git works beside the run
  const loaded = loadScenario(file, options.set);
  const tLoaded = performance.now();
  await prepareSolvers(loaded.scenario); // the LP solver the build needs (HiGHS: ≈ 0.25 s to load), counted in its phase
  const spec = buildWorldSpec(loaded, loadCatalog(), options.seed);
  const plan = buildLearningPlan(loaded, spec);
  const tBuilt = performance.now();
  const buildSeconds = (tBuilt - t0) / 1000;
  const warnings = new Warnings(file, options.strict);
  warnScenario(loaded, spec, warnings);
  for (const w of plan?.warnings ?? []) warnings.warn(w);
  warnings.settle();
  const tChecked = performance.now();
  const scenario = loaded.scenario;
  // The folder is made before the run, so a bad --out fails at once, not after a long run.
  const out = options.out ?? join('results', scenario.name);
  makeOutputFolder(out);
  // Learning and chart rendering are loaded only when a run uses them (start-up time).
  const fed = plan ? await import('./federated.ts') : undefined;
  // A learning scenario is a study of many runs (splits × compressions × seeds): its tables hold
  // every run (split, compression and seed columns); the console's world tables show its first run.
  const study = plan && fed ? runStudy(fed, loaded, spec, plan, options) : undefined;
  // Utilization over time per node (utilization.csv) of a single run of a small world.
  const sampler = study || spec.nodes.length > UTILIZATION_MAX_NODES ? undefined : new UtilizationSampler(PROGRESS_STEPS);
  const result: RunResult = study ? study.main.result : simulateShowingProgress(spec, options, sampler);
  const tRun = performance.now();
  const tables = study ? study.tables : summarize(result, { scenario: scenario.name, seed: spec.seed });
  const tSummarized = performance.now();
  // Written into a folder of their own, moved into `out` when all are written (a failed write leaves the previous results).
  const staged = new StagedResults(out);
  const dir = staged.dir;
  try {
    const files = ['requests.csv', 'latency.csv', 'nodes.csv', 'links.csv', 'run.csv'];
    for (const name of ['requests', 'latency', 'nodes', 'links', 'run'] as const) writeRows(join(dir, `${name}.csv`), tables[name], tables.columns[name]);
    const utilization = sampler?.finish({ scenario: scenario.name, seed: spec.seed });
    if (utilization) {
      writeRows(join(dir, 'utilization.csv'), utilization, UTILIZATION_COLUMNS);
      files.push('utilization.csv');
    }
    // The variants a compression policy chose (the world spec's, the same in every run of a study).
    const compression = study ? compressionRows(spec.workloads, { scenario: scenario.name, seed: spec.seed }) : tables.compression;
    if (compression) {
      writeRows(join(dir, 'compression.csv'), compression.rows, compression.columns);
      files.push('compression.csv');
    }
    // Dynamic batching: what each batching node formed (a single run; a learning study's runs are not covered).
    const batchCounts = study ? [] : result.world.batchCounts();
    if (batchCounts.length > 0) {
      const labels = { scenario: scenario.name, seed: spec.seed };
      writeRows(join(dir, 'batching.csv'), batchingRows(batchCounts, spec.nodes, labels), BATCHING_COLUMNS);
      writeRows(join(dir, 'batch_sizes.csv'), batchSizeRows(batchCounts, spec.nodes, labels), BATCH_SIZE_COLUMNS);
      files.push('batching.csv', 'batch_sizes.csv');
    }
    // Result caches: what each cache measured (a single run; a learning study's runs are not covered).
    const cacheStats = study || !(result.world.spec.cache instanceof ResultCaches) ? [] : result.world.spec.cache.stats();
    if (cacheStats.length > 0) {
      writeRows(join(dir, 'caches.csv'), cacheRows(cacheStats, spec.nodes, { scenario: scenario.name, seed: spec.seed }), CACHE_COLUMNS);
      files.push('caches.csv');
    }
    // Model partitioning: the splits per workload × server (a single run; a learning study's runs are not covered).
    const part = study ? undefined : result.world.partitioning;
    if (part) {
      writeRows(join(dir, 'partitioning.csv'), partitioningRows(part, spec.workloads, spec.placement.candidates, spec.nodes, { scenario: scenario.name, seed: spec.seed }), PARTITIONING_COLUMNS);
      files.push('partitioning.csv');
    }
    // Mobility: device-time per place and the moves made (a single run; a learning study's runs are not covered).
    const mobility = study ? undefined : result.world.mobility;
    if (mobility) {
      writeRows(join(dir, 'mobility.csv'), mobilityRows(mobility, spec.nodes, { scenario: scenario.name, seed: spec.seed }), MOBILITY_COLUMNS);
      files.push('mobility.csv');
    }
    if (fed && study) files.push(...fed.writeFederatedFiles(dir, study));
    if (options.charts) {
      const charts: NamedChart[] = fed && study ? fed.federatedCharts(study) : [{ name: 'nodes', spec: nodeChart(tables.nodes) }];
      if (!study && tables.latency.length > 0) charts.unshift({ name: 'latency', spec: latencyCdfChart(tables.latency) });
      if (utilization && utilization.length > 0) charts.push({ name: 'utilization', spec: utilizationOverTimeChart(utilization) });
      const { writeCharts } = await import('../report/render.ts');
      files.push(...(await writeCharts(dir, charts)));
    }
    const trace = study ? study.trace : result.metrics.trace && { columns: TRACE_COLUMNS, rows: result.metrics.trace };
    if (trace) {
      writeStream(join(dir, 'trace.csv'), trace.columns, trace.rows);
      files.push('trace.csv');
    }
    const stopped = study ? study.stopped : result.world.stopped;
    // What the runs met (every run of a study), before anything is published: under --strict a
    // warning is an error (exit 2), and a failed command leaves the previous results whole — unless
    // the run stopped early, which is said first (exit 3, results written and marked incomplete).
    for (const message of (study ? study.warnings : afterRunWarnings(result, file)).values()) warnings.warn(message);
    for (const message of (study ? study.notes : afterRunNotes(result)).values()) warnings.note(message);
    if (stopped === undefined) {
      if (warnings.pendingCount > 0) process.stderr.write(`note: under --strict the run's results are not written (${out}/ is left as it was)\n`);
      warnings.settle();
    }
    files.push(...writeWarnings(dir, warnings.said)); // every warning of the command, before and after the run
    const tWritten = performance.now();
    const s = (ms: number) => ms / 1000;
    const phaseSeconds: PhaseSeconds | undefined = study
      ? undefined
      : {
          startup: s(t0),
          load: s(tLoaded - t0),
          build: s(tBuilt - tLoaded),
          checks: s(tChecked - tBuilt),
          world: result.worldSeconds,
          loop: result.wallSeconds,
          summaries: s(tSummarized - tRun),
          files: s(tWritten - tSummarized),
        };
    // Training runs inside the event loop's handlers: the loop's own time is reported without it.
    const timing = {
      // performance.now() counts from the process's start: start-up and imports are in it too.
      wallSeconds: performance.now() / 1000,
      simulationSeconds: study ? study.simulationSeconds : result.wallSeconds,
      trainingSeconds: study ? study.trainingSeconds : 0,
      runs: study ? study.runs : 1,
      events: study ? study.events : result.world.sim.eventsProcessed,
      generated: study ? study.generated : result.world.generatedCount,
    };
    const { version, dependencies } = versions();
    const manifest: Manifest = {
      tool: 'edelear',
      version,
      gitCommit: await commit,
      scenario: scenarioIdentity(file, loaded.text, options.set),
      seed: spec.seed,
      ...(study ? { seeds: study.seeds } : {}),
      node: process.version,
      dependencies,
      buildSeconds,
      wallSeconds: timing.wallSeconds,
      simulationSeconds: timing.simulationSeconds,
      trainingSeconds: timing.trainingSeconds,
      runs: timing.runs,
      eventsProcessed: timing.events,
      requestsPerSimulationSecond: timing.generated / timing.simulationSeconds,
      files: [...files, 'manifest.json'],
      ...(phaseSeconds === undefined ? {} : { phaseSeconds }),
      ...(stopped === undefined ? {} : { incomplete: stopped }),
    };
    const note = staged.publish(files, `${JSON.stringify(manifest, null, 2)}\n`);
    if (note !== undefined && !options.quiet) process.stderr.write(`note: ${note}\n`);
    if (!options.quiet) {
      printSummary(result, study ? study.main.tables : tables, out, file, files, timing, study && `  world figures below: the first of ${study.runs} runs (${study.main.label}); every run is in requests, latency, nodes, links and run.csv (columns split, compression, seed)`);
      if (fed && study) for (const line of fed.studyReport(study, plan!.federated.rounds)) log(line);
      if (cacheStats.length > 0) log(cacheSummaryLine(cacheStats));
    }
    if (stopped !== undefined) {
      process.stderr.write(`error: the run stopped early: ${stopped}\n  results up to then are written to ${out}/ and marked incomplete (run.csv complete = no, manifest.json incomplete)\n`);
      process.exitCode = EXIT_INCOMPLETE;
      warnings.release(); // under --strict, what the truncated run warned of, as warnings: the stop is the error
    }
  } finally {
    staged.discard(); // what a failure left (nothing, once published)
  }
}

/** A federated study, with its progress (learning rounds over all its runs) on standard error. */
function runStudy(
  fed: typeof import('./federated.ts'),
  loaded: ReturnType<typeof loadScenario>,
  spec: WorldSpec,
  plan: NonNullable<ReturnType<typeof buildLearningPlan>>,
  options: RunCommandOptions,
): ReturnType<typeof fed.runFederatedStudy> {
  let progress: ReturnType<typeof startProgress> | undefined;
  // Seeds seed … seed + replications − 1: each must be exact (an InputError, exit 2, before any training).
  replicationSeeds(spec.seed, plan.replications, { file: loaded.file, path: 'seed', line: loaded.locate(['seed']), what: 'the seed' });
  try {
    return fed.runFederatedStudy(spec, (seed) => buildWorldSpec(loaded, loadCatalog(), seed), plan, {
      scenario: loaded.scenario.name,
      trace: options.trace,
      traceColumns: TRACE_COLUMNS,
      onProgress: (done, total, label) => {
        progress ??= startProgress({ label: 'federated study', total, unit: 'rounds', quiet: options.quiet });
        progress.update(done, label);
      },
    });
  } finally {
    progress?.stop();
  }
}

/**
 * Simulates with progress on standard error (simulated time) when the run takes more than a
 * moment, and the utilization sampler told the time between the run's slices.
 */
function simulateShowingProgress(spec: WorldSpec, options: RunCommandOptions, sampler?: UtilizationSampler): RunResult {
  const progress = startProgress({ label: 'simulating', total: spec.duration, unit: 's', quiet: options.quiet });
  try {
    // Under --quiet the world is not told about progress; slices of the run (for the sampler) add no
    // events and keep their order, so the run is the bare run.
    const tell = options.quiet ? undefined : (now: number) => progress.update(now);
    if (!sampler) return simulate(spec, { trace: options.trace, progress: tell });
    return simulate(spec, {
      trace: options.trace,
      attach: (world) => sampler.attach(world),
      progress: (now) => {
        sampler.progress(now);
        tell?.(now);
      },
    });
  } finally {
    progress.stop();
  }
}

/**
 * Makes the output folder and its missing parents one level at a time, so that a path through a
 * file, or under a folder where nothing can be made, is refused at once (exit 2). Node 20's
 * recursive mkdir never returns for some of these (`/proc/x`).
 */
export function makeOutputFolder(out: string): void {
  const bad = (message: string) => new InputError(`--out ${out}`, [{ path: '', message }]);
  if (out.trim() === '') throw bad('expected a folder for the results, got an empty path');
  const missing: string[] = [];
  let dir = resolve(out);
  for (;;) {
    let isFolder: boolean;
    try {
      isFolder = statSync(dir).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw bad(`cannot look at ${dir} (${ioReason(e)}); expected a folder for the results`);
      missing.push(dir);
      if (dirname(dir) === dir) break;
      dir = dirname(dir);
      continue;
    }
    if (!isFolder) throw bad(`${dir === resolve(out) ? out : dir} is a file, not a directory; expected a folder for the results (or a path where one can be made)`);
    break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      // ENOENT on a parent that exists: a file system that makes no folders (/proc, /sys).
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'ENOENT: the file system makes no folders there' : ioReason(e);
      throw bad(`cannot make the folder ${d} (${reason}); expected a folder for the results, or a path where one can be made`);
    }
  }
}

/** Wall time of the command and its parts (see Manifest), and what the event loops did. */
interface Timing {
  readonly wallSeconds: number;
  readonly simulationSeconds: number;
  readonly trainingSeconds: number;
  readonly runs: number;
  readonly events: number;
  readonly generated: number;
}

function printSummary(result: RunResult, tables: ReturnType<typeof summarize>, out: string, file: string, files: readonly string[], timing: Timing, note?: string): void {
  const { world } = result;
  const spec = world.spec;
  const run = tables.run[0];
  log(`edelear run ${file} (seed ${spec.seed})`);
  if (note) log(note);
  log(
    `  ${seconds(world.end)} simulated${world.stopped === undefined ? '' : ` of ${seconds(spec.duration)} (stopped early)`}${spec.warmup > 0 ? ` (statistics after ${seconds(spec.warmup)} of warm-up)` : ''}: ` +
      `${count(world.generatedCount)} requests generated, ${count(world.completedCount)} completed, ` +
      `${count(world.droppedCount)} dropped, ${count(world.inFlight)} in flight — conservation ${run.conservation_holds === 'yes' ? 'holds' : 'BROKEN'}`,
  );
  log();
  // A workload without a deadline meets it with every completion: its share says nothing of deadlines ("–").
  const withDeadline = new Set(spec.workloads.filter((w) => Number.isFinite(w.deadline)).map((w) => w.name));
  const hasDeadline = (workload: string) => (workload === '(all)' ? withDeadline.size > 0 : withDeadline.has(workload));
  if (spec.workloads.length === 0) log('  no inference workloads');
  else log(
    table(
      ['workload', 'completed', 'throughput', 'mean', 'p50', 'p95', 'p99', 'deadline met (of generated)', 'energy/generated'],
      tables.requests.map((r) => [
        String(r.workload),
        count(Number(r.completed)),
        fixed(Number(r.throughput_per_s), 1, '/s'),
        seconds(Number(r.latency_mean_s)),
        seconds(Number(r.latency_p50_s)),
        seconds(Number(r.latency_p95_s)),
        seconds(Number(r.latency_p99_s)),
        hasDeadline(String(r.workload)) ? percent(Number(r.deadline_met_of_generated)) : '–',
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
        percent(Number(n.utilization_ratio)),
        fixed(Number(n.queue_length_mean), 2),
        joules(Number(n.energy_J)),
        fixed(Number(n.power_mean_W), 2, ' W'),
      ]),
    ),
  );
  if (shown.length < tables.nodes.length) log(`  … the ${shown.length} using most energy shown; ${counted(tables.nodes.length - shown.length, 'more node')} in nodes.csv`);
  log();
  const runs = timing.runs === 1 ? '' : ` over ${timing.runs} runs`;
  const training = timing.trainingSeconds > 0 ? `, ${timing.trainingSeconds.toFixed(2)} s training` : '';
  log(
    `  ${count(timing.events)} events${runs} in ${timing.simulationSeconds.toFixed(2)} s of simulation (${timing.generated > 0 ? `${count(timing.generated / timing.simulationSeconds)} requests/s` : `no requests: ${count(timing.events / timing.simulationSeconds)} events/s`})${training}; ${timing.wallSeconds.toFixed(2)} s wall in all`,
  );
  log(`  results: ${out}/ (${[...files, 'manifest.json'].join(', ')})`);
}
