import { join } from 'node:path';
import type { StudyTraining } from '../learning/compression-study.ts';
import { compareArm, runFigures } from '../metrics/compare.ts';
import { simulate } from '../metrics/simulate.ts';
import { summarize } from '../metrics/summary.ts';
import { type ArmRun, COMPARE_COLUMNS, COMPARE_RUN_COLUMNS, type Comparison, compareChart, compareRows, compareRunRows } from '../report/compare.ts';
import { COMPARE_LATENCY_COLUMNS, compareLatencyRows } from '../report/compare-charts.ts';
import { writeRows } from '../report/csv.ts';
import { gitCommit, type Manifest, scenarioIdentity, versions } from '../report/manifest.ts';
import { buildWorldSpec } from '../scenario/build.ts';
import { type Catalog, loadCatalog } from '../scenario/catalog.ts';
import { replicationSeeds } from '../scenario/seeds.ts';
import { type Arm, defaultArms, EDELEAR_ARM, selectArms, type SkippedArm } from '../scenario/compare-arms.ts';
import { InputError } from '../scenario/errors.ts';
import { type LoadedScenario, loadScenario } from '../scenario/load.ts';
import { comparisonReport } from './compare-table.ts';
import { startProgress } from './progress.ts';
import { EXIT_INCOMPLETE, makeOutputFolder } from './run.ts';
import { StagedResults } from './results-folder.ts';
import { writeWarnings } from '../report/warnings-file.ts';
import { CollectedWarnings, Warnings, afterRunNotes, afterRunWarnings, warnScenario } from './warnings.ts';
import { prepareSolvers } from './solvers.ts';
import type { RunObserver } from './paper.ts';
import type { World } from '../world/world.ts';

/*
 * `edelear compare FILE` runs EDeLeaR (the scenario as written), its baselines and its ablations
 * (scenario/compare-arms.ts) on the same seeds — seed, seed + 1, …, seed + R − 1 — through the
 * pipeline `run` uses (loadScenario with the arm's overrides → buildWorldSpec → simulate →
 * summarize). Random streams are derived per name from the seed, so on one seed every arm sees
 * the same arrivals, inputs and compute times (common random numbers) and the arms' differences
 * are paired by seed (metrics/compare.ts). An arm whose overrides do not validate, or do not build,
 * is reported with its error and skipped; an arm whose validated scenario is EDeLeaR's is skipped,
 * and one equal to an earlier arm reuses that arm's runs. Writes compare.csv (per arm × metric),
 * compare_runs.csv (per arm × seed), compare_latency.csv (per arm × quantile, over all seeds), the charts and manifest.json, and — when the
 * scenario uses EDeLeaR's own policies — the paper's tables and claims (cli/paper.ts).
 */

/** Options of `edelear compare`. */
export interface CompareCommandOptions {
  readonly seed?: number;
  readonly set: readonly string[];
  readonly out?: string;
  readonly replications: number;
  /** Arm names to run (EDeLeaR always runs); all when absent. */
  readonly arms?: readonly string[];
  readonly quiet: boolean;
  readonly strict: boolean;
  readonly charts: boolean;
  /** Write the paper's tables and claims when the scenario uses EDeLeaR's own policies (cli/paper.ts; default true: `--no-paper-tables` turns them off). */
  readonly paperTables?: boolean;
  /** Training of the measured compression study behind claim 1 (tests shorten it; default cli/paper.ts STUDY_TRAINING). */
  readonly study?: StudyTraining;
}

/** Options of {@link runComparison}. */
export interface ComparisonOptions {
  /** `--set` overrides, applied to every arm before its own. */
  readonly set: readonly string[];
  /** The first seed (default: the scenario's). */
  readonly seed?: number;
  readonly replications: number;
  /** An arm with warnings (an overloaded node under its policy) is skipped instead of run. */
  readonly strict: boolean;
  /** Arms were named (`--arms`): refuse, before any run, when every one named is the reference's configuration (nothing would be compared). */
  readonly named?: boolean;
  /**
   * Told each warning about an arm other than the reference (the reference's are the command's),
   * and what the lp offloading programs of any arm's runs warned of, each once per arm with the
   * number of seeds it happened on.
   */
  readonly warn?: (arm: string, message: string) => void;
  /** Told what an arm's runs met inside the warm-up (cli/warnings.ts `afterRunNotes`: never errors), each once per arm with the number of seeds it happened on. */
  readonly note?: (arm: string, message: string) => void;
  /** Told the simulated seconds done of all runs' total, and the run under way. */
  readonly progress?: (done: number, total: number, detail: string) => void;
  readonly catalog?: Catalog;
  /** An observer of each run an arm makes on a seed (it attaches to the world before the run and is given the run and its tables after). */
  readonly observe?: (arm: Arm, seed: number) => RunObserver | undefined;
}

/** An arm ready to run: its scenario, and its configuration's identity. */
interface PreparedArm {
  readonly arm: Arm;
  readonly loaded: LoadedScenario;
  readonly key: string;
}


/** A validated scenario as text with its keys sorted: two arms with the same key are the same configuration. */
function configurationKey(loaded: LoadedScenario): string {
  return JSON.stringify(loaded.scenario, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/**
 * Runs every arm on `replications` seeds and compares each with the first arm, the reference
 * (EDeLeaR). The reference must load and build (its problems are thrown as they are); another
 * arm that does not is skipped with its error.
 */
export function runComparison(file: string, arms: readonly Arm[], options: ComparisonOptions): Comparison {
  if (arms.length === 0) throw new Error('a comparison needs at least its reference arm');
  const catalog = options.catalog ?? loadCatalog();
  let buildMs = 0;
  const build = (loaded: LoadedScenario, seed: number | undefined) => {
    const t0 = performance.now();
    const spec = buildWorldSpec(loaded, catalog, seed);
    buildMs += performance.now() - t0;
    return spec;
  };
  const skipped: SkippedArm[] = [];
  const prepared: PreparedArm[] = [];
  let referenceWarnings = new Set<string>();
  for (const [i, arm] of arms.entries()) {
    let loaded: LoadedScenario;
    const warnings = new CollectedWarnings(file, false);
    try {
      const t0 = performance.now();
      loaded = loadScenario(file, [...options.set, ...arm.overrides]);
      buildMs += performance.now() - t0;
      warnScenario(loaded, build(loaded, options.seed), warnings, i > 0);
    } catch (e) {
      if (i === 0 || !(e instanceof InputError)) throw e;
      skipped.push({ name: arm.name, role: arm.role, reason: `its overrides do not apply: ${e.message.replaceAll('\n', '; ')}`, inapplicable: true });
      continue;
    }
    if (i === 0) referenceWarnings = new Set(warnings.messages);
    const own = warnings.messages.filter((m) => !referenceWarnings.has(m));
    if (own.length > 0 && options.strict) {
      skipped.push({ name: arm.name, role: arm.role, reason: `warnings, errors under --strict: ${own.join('; ')}` });
      continue;
    }
    for (const m of own) (options.warn ?? printWarning)(arm.name, m);
    prepared.push({ arm, loaded, key: configurationKey(loaded) });
  }
  const reference = prepared[0];
  if (options.named && prepared.length > 1 && prepared.slice(1).every((p) => p.key === reference.key)) {
    throw new InputError(file, [{ path: '', message: `every arm named is the scenario as written in another name, so nothing would be compared: ${prepared.slice(1).map((p) => p.arm.name).join(', ')}` }]);
  }
  const firstSeed = options.seed ?? reference.loaded.scenario.seed;
  const seeds = replicationSeeds(
    firstSeed,
    options.replications,
    options.seed === undefined ? { file, path: 'seed', line: reference.loaded.locate(['seed']), what: "the first seed (the scenario's)" } : { file: `--seed ${options.seed}`, path: '', what: 'the first seed' },
  );
  // Simulated seconds of every run to make (an arm may change the duration; equal arms run once).
  const durations = new Map(prepared.map((p) => [p.key, p.loaded.scenario.duration]));
  const total = [...durations.values()].reduce((a, d) => a + d, 0) * seeds.length;
  let done = 0;
  const runsOf = new Map<string, { name: string; runs: ArmRun[] }>();
  const ran: { arm: Arm; runs: readonly ArmRun[]; sameAs?: string }[] = [];
  // Each world spec is built just before its run and dropped after it: a large world's spec is big.
  // Configurations skipped after their runs (--strict): an arm of the same configuration is skipped with them, not run again.
  const skippedAfterRun = new Map<string, string>();
  for (const p of prepared) {
    const twin = skippedAfterRun.get(p.key);
    if (twin !== undefined) {
      skipped.push({ name: p.arm.name, role: p.arm.role, reason: `the same configuration as ${twin}, whose runs met warnings (errors under --strict)` });
      continue;
    }
    const earlier = runsOf.get(p.key);
    if (earlier && p !== reference && p.key === reference.key) {
      skipped.push({ name: p.arm.name, role: p.arm.role, reason: reference.arm.name === EDELEAR_ARM ? `the same configuration as ${EDELEAR_ARM} (the scenario as written)` : 'the same configuration as the scenario as written (as-written)' });
      continue;
    }
    if (earlier) {
      ran.push({ arm: p.arm, runs: earlier.runs, sameAs: earlier.name });
      continue;
    }
    const planWarnings = new Map<string, { message: string; seeds: number }>();
    const planNotes = new Map<string, { message: string; seeds: number }>();
    const runs = seeds.map((seed) => {
      const observer = options.observe?.(p.arm, seed);
      const result = simulate(build(p.loaded, seed), {
        progress: options.progress && ((now) => options.progress!(done + now, total, `${p.arm.name}, seed ${seed}`)),
        ...(observer ? { attach: (world: World) => observer.attach(world) } : {}),
      });
      done += p.loaded.scenario.duration;
      const tables = summarize(result, { scenario: p.loaded.scenario.name, seed });
      observer?.finish(result, tables);
      const { world, metrics } = result;
      for (const [met, from] of [
        [planWarnings, afterRunWarnings(result, file)],
        [planNotes, afterRunNotes(result)],
      ] as const) {
        for (const [key, message] of from) {
          const said = met.get(key);
          if (said) said.seeds++;
          else met.set(key, { message, seeds: 1 });
        }
      }
      return {
        seed,
        figures: runFigures(tables),
        generated: metrics.all.generated,
        completed: metrics.all.completed,
        stopped: world.stopped,
        // The observer's own steps are not the run's events.
        events: world.sim.eventsProcessed - (observer?.events ?? 0),
        simulationSeconds: result.wallSeconds,
        latencySketch: metrics.all.latencySketch,
      };
    });
    const onSeeds = ({ message, seeds: n }: { message: string; seeds: number }): string => `${message} (on ${n} of ${seeds.length} seeds)`;
    const met = [...planWarnings.values()].map(onSeeds);
    if (met.length > 0 && options.strict) {
      // What its runs met, as errors: the reference's stop the comparison (exit 2); another arm is left out of the tables.
      if (p === reference) throw new InputError(file, met.map((m) => ({ path: '', message: `${p.arm.name} (the reference arm): ${m} (an error under --strict)` })));
      skipped.push({ name: p.arm.name, role: p.arm.role, reason: `warnings met in its runs, errors under --strict: ${met.join('; ')}`, afterRuns: true });
      skippedAfterRun.set(p.key, p.arm.name);
      continue;
    }
    for (const m of met) (options.warn ?? printWarning)(p.arm.name, m);
    for (const m of [...planNotes.values()].map(onSeeds)) (options.note ?? printNote)(p.arm.name, m);
    runsOf.set(p.key, { name: p.arm.name, runs });
    ran.push({ arm: p.arm, runs });
  }
  const referenceFigures = ran[0].runs.map((r) => r.figures);
  const outcomes = ran.map((o, i) => ({ ...o, comparisons: compareArm(o.runs.map((r) => r.figures), i === 0 ? undefined : referenceFigures, ran[0].arm.name) }));
  return { scenario: reference.loaded.scenario.name, seeds, outcomes, skipped, buildSeconds: buildMs / 1000 };
}

function printNote(arm: string, message: string): void {
  process.stderr.write(`note: arm ${arm}: ${message}\n`);
}

function printWarning(arm: string, message: string): void {
  process.stderr.write(`warning: arm ${arm}: ${message}\n`);
}

/** Writes one line to the console. */
const log = (s = ''): void => {
  process.stdout.write(`${s}\n`);
};

/** `edelear compare FILE`: runs the arms, writes compare.csv, compare_runs.csv, the chart and manifest.json, and prints the table. */
export async function compareCommand(file: string, options: CompareCommandOptions): Promise<void> {
  const commit = gitCommit(); // git works beside the runs
  const loaded = loadScenario(file, options.set);
  await prepareSolvers(loaded.scenario);
  const scenario = loaded.scenario;
  const catalog = loadCatalog();
  const spec = buildWorldSpec(loaded, catalog, options.seed);
  if (spec.workloads.length === 0) {
    throw new InputError(file, [{ path: 'workloads', line: loaded.locate(['workloads']), message: 'expected at least one inference workload: compare judges policies by the requests they serve' }]);
  }
  const warnings = new Warnings(file, options.strict);
  warnScenario(loaded, spec, warnings);
  warnings.settle();
  const table = defaultArms(loaded, spec);
  const arms = selectArms(table.arms, table.skipped, options.arms);
  const out = options.out ?? join('results', `${scenario.name}-compare`);
  makeOutputFolder(out); // before the runs: a bad --out fails at once
  // The paper's tables and claims (cli/paper.ts), when the scenario uses EDeLeaR's own policies.
  const paperModule = options.paperTables === false ? undefined : await import('./paper.ts');
  const paper = paperModule?.wantsPaperTables(scenario) ? new paperModule.PaperCollector(loaded, catalog, options.study ? { study: options.study } : {}) : undefined;
  if (scenario.learning && !options.quiet) process.stderr.write(`note: compare simulates the inference workloads only; the learning section is not run (edelear run studies it)\n`);
  let progress: ReturnType<typeof startProgress> | undefined;
  let comparison: Comparison;
  const armWarnings: string[] = []; // kept with the base scenario's in the results' warnings.txt
  try {
    comparison = runComparison(file, arms, {
      warn: (arm, message) => {
        armWarnings.push(`arm ${arm}: ${message}`);
        printWarning(arm, message);
      },
      note: (arm, message) => {
        armWarnings.push(`note: arm ${arm}: ${message}`);
        printNote(arm, message);
      },
      set: options.set,
      seed: options.seed,
      replications: options.replications,
      strict: options.strict,
      named: options.arms !== undefined,
      catalog,
      ...(paper ? { observe: (arm: Arm, seed: number) => paper.observe(arm, seed) } : {}),
      // Under --quiet the worlds are not even told about progress: each run is the bare run.
      progress: options.quiet
        ? undefined
        : (done, total, detail) => {
            progress ??= startProgress({ label: 'comparing', total, unit: 's', quiet: false });
            progress.update(done, detail);
          },
    });
  } finally {
    progress?.stop();
  }
  // The arms of the table that do not apply to the scenario: all of them, or those --arms named.
  const named = (name: string) => options.arms === undefined || options.arms.some((n) => n.trim().toLowerCase() === name.toLowerCase());
  const skipped = [...table.skipped.filter((s) => named(s.name)), ...comparison.skipped];
  // Under --strict, every other arm skipped for the warnings its runs met: nothing was compared, and that is an error too.
  // (Without --strict a comparison of the reference alone stands: a one-node scenario's arms are all its own configuration.)
  if (options.strict && comparison.outcomes.length === 1 && comparison.skipped.some((a) => a.afterRuns)) {
    throw new InputError(file, [{ path: '', message: `no arm was compared with the reference under --strict: ${comparison.skipped.map((a) => `${a.name}: ${a.reason}`).join('; ')}` }]);
  }
  // Written into a folder of their own, moved into `out` when all are written (a failed write leaves the previous results).
  const staged = new StagedResults(out);
  const dir = staged.dir;
  try {
    const files = ['compare.csv', 'compare_runs.csv'];
    const rows = compareRows(comparison);
    writeRows(join(dir, 'compare.csv'), rows, COMPARE_COLUMNS);
    writeRows(join(dir, 'compare_runs.csv'), compareRunRows(comparison), COMPARE_RUN_COLUMNS);
    const latencyRows = compareLatencyRows(comparison);
    writeRows(join(dir, 'compare_latency.csv'), latencyRows, COMPARE_LATENCY_COLUMNS);
    files.push('compare_latency.csv');
    const claims = paper?.write(
      dir,
      comparison.seeds,
      comparison.outcomes.map((o) => ({ arm: o.arm, ...(o.sameAs ? { sameAs: o.sameAs } : {}), latency: o.runs.map((r) => r.figures.latency_mean_s) })),
      // The arms of this scenario not run — skipped under --strict, or left out by --arms — that claim 2's rows over every whole baseline must name (helper-80: a subset
      // flipped its verdict unsaid); not those that do not apply to it (no cloud: no all-cloud baseline), which are no baselines of it (helper-81).
      [...comparison.skipped.filter((a) => !a.inapplicable), ...table.arms.filter((a) => a.role === 'whole-baseline' && !arms.includes(a)).map((a) => ({ name: a.name, role: a.role, reason: 'not named in --arms' }))],
    );
    if (claims) files.push(...claims.files);
    if (options.charts) {
      const { writeCharts } = await import('../report/render.ts');
      const { armMetricChart, compareLatencyCdfChart } = await import('../report/compare-charts.ts');
      const charts = [
        { name: 'compare', spec: compareChart(rows) },
        { name: 'compare_energy', spec: armMetricChart(rows, 'energy_per_request_J') },
        { name: 'compare_latency', spec: compareLatencyCdfChart(latencyRows) },
      ];
      if (files.includes('compression_study.csv')) {
        const { readCsvRows } = await import('../report/chart-files.ts');
        const { accuracyVsSizeChart } = await import('../report/compression-charts.ts');
        charts.push({ name: 'accuracy_vs_size', spec: accuracyVsSizeChart(readCsvRows(join(dir, 'compression_study.csv'))) });
      }
      files.push(...(await writeCharts(dir, charts)));
    }
    const own = comparison.outcomes.filter((o) => !o.sameAs).flatMap((o) => o.runs);
    const simulationSeconds = own.reduce((a, r) => a + r.simulationSeconds, 0);
    const incomplete = comparison.outcomes.flatMap((o) => (o.sameAs ? [] : o.runs.flatMap((r) => (r.stopped === undefined ? [] : [`${o.arm.name}, seed ${r.seed}: ${r.stopped}`]))));
    const { version, dependencies } = versions();
    files.push(...writeWarnings(dir, [...warnings.said, ...armWarnings]));
    const manifest: Manifest & { comparison: object } = {
      tool: 'edelear',
      version,
      gitCommit: await commit,
      scenario: scenarioIdentity(file, loaded.text, options.set),
      seed: comparison.seeds[0],
      node: process.version,
      dependencies,
      buildSeconds: comparison.buildSeconds,
      wallSeconds: performance.now() / 1000,
      simulationSeconds,
      trainingSeconds: 0,
      runs: own.length,
      eventsProcessed: own.reduce((a, r) => a + r.events, 0),
      requestsPerSimulationSecond: own.reduce((a, r) => a + r.generated, 0) / simulationSeconds,
      files: [...files, 'manifest.json'],
      ...(incomplete.length === 0 ? {} : { incomplete: incomplete.join('; ') }),
      comparison: {
        seeds: comparison.seeds,
        arms: comparison.outcomes.map((o) => ({ ...o.arm, ...(o.sameAs ? { sameAs: o.sameAs } : {}) })),
        skipped,
      },
    };
    const note = staged.publish(files, `${JSON.stringify(manifest, null, 2)}\n`);
    if (note !== undefined && !options.quiet) process.stderr.write(`note: ${note}\n`);
    if (!options.quiet) {
      for (const line of comparisonReport(file, comparison, skipped)) log(line);
      if (claims) for (const line of paperModule!.claimsReport(claims.claims)) log(line);
      log(`  results: ${out}/ (${manifest.files.join(', ')})`);
    }
    if (incomplete.length > 0) {
      process.stderr.write(`error: ${incomplete.length} run(s) stopped early (requests in flight past limits.requestsInFlight): ${incomplete.join('; ')}\n  their figures cover the time up to the stop; compare_runs.csv marks them (complete = no)\n`);
      process.exitCode = EXIT_INCOMPLETE;
    }
  } finally {
    staged.discard(); // what a failure left (nothing, once published)
  }
}
