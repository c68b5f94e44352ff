import type { TopLevelSpec } from 'vega-lite';
import type { QuantileSketch } from '../core/stats.ts';
import { COMPARE_METRICS, type MetricComparison, RUN_COUNTS, type RunFigures } from '../metrics/compare.ts';
import type { Row } from '../metrics/summary.ts';
import { EDELEAR_ARM } from '../scenario/arm-names.ts';
import type { Arm, SkippedArm } from '../scenario/compare-arms.ts';
import { CONFIG, SCHEMA } from './charts.ts';
import { seedLabel } from './fl-charts.ts';

/*
 * The files of `edelear compare`: compare.csv (tidy, one row per arm × metric: the arm's mean and
 * 95% interval over the seeds with the figure's resolution, the paired difference against EDeLeaR
 * with its interval, the relative difference and the verdict), compare_runs.csv (one row per arm ×
 * seed: its counts — requests dropped and still in flight at the end among them — and every figure
 * of the run), and a Vega-Lite chart of the paired differences.
 */

/** One run of an arm: one seed. */
export interface ArmRun {
  readonly seed: number;
  /** Its {@link COMPARE_METRICS} figures and its {@link RUN_COUNTS}. */
  readonly figures: RunFigures;
  /** Requests born in the measurement window (the same in every arm on a seed: common random numbers). */
  readonly generated: number;
  readonly completed: number;
  /** Why the run stopped before its end; undefined when it ran to the end. */
  readonly stopped?: string;
  readonly events: number;
  /** Wall seconds of its event loop. */
  readonly simulationSeconds: number;
  /** Latency of its completed requests in the window, all workloads (compare_latency.csv merges them per arm). */
  readonly latencySketch?: QuantileSketch;
}

/** An arm that ran: its runs (seed order) and its figures against the reference. */
export interface ArmOutcome {
  readonly arm: Arm;
  readonly runs: readonly ArmRun[];
  /** The earlier arm whose configuration (validated scenario) this arm's is: its runs are that arm's. */
  readonly sameAs?: string;
  readonly comparisons: readonly MetricComparison[];
}

/** What a comparison found: the reference (EDeLeaR) first, then every arm that ran, and the arms skipped with their reasons. */
export interface Comparison {
  readonly scenario: string;
  readonly seeds: readonly number[];
  readonly outcomes: readonly ArmOutcome[];
  readonly skipped: readonly SkippedArm[];
  /** Wall seconds of loading and building every arm's world specs. */
  readonly buildSeconds: number;
}

/** The columns of compare.csv, in order. */
export const COMPARE_COLUMNS = [
  'scenario',
  'seeds',
  'arm',
  'role',
  'same_as',
  'metric',
  'unit',
  'better',
  'n',
  'mean',
  'ci95_low',
  'ci95_high',
  'resolution',
  'below_resolution',
  'difference_n',
  'difference_mean',
  'difference_ci95_low',
  'difference_ci95_high',
  'relative_difference',
  'verdict',
] as const;

/**
 * compare.csv: per arm and metric, its estimate over the seeds and its paired difference against
 * EDeLeaR (arm − EDeLeaR; blank for EDeLeaR itself). `resolution`: ± in the metric's unit within
 * which each seed's value is known (a latency quantile: the sketch's bucket; blank: exact);
 * `below_resolution`: yes when the 95% interval is narrower than that — the seeds differ by less
 * than the figure resolves (a half-width of 0: every seed in one sketch bucket), so the interval
 * understates the uncertainty; no otherwise; blank for an exact figure.
 */
export function compareRows(c: Comparison): Row[] {
  const seeds = seedLabel(c.seeds);
  return c.outcomes.flatMap((o) =>
    o.comparisons.map((m): Row => ({
      scenario: c.scenario,
      seeds,
      arm: o.arm.name,
      role: o.arm.role,
      same_as: o.sameAs ?? '',
      metric: m.metric.metric,
      unit: m.metric.unit,
      better: m.metric.better,
      n: m.value.n,
      mean: m.value.mean,
      ci95_low: m.value.low,
      ci95_high: m.value.high,
      resolution: m.resolution > 0 ? m.resolution : '',
      below_resolution: m.resolution > 0 ? (m.belowResolution ? 'yes' : 'no') : '',
      difference_n: m.difference?.n ?? '',
      difference_mean: m.difference?.mean ?? '',
      difference_ci95_low: m.difference?.low ?? '',
      difference_ci95_high: m.difference?.high ?? '',
      relative_difference: m.relative,
      verdict: m.verdict,
    })),
  );
}

/**
 * The columns of compare_runs.csv, in order: the run's labels, its counts of requests born in the
 * measurement window (generated = completed + dropped + in_flight_at_end: in_flight_at_end are
 * those still queued, computing or on a link when the run ended, which no latency figure counts),
 * then one column per metric.
 */
export const COMPARE_RUN_COLUMNS: readonly string[] = ['scenario', 'arm', 'role', 'same_as', 'seed', 'complete', 'generated', 'completed', ...RUN_COUNTS, ...COMPARE_METRICS.map((m) => m.metric)];

/** compare_runs.csv: one row per arm and seed with its counts and every figure of the run (an arm with `same_as` repeats that arm's runs). */
export function compareRunRows(c: Comparison): Row[] {
  return c.outcomes.flatMap((o) =>
    o.runs.map((r): Row => ({
      scenario: c.scenario,
      arm: o.arm.name,
      role: o.arm.role,
      same_as: o.sameAs ?? '',
      seed: r.seed,
      complete: r.stopped === undefined ? 'yes' : 'no',
      generated: r.generated,
      completed: r.completed,
      ...r.figures,
    })),
  );
}

/** Verdict colours, the reference named as in its verdicts: better green, worse red, undecided orange, the rest grey. */
function verdictColours(ref: string): { domain: string[]; range: string[] } {
  return {
    domain: [`${ref} better`, `${ref} worse`, 'inconclusive', 'no difference', `${ref} higher`, `${ref} lower`],
    range: ['#54a24b', '#e45756', '#f58518', '#9d9d9d', '#4c78a8', '#72b7b2'],
  };
}

/**
 * The differences' axis: short plain numbers ("0", "−0.05", "150"), at most 5 ticks, none drawn
 * over another (helper-80: "0.000000", "−0.050.00"; helper-95: `~g` took the ticks' precision and
 * read "1e+1 … 5e+1").
 */
const DIFFERENCE_AXIS = { format: '~r', tickCount: 5, labelOverlap: true } as const;

/**
 * The paired differences of compare.csv: one panel per metric (its own axis, in its unit), one
 * line per arm, the mean of arm − reference (EDeLeaR, or `as-written`) over the seeds as a dot coloured by the verdict and its
 * 95% interval as an error bar; a grey rule at 0. An interval that misses 0 decides the verdict.
 */
export function compareChart(compareRows: readonly Row[]): TopLevelSpec {
  const rows = compareRows.filter((r) => r.role !== 'reference' && Number.isFinite(Number(r.difference_mean)) && r.difference_mean !== '');
  const label = new Map(COMPARE_METRICS.map((m) => [m.metric, `${m.label} (${m.unit}; ${m.better === 'neither' ? 'no better direction' : `${m.better} is better`})`]));
  const values = rows.map((r): Row => ({ ...r, panel: label.get(String(r.metric)) ?? String(r.metric) }));
  const arms = [...new Set(values.map((r) => String(r.arm)))];
  const first = compareRows[0];
  const ref = String(compareRows.find((r) => r.role === 'reference')?.arm ?? EDELEAR_ARM);
  return {
    $schema: SCHEMA,
    description:
      `Paired differences against ${ref} (compare.csv): per metric, per arm, the mean over seeds of arm − ${ref} on the same seed, with its 95% Student-t confidence interval. ` +
      'Data: compare.csv (columns arm, metric, difference_mean, difference_ci95_low, difference_ci95_high, verdict).',
    title: {
      text: `Each arm against ${ref}, paired by seed (arm − ${ref})`,
      subtitle: first ? [`scenario ${first.scenario}, seeds ${first.seeds}: mean and 95% confidence interval (Student t)`, `right of the grey line: the arm has more of it than ${ref}`] : ['no data'],
    },
    data: { values },
    facet: { row: { field: 'panel', type: 'nominal', title: null, sort: COMPARE_METRICS.map((m) => label.get(m.metric)!), header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top' } } },
    spec: {
      width: 420,
      height: { step: 18 },
      layer: [
        { mark: { type: 'rule', color: '#888' }, encoding: { x: { datum: 0, type: 'quantitative' } } },
        {
          transform: [{ filter: 'isValid(datum.difference_ci95_low) && isValid(datum.difference_ci95_high)' }],
          mark: { type: 'errorbar', ticks: true },
          encoding: {
            y: { field: 'arm', type: 'nominal', sort: arms, title: null },
            x: { field: 'difference_ci95_low', type: 'quantitative', title: `arm − ${ref} (in the panel's unit)`, axis: DIFFERENCE_AXIS },
            x2: { field: 'difference_ci95_high' },
            color: { value: '#333' },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 70, opacity: 1 },
          encoding: {
            y: { field: 'arm', type: 'nominal', sort: arms, title: null },
            x: { field: 'difference_mean', type: 'quantitative', title: `arm − ${ref} (in the panel's unit)`, axis: DIFFERENCE_AXIS },
            color: { field: 'verdict', type: 'nominal', title: 'verdict', scale: verdictColours(ref), legend: { orient: 'bottom', direction: 'horizontal' } },
            tooltip: [
              { field: 'arm', type: 'nominal' },
              { field: 'metric', type: 'nominal' },
              { field: 'verdict', type: 'nominal' },
              { field: 'difference_mean', type: 'quantitative', title: 'difference, mean', format: '.4~g' },
              { field: 'difference_ci95_low', type: 'quantitative', title: '95% CI low', format: '.4~g' },
              { field: 'difference_ci95_high', type: 'quantitative', title: '95% CI high', format: '.4~g' },
              { field: 'relative_difference', type: 'quantitative', title: `relative to ${ref}`, format: '+.1%' },
              { field: 'difference_n', type: 'quantitative', title: 'seeds' },
            ],
          },
        },
      ],
    },
    resolve: { scale: { x: 'independent' } },
    config: CONFIG,
  };
}
