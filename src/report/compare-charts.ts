import type { TopLevelSpec } from 'vega-lite';
import { QuantileSketch } from '../core/stats.ts';
import { COMPARE_METRICS } from '../metrics/compare.ts';
import { LATENCY_QUANTILES, type Row } from '../metrics/summary.ts';
import { quantileRowsAsCdf, seriesLatencyCdfChart } from './cdf.ts';
import { CONFIG, SCHEMA } from './charts.ts';
import type { Comparison } from './compare.ts';
import { seedLabel } from './fl-charts.ts';

/*
 * Per-arm charts of `edelear compare`: a figure of compare.csv per arm as a bar with its 95%
 * interval (energy per request), and each arm's latency distribution over all its seeds
 * (compare_latency.csv, from the runs' quantile sketches merged per arm).
 */

/** Columns of compare_latency.csv, in order. */
export const COMPARE_LATENCY_COLUMNS = ['scenario', 'seeds', 'arm', 'role', 'same_as', 'requests', 'quantile', 'latency_s'] as const;

/**
 * compare_latency.csv: per arm and quantile (latency.csv's: every percentile and p99.9), the
 * latency of all completed requests of the arm's runs on every seed together — the runs'
 * latency sketches (0.5% relative accuracy) merged, so a quantile is of the pooled requests, not a
 * mean of per-seed quantiles. An arm with `same_as` repeats that arm's rows. Runs without a
 * sketch (none completed) add nothing; an arm with no completed request has blank latencies.
 */
export function compareLatencyRows(c: Comparison): Row[] {
  const seeds = seedLabel(c.seeds);
  return c.outcomes.flatMap((o) => {
    const pooled = new QuantileSketch();
    for (const r of o.runs) if (r.latencySketch) pooled.merge(r.latencySketch);
    return LATENCY_QUANTILES.map(
      (q): Row => ({ scenario: c.scenario, seeds, arm: o.arm.name, role: o.arm.role, same_as: o.sameAs ?? '', requests: pooled.count, quantile: q, latency_s: pooled.count > 0 ? pooled.quantile(q) : '' }),
    );
  });
}

/**
 * Latency CDF per arm from compare_latency.csv: arms with `same_as` are left out (their curve is
 * the named arm's), and so is an arm whose percentiles are all equal to an earlier arm's (another
 * configuration that ran the same: helper-95, EDeLeaR's curve lay hidden under compression-none's);
 * the rest one line each, EDeLeaR first, and drawn again over the others, thick and black.
 */
export function compareLatencyCdfChart(latencyRows: readonly Row[]): TopLevelSpec {
  const mine = latencyRows.filter((r) => r.same_as === '' || r.same_as === undefined);
  const sameAs = [...new Set(latencyRows.filter((r) => r.same_as !== '' && r.same_as !== undefined).map((r) => `${r.arm} = ${r.same_as}`))];
  // Arms whose every percentile equals an earlier arm's: one curve, said.
  const curveOf = new Map<string, string>();
  for (const r of mine) curveOf.set(String(r.arm), `${curveOf.get(String(r.arm)) ?? ''}${r.quantile}:${r.latency_s};`);
  const firstWith = new Map<string, string>();
  const equal: string[] = [];
  const hidden = new Set<string>();
  for (const [arm, curve] of curveOf) {
    const earlier = firstWith.get(curve);
    if (earlier === undefined) firstWith.set(curve, arm);
    else {
      hidden.add(arm);
      equal.push(`${arm} = ${earlier}`);
    }
  }
  const own = mine.filter((r) => !hidden.has(String(r.arm)));
  const reference = latencyRows.find((r) => r.role === 'reference');
  const notes = [
    ...(sameAs.length > 0 ? [`not drawn, the same runs as another arm: ${sameAs.join(', ')}`] : []),
    ...(equal.length > 0 ? [`not drawn, every percentile equal to an earlier arm's (another configuration that ran the same): ${equal.join(', ')}`] : []),
  ];
  const first = latencyRows[0];
  return seriesLatencyCdfChart(
    quantileRowsAsCdf(own, 'arm'),
    {
      seriesTitle: 'arm',
      points: 'the percentiles of merged quantile sketches (0.5% relative accuracy)',
      source: 'compare_latency.csv: percentiles 1–99 and p99.9 of every completed request of an arm over all its seeds (merged quantile sketches, 0.5% relative accuracy)',
      subtitle: first
        ? [`scenario ${first.scenario}, seeds ${first.seeds}: every completed request of an arm's seeds together`, ...(equal.length > 0 ? [`one curve for arms with equal percentiles: ${equal.join(', ')}`] : [])]
        : 'no data: compare_latency.csv has no rows',
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
      ...(reference ? { emphasize: String(reference.arm) } : {}),
    },
  );
}

/** Role colours of the arms. */
const ROLES = { domain: ['reference', 'baseline', 'ablation', 'whole-baseline'], range: ['#54a24b', '#4c78a8', '#f58518', '#9d9d9d'] };

/**
 * One figure of compare.csv per arm (default: energy per request): the mean over the seeds as a
 * bar coloured by the arm's role and its 95% Student-t interval as an error bar, arms in the file's
 * order (EDeLeaR first). The interval is each arm's own, not the paired difference (compare.png has those).
 */
export function armMetricChart(compareRows: readonly Row[], metric = 'energy_per_request_J'): TopLevelSpec {
  const info = COMPARE_METRICS.find((m) => m.metric === metric);
  const rows = compareRows
    .filter((r) => r.metric === metric)
    .map((r) => {
      const num = (v: unknown) => (v === '' || v === undefined || !Number.isFinite(Number(v)) ? null : Number(v));
      return { arm: String(r.arm), role: String(r.role), same_as: String(r.same_as ?? ''), n: r.n, mean: num(r.mean), low: num(r.ci95_low), high: num(r.ci95_high), unit: String(r.unit ?? '') };
    });
  const arms = rows.map((r) => r.arm);
  const unit = rows[0]?.unit ?? info?.unit ?? '';
  const label = info?.label ?? metric;
  const xTitle = `${label}, mean over seeds (${unit})`;
  const y = { field: 'arm', type: 'nominal' as const, title: null, sort: arms };
  const first = compareRows[0];
  return {
    $schema: SCHEMA,
    description:
      `${label} per arm of the comparison: the mean over the seeds (bar) with its 95% Student-t confidence interval (error bar). ` +
      `Data: compare.csv, rows of metric ${metric} (columns arm, role, same_as, n, mean, ci95_low, ci95_high).`,
    title: {
      text: `${label[0].toUpperCase()}${label.slice(1)} per arm`,
      subtitle: first ? [`scenario ${first.scenario}, seeds ${first.seeds}: mean and 95% confidence interval (Student t)`] : ['no data'],
    },
    width: 380,
    height: { step: 16 },
    data: { values: rows },
    layer: [
      {
        transform: [{ filter: 'isValid(datum.mean)' }],
        mark: { type: 'bar', opacity: 0.85 },
        encoding: {
          y,
          x: { field: 'mean', type: 'quantitative', title: xTitle, scale: { zero: true } },
          color: { field: 'role', type: 'nominal', title: 'role', scale: ROLES, legend: { orient: 'bottom', direction: 'horizontal' } },
          tooltip: [
            { field: 'arm', type: 'nominal' },
            { field: 'role', type: 'nominal' },
            { field: 'same_as', type: 'nominal', title: 'same runs as' },
            { field: 'mean', type: 'quantitative', title: `mean (${unit})`, format: '.4~g' },
            { field: 'low', type: 'quantitative', title: '95% CI low', format: '.4~g' },
            { field: 'high', type: 'quantitative', title: '95% CI high', format: '.4~g' },
            { field: 'n', type: 'quantitative', title: 'seeds' },
          ],
        },
      },
      {
        transform: [{ filter: 'isValid(datum.low) && isValid(datum.high)' }],
        mark: { type: 'errorbar', ticks: true, thickness: 1.5 },
        encoding: { y, x: { field: 'low', type: 'quantitative', title: xTitle }, x2: { field: 'high' }, color: { value: '#222' } },
      },
    ],
    config: CONFIG,
  };
}
