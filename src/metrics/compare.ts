import { SKETCH_RELATIVE_ACCURACY as LATENCY_SKETCH_ACCURACY } from '../core/stats.ts';
import { type Estimate, estimate } from './confidence.ts';
import type { Row, RunTables } from './summary.ts';

/**
 * Comparing configurations ("arms": EDeLeaR, its baselines, its ablations) run on the same seeds.
 * Each run is reduced to a few figures read from its summary tables ({@link COMPARE_METRICS});
 * over the seeds an arm gets, per figure, its mean with a Student-t 95% interval, and the paired
 * difference against the reference arm: seed by seed arm − reference, then the mean of those
 * differences and their own Student-t interval. Arms run on common random numbers (the same
 * arrivals, inputs and compute times per seed), so the pairing removes the variation the seeds
 * share and the paired interval is much narrower than the two arms' intervals side by side
 * (Law, Simulation Modeling and Analysis, 5th ed., §10.2.1, the paired-t confidence interval).
 */

/** Which way a figure is better: lower (latency, energy, misses), higher (throughput), or neither (utilization: busy is both a use and a cost). */
export type Better = 'lower' | 'higher' | 'neither';

/** One figure a comparison reads from each run. */
export interface CompareMetric {
  /** Its name in compare.csv, with its unit as a suffix the way the run's CSV files name columns. */
  readonly metric: string;
  readonly unit: string;
  readonly better: Better;
  /**
   * Relative resolution of the figure: a quantile read from the latency sketch is the middle of
   * one of its logarithmic buckets, so it is known only to within this fraction of its value
   * ({@link resolutionHalfWidth}), and two such figures of one true value can differ by up to
   * {@link resolutionBound} (one bucket). Absent: exact.
   */
  readonly resolution?: number;
  /** What it is, as the console's legend and the chart say it. */
  readonly label: string;
  /** Its value in one run (NaN when the run has none, e.g. a latency when nothing completed). */
  read(tables: RunTables): number;
}

/** The figures of one run, by metric name. */
export type RunFigures = Readonly<Record<string, number>>;

/** The `(all)` row of requests.csv: every workload together. */
function allRequests(tables: RunTables): Row {
  const row = tables.requests.find((r) => r.workload === '(all)');
  if (!row) throw new Error('a comparison needs a run with inference workloads (requests.csv has no (all) row)');
  return row;
}

/** A cell as a number: '' and absent cells are NaN. */
function cell(row: Row, column: string): number {
  const v = row[column];
  return v === undefined || v === '' ? NaN : Number(v);
}

/**
 * Mean utilization_ratio of the nodes that computed: served at least one request or job in the
 * measurement window. Nodes that only forward (gateways) or sat idle are left out, so "all on the
 * devices" and "all on one edge server" are each judged on the nodes they used.
 */
export function computingUtilization(nodes: readonly Row[]): number {
  let sum = 0;
  let n = 0;
  for (const node of nodes) {
    if (!(cell(node, 'served') > 0)) continue;
    sum += cell(node, 'utilization_ratio');
    n++;
  }
  return n > 0 ? sum / n : NaN;
}

/** The figures every comparison reads, in the order compare.csv and the console give them. */
export const COMPARE_METRICS: readonly CompareMetric[] = [
  { metric: 'latency_mean_s', unit: 's', better: 'lower', label: 'latency mean', read: (t) => cell(allRequests(t), 'latency_mean_s') },
  { metric: 'latency_p95_s', unit: 's', better: 'lower', resolution: LATENCY_SKETCH_ACCURACY, label: 'latency p95', read: (t) => cell(allRequests(t), 'latency_p95_s') },
  { metric: 'latency_p99_s', unit: 's', better: 'lower', resolution: LATENCY_SKETCH_ACCURACY, label: 'latency p99', read: (t) => cell(allRequests(t), 'latency_p99_s') },
  // Per request generated, dropped ones included: a policy that drops more must not look cheaper.
  { metric: 'energy_per_request_J', unit: 'J', better: 'lower', label: 'energy/request', read: (t) => cell(allRequests(t), 'energy_per_generated_J') },
  { metric: 'utilization_ratio', unit: 'ratio', better: 'neither', label: 'utilization', read: (t) => computingUtilization(t.nodes) },
  // A drop, or a request still in flight at the end, is a miss (deadline_met_of_generated counts met of all generated).
  { metric: 'deadline_miss_ratio', unit: 'ratio', better: 'lower', label: 'deadline miss', read: (t) => 1 - cell(allRequests(t), 'deadline_met_of_generated') },
  {
    metric: 'drop_ratio',
    unit: 'ratio',
    better: 'lower',
    label: 'dropped',
    read: (t) => {
      const all = allRequests(t);
      return cell(all, 'dropped') / cell(all, 'generated');
    },
  },
  { metric: 'throughput_per_s', unit: '1/s', better: 'higher', label: 'throughput', read: (t) => cell(allRequests(t), 'throughput_per_s') },
  // Empty until a run reports an accuracy (compression: the accuracy of the variants that served).
  { metric: 'accuracy', unit: 'fraction', better: 'higher', label: 'accuracy', read: (t) => cell(allRequests(t), 'accuracy_top1') },
];

/**
 * Counts of one run that compare_runs.csv gives beside its figures (they are not compared): the
 * requests born in the measurement window that were dropped, and those still in flight when the
 * run ended (queued at a node, computing or on a link: generated − completed − dropped). Latency
 * figures are of completed requests only, so an overloaded arm's latency leaves its in-flight
 * requests out — the requests that waited longest; deadline_miss_ratio counts them as misses.
 */
export const RUN_COUNTS = ['dropped', 'in_flight_at_end'] as const;

/** Reads every {@link COMPARE_METRICS} figure of one run, then its {@link RUN_COUNTS}. */
export function runFigures(tables: RunTables): RunFigures {
  const figures: Record<string, number> = {};
  for (const m of COMPARE_METRICS) figures[m.metric] = m.read(tables);
  const all = allRequests(tables);
  figures.dropped = cell(all, 'dropped');
  figures.in_flight_at_end = cell(all, 'generated') - cell(all, 'completed') - figures.dropped;
  return figures;
}

/**
 * The half-width, in the figure's unit, within which a figure of relative resolution α with value
 * `value` is known: the sketch answers the middle 2γᵏ/(γ + 1) of the bucket (γᵏ⁻¹, γᵏ], γ =
 * (1 + α)/(1 − α), so the value of that rank lies in [value/(1 + α), value/(1 − α)]: up to
 * α/(1 − α) of it away (the wider side). 0 for an exact figure (α = 0).
 */
export function resolutionHalfWidth(value: number, resolution = 0): number {
  return (Math.abs(value) * resolution) / (1 - resolution);
}

/**
 * The largest difference two figures of relative resolution α can show when their true values are
 * equal, as a multiple of |reference|: each is within [x(1 − α), x(1 + α)] of the true x, so they
 * differ by at most 2αx ≤ 2α/(1 − α)·|reference| = (γ − 1)·|reference| — exactly one bucket of the
 * sketch above the reference (a value one bucket below differs by (1 − 1/γ)·|reference|, less).
 */
export function resolutionBound(reference: number, resolution = 0): number {
  return ((2 * resolution) / (1 - resolution)) * Math.abs(reference);
}

/** Seed-by-seed differences arm − reference, summarized. */
export interface PairedDifference extends Estimate {
  /** Mean of the reference over the same pairs (what the relative difference divides by). */
  readonly referenceMean: number;
  /** Every pair's difference is exactly 0 (the arms did the same thing on every seed). */
  readonly allZero: boolean;
}

/**
 * The paired difference of `values` against `reference`, index by index (index i is the same
 * seed in both): the mean of arm − reference and its Student-t 95% interval on n − 1 degrees of
 * freedom. Pairs where either value is not finite are left out (n counts the pairs kept); below
 * two pairs the interval is NaN.
 */
export function pairedDifference(values: readonly number[], reference: readonly number[]): PairedDifference {
  if (values.length !== reference.length) throw new Error(`paired values need the same seeds: ${values.length} against ${reference.length}`);
  const differences: number[] = [];
  let referenceSum = 0;
  for (let i = 0; i < values.length; i++) {
    if (!(Number.isFinite(values[i]) && Number.isFinite(reference[i]))) continue;
    differences.push(values[i] - reference[i]);
    referenceSum += reference[i];
  }
  return {
    ...estimate(differences),
    referenceMean: differences.length > 0 ? referenceSum / differences.length : NaN,
    allZero: differences.length > 0 && differences.every((d) => d === 0),
  };
}

/**
 * How an arm fared against the reference on one figure, the reference named: `EDeLeaR better`, or
 * `as-written better` when the scenario as written uses none of EDeLeaR's own policies.
 */
export type CompareVerdict = 'reference' | `${string} better` | `${string} worse` | `${string} higher` | `${string} lower` | 'no difference' | 'inconclusive';

/** Whether a verdict says the reference is better (`sense` 'better') or worse than the arm, whatever the reference's name. */
export function verdictSays(verdict: string, sense: 'better' | 'worse'): boolean {
  return verdict.endsWith(` ${sense}`);
}

/**
 * Judges a paired difference (arm − reference) on its 95% interval, the reference named
 * `reference` (EDeLeaR by default): when the whole interval lies on one side of 0, the reference is better or worse as the metric's direction says (for a metric with
 * no better direction, higher or lower); when it straddles 0, or there is no interval (n < 2),
 * inconclusive; when every pair is exactly equal, no difference (a figure with a resolution:
 * inconclusive, the same sketch bucket on every seed). A figure with a `resolution`
 * (a relative accuracy α) is also inconclusive when its mean difference is within
 * {@link resolutionBound} of the reference's mean, 2α/(1 − α) of it: two figures of one true value
 * can differ that much (one sketch bucket), so the sketch cannot tell such a difference from 0.
 * (A bound of 2α, as this rule had, let an arm one bucket above the reference on every seed —
 * a difference of 2α/(1 − α) — be judged worse.) The bound gets a relative slack of 1e-9: the
 * difference of two bucket middles is computed in floating point.
 */
export function compareVerdict(d: PairedDifference, better: Better, resolution = 0, reference = 'EDeLeaR'): CompareVerdict {
  // Equal on every seed: for a sketch quantile, the same bucket on every seed, which cannot tell a difference under one bucket from none (helper-79).
  if (d.allZero) return resolution > 0 ? 'inconclusive' : 'no difference';
  if (!(Number.isFinite(d.low) && Number.isFinite(d.high)) || (d.low <= 0 && d.high >= 0)) return 'inconclusive';
  if (resolution > 0 && Math.abs(d.mean) <= resolutionBound(d.referenceMean, resolution) * (1 + 1e-9)) return 'inconclusive';
  const armHigher = d.low > 0;
  if (better === 'neither') return armHigher ? `${reference} lower` : `${reference} higher`;
  const referenceBetter = better === 'lower' ? armHigher : !armHigher;
  return referenceBetter ? `${reference} better` : `${reference} worse`;
}

/** One arm on one figure: its own estimate and, beside the reference, how it differs from it. */
export interface MetricComparison {
  readonly metric: CompareMetric;
  /** Mean and 95% interval over the arm's seeds (its finite values). */
  readonly value: Estimate;
  /** {@link resolutionHalfWidth} of the mean: each seed's value is known to about ± this (0: an exact figure, or no value). */
  readonly resolution: number;
  /**
   * The 95% interval is narrower than {@link resolution} (a figure with a resolution, n ≥ 2): the
   * seeds differ by less than the figure resolves, so the interval understates its uncertainty —
   * a half-width of 0 says every seed's value fell in one sketch bucket, not that they are equal.
   */
  readonly belowResolution: boolean;
  /** arm − reference, paired by seed; absent for the reference itself. */
  readonly difference?: PairedDifference;
  /** The mean difference as a fraction of the reference's mean over the same seeds (0.4: 40% more); NaN where that mean is 0. */
  readonly relative: number;
  readonly verdict: CompareVerdict;
}

/**
 * Every {@link COMPARE_METRICS} figure of an arm: `runs[i]` and `reference[i]` are the same seed.
 * Without a reference the arm is the reference (its verdicts say so); `referenceName` names it in the verdicts. A figure that neither the
 * arm nor the reference has in any run (accuracy before compression reports one) is left out.
 */
export function compareArm(runs: readonly RunFigures[], reference?: readonly RunFigures[], referenceName = 'EDeLeaR'): MetricComparison[] {
  const out: MetricComparison[] = [];
  // Runs equal to the reference's in every figure (the same configuration, or one the scenario makes the same): a sketch quantile equal on every seed is then no difference, not one bucket.
  const sameRuns = reference !== undefined && runs.length === reference.length && runs.every((r, i) => COMPARE_METRICS.every((m) => Object.is(r[m.metric], reference[i][m.metric])));
  for (const metric of COMPARE_METRICS) {
    const values = runs.map((r) => r[metric.metric]);
    const value = estimate(values);
    const resolution = metric.resolution && Number.isFinite(value.mean) ? resolutionHalfWidth(value.mean, metric.resolution) : 0;
    const belowResolution = resolution > 0 && value.n >= 2 && value.halfWidth < resolution;
    if (!reference) {
      if (value.n > 0) out.push({ metric, value, resolution, belowResolution, relative: NaN, verdict: 'reference' });
      continue;
    }
    const referenceValues = reference.map((r) => r[metric.metric]);
    if (value.n === 0 && !referenceValues.some(Number.isFinite)) continue;
    const difference = pairedDifference(values, referenceValues);
    const relative = difference.referenceMean !== 0 ? difference.mean / Math.abs(difference.referenceMean) : NaN;
    out.push({ metric, value, resolution, belowResolution, difference, relative, verdict: compareVerdict(difference, metric.better, sameRuns ? 0 : metric.resolution, referenceName) });
  }
  return out;
}
