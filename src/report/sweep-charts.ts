import type { TopLevelSpec } from 'vega-lite';
import type { Row } from '../metrics/summary.ts';
import { CONFIG, SCHEMA } from './charts.ts';

/*
 * Charts of a sweep's summary.csv: one row per point of the sweep (its parameter values) and
 * policy, with `replications` and, per metric NAME, the mean over the replications and its 95%
 * Student-t interval as NAME_mean, NAME_ci95_low and NAME_ci95_high (metrics/confidence.ts
 * estimateColumns). Parameter columns are named by their scenario path
 * (`workloads[0].arrivals.poisson`). Pure: rows in, spec out.
 */

/** Columns of summary.csv that are neither parameters nor metrics. */
const LABEL_COLUMNS = new Set(['policy', 'replications', 'incomplete', 'warned', 'sweep', 'scenario', 'seeds', 'n', 'failures', 'runs']);

const METRIC_SUFFIXES = ['_mean', '_ci95_low', '_ci95_high', '_n'] as const;

/** What a summary.csv holds: its parameter columns (in order) and its metric names (NAME of NAME_mean). */
export interface SweepColumns {
  readonly parameters: readonly string[];
  readonly metrics: readonly string[];
}

/** The parameter columns and metric names of summary.csv rows (metric: a NAME with NAME_mean; parameter: any other column not a label). */
export function sweepColumns(rows: readonly Row[]): SweepColumns {
  const columns = rows.length > 0 ? Object.keys(rows[0]) : [];
  const metrics = columns.filter((c) => c.endsWith('_mean')).map((c) => c.slice(0, -'_mean'.length));
  const metricColumns = new Set(metrics.flatMap((m) => METRIC_SUFFIXES.map((s) => m + s)));
  const parameters = columns.filter((c) => !LABEL_COLUMNS.has(c) && !metricColumns.has(c));
  return { parameters, metrics };
}

/** A number read from a parameter's cell: a plain number, or a number with a unit ("5/s", "100 Mbit/s"). */
function leadingNumber(v: unknown): { value: number; unit: string } | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? { value: v, unit: '' } : undefined;
  const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*(.*?)\s*$/i.exec(String(v));
  if (!m) return undefined;
  const value = Number(m[1]);
  return Number.isFinite(value) ? { value, unit: m[2] } : undefined;
}

/**
 * How a metric's values are shown: seconds in ms, ratios in %, others as they are; the unit
 * named from the metric's suffix as the CSV columns name units.
 */
function metricScale(metric: string): { factor: number; unit: string; percent: boolean } {
  if (metric.endsWith('_per_s')) return { factor: 1, unit: '1/s', percent: false };
  if (metric.endsWith('_s')) return { factor: 1000, unit: 'ms', percent: false };
  if (metric.endsWith('_ratio') || metric.endsWith('_fraction') || metric.startsWith('accuracy') || metric.endsWith('_accuracy')) return { factor: 1, unit: '%', percent: true };
  if (metric.endsWith('_J')) return { factor: 1, unit: 'J', percent: false };
  if (metric.endsWith('_W')) return { factor: 1, unit: 'W', percent: false };
  if (metric.endsWith('_bytes')) return { factor: 1, unit: 'bytes', percent: false };
  return { factor: 1, unit: '', percent: false };
}

/** A ratio's bound cut to [0, 1] (null stays null). */
function clip(v: number | null): number | null {
  return v === null ? null : Math.min(1, Math.max(0, v));
}

/**
 * A metric's column name in words, without the unit suffix {@link metricScale} shows in its place
 * (`latency_mean_s` → "latency mean": it read "latency_mean_s (ms)", helper-79 and helper-80).
 */
export function metricWords(metric: string): string {
  return metric.replace(/_(per_s|s|J|W|bytes)$/, '').replaceAll('_', ' ');
}

/** What to draw. */
export interface SweepChartOptions {
  /** The swept parameter on the x axis (a parameter column). */
  readonly parameter: string;
  /** The metric on the y axis (NAME of NAME_mean). */
  readonly metric: string;
  /** The x axis title (default: the parameter's path, with the unit its values carry). */
  readonly parameterTitle?: string;
  /** The y axis title without unit (default: the metric's name). */
  readonly metricTitle?: string;
  /** The chart's title. */
  readonly title?: string;
}

/** Above this ratio of largest to least positive value a numeric parameter's axis is logarithmic (a log range). */
const LOG_RATIO = 100;

/**
 * A sweep metric against a swept parameter: per policy (colour) its mean over the replications
 * at each point as dots joined by straight lines, and its 95% confidence interval (the
 * NAME_ci95_low and NAME_ci95_high columns) as a band; a point without an interval (one
 * replication) has no band. Other parameters that vary in the rows become part of the series
 * (`policy, path=value`), so lines never join points of different configurations. A numeric
 * parameter (or numbers with one unit, "5/s") is a quantitative axis, logarithmic when it spans more
 * than two decades; any other an ordinal axis in the rows' order.
 */
export function sweepMetricChart(summaryRows: readonly Row[], options: SweepChartOptions): TopLevelSpec {
  const { parameter, metric } = options;
  const columns = sweepColumns(summaryRows);
  if (summaryRows.length > 0 && !columns.parameters.includes(parameter)) throw new Error(`summary.csv has no parameter column "${parameter}" (it has ${columns.parameters.join(', ') || 'none'})`);
  if (summaryRows.length > 0 && !columns.metrics.includes(metric)) throw new Error(`summary.csv has no metric "${metric}" (no column ${metric}_mean; it has ${columns.metrics.join(', ') || 'none'})`);
  const others = columns.parameters.filter((p) => p !== parameter && new Set(summaryRows.map((r) => String(r[p]))).size > 1);
  const parsed = summaryRows.map((r) => leadingNumber(r[parameter]));
  const units = new Set(parsed.map((p) => p?.unit));
  const numeric = summaryRows.length > 0 && parsed.every((p) => p !== undefined) && units.size === 1;
  const unit = numeric ? [...units][0] : '';
  const { factor, unit: metricUnit, percent } = metricScale(metric);
  const num = (v: unknown): number | null => (v === '' || v === undefined || v === null || !Number.isFinite(Number(v)) ? null : Number(v) * factor);
  const values = summaryRows.map((r, i) => ({
    series: [String(r.policy ?? ''), ...others.map((p) => `${p}=${r[p]}`)].filter((s) => s !== '').join(', ') || metric,
    x: numeric ? parsed[i]!.value : String(r[parameter]),
    parameter_value: String(r[parameter]),
    y: num(r[`${metric}_mean`]),
    // A ratio's interval is cut to [0, 1], where its values lie (helper-95: a band below 0 % of misses).
    low: percent ? clip(num(r[`${metric}_ci95_low`])) : num(r[`${metric}_ci95_low`]),
    high: percent ? clip(num(r[`${metric}_ci95_high`])) : num(r[`${metric}_ci95_high`]),
    replications: r.replications ?? '',
  }));
  const xs = values.map((v) => v.x).filter((x): x is number => typeof x === 'number' && x > 0);
  const log = numeric && xs.length === values.length && xs.length > 0 && Math.max(...xs) / Math.min(...xs) > LOG_RATIO;
  const parameterTitle = options.parameterTitle ?? `${parameter}${unit ? ` (${unit}${log ? ', log scale' : ''})` : log ? ' (log scale)' : ''}`;
  const metricTitle = `${options.metricTitle ?? metricWords(metric)}${metricUnit ? ` (${metricUnit})` : ''}`;
  const x = numeric
    ? { field: 'x', type: 'quantitative' as const, title: parameterTitle, scale: log ? { type: 'log' as const } : { zero: false } }
    : { field: 'x', type: 'ordinal' as const, title: parameterTitle, sort: [...new Set(values.map((v) => String(v.x)))] };
  const yAxis = percent ? { format: '~%' } : {};
  const series = [...new Set(values.map((v) => v.series))];
  const color = { field: 'series', type: 'nominal' as const, title: others.length > 0 ? `policy, ${others.join(', ')}` : 'policy', sort: series, legend: { orient: 'bottom' as const, direction: 'horizontal' as const, columns: 2, symbolOpacity: 1, symbolStrokeWidth: 2 } };
  const reps = [...new Set(values.map((v) => String(v.replications)).filter((r) => r !== ''))];
  return {
    $schema: SCHEMA,
    description:
      `${options.metricTitle ?? metric} against the swept parameter ${parameter}, per ${others.length > 0 ? `policy and ${others.join(', ')}` : 'policy'}: ` +
      'the mean over the replications (dots, joined by straight lines) and its 95% Student-t confidence interval (band). ' +
      `Data: summary.csv (columns ${parameter}, policy, replications, ${metric}_mean, ${metric}_ci95_low, ${metric}_ci95_high).`,
    title: {
      text: options.title ?? `${options.metricTitle ?? metricWords(metric)} against ${parameter}`,
      subtitle: [`mean over ${reps.length === 1 ? `${reps[0]} replications` : reps.length > 1 ? `${reps.join(' or ')} replications` : 'replications'}; band: 95% confidence interval (Student t)${percent ? ', cut to 0–100 %' : ''}`],
    },
    width: 460,
    height: 260,
    data: { values },
    layer: [
      {
        transform: [{ filter: 'isValid(datum.low) && isValid(datum.high)' }],
        mark: { type: 'area', opacity: 0.18 },
        encoding: { x, y: { field: 'low', type: 'quantitative', title: metricTitle }, y2: { field: 'high' }, color },
      },
      {
        transform: [{ filter: 'isValid(datum.y)' }],
        mark: { type: 'line', point: { filled: true, size: 40 }, strokeWidth: 2 },
        encoding: {
          x,
          y: { field: 'y', type: 'quantitative', title: metricTitle, scale: { zero: false }, axis: yAxis },
          color,
          tooltip: [
            { field: 'series', type: 'nominal', title: 'series' },
            { field: 'parameter_value', type: 'nominal', title: parameter },
            { field: 'y', type: 'quantitative', title: `mean${metricUnit ? ` (${metricUnit})` : ''}`, format: percent ? '.2%' : '.4~g' },
            { field: 'low', type: 'quantitative', title: '95% CI low', format: percent ? '.2%' : '.4~g' },
            { field: 'high', type: 'quantitative', title: '95% CI high', format: percent ? '.2%' : '.4~g' },
            { field: 'replications', type: 'nominal', title: 'replications' },
          ],
        },
      },
    ],
    config: CONFIG,
  };
}

/** A parameter that sets the offered load: an arrival rate or a count of sources (first match), or undefined. */
export function loadParameter(parameters: readonly string[]): string | undefined {
  return parameters.find((p) => /arrivals|rate|load/i.test(p)) ?? parameters.find((p) => /count/i.test(p));
}

/** p95 latency (the `latency_p95_s` metric) against a load parameter, per policy, with its 95% CI band. */
export function p95AgainstLoadChart(summaryRows: readonly Row[], parameter: string): TopLevelSpec {
  return sweepMetricChart(summaryRows, { parameter, metric: 'latency_p95_s', metricTitle: 'latency p95', title: 'p95 latency against load' });
}
