import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { estimate, estimateColumns } from '../metrics/confidence.ts';
import type { Row } from '../metrics/summary.ts';
import { claimsChart, compressionChart, flAccuracyChart, latencyCdfChart, nodeChart } from './charts.ts';
import { armMetricChart, compareLatencyCdfChart } from './compare-charts.ts';
import { compareChart } from './compare.ts';
import { accuracyVsSizeChart } from './compression-charts.ts';
import { groupBy, perConfigurationChart, seedLabel } from './fl-charts.ts';
import { type NamedChart, writeCharts } from './render.ts';
import { loadParameter, p95AgainstLoadChart, sweepColumns, sweepMetricChart } from './sweep-charts.ts';
import { utilizationOverTimeChart } from './utilization.ts';

/*
 * Every chart the CSV files of a results folder support — a run's, a federated study's, a
 * comparison's or a sweep's — built from the files alone, so a report command (or a user after
 * editing a CSV) can draw them again: chartsFor(dir) gives the specs, writeChartsFor(dir) writes
 * each as NAME.vl.json, NAME.svg and NAME.png beside the CSV files.
 */

/** A CSV file of a results folder as rows: a cell that reads as a number is one, any other (blank included) a string. */
export function readCsvRows(file: string): Row[] {
  const text = readFileSync(file, 'utf8');
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return rows.map((r) => {
    const row: Row = {};
    for (const [k, v] of Object.entries(r)) {
      const n = v.trim() === '' ? NaN : Number(v);
      row[k] = Number.isFinite(n) ? n : v;
    }
    return row;
  });
}

/** fl_rounds.csv over its seeds: per split, compression and round, the test accuracy's mean and 95% interval, and the mean end time. */
export function flRoundMeans(roundRows: readonly Row[]): Row[] {
  const configurations = groupBy(roundRows, (r) => JSON.stringify([r.split, r.compression]));
  return configurations.flatMap((g) =>
    groupBy(g, (r) => String(r.round)).map((rs) => {
      const accuracy = estimate(rs.map((r) => Number(r.test_accuracy)));
      return {
        scenario: rs[0].scenario,
        seeds: seedLabel(g.map((r) => Number(r.seed))),
        split: rs[0].split,
        compression: rs[0].compression,
        round: rs[0].round,
        n: accuracy.n,
        ...estimateColumns('test_accuracy', accuracy),
        end_s_mean: estimate(rs.map((r) => Number(r.end_s))).mean,
      };
    }),
  );
}

/** A file-name-safe form of a scenario path (`workloads[0].arrivals.poisson` → `workloads_0_arrivals_poisson`). */
export function pathStem(path: string): string {
  return path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** Charts of a sweep's summary.csv: every metric against every parameter that varies, and p95 latency against load. */
export function sweepCharts(summaryRows: readonly Row[]): NamedChart[] {
  const { parameters, metrics } = sweepColumns(summaryRows);
  const varied = parameters.filter((p) => new Set(summaryRows.map((r) => String(r[p]))).size > 1);
  const charts: NamedChart[] = [];
  const load = loadParameter(varied);
  if (load && metrics.includes('latency_p95_s')) charts.push({ name: 'p95_vs_load', spec: p95AgainstLoadChart(summaryRows, load) });
  for (const p of varied) for (const m of metrics) charts.push({ name: `sweep_${pathStem(m)}_vs_${pathStem(p)}`, spec: sweepMetricChart(summaryRows, { parameter: p, metric: m }) });
  return charts;
}

/**
 * The charts the CSV files in `dir` support, in a fixed order: a run's latency, nodes and
 * utilization; a federated study's per-configuration latency and nodes, accuracy by round and
 * by simulated time, claims and update compression; a comparison's paired differences, energy
 * per request and latency CDF per arm; the compression study's accuracy against size; a sweep's
 * metrics against its parameters. A file that is missing or has no rows gives no chart.
 */
export function chartsFor(dir: string): NamedChart[] {
  const read = (name: string): Row[] => (existsSync(join(dir, name)) ? readCsvRows(join(dir, name)) : []);
  const charts: NamedChart[] = [];
  const latency = read('latency.csv');
  const nodes = read('nodes.csv');
  const study = nodes.length > 0 && 'split' in nodes[0];
  if (latency.length > 0) charts.push({ name: 'latency', spec: study ? perConfigurationChart(latencyCdfChart, latency, ['workload', 'quantile'], 'latency.csv') : latencyCdfChart(latency) });
  if (nodes.length > 0) charts.push({ name: 'nodes', spec: study ? perConfigurationChart(nodeChart, nodes, ['node'], 'nodes.csv') : nodeChart(nodes) });
  const utilization = read('utilization.csv');
  if (utilization.length > 0) charts.push({ name: 'utilization', spec: utilizationOverTimeChart(utilization) });
  const rounds = read('fl_rounds.csv');
  if (rounds.length > 0) charts.push({ name: 'fl_accuracy', spec: flAccuracyChart(flRoundMeans(rounds)) });
  const claims = read('claims.csv');
  // claims.csv of a federated study (beside fl_rounds.csv); the paper comparison's claims, judged against other thresholds, are a table.
  if (rounds.length > 0 && claims.length > 0) charts.push({ name: 'claims', spec: claimsChart(claims) });
  const flCompression = read('fl_compression.csv');
  if (flCompression.length > 0) charts.push({ name: 'fl_compression', spec: compressionChart(flCompression) });
  const compare = read('compare.csv');
  if (compare.length > 0) {
    charts.push({ name: 'compare', spec: compareChart(compare) });
    charts.push({ name: 'compare_energy', spec: armMetricChart(compare, 'energy_per_request_J') });
  }
  const compareLatency = read('compare_latency.csv');
  if (compareLatency.length > 0) charts.push({ name: 'compare_latency', spec: compareLatencyCdfChart(compareLatency) });
  const compressionStudy = read('compression_study.csv');
  if (compressionStudy.length > 0) charts.push({ name: 'accuracy_vs_size', spec: accuracyVsSizeChart(compressionStudy) });
  const summary = read('summary.csv');
  if (summary.length > 0) charts.push(...sweepCharts(summary));
  return charts;
}

/** Writes every chart {@link chartsFor} finds for `dir` into `dir`; returns the file names written. */
export async function writeChartsFor(dir: string): Promise<string[]> {
  return writeCharts(dir, chartsFor(dir));
}
