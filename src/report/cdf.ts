import type { TopLevelSpec } from 'vega-lite';
import type { Row } from '../metrics/summary.ts';
import { CONFIG, SCHEMA } from './charts.ts';

/*
 * Latency distributions as empirical CDFs, one line per policy (a compare arm, a sweep's policy, a
 * workload). A chart of 10^5 raw samples would hand vega 10^5 marks; instead the CDF is computed
 * here, exactly, at no more than {@link CDF_POINTS} points, and drawn as the step function it is.
 */

/** Points an empirical CDF is reduced to: one per 0.1% of probability, below a pixel of a 300 px tall chart. */
export const CDF_POINTS = 1000;

/** One point of an empirical CDF: F(x) = the fraction of samples ≤ x, exactly. */
export interface CdfPoint {
  readonly x: number;
  readonly fraction: number;
}

/**
 * The empirical CDF of `samples` (NaN left out) at no more than `maxPoints` + 1 of its own jump
 * points: the least sample, and for p = 1/m, 2/m, …, 1 the p-quantile of the inverse empirical CDF
 * (the least sample x with F(x) ≥ p, Hyndman and Fan's type 1), each with its exact F(x). Drawn as
 * a step after each point, the curve is never above the true ECDF and is below it by less than
 * 1/m anywhere: between two points F rises by less than the grid step.
 */
export function empiricalCdf(samples: ArrayLike<number>, maxPoints = CDF_POINTS): CdfPoint[] {
  const sorted = Float64Array.from(samples).filter((v) => !Number.isNaN(v)).sort();
  const n = sorted.length;
  if (n === 0) return [];
  // F at x = sorted[i]: (index of the last sample equal to it + 1) / n.
  const at = (i: number): CdfPoint => {
    let last = i;
    while (last + 1 < n && sorted[last + 1] === sorted[i]) last++;
    return { x: sorted[i], fraction: (last + 1) / n };
  };
  const m = Math.max(1, Math.min(maxPoints, n));
  const points: CdfPoint[] = [at(0)];
  for (let j = 1; j <= m; j++) {
    // Least i with (i + 1) / n ≥ j / m, in integers so that no rounding moves a point.
    const i = Math.ceil((j * n) / m) - 1;
    const p = at(i);
    if (p.x !== points[points.length - 1].x) points.push(p);
  }
  return points;
}

/** The rows of {@link seriesLatencyCdfChart}: per series, its CDF points (x in seconds). */
export function cdfRows(series: string, samples: ArrayLike<number>, maxPoints = CDF_POINTS): Row[] {
  return empiricalCdf(samples, maxPoints).map((p) => ({ series, latency_s: p.x, fraction: p.fraction }));
}

/** Quantile rows (`series`, `quantile`, `latency_s`, as latency.csv and compare_latency.csv hold them) as CDF rows. */
export function quantileRowsAsCdf(rows: readonly Row[], seriesColumn: string): Row[] {
  const out: Row[] = [];
  for (const r of rows) {
    const q = Number(r.quantile);
    const x = r.latency_s === '' ? NaN : Number(r.latency_s);
    if (!Number.isFinite(q) || !Number.isFinite(x)) continue;
    out.push({ series: String(r[seriesColumn]), latency_s: x, fraction: q });
  }
  return out;
}

/** What a latency CDF chart says about its data. */
export interface CdfChartOptions {
  /** The legend's title: what a series is (policy, arm, workload). */
  readonly seriesTitle: string;
  /** Where the rows come from and how they were made, for the description and subtitle. */
  readonly source: string;
  /** Lines under the title (scenario, seeds). */
  readonly subtitle?: string | readonly string[];
  /** A further line of the description (not the subtitle: it may be long), e.g. series left out. */
  readonly note?: string;
  /** Series order in the legend (default: first appearance). */
  readonly order?: readonly string[];
  /** What the steps are drawn at (default: the exact CDF points of the samples; quantile rows say they come from a sketch). */
  readonly points?: string;
  /** A series drawn again over the others, thick and black (the reference arm), so no other hides it. */
  readonly emphasize?: string;
}

/** Pixels per legend entry (11 px labels). */
const LEGEND_LINE = 16;

/** Above this ratio of largest to least latency the axis turns logarithmic (two decades). */
const LOG_RATIO = 100;

/** Stroke dashes of each run of 20 series (solid, dashed, dotted). */
const DASH_PATTERNS: readonly (readonly number[])[] = [[1, 0], [6, 3], [2, 2]];

/**
 * Latency CDF per series (rows: series, latency_s, fraction — from {@link cdfRows} or
 * {@link quantileRowsAsCdf}): the fraction of completed requests with latency at most x against
 * x in ms, a step after each point (no interpolation invents a latency between two known
 * points), one colour per series. The x axis is logarithmic when latencies span more than two decades.
 */
export function seriesLatencyCdfChart(rows: readonly Row[], options: CdfChartOptions): TopLevelSpec {
  const values = rows.filter((r) => Number.isFinite(Number(r.latency_s)) && Number.isFinite(Number(r.fraction)));
  const order = options.order ?? [...new Set(values.map((r) => String(r.series)))];
  const xs = values.map((r) => Number(r.latency_s)).filter((v) => v > 0);
  const log = xs.length > 0 && Math.max(...xs) / Math.min(...xs) > LOG_RATIO;
  const x = {
    field: 'latency_ms',
    type: 'quantitative' as const,
    title: `latency (ms${log ? ', log scale' : ''})`,
    scale: log ? { type: 'log' as const, nice: false } : { zero: false },
  };
  const emphasized = options.emphasize !== undefined && order.includes(options.emphasize);
  const { mark, over, encoding } = seriesLines(order, options, x);
  return {
    $schema: SCHEMA,
    description:
      `Empirical CDF of request latency per ${options.seriesTitle}: the fraction of completed requests whose latency is at most x, against x in ms, drawn as steps. ` +
      `Data (inline, columns series, latency_s, fraction): ${options.source}.${options.note ? ` ${options.note}.` : ''}`,
    title: {
      text: `Latency distribution per ${options.seriesTitle}`,
      subtitle: [
        ...(options.subtitle === undefined ? [] : typeof options.subtitle === 'string' ? [options.subtitle] : options.subtitle),
        `steps at ${options.points ?? 'the exact CDF points'}; p = fraction of requests within x`,
        ...(emphasized ? [`${options.emphasize} drawn again over the others, thick and black`] : []),
      ],
    },
    width: 460,
    // Tall enough for a legend line per series.
    height: Math.max(260, LEGEND_LINE * order.length),
    data: { values },
    transform: [{ calculate: 'datum.latency_s * 1000', as: 'latency_ms' }],
    ...(emphasized ? { layer: [{ mark, encoding }, over] } : { mark, encoding }),
    config: CONFIG,
  } as TopLevelSpec;
}

/** The series' lines (their marks and encodings), for {@link seriesLatencyCdfChart}. */
function seriesLines(order: readonly string[], options: CdfChartOptions, x: object) {
  const y = { field: 'fraction', type: 'quantitative' as const, title: 'requests completed within latency (%)', scale: { domain: [0, 1] }, axis: { format: '~%' } };
  const mark = { type: 'line' as const, interpolate: 'step-after' as const, strokeWidth: 1.5 };
  const over = {
    transform: [{ filter: { field: 'series', equal: options.emphasize ?? '' } }],
    mark: { type: 'line' as const, interpolate: 'step-after' as const, strokeWidth: 3, color: 'black' },
    encoding: { x, y, order: { field: 'latency_s', type: 'quantitative' as const } },
  };
  return {
    mark,
    over,
    encoding: {
      x,
      y,
      color: { field: 'series', type: 'nominal', title: options.seriesTitle, sort: [...order], scale: { scheme: order.length > 10 ? 'category20' : 'tableau10' }, legend: { orient: 'right', labelLimit: 220 } },
      // Past the palette's 20 colours a colour repeats: the second twenty are dashed (one legend, merged), so no two series look alike.
      ...(order.length > 20
        ? {
            strokeDash: {
              field: 'series',
              type: 'nominal' as const,
              title: options.seriesTitle,
              sort: [...order],
              scale: { domain: [...order], range: order.map((_, i) => [...DASH_PATTERNS[Math.floor(i / 20) % DASH_PATTERNS.length]]) },
            },
          }
        : {}),
      order: { field: 'latency_s', type: 'quantitative' },
      tooltip: [
        { field: 'series', type: 'nominal', title: options.seriesTitle },
        { field: 'latency_ms', type: 'quantitative', title: 'latency (ms)', format: '.4~r' },
        { field: 'fraction', type: 'quantitative', title: 'fraction within', format: '.2%' },
      ],
    },
  };
}
