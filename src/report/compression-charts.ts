import type { TopLevelSpec } from 'vega-lite';
import { estimate } from '../metrics/confidence.ts';
import type { Row } from '../metrics/summary.ts';
import { CONFIG, SCHEMA } from './charts.ts';
import { groupBy, seedLabel } from './fl-charts.ts';

/*
 * Accuracy against model size for the compression variants of the measured compression study
 * (compression_study.csv: per seed and variant, the encoded size and the test accuracy of the
 * really compressed model). Pure: rows in, spec out.
 */

/** A compression variant over the seeds of the study (blank: no such figure). */
export interface CompressionVariantRow {
  readonly variant: string;
  readonly seeds: string;
  readonly n: number;
  readonly size_bytes_mean: number | '';
  readonly compression_ratio_mean: number | '';
  readonly test_accuracy_mean: number | '';
  readonly test_accuracy_ci95_low: number | '';
  readonly test_accuracy_ci95_high: number | '';
}

/**
 * The study's rows over seeds, one per variant in first order: mean size_bytes, and the test
 * accuracy's mean with its 95% Student-t interval over the seeds (blank below two seeds).
 */
export function compressionVariantRows(studyRows: readonly Row[]): CompressionVariantRow[] {
  return groupBy(studyRows, (r) => String(r.variant)).map((g) => {
    const size = estimate(g.map((r) => Number(r.size_bytes)));
    const accuracy = estimate(g.map((r) => (r.test_accuracy === '' ? NaN : Number(r.test_accuracy))));
    const blank = (v: number): number | '' => (Number.isFinite(v) ? v : '');
    return {
      variant: String(g[0].variant),
      seeds: g[0].seed === undefined ? '' : seedLabel(g.map((r) => Number(r.seed))),
      n: accuracy.n,
      size_bytes_mean: blank(size.mean),
      compression_ratio_mean: blank(estimate(g.map((r) => Number(r.compression_ratio))).mean),
      test_accuracy_mean: blank(accuracy.mean),
      test_accuracy_ci95_low: blank(accuracy.low),
      test_accuracy_ci95_high: blank(accuracy.high),
    };
  });
}

/**
 * Test accuracy against the encoded model size, one point per compression variant (colour and
 * legend), with the accuracy's 95% interval over the seeds as an error bar. Size in kB (SI),
 * logarithmic when the variants span more than one decade.
 */
export function accuracyVsSizeChart(studyRows: readonly Row[]): TopLevelSpec {
  const rows = compressionVariantRows(studyRows).map((r) => ({
    ...r,
    size_kB: r.size_bytes_mean === '' ? null : Number(r.size_bytes_mean) / 1000,
    accuracy: r.test_accuracy_mean === '' ? null : Number(r.test_accuracy_mean),
    // An accuracy lies in [0, 1]: the interval is drawn clipped to it (few seeds give t intervals wider than that).
    low: r.test_accuracy_ci95_low === '' ? null : Math.max(0, Number(r.test_accuracy_ci95_low)),
    high: r.test_accuracy_ci95_high === '' ? null : Math.min(1, Number(r.test_accuracy_ci95_high)),
  }));
  const sizes = rows.map((r) => r.size_kB).filter((v): v is number => v !== null && v > 0);
  const log = sizes.length > 0 && Math.max(...sizes) / Math.min(...sizes) > 10;
  const variants = rows.map((r) => r.variant);
  const x = { field: 'size_kB', type: 'quantitative' as const, title: `encoded model size, mean over seeds (kB${log ? ', log scale' : ''})`, scale: log ? { type: 'log' as const } : { zero: true } };
  const yTitle = 'test accuracy (%)';
  const color = { field: 'variant', type: 'nominal' as const, title: 'variant', sort: variants, legend: { orient: 'right' as const } };
  const seeds = rows[0]?.seeds ?? '';
  const ns = [...new Set(rows.map((r) => Number(r.n)))];
  return {
    $schema: SCHEMA,
    description:
      `Test accuracy against encoded model size for ${rows.length} compression variant${rows.length === 1 ? '' : 's'} of the measured compression study: the mean over seeds with its 95% Student-t confidence interval. ` +
      'Data: compression_study.csv averaged per variant (columns variant, seed, size_bytes, test_accuracy).',
    title: {
      text: 'Compression variants: accuracy against model size',
      subtitle: [
        seeds ? `seeds ${seeds} (n = ${ns.join('–')}): mean and 95% confidence interval (Student t), clipped to 0–100%` : 'one run per variant',
        'the zoo MLP 784-128-10 on MNIST, compressed for real and evaluated on held-out digits',
      ],
    },
    width: 420,
    height: 240,
    data: { values: rows },
    layer: [
      {
        transform: [{ filter: 'isValid(datum.low) && isValid(datum.high) && isValid(datum.size_kB)' }],
        mark: { type: 'errorbar', ticks: true, thickness: 1.5 },
        encoding: { x, y: { field: 'low', type: 'quantitative', title: yTitle }, y2: { field: 'high' }, color },
      },
      {
        transform: [{ filter: 'isValid(datum.accuracy) && isValid(datum.size_kB)' }],
        mark: { type: 'point', filled: true, size: 70, opacity: 1 },
        encoding: {
          x,
          y: { field: 'accuracy', type: 'quantitative', title: yTitle, scale: { zero: false }, axis: { format: '~%' } },
          color,
          shape: { field: 'variant', type: 'nominal', sort: variants },
          tooltip: [
            { field: 'variant', type: 'nominal' },
            { field: 'size_kB', type: 'quantitative', title: 'size, mean (kB)', format: ',.1f' },
            { field: 'compression_ratio_mean', type: 'quantitative', title: 'compression ratio vs fp32', format: '.2f' },
            { field: 'accuracy', type: 'quantitative', title: 'test accuracy, mean', format: '.2%' },
            { field: 'test_accuracy_ci95_low', type: 'quantitative', title: '95% CI low', format: '.2%' },
            { field: 'test_accuracy_ci95_high', type: 'quantitative', title: '95% CI high', format: '.2%' },
            { field: 'n', type: 'quantitative', title: 'seeds' },
          ],
        },
      },
    ],
    config: CONFIG,
  };
}
