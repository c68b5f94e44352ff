import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { QuantileSketch } from '../../src/core/stats.ts';
import { PROGRESS_STEPS, simulate } from '../../src/metrics/simulate.ts';
import { LATENCY_QUANTILES, type Row, summarize } from '../../src/metrics/summary.ts';
import { empiricalCdf, seriesLatencyCdfChart, cdfRows } from '../../src/report/cdf.ts';
import { chartsFor, flRoundMeans, writeChartsFor } from '../../src/report/chart-files.ts';
import { armMetricChart, compareLatencyCdfChart, compareLatencyRows } from '../../src/report/compare-charts.ts';
import type { Comparison } from '../../src/report/compare.ts';
import { accuracyVsSizeChart, compressionVariantRows } from '../../src/report/compression-charts.ts';
import { renderPng, renderSvg } from '../../src/report/render.ts';
import { metricWords, sweepColumns, sweepMetricChart } from '../../src/report/sweep-charts.ts';
import { UtilizationSampler } from '../../src/report/utilization.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The spec's inline rows. */
const valuesOf = (spec: unknown) => (spec as { data: { values: Record<string, unknown>[] } }).data.values;

/** Fraction of `sorted` at or below x, by counting (brute force). */
const ecdf = (sorted: readonly number[], x: number) => sorted.filter((v) => v <= x).length / sorted.length;

describe('empirical CDF', () => {
  // Integer samples: many ties, so the jump heights are not all 1/n.
  const rng = seedrandom('cdf');
  const samples = Array.from({ length: 5000 }, () => Math.floor(rng() * rng() * 800));
  const sorted = [...samples].sort((a, b) => a - b);

  it('gives the exact ECDF at each of its ≤ m + 1 points, and as a step after each it is below the ECDF by less than 1/m', () => {
    const m = 100;
    const points = empiricalCdf(samples, m);
    expect(points.length).toBeLessThanOrEqual(m + 1);
    expect(points[0].x).toBe(sorted[0]);
    expect(points[points.length - 1]).toEqual({ x: sorted[sorted.length - 1], fraction: 1 });
    for (const p of points) expect(p.fraction).toBe(ecdf(sorted, p.x));
    // Every value in the samples' range: the drawn step (fraction of the last point at or left of x).
    for (let x = sorted[0]; x <= sorted[sorted.length - 1]; x++) {
      const drawn = [...points].reverse().find((p) => p.x <= x)!.fraction;
      expect(drawn).toBeLessThanOrEqual(ecdf(sorted, x));
      expect(ecdf(sorted, x) - drawn).toBeLessThan(1 / m);
    }
  });

  it('keeps every jump when the samples have fewer distinct values than points, and leaves NaN out', () => {
    const points = empiricalCdf([3, 1, 2, 2, NaN, 3, 3], 1000);
    // By hand: 6 numbers; F(1) = 1/6, F(2) = 3/6, F(3) = 6/6.
    expect(points).toEqual([
      { x: 1, fraction: 1 / 6 },
      { x: 2, fraction: 3 / 6 },
      { x: 3, fraction: 1 },
    ]);
    expect(empiricalCdf([], 10)).toEqual([]);
  });

  it('draws steps (no interpolation) in ms from seconds, series as colour', () => {
    const spec = seriesLatencyCdfChart([...cdfRows('a', [0.01, 0.02]), ...cdfRows('b', [0.03])], { seriesTitle: 'policy', source: 'test' }) as Record<string, any>;
    expect(spec.mark.interpolate).toBe('step-after');
    expect(spec.transform).toEqual([{ calculate: 'datum.latency_s * 1000', as: 'latency_ms' }]);
    expect(spec.encoding.color.field).toBe('series');
    expect(valuesOf(spec)).toEqual([
      { series: 'a', latency_s: 0.01, fraction: 0.5 },
      { series: 'a', latency_s: 0.02, fraction: 1 },
      { series: 'b', latency_s: 0.03, fraction: 1 },
    ]);
  });

  it("compare_latency draws an arm whose percentiles equal an earlier arm's once, says so, and draws EDeLeaR over the others in black (helper-95: its curve lay under compression-none's)", async () => {
    const arm = (name: string, role: string, scale: number): Row[] => LATENCY_QUANTILES.map((q) => ({ scenario: 's', seeds: '1..2', arm: name, role, same_as: '', requests: 10, quantile: q, latency_s: scale * (0.01 + q) }));
    const rows = [...arm('EDeLeaR', 'reference', 1), ...arm('compression-none', 'baseline', 1), ...arm('all-cloud', 'whole-baseline', 2)];
    const spec = compareLatencyCdfChart(rows) as Record<string, any>;
    expect([...new Set(valuesOf(spec).map((r) => r.series))]).toEqual(['EDeLeaR', 'all-cloud']);
    expect(spec.title.subtitle).toContain('one curve for arms with equal percentiles: compression-none = EDeLeaR');
    expect(spec.layer[1].transform).toEqual([{ filter: { field: 'series', equal: 'EDeLeaR' } }]);
    expect(spec.layer[1].mark).toMatchObject({ color: 'black', strokeWidth: 3 });
    expect(await renderSvg(spec as never)).toContain('EDeLeaR drawn again over the others, thick and black');
  });

  it('renders a 100,000-sample CDF to an SVG with text in the bundled font and to a PNG', async () => {
    const samples = Array.from({ length: 100_000 }, () => 0.02 + rng() * 0.05);
    const svg = await renderSvg(seriesLatencyCdfChart(cdfRows('EDeLeaR', samples), { seriesTitle: 'policy', source: '100,000 uniform samples' }));
    expect(svg).toContain('Latency distribution per policy');
    expect(svg).toMatch(/<text[^>]*>latency \(ms\)<\/text>/);
    expect(renderPng(svg).subarray(1, 4).toString()).toBe('PNG');
  });
});

/** A summary.csv as a sweep writes it: 2 policies × 3 rates, 3 replications. */
function summaryRows(): Row[] {
  const rows: Row[] = [];
  for (const policy of ['lp', 'nearest']) {
    for (const [i, rate] of ['5/s', '10/s', '20/s'].entries()) {
      const mean = (policy === 'lp' ? 0.05 : 0.08) * (i + 1);
      rows.push({ 'workloads[0].arrivals.poisson': rate, policy, replications: 3, latency_p95_s_mean: mean, latency_p95_s_ci95_low: mean - 0.01, latency_p95_s_ci95_high: mean + 0.02, energy_per_request_J_mean: 1, energy_per_request_J_ci95_low: '', energy_per_request_J_ci95_high: '' });
    }
  }
  return rows;
}

describe('sweep charts', () => {
  it('tells parameter columns from metrics by the NAME_mean, NAME_ci95_low, NAME_ci95_high contract', () => {
    expect(sweepColumns(summaryRows())).toEqual({ parameters: ['workloads[0].arrivals.poisson'], metrics: ['latency_p95_s', 'energy_per_request_J'] });
    // summary.csv's warned column is a count of runs, not a swept parameter (helper-81: it gave a chart against "warned").
    expect(sweepColumns(summaryRows().map((r, i) => ({ ...r, warned: i % 2 })))).toEqual({ parameters: ['workloads[0].arrivals.poisson'], metrics: ['latency_p95_s', 'energy_per_request_J'] });
  });

  it('maps the mean and both CI columns to the line and the band, in ms, the rate as a number with its unit', () => {
    const spec = sweepMetricChart(summaryRows(), { parameter: 'workloads[0].arrivals.poisson', metric: 'latency_p95_s' }) as Record<string, any>;
    const v = valuesOf(spec);
    // Row 4 (nearest, 10/s): mean 0.16 s, CI [0.15, 0.18] s → ms.
    expect(v[4]).toMatchObject({ series: 'nearest', x: 10, parameter_value: '10/s', replications: 3 });
    expect(v[4].y).toBeCloseTo(160, 9);
    expect(v[4].low).toBeCloseTo(150, 9);
    expect(v[4].high).toBeCloseTo(180, 9);
    const [band, line] = spec.layer;
    expect(band.mark.type).toBe('area');
    expect(band.encoding.y.field).toBe('low');
    expect(band.encoding.y2.field).toBe('high');
    expect(line.encoding.y.field).toBe('y');
    expect(line.encoding.x).toMatchObject({ field: 'x', type: 'quantitative', title: 'workloads[0].arrivals.poisson (/s)' });
    expect(line.encoding.y.title).toBe('latency p95 (ms)'); // the name's unit suffix gone: "latency_p95_s (ms)" read as seconds in ms
    expect(['latency_mean_s', 'throughput_per_s', 'energy_per_request_J', 'utilization_ratio', 'size_bytes'].map(metricWords)).toEqual(['latency mean', 'throughput', 'energy per request', 'utilization ratio', 'size']);
    expect(spec.title.subtitle[0]).toContain('95% confidence interval');
  });

  it("cuts a ratio's band to 0–100 % and says so; ticks of a few percent keep their decimals (helper-95: a band below 0 % misses, axis labels 1%, 1%, 2%, 2%)", () => {
    const rows = [{ 'workloads[0].arrivals.poisson': '2/s', policy: 'lp', replications: 3, deadline_miss_ratio_mean: 0.004, deadline_miss_ratio_ci95_low: -0.0018, deadline_miss_ratio_ci95_high: 0.0098 }];
    const spec = sweepMetricChart(rows, { parameter: 'workloads[0].arrivals.poisson', metric: 'deadline_miss_ratio' }) as Record<string, any>;
    expect(valuesOf(spec).map((r) => [r.low, r.y, r.high])).toEqual([[0, 0.004, 0.0098]]);
    expect(spec.title.subtitle[0]).toContain('cut to 0–100 %');
    expect(spec.layer[1].encoding.y.axis.format).toBe('~%');
  });

  it('leaves out a band where the CI is blank, and refuses a metric summary.csv lacks', () => {
    const v = valuesOf(sweepMetricChart(summaryRows(), { parameter: 'workloads[0].arrivals.poisson', metric: 'energy_per_request_J' }));
    expect(v.every((r) => r.low === null && r.high === null && r.y === 1)).toBe(true);
    expect(() => sweepMetricChart(summaryRows(), { parameter: 'workloads[0].arrivals.poisson', metric: 'latency_p99_s' })).toThrow(/no metric "latency_p99_s"/);
  });
});

describe('comparison charts', () => {
  it('energy per request per arm: the bar is compare.csv mean, the error bar its ci95_low and ci95_high', () => {
    const rows: Row[] = [
      { scenario: 's', seeds: '1..3', arm: 'EDeLeaR', role: 'reference', same_as: '', metric: 'energy_per_request_J', unit: 'J', n: 3, mean: 0.4, ci95_low: 0.35, ci95_high: 0.45 },
      { scenario: 's', seeds: '1..3', arm: 'EDeLeaR', role: 'reference', same_as: '', metric: 'latency_mean_s', unit: 's', n: 3, mean: 9, ci95_low: 8, ci95_high: 10 },
      { scenario: 's', seeds: '1..3', arm: 'all-local', role: 'baseline', same_as: '', metric: 'energy_per_request_J', unit: 'J', n: 3, mean: 0.2, ci95_low: '', ci95_high: '' },
    ];
    const spec = armMetricChart(rows) as Record<string, any>;
    expect(valuesOf(spec)).toEqual([
      { arm: 'EDeLeaR', role: 'reference', same_as: '', n: 3, mean: 0.4, low: 0.35, high: 0.45, unit: 'J' },
      { arm: 'all-local', role: 'baseline', same_as: '', n: 3, mean: 0.2, low: null, high: null, unit: 'J' },
    ]);
    expect(spec.layer[0].encoding.x.field).toBe('mean');
    expect(spec.layer[1].encoding.x.field).toBe('low');
    expect(spec.layer[1].encoding.x2.field).toBe('high');
    expect(spec.layer[0].encoding.x.title).toBe('energy/request, mean over seeds (J)');
  });

  it("compare_latency.csv pools an arm's seeds: its quantiles are those of one sketch holding every seed's latencies", () => {
    const rng = seedrandom('pool');
    const seedSamples = [0, 1, 2].map((s) => Array.from({ length: 400 }, () => 0.01 * (s + 1) + rng() * 0.05));
    const sketches = seedSamples.map((xs) => {
      const k = new QuantileSketch();
      for (const x of xs) k.add(x);
      return k;
    });
    const all = new QuantileSketch();
    for (const xs of seedSamples) for (const x of xs) all.add(x);
    const run = (seed: number) => ({ seed, figures: {}, generated: 400, completed: 400, events: 0, simulationSeconds: 0, latencySketch: sketches[seed] });
    const c = { scenario: 's', seeds: [0, 1, 2], outcomes: [{ arm: { name: 'EDeLeaR', role: 'reference', overrides: [] }, runs: [0, 1, 2].map(run), comparisons: [] }], skipped: [], buildSeconds: 0 } as unknown as Comparison;
    const rows = compareLatencyRows(c);
    expect(rows.length).toBe(LATENCY_QUANTILES.length);
    for (const r of rows) {
      expect(r.requests).toBe(1200);
      expect(r.latency_s).toBe(all.quantile(Number(r.quantile)));
    }
  });
});

describe('accuracy against model size', () => {
  it("averages compression_study.csv per variant with a Student-t interval (n = 2: t(0.975, 1) = 12.706), clipped to 0–100% when drawn", () => {
    const study: Row[] = [
      { seed: 1, variant: 'fp32', size_bytes: 400_000, compression_ratio: 1, test_accuracy: 0.94 },
      { seed: 1, variant: 'int8', size_bytes: 100_000, compression_ratio: 4, test_accuracy: 0.93 },
      { seed: 2, variant: 'fp32', size_bytes: 400_000, compression_ratio: 1, test_accuracy: 0.96 },
      { seed: 2, variant: 'int8', size_bytes: 100_000, compression_ratio: 4, test_accuracy: 0.93 },
    ];
    const [fp32, int8] = compressionVariantRows(study);
    // fp32: mean 0.95, s = 0.01414, half-width = 12.706 · 0.01414 / √2 = 0.12706.
    expect(fp32.test_accuracy_mean).toBeCloseTo(0.95, 12);
    expect(Number(fp32.test_accuracy_ci95_high) - 0.95).toBeCloseTo(0.127062, 5);
    expect(int8).toMatchObject({ variant: 'int8', seeds: '1..2', n: 2, size_bytes_mean: 100_000 });
    const drawn = valuesOf(accuracyVsSizeChart(study));
    expect(drawn[0]).toMatchObject({ size_kB: 400, high: 1 });
    expect(drawn[0].low).toBeCloseTo(0.95 - 0.127062, 5);
  });
});

describe('utilization over time', () => {
  /** The default scenario for 60 s with this warm-up: utilization.csv's rows and nodes.csv's. */
  function sampled(warmup: string) {
    const loaded = loadScenario(join(ROOT, 'scenarios/default.yaml'), ['duration=60 s', `warmup=${warmup}`]);
    const spec = buildWorldSpec(loaded, loadCatalog());
    const sampler = new UtilizationSampler(PROGRESS_STEPS);
    const result = simulate(spec, { attach: (w) => sampler.attach(w), progress: (now) => sampler.progress(now) });
    return { rows: sampler.finish({ scenario: 'default', seed: spec.seed }), nodes: summarize(result, { scenario: 'default', seed: spec.seed }).nodes };
  }
  const inWindow = (rows: Row[], node: unknown) => rows.filter((r) => r.node === node && r.in_window === 'yes');
  const busyOver = (own: Row[]) => own.reduce((a, r) => a + Number(r.utilization_ratio) * (Number(r.end_s) - Number(r.start_s)), 0);

  it("its intervals' busy time adds up to nodes.csv's utilization over the window (the same integrals)", () => {
    // Warm-up 12 s: a whole number of the 0.6 s intervals.
    const { rows, nodes } = sampled('12 s');
    expect(rows.length).toBe(100 * nodes.length);
    for (const n of nodes) expect(busyOver(inWindow(rows, n.node)) / 48).toBeCloseTo(Number(n.utilization_ratio), 12);
    expect(nodes.some((n) => Number(n.utilization_ratio) > 0)).toBe(true);
  });
  it('an interval the warm-up ends inside is cut there, so the in-window intervals cover the window exactly', () => {
    // Warm-up 10 s: inside the interval 9.6–10.2 s of 0.6 s intervals (cut into 9.6–10 and 10–10.2).
    const { rows, nodes } = sampled('10 s');
    expect(rows.length).toBe(101 * nodes.length);
    for (const n of nodes) {
      const own = inWindow(rows, n.node);
      expect(Number(own[0].start_s)).toBe(10);
      expect(own.reduce((a, r) => a + (Number(r.end_s) - Number(r.start_s)), 0)).toBeCloseTo(50, 9);
      expect(busyOver(own) / 50).toBeCloseTo(Number(n.utilization_ratio), 12);
    }
    expect(nodes.some((n) => Number(n.utilization_ratio) > 0)).toBe(true);
  });
});

describe('writeChartsFor', () => {
  it('draws every chart the folder\'s CSV files support, each as .vl.json, .svg with text and .png', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edelear-charts-'));
    const csv = (rows: Row[]) => [Object.keys(rows[0]).join(','), ...rows.map((r) => Object.values(r).map((v) => (String(v).includes(',') ? `"${v}"` : v)).join(','))].join('\n');
    writeFileSync(join(dir, 'summary.csv'), csv(summaryRows()));
    writeFileSync(join(dir, 'fl_rounds.csv'), csv([1, 2].flatMap((seed) => [1, 2, 3].map((round) => ({ scenario: 'f', seed, split: 'iid', compression: 'none', round, end_s: 10 * round, test_accuracy: 0.8 + 0.05 * round + 0.01 * seed })))));
    const names = chartsFor(dir).map((c) => c.name);
    expect(names).toEqual(['fl_accuracy', 'p95_vs_load', 'sweep_latency_p95_s_vs_workloads_0_arrivals_poisson', 'sweep_energy_per_request_J_vs_workloads_0_arrivals_poisson']);
    const files = await writeChartsFor(dir);
    expect(files.length).toBe(3 * names.length);
    const svg = readFileSync(join(dir, 'p95_vs_load.svg'), 'utf8');
    expect(svg).toContain('p95 latency against load');
    expect(JSON.parse(readFileSync(join(dir, 'p95_vs_load.vl.json'), 'utf8')).data.values.length).toBe(6);
  });

  it('averages fl_rounds.csv over seeds per round (mean of 0.86 and 0.87 at round 1)', () => {
    const rows: Row[] = [1, 2].map((seed) => ({ scenario: 'f', seed, split: 'iid', compression: 'none', round: 1, end_s: 10 + seed, test_accuracy: 0.85 + 0.01 * seed }));
    expect(flRoundMeans(rows)[0]).toMatchObject({ seeds: '1..2', round: 1, n: 2, end_s_mean: 11.5 });
    expect(Number(flRoundMeans(rows)[0].test_accuracy_mean)).toBeCloseTo(0.865, 12);
  });
});
