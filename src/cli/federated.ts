import { join } from 'node:path';
import { RandomStreams } from '../core/random.ts';
import { trainCentralized, trainLocalOnly } from '../learning/baselines.ts';
import type { CompressionSpec } from '../learning/compression.ts';
import { federatedKeys } from '../learning/fedavg.ts';
import { initParams } from '../learning/mlp.ts';
import { loadMnistSplit } from '../learning/mnist.ts';
import { partition, type PartitionSpec } from '../learning/partition.ts';
import { type DeviceEnergyRow, ENERGY_COLUMNS, FederatedProcess, ROUND_COLUMNS, type RoundRow } from '../learning/process.ts';
import { CLAIM_COLUMNS, EDELEAR_PAPER } from '../metrics/claims.ts';
import { type Estimate, estimate, estimateColumns, type Verdict, verdict, withinUnit } from '../metrics/confidence.ts';
import { type RunResult, simulate } from '../metrics/simulate.ts';
import { type Row, type RunTables, summarize, type TableName } from '../metrics/summary.ts';
import { claimsChart, compressionChart, flAccuracyChart, latencyCdfChart, nodeChart } from '../report/charts.ts';
import { writeRows } from '../report/csv.ts';
import { groupBy, perConfigurationChart, seedLabel } from '../report/fl-charts.ts';
import type { NamedChart } from '../report/render.ts';
import { compressionLabel, type LearningPlan, partitionLabel } from '../scenario/learning.ts';
import type { WorldSpec } from '../world/world.ts';
import { percent, seconds, table } from './format.ts';
import { afterRunNotes, afterRunWarnings } from './warnings.ts';

/*
 * A scenario with a learning section is a study, not one run: every split (the scenario's own
 * and `compare`) and every update compression (`compareCompression`, on the scenario's split)
 * runs on `replications` seeds — the scenario's seed, seed + 1, … — each in a world of its own,
 * with the local-only and centralized baselines trained beside each split run. Every file the
 * study writes covers all of its runs: per-run tables carry `seed`, `split` and `compression`
 * columns, and the tables over seeds give the mean, its 95% Student-t confidence interval and n.
 */

/** How to cite the EDeLeaR paper: the `source` of every claim checked against it (metrics/claims.ts, shared with compare). */
export { EDELEAR_PAPER };

/** The paper's claim checked by the federated study (§V, claim 3). */
export const COLLABORATION_CLAIM = {
  claim: 'collaborative learning gives +5% accuracy over non-collaborative learning',
  source: EDELEAR_PAPER,
  /** Read as 5 percentage points of test accuracy (accuracies are fractions: 0.05). */
  threshold: 0.05,
} as const;

/** A federated run on one split, compression and seed, with its baselines (NaN when not trained). */
export interface FederatedOutcome {
  readonly split: string;
  readonly compression: string;
  readonly seed: number;
  readonly rounds: readonly RoundRow[];
  readonly energy: readonly DeviceEnergyRow[];
  /** Test accuracy of the final global model (NaN if no round finished). */
  readonly accuracy: number;
  /** Local-only baseline: each client alone, same epochs in all as a client does over the rounds. */
  readonly localOnly: { readonly mean: number; readonly worst: number };
  /** Centralized baseline: all training digits in one place, same epochs. */
  readonly centralized: number;
  /** Wall seconds of real training and evaluation (federated and baselines). */
  readonly trainingSeconds: number;
}

const centralizedCache = new Map<string, number>();

/**
 * Runs the scenario's world with a federated-learning process on one split, then trains the
 * two baselines on the same split, initial model and test digits. Baselines get as many
 * epochs as the global model took rounds of local training (rounds that aggregated an update × E),
 * so each is compared at equal local work: all the rounds asked when every round aggregates, fewer
 * when the run's end cut them short or a round's every client dropped (helper-82: the baselines
 * trained every round asked while the federated model had one of three). The run's seed is `spec.seed`.
 */
export function runFederatedScenario(
  spec: WorldSpec,
  plan: LearningPlan,
  split: PartitionSpec,
  options: { trace?: boolean; compression?: CompressionSpec; baselines?: boolean; progress?: (roundsDone: number, simulatedSeconds: number) => void } = {},
): FederatedOutcome & { readonly result: RunResult; readonly simulationSeconds: number } {
  const streams = new RandomStreams(spec.seed);
  const { data, train, test } = loadMnistSplit(spec.seed, plan.testSize);
  const fed = options.compression ? { ...plan.federated, compression: options.compression } : plan.federated;
  const parts = partition(split, train, data.y, fed.clients.length, streams.stream('training', 'fl/partition'));
  const init = initParams(streams.stream('training', federatedKeys.init));
  let process: FederatedProcess | undefined;
  const tell = options.progress;
  const result = simulate(spec, {
    trace: options.trace,
    progress: tell && ((now) => tell(process?.rounds.length ?? 0, now)),
    attach: (world) => {
      process = new FederatedProcess(world, fed, data, parts, test, streams, init);
      process.start();
    },
  });
  const p = process!;
  const last = p.rounds[p.rounds.length - 1];
  const outcome = {
    split: partitionLabel(split),
    compression: compressionLabel(fed.compression),
    seed: spec.seed,
    result,
    // Training happens inside the event loop's handlers: the loop's own time is what is left.
    simulationSeconds: result.wallSeconds - p.trainingSeconds,
    rounds: p.rounds,
    energy: p.energy,
    accuracy: last ? last.test_accuracy : NaN,
  };
  if (options.baselines === false) return { ...outcome, localOnly: { mean: NaN, worst: NaN }, centralized: NaN, trainingSeconds: p.trainingSeconds };
  const t0 = performance.now();
  const baseline = { epochs: aggregatedRounds(p.rounds) * fed.local.epochs, batchSize: fed.local.batchSize, lr: fed.local.lr, momentum: fed.local.momentum };
  const local = trainLocalOnly(init, data, parts, test, baseline, (k) => streams.stream('training', `baseline/local/${k}`));
  // The centralized baseline does not depend on the split: train it once per seed and settings.
  const key = JSON.stringify([spec.seed, plan.testSize, baseline]);
  let centralAccuracy = centralizedCache.get(key);
  if (centralAccuracy === undefined) {
    centralAccuracy = trainCentralized(init, data, train, test, baseline, streams.stream('training', 'baseline/centralized')).accuracy;
    centralizedCache.set(key, centralAccuracy);
  }
  return {
    ...outcome,
    localOnly: { mean: local.mean, worst: local.worst },
    centralized: centralAccuracy,
    trainingSeconds: p.trainingSeconds + (performance.now() - t0) / 1000,
  };
}

/**
 * A run whose global model took fewer rounds than asked, in words (undefined when it took them
 * all): the run's end came first, or rounds aggregated nothing (every selected client dropped,
 * late at the round deadline or failed). Its baselines then train as many rounds' epochs.
 */
function roundsShort(rounds: readonly RoundRow[], asked: number, duration: number, baselines: boolean): string | undefined {
  const aggregated = aggregatedRounds(rounds);
  if (aggregated >= asked) return undefined;
  const empty = rounds.length - aggregated;
  const why = [
    rounds.length < asked ? `${rounds.length} of ${asked} rounds ran before the run's end at ${duration} s (learning.start, the rounds' length)` : '',
    empty > 0 ? `${empty} round${empty === 1 ? '' : 's'} aggregated no update (every selected client dropped: late at learning.roundDeadline, or failed; fl_rounds.csv)` : '',
  ].filter((w) => w !== '');
  const equal = baselines ? `; its local-only and centralized baselines trained as many rounds' epochs (${aggregated} × E), to stay at equal work` : '';
  return `the global model took ${aggregated} of the ${asked} rounds asked: ${why.join('; ')}${equal}${aggregated === 0 ? ': nothing was learned, and the accuracies are the untrained model’s' : ''}`;
}

/** Rounds that aggregated an update (a round whose every selected client dropped changes nothing). */
export function aggregatedRounds(rounds: readonly { readonly aggregated: number }[]): number {
  return rounds.reduce((a, r) => a + r.aggregated, 0);
}

/** Every run of a learning scenario, with what the run command writes and prints of them. */
export interface FederatedStudy {
  readonly scenario: string;
  /** Test digits each accuracy is measured on: accuracies move in steps of 1 / testSize. */
  readonly testSize: number;
  /** The seeds every configuration ran on: seed, seed + 1, … */
  readonly seeds: readonly number[];
  /** The split runs (the scenario's compression), by split then seed. */
  readonly splits: readonly FederatedOutcome[];
  /** The compression study on the scenario's split, by compression then seed (empty without `compareCompression`). */
  readonly compressions: readonly FederatedOutcome[];
  /** The first run (the scenario's split and compression, first seed): the one the console's world tables show. */
  readonly main: { readonly result: RunResult; readonly tables: RunTables; readonly label: string };
  /** Every run's world tables in long format, `split` and `compression` beside `seed`. */
  readonly tables: RunTables;
  /** Per-request rows of every run (with `--trace`), `seed`, `split` and `compression` first. */
  readonly trace?: { readonly columns: readonly string[]; readonly rows: readonly (readonly (string | number)[])[] };
  /** Why a run stopped before its end (the first such run, named), absent when every run ran to its end. */
  readonly stopped?: string;
  /** What the runs warned of after running (cli/warnings.ts `afterRunWarnings`), by kind: the first run's words, with how many runs of all and the first of them. */
  readonly warnings: ReadonlyMap<string, string>;
  /** What the runs met inside the warm-up (cli/warnings.ts `afterRunNotes`), worded as {@link warnings}: never errors. */
  readonly notes: ReadonlyMap<string, string>;
  /** Worlds simulated. */
  readonly runs: number;
  readonly events: number;
  readonly generated: number;
  /** Wall seconds of the event loops, the real training inside them excluded. */
  readonly simulationSeconds: number;
  /** Wall seconds of real training and evaluation: local updates, test accuracy, baselines. */
  readonly trainingSeconds: number;
}

/** Options of {@link runFederatedStudy}. */
export interface StudyOptions {
  readonly scenario: string;
  readonly trace?: boolean;
  /** Names the trace's columns (the run command's), for labelled trace rows. */
  readonly traceColumns?: readonly string[];
  /**
   * Told the learning rounds done over the whole study (runs finished × rounds, plus the rounds
   * of the run under way, as its world reaches them) and how many there are in all, with the run's label.
   */
  readonly onProgress?: (roundsDone: number, roundsTotal: number, label: string) => void;
}

/** The columns that say which run a row of a per-run table comes from, in order. */
const RUN_COLUMNS = ['scenario', 'seed', 'split', 'compression'] as const;

/** The row with `split` and `compression` right after its `scenario` and `seed`. */
function labelRow(row: Row, split: string, compression: string): Row {
  return { scenario: row.scenario, seed: row.seed, split, compression, ...row };
}

/** A table's columns with `split` and `compression` inserted as {@link labelRow} does. */
function labelColumns(columns: readonly string[]): string[] {
  return [...RUN_COLUMNS, ...columns.filter((c) => !(RUN_COLUMNS as readonly string[]).includes(c))];
}

const TABLES: readonly TableName[] = ['requests', 'nodes', 'links', 'run', 'latency'];

/**
 * Runs every split and compression of the learning plan on `plan.replications` seeds (the
 * first spec's seed, then + 1, …). `specFor(seed)` builds the world for a seed: each run gets
 * a world spec of its own (policies keep random state), the first one `spec`. The scenario's own
 * compression in `compareCompression` reuses the split runs (same split, compression, seeds).
 */
export function runFederatedStudy(spec: WorldSpec, specFor: (seed: number) => WorldSpec, plan: LearningPlan, options: StudyOptions): FederatedStudy {
  const seeds = Array.from({ length: plan.replications }, (_, r) => spec.seed + r);
  const splitSpecs = uniqueBy([plan.partition, ...plan.compare], partitionLabel);
  const ownCompression = compressionLabel(plan.federated.compression);
  const compressionSpecs = uniqueBy(plan.compareCompression, compressionLabel);
  const extra = compressionSpecs.filter((c) => compressionLabel(c) !== ownCompression);
  const total = seeds.length * (splitSpecs.length + extra.length);
  const columns = {} as Record<TableName, readonly string[]>;
  const tables: Record<TableName, Row[]> = { requests: [], nodes: [], links: [], run: [], latency: [] };
  const traceRows: (string | number)[][] = [];
  let main: FederatedStudy['main'] | undefined;
  let stopped: string | undefined;
  const warned = new Map<string, { message: string; runs: number; first: string }>();
  const noted = new Map<string, { message: string; runs: number; first: string }>();
  let runs = 0;
  let events = 0;
  let generated = 0;
  let simulationSeconds = 0;
  let trainingSeconds = 0;
  const rounds = plan.federated.rounds;
  const run = (split: PartitionSpec, seed: number, compression?: CompressionSpec): FederatedOutcome => {
    const runLabel = `split ${partitionLabel(split)}, compression ${compressionLabel(compression ?? plan.federated.compression)}, seed ${seed}`;
    const progress =
      options.onProgress && ((done: number, now: number) => options.onProgress!(runs * rounds + done, total * rounds, `${runLabel}, ${Math.round(now)} of ${spec.duration} simulated s`));
    const o = runFederatedScenario(runs === 0 ? spec : specFor(seed), plan, split, { trace: options.trace, compression, baselines: compression === undefined, progress });
    const { result, simulationSeconds: loopSeconds, ...outcome } = o;
    const own = summarize(result, { scenario: options.scenario, seed });
    for (const t of TABLES) {
      for (const r of own[t]) tables[t].push(labelRow(r, o.split, o.compression));
      columns[t] = labelColumns(own.columns[t]);
    }
    for (const r of result.metrics.trace ?? []) traceRows.push([seed, o.split, o.compression, ...r]);
    const label = `split ${o.split}, compression ${o.compression}, seed ${seed}`;
    main ??= { result, tables: own, label };
    for (const [met, from] of [
      [warned, afterRunWarnings(result, options.scenario)],
      [noted, afterRunNotes(result)],
    ] as const) {
      for (const [key, message] of from) {
        const said = met.get(key);
        if (said) said.runs++;
        else met.set(key, { message, runs: 1, first: label });
      }
    }
    if (result.world.stopped !== undefined) stopped ??= `${label}: ${result.world.stopped}`;
    const short = roundsShort(o.rounds, rounds, spec.duration, compression === undefined);
    if (short !== undefined) {
      const said = warned.get('learning/rounds');
      if (said) said.runs++;
      else warned.set('learning/rounds', { message: short, runs: 1, first: label });
    }
    runs++;
    events += result.world.sim.eventsProcessed;
    generated += result.world.generatedCount;
    simulationSeconds += loopSeconds;
    trainingSeconds += o.trainingSeconds;
    options.onProgress?.(runs * rounds, total * rounds, label);
    return outcome;
  };
  const splits = splitSpecs.flatMap((split) => seeds.map((seed) => run(split, seed)));
  const own = splits.filter((o) => o.split === partitionLabel(plan.partition));
  const compressions = compressionSpecs.flatMap((c) =>
    compressionLabel(c) === ownCompression ? own : seeds.map((seed) => run(plan.partition, seed, c)),
  );
  const inRuns = (met: typeof warned): Map<string, string> => new Map([...met].map(([key, w]) => [key, runs === 1 ? w.message : `${w.message} (in ${w.runs} of ${runs} runs; the first: ${w.first})`]));
  return {
    scenario: options.scenario,
    testSize: plan.testSize,
    seeds,
    splits,
    compressions,
    main: main!,
    tables: { ...tables, columns },
    trace: options.trace ? { columns: [...RUN_COLUMNS.slice(1), ...(options.traceColumns ?? [])], rows: traceRows } : undefined,
    ...(stopped === undefined ? {} : { stopped }),
    warnings: inRuns(warned),
    notes: inRuns(noted),
    runs,
    events,
    generated,
    simulationSeconds,
    trainingSeconds,
  };
}

/** The items with a label not seen before, in order. */
function uniqueBy<T>(items: readonly T[], label: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => !seen.has(label(t)) && seen.add(label(t)) !== undefined);
}

/** Outcomes grouped by configuration (split and compression), groups and members in their first order. */
function byConfiguration(outcomes: readonly FederatedOutcome[]): FederatedOutcome[][] {
  return groupBy(outcomes, (o) => JSON.stringify([o.split, o.compression]));
}

/** Mean, 95% Student-t confidence interval and n of the finite values (metrics/confidence.ts, shared with compare). */
export { estimate };

/** Claims are judged as metrics/confidence.ts says (shared with compare's claims). */
export { type Verdict, verdict };

/**
 * A difference against a reference, judged on its confidence interval: above or below zero, or not
 * told apart from it. A measure that moves in steps (`step`: an accuracy over N test digits moves
 * by 1/N) can give every seed the same nonzero change by chance; the interval then has no width
 * and would read as certain, so that case is said as it is instead of judged.
 */
export function changeVerdict(e: Estimate, step = 0): string {
  if (!(Number.isFinite(e.low) && Number.isFinite(e.high))) return 'no interval (n < 2)';
  // No width: the seeds' changes equal up to rounding (k/N − j/N in floating point differs in its last bits).
  if (step > 0 && e.halfWidth <= 1e-9 * step && Math.abs(e.mean) > 1e-9 * step) return `no spread: every seed gave the same change (the measure moves in steps of ${Number(step.toPrecision(3))}); more seeds needed`;
  if (e.low > 0) return 'higher';
  if (e.high < 0) return 'lower';
  return 'within seed noise (interval includes 0)';
}

/** The seeds of a group of outcomes, as "1..5". */
function seedRange(outcomes: readonly FederatedOutcome[]): string {
  return seedLabel(outcomes.map((o) => o.seed));
}

/** fl_rounds.csv: one row per run (seed, split, compression) and round; rounds from 1, as in fl_energy.csv. */
export function roundRows(scenario: string, outcomes: readonly FederatedOutcome[]): Row[] {
  return outcomes.flatMap((o) => o.rounds.map((r) => ({ scenario, seed: o.seed, split: o.split, compression: o.compression, ...r })));
}

/**
 * fl_rounds.csv averaged over seeds (what fl_accuracy draws): per configuration and round, the
 * test accuracy's mean, 95% CI and n (runs that reached the round), and the mean time it ended.
 */
export function roundMeanRows(scenario: string, outcomes: readonly FederatedOutcome[]): Row[] {
  return byConfiguration(outcomes).flatMap((g) => {
    const rounds = Math.max(0, ...g.map((o) => o.rounds.length));
    return Array.from({ length: rounds }, (_, i) => {
      const reached = g.flatMap((o) => (o.rounds[i] ? [o.rounds[i]] : []));
      const accuracy = withinUnit(estimate(reached.map((r) => r.test_accuracy)));
      return {
        scenario,
        seeds: seedRange(g),
        split: g[0].split,
        compression: g[0].compression,
        round: reached[0].round,
        n: accuracy.n,
        ...estimateColumns('test_accuracy', accuracy),
        end_s_mean: estimate(reached.map((r) => r.end_s)).mean,
      };
    });
  });
}

/** fl_energy.csv: one row per run, round (from 1, as in fl_rounds.csv) and node taking part. */
export function energyRows(scenario: string, outcomes: readonly FederatedOutcome[]): Row[] {
  return outcomes.flatMap((o) => o.energy.map((e) => ({ scenario, seed: o.seed, split: o.split, compression: o.compression, ...e })));
}

/** fl_replications.csv: per split run (one seed), federated vs local-only (mean, worst) vs centralized accuracy. */
export function replicationRows(scenario: string, outcomes: readonly FederatedOutcome[]): Row[] {
  return outcomes.map((o) => ({
    scenario,
    seed: o.seed,
    split: o.split,
    compression: o.compression,
    rounds_completed: o.rounds.length,
    rounds_aggregated: aggregatedRounds(o.rounds),
    federated_accuracy: o.accuracy,
    local_only_mean_accuracy: o.localOnly.mean,
    local_only_worst_accuracy: o.localOnly.worst,
    centralized_accuracy: o.centralized,
    margin_fraction: o.accuracy - o.localOnly.mean,
    gap_to_centralized_fraction: o.centralized - o.accuracy,
  }));
}

/** The trainings fl_baselines.csv compares, with the accuracy each outcome gives of it. */
const TRAININGS: readonly (readonly [string, (o: FederatedOutcome) => number])[] = [
  ['federated', (o) => o.accuracy],
  ['local-only (mean over clients)', (o) => o.localOnly.mean],
  ['local-only (worst client)', (o) => o.localOnly.worst],
  ['centralized', (o) => o.centralized],
];

/** fl_baselines.csv: per split and training, the final test accuracy over the seeds: mean, 95% CI and n. */
export function baselineRows(scenario: string, outcomes: readonly FederatedOutcome[]): Row[] {
  return byConfiguration(outcomes).flatMap((g) =>
    TRAININGS.map(([training, accuracy]) => {
      const e = withinUnit(estimate(g.map(accuracy)));
      return { scenario, seeds: seedRange(g), split: g[0].split, compression: g[0].compression, training, n: e.n, ...estimateColumns('accuracy', e) };
    }),
  );
}

/**
 * claims.csv: per split, the collaboration claim judged over the seeds: the margin of FedAvg's
 * final accuracy over the local-only mean (paired by seed), its 95% CI and the verdict against
 * the threshold; beside it, the gap to centralized training.
 */
export function claimRows(scenario: string, outcomes: readonly FederatedOutcome[]): Row[] {
  return byConfiguration(outcomes).map((g) => {
    const margin = estimate(g.map((o) => o.accuracy - o.localOnly.mean));
    const gap = estimate(g.map((o) => o.centralized - o.accuracy));
    // A run whose global model aggregated no round learned nothing, nor did its baselines (0 epochs): no evidence either way (helper-82: it read "does not hold").
    const untrained = g.filter((o) => aggregatedRounds(o.rounds) === 0).length;
    const nothing = untrained > 0 ? `; ${untrained} of ${g.length} runs aggregated no round (fl_replications.csv rounds_aggregated): nothing was learned there, so the claim is not judged` : '';
    return {
      scenario,
      seeds: seedRange(g),
      n: margin.n,
      claim: COLLABORATION_CLAIM.claim,
      measured: `federated (FedAvg/FedProx) final test accuracy${noSpread(margin) ? `; ${NO_SPREAD}` : ''}${nothing}`,
      baseline: 'non-collaborative: local-only training, mean client test accuracy',
      split: g[0].split,
      compression: g[0].compression,
      value_mean: estimate(g.map((o) => o.accuracy)).mean,
      baseline_value_mean: estimate(g.map((o) => o.localOnly.mean)).mean,
      value_unit: 'fraction (test accuracy)',
      ...estimateColumns('margin_fraction', margin),
      margin_relative_mean: estimate(g.map((o) => (o.accuracy - o.localOnly.mean) / o.localOnly.mean)).mean,
      threshold_fraction: COLLABORATION_CLAIM.threshold,
      verdict: untrained > 0 ? 'inconclusive' : collaborationVerdict(margin),
      centralized_mean: estimate(g.map((o) => o.centralized)).mean,
      ...estimateColumns('gap_to_centralized_fraction', gap),
      source: COLLABORATION_CLAIM.source,
    };
  });
}

/**
 * Margins equal in every seed: an interval of no width. Accuracies over N test digits move in steps
 * (the margin, a client mean subtracted, in steps of 1/(N·clients), ≥ 10^-6 at any size edelear
 * trains), so seeds can tie by chance; the width is then not a measure of the spread. 10^-12 is
 * above the rounding of k/N − j/N and far below any step.
 */
function noSpread(e: Estimate): boolean {
  return e.n >= 2 && e.halfWidth <= 1e-12;
}

const NO_SPREAD = 'no spread: every seed gave the same margin, so its interval has no width and decides nothing (inconclusive); more seeds needed';

/** The collaboration claim's verdict (metrics/confidence.ts), inconclusive when the margin has {@link noSpread}. */
function collaborationVerdict(margin: Estimate): Verdict {
  return noSpread(margin) ? 'inconclusive' : verdict(margin, COLLABORATION_CLAIM.threshold);
}

/** What fl_compression.csv measures of one run. */
function compressionMeasures(o: FederatedOutcome): Record<string, number> {
  const rounds = o.rounds.length;
  return {
    bytes_up_total: o.rounds.reduce((a, r) => a + r.bytes_up, 0),
    round_time_mean_s: rounds > 0 ? o.rounds.reduce((a, r) => a + (r.end_s - r.start_s), 0) / rounds : NaN,
    client_updates_used: o.rounds.reduce((a, r) => a + r.clients_completed, 0),
    energy_clients_J: o.rounds.reduce((a, r) => a + r.energy_clients_J, 0),
  };
}

/**
 * fl_compression.csv: the effect of update compression over the seeds — per compression, the
 * final accuracy and its change against the first variant (paired by seed: both ran on the
 * same seed), bytes uploaded, round times, updates used and client energy; each a mean with
 * its 95% CI and n.
 */
export function compressionRows(scenario: string, outcomes: readonly FederatedOutcome[], testSize: number): Row[] {
  const groups = byConfiguration(outcomes);
  if (groups.length === 0) return [];
  const reference = new Map(groups[0].map((o) => [o.seed, o.accuracy]));
  return groups.map((g, i) => {
    const change = estimate(g.map((o) => o.accuracy - (reference.get(o.seed) ?? NaN)));
    const measures = g.map(compressionMeasures);
    const row: Row = {
      scenario,
      seeds: seedRange(g),
      n: g.length,
      split: g[0].split,
      compression: g[0].compression,
      reference: groups[0][0].compression,
      rounds_completed_mean: estimate(g.map((o) => o.rounds.length)).mean,
      ...estimateColumns('final_accuracy', withinUnit(estimate(g.map((o) => o.accuracy)))),
      ...estimateColumns('accuracy_change_fraction', change),
      accuracy_change: i === 0 ? 'reference' : changeVerdict(change, 1 / testSize),
    };
    for (const name of Object.keys(measures[0])) Object.assign(row, estimateColumns(name, estimate(measures.map((m) => m[name]))));
    return row;
  });
}

/** Writes the study's fl_*.csv and claims.csv into `out`; returns the file names written. */
export function writeFederatedFiles(out: string, study: FederatedStudy): string[] {
  const s = study.scenario;
  const files: [string, Row[], string[]?][] = [
    ['fl_rounds.csv', roundRows(s, [...study.splits, ...extraCompressionRuns(study)]), [...RUN_COLUMNS, ...ROUND_COLUMNS]],
    ['fl_energy.csv', energyRows(s, [...study.splits, ...extraCompressionRuns(study)]), [...RUN_COLUMNS, ...ENERGY_COLUMNS]],
    ['fl_replications.csv', replicationRows(s, study.splits)],
    ['fl_baselines.csv', baselineRows(s, study.splits)],
    ['claims.csv', claimRows(s, study.splits), [...CLAIM_COLUMNS]], // the columns compare's claims.csv has too
  ];
  if (study.compressions.length > 0) files.push(['fl_compression.csv', compressionRows(s, study.compressions, study.testSize)]);
  // Round and energy tables are empty when no round finished: their header still stands.
  for (const [file, rows, columns] of files) writeRows(join(out, file), rows, columns);
  return files.map(([file]) => file);
}

/** The compression runs that are not also split runs (the scenario's own compression is both). */
function extraCompressionRuns(study: FederatedStudy): FederatedOutcome[] {
  const splitRuns = new Set(study.splits);
  return study.compressions.filter((o) => !splitRuns.has(o));
}

/** The study's charts: world tables per configuration (mean over seeds), accuracy by round, the claim, the compression study. */
export function federatedCharts(study: FederatedStudy): NamedChart[] {
  const s = study.scenario;
  const charts: NamedChart[] = [];
  if (study.tables.latency.length > 0) charts.push({ name: 'latency', spec: perConfigurationChart(latencyCdfChart, study.tables.latency, ['workload', 'quantile'], 'latency.csv') });
  charts.push({ name: 'nodes', spec: perConfigurationChart(nodeChart, study.tables.nodes, ['node'], 'nodes.csv') });
  charts.push({ name: 'fl_accuracy', spec: flAccuracyChart(roundMeanRows(s, study.splits)) });
  charts.push({ name: 'claims', spec: claimsChart(claimRows(s, study.splits)) });
  if (study.compressions.length > 0) charts.push({ name: 'fl_compression', spec: compressionChart(compressionRows(s, study.compressions, study.testSize)) });
  return charts;
}

/**
 * An accuracy over seeds: "92.5% ± 0.4" (the half-width in percentage points); "54.2% [0.0, 100.0]"
 * when its interval was cut to [0, 1] ({@link withinUnit}: no longer symmetric); the mean alone
 * without an interval.
 */
function withInterval(e: Pick<Estimate, 'mean' | 'low' | 'high'>): string {
  if (!Number.isFinite(e.mean)) return '–';
  if (!(Number.isFinite(e.low) && Number.isFinite(e.high))) return percent(e.mean);
  const cut = withinUnit(e as Estimate);
  const points = (x: number) => (x * 100).toFixed(1);
  if (Math.abs(cut.high - e.mean - (e.mean - cut.low)) > 1e-12) return `${percent(e.mean)} [${points(cut.low)}, ${points(cut.high)}]`;
  return `${percent(e.mean)} ± ${points(cut.high - e.mean)}`;
}

/** "+3.6 [+2.9, +4.3] points": a mean difference and its interval, in percentage points. */
function pointsWithInterval(e: Pick<Estimate, 'mean' | 'low' | 'high'>): string {
  const p = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`;
  if (!Number.isFinite(e.mean)) return '–';
  return Number.isFinite(e.low) ? `${p(e.mean)} [${p(e.low)}, ${p(e.high)}] points` : `${p(e.mean)} points`;
}

/** The console's account of the study: which run the world tables above show, the claim per split, the compression study. */
export function studyReport(study: FederatedStudy, rounds: number): string[] {
  const n = study.seeds.length;
  const lines = [
    '',
    `  federated learning (real training on MNIST; accuracy on the held-out digits), over ${n} seed${n === 1 ? '' : 's'} (${seedRange(study.splits)}):` +
      ' mean ± half-width of the 95% confidence interval, in points',
    table(
      ['split', 'rounds aggregated', 'sim time', 'federated', 'local-only mean', 'local-only worst', 'centralized', 'margin over local-only (95% CI)', '+5 points?'],
      byConfiguration(study.splits).map((g) => {
        const margin = estimate(g.map((o) => o.accuracy - o.localOnly.mean));
        return [
          g[0].split,
          `${Number(estimate(g.map((o) => aggregatedRounds(o.rounds))).mean.toPrecision(3))}/${rounds}`,
          seconds(estimate(g.map((o) => o.rounds[o.rounds.length - 1]?.end_s ?? NaN)).mean),
          withInterval(estimate(g.map((o) => o.accuracy))),
          withInterval(estimate(g.map((o) => o.localOnly.mean))),
          withInterval(estimate(g.map((o) => o.localOnly.worst))),
          withInterval(estimate(g.map((o) => o.centralized))),
          pointsWithInterval(margin),
          g.some((o) => aggregatedRounds(o.rounds) === 0) ? 'inconclusive (a run learned nothing)' : noSpread(margin) ? 'inconclusive (no spread)' : collaborationVerdict(margin),
        ];
      }),
    ),
  ];
  if (n < 2) lines.push('  one seed gives no confidence interval: every claim is inconclusive (set learning.replications ≥ 2)');
  if (study.compressions.length > 0) {
    const rows = compressionRows(study.scenario, study.compressions, study.testSize);
    lines.push('', `  update compression on the ${rows[0].split} split (accuracy change against ${rows[0].reference}, paired by seed):`);
    lines.push(
      table(
        ['compression', 'accuracy', 'change (95% CI)', 'judged', 'uploaded', 'mean round', 'updates used'],
        rows.map((r, i) => {
          const change = { mean: Number(r.accuracy_change_fraction_mean), low: Number(r.accuracy_change_fraction_ci95_low), high: Number(r.accuracy_change_fraction_ci95_high) };
          const accuracy = { mean: Number(r.final_accuracy_mean), low: Number(r.final_accuracy_ci95_low), high: Number(r.final_accuracy_ci95_high) };
          return [
            String(r.compression),
            withInterval(accuracy),
            i === 0 ? '–' : pointsWithInterval(change),
            String(r.accuracy_change),
            `${(Number(r.bytes_up_total_mean) / 1e6).toFixed(1)} MB`,
            seconds(Number(r.round_time_mean_s_mean)),
            String(Number(r.client_updates_used_mean)),
          ];
        }),
      ),
    );
  }
  return lines;
}
