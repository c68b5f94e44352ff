import { describe, expect, it } from 'vitest';
import { COMPARE_METRICS, compareArm, compareVerdict, computingUtilization, pairedDifference, RUN_COUNTS, runFigures } from '../../src/metrics/compare.ts';
import type { Row, RunTables } from '../../src/metrics/summary.ts';
import { SKETCH_RELATIVE_ACCURACY } from '../../src/core/stats.ts';

/** The 0.975 quantile of Student's t: ν = 1 → 12.7062, ν = 2 → 4.3027 (any t table). */
const T975 = { 1: 12.7062, 2: 4.3027 } as const;

describe('paired differences (hand computations)', () => {
  it('arm − reference per seed, then the mean and Student-t interval of the differences', () => {
    // Differences 0.1, 0.2, 0.15: mean 0.15, sd 0.05, half-width t(0.975, 2) · 0.05 / √3 = 0.12421.
    const d = pairedDifference([10.1, 12.2, 14.05], [10, 12, 13.9]);
    expect(d.n).toBe(3);
    expect(d.mean).toBeCloseTo(0.15, 12);
    expect(d.halfWidth).toBeCloseTo((T975[2] * 0.05) / Math.sqrt(3), 4);
    expect(d.low).toBeCloseTo(0.15 - 0.12421, 4);
    expect(d.high).toBeCloseTo(0.15 + 0.12421, 4);
    // Reference mean over the pairs: (10 + 12 + 13.9) / 3.
    expect(d.referenceMean).toBeCloseTo(35.9 / 3, 12);
    expect(d.allZero).toBe(false);
    // The pairing is what decides: the arm's own interval (sd ≈ 1.98) is about 16 times as wide.
    expect(compareVerdict(d, 'lower')).toBe('EDeLeaR better');
  });

  it('a pair with a missing value (nothing completed on that seed) is left out of n', () => {
    // Pairs (1, 0) and (3, 1): differences 1 and 2, mean 1.5, sd √0.5, half-width t(0.975, 1) · √0.5 / √2 = 6.3531.
    const d = pairedDifference([1, NaN, 3], [0, 1, 1]);
    expect(d.n).toBe(2);
    expect(d.mean).toBe(1.5);
    expect(d.halfWidth).toBeCloseTo((T975[1] * Math.sqrt(0.5)) / Math.sqrt(2), 3);
    expect(d.referenceMean).toBe(0.5);
    // One pair has no interval.
    const one = pairedDifference([2, NaN], [1, 1]);
    expect([one.n, one.mean, one.low, one.high]).toEqual([1, 1, NaN, NaN]);
    expect(compareVerdict(one, 'lower')).toBe('inconclusive');
    expect(() => pairedDifference([1, 2], [1])).toThrow(/same seeds/);
  });

  it('verdicts follow the metric: lower or higher is better, or neither; an interval across 0 is inconclusive; equal pairs are no difference', () => {
    const above = pairedDifference([4, 5, 6], [1, 1, 1]); // differences 3, 4, 5: [1.516, 6.484]
    const below = pairedDifference([1, 1, 1], [4, 5, 6]);
    const across = pairedDifference([5, 7, 9], [4, 5, 6]); // differences 1, 2, 3: [−0.484, 4.484]
    expect(above.low).toBeCloseTo(4 - (T975[2] * 1) / Math.sqrt(3), 3);
    expect(across.low).toBeLessThan(0);
    expect(compareVerdict(above, 'lower')).toBe('EDeLeaR better'); // the arm's latency is higher
    expect(compareVerdict(below, 'lower')).toBe('EDeLeaR worse');
    expect(compareVerdict(above, 'higher')).toBe('EDeLeaR worse'); // the arm's throughput is higher
    expect(compareVerdict(below, 'higher')).toBe('EDeLeaR better');
    expect(compareVerdict(above, 'neither')).toBe('EDeLeaR lower');
    expect(compareVerdict(below, 'neither')).toBe('EDeLeaR higher');
    expect(compareVerdict(across, 'lower')).toBe('inconclusive');
    const same = pairedDifference([0.2, 0.3, 0.4], [0.2, 0.3, 0.4]);
    expect([same.mean, same.halfWidth, same.allZero]).toEqual([0, 0, true]);
    expect(compareVerdict(same, 'lower')).toBe('no difference');
    // A sketch quantile (resolution α = 0.005) equal on every seed: the same bucket each time, which cannot tell a difference under one bucket from none (helper-79: batching-none's p95 read "no difference" while its mean latency differed).
    expect(compareVerdict(same, 'lower', 0.005)).toBe('inconclusive');
    // In an arm: its p95 in the reference's bucket on every seed, its mean latency lower: inconclusive; runs equal in every figure: no difference.
    const figures = (mean: number) => Object.fromEntries(COMPARE_METRICS.map((m) => [m.metric, m.metric === 'latency_mean_s' ? mean : 0.25]));
    const reference = [figures(0.1), figures(0.11), figures(0.12)];
    const p95 = (c: ReturnType<typeof compareArm>) => c.find((m) => m.metric.metric === 'latency_p95_s')!.verdict;
    expect(p95(compareArm([figures(0.09), figures(0.1), figures(0.11)], reference))).toBe('inconclusive');
    expect(p95(compareArm(reference.map((f) => ({ ...f })), reference))).toBe('no difference');
  });
});

/** The tables of one run with only what a comparison reads. */
function tables(all: Row, nodes: Row[]): RunTables {
  return { requests: [{ workload: 'w', ...all }, { ...all, workload: '(all)' }], nodes, links: [], run: [], latency: [], columns: {} as RunTables['columns'] };
}

describe('the figures of one run', () => {
  it('are read from the (all) row of requests.csv and from nodes.csv', () => {
    const all = {
      generated: 200,
      completed: 190,
      dropped: 8,
      latency_mean_s: 0.05,
      latency_p95_s: 0.09,
      latency_p99_s: 0.12,
      energy_per_generated_J: 0.4,
      deadline_met_of_generated: 0.9,
      throughput_per_s: 3.8,
    };
    const nodes = [
      { node: 'cam-1', served: 10, utilization_ratio: 0.2 },
      { node: 'gw', served: 0, utilization_ratio: 0 }, // forwards only: left out
      { node: 'edge', served: 180, utilization_ratio: 0.6 },
    ];
    const f = runFigures(tables(all, nodes));
    expect(f.latency_mean_s).toBe(0.05);
    expect(f.latency_p95_s).toBe(0.09);
    expect(f.latency_p99_s).toBe(0.12);
    expect(f.energy_per_request_J).toBe(0.4);
    expect(f.deadline_miss_ratio).toBeCloseTo(0.1, 15); // 1 − 0.9
    expect(f.drop_ratio).toBe(0.04); // 8 / 200
    expect(f.throughput_per_s).toBe(3.8);
    expect(f.utilization_ratio).toBeCloseTo(0.4, 15); // (0.2 + 0.6) / 2: the nodes that served
    expect(f.accuracy).toBeNaN(); // no run reports one yet
    // Then the run's counts, which are not compared: 8 dropped, 200 − 190 − 8 = 2 in flight at the end.
    expect(Object.keys(f)).toEqual([...COMPARE_METRICS.map((m) => m.metric), ...RUN_COUNTS]);
    expect([f.dropped, f.in_flight_at_end]).toEqual([8, 2]);
    expect(computingUtilization([{ served: 0, utilization_ratio: 0 }])).toBeNaN();
  });

  it('a blank latency (nothing completed) is NaN, not 0', () => {
    const f = runFigures(tables({ generated: 5, completed: 0, dropped: 5, latency_mean_s: '', deadline_met_of_generated: 0 }, []));
    expect(f.latency_mean_s).toBeNaN();
    expect(f.deadline_miss_ratio).toBe(1);
  });
});

describe('an arm against the reference', () => {
  const figures = (latency: number, energy: number) => ({ latency_mean_s: latency, energy_per_request_J: energy, accuracy: NaN });
  const reference = [figures(0.1, 1), figures(0.12, 1), figures(0.11, 1)];

  it('the reference: its estimates and the verdict "reference"; figures no run has are left out', () => {
    const rows = compareArm(reference);
    expect(rows.map((r) => r.metric.metric)).toEqual(['latency_mean_s', 'energy_per_request_J']);
    expect(rows[0].value.mean).toBeCloseTo(0.11, 15);
    expect(rows[0].verdict).toBe('reference');
    expect(rows[0].difference).toBeUndefined();
  });

  it('another arm: the paired difference, the relative difference (of the reference mean) and the verdict', () => {
    // Latency differences 0.05, 0.06, 0.04: mean 0.05 over a reference mean of 0.11 → +45.45%.
    const rows = compareArm([figures(0.15, 0.5), figures(0.18, 0.5), figures(0.15, 0.5)], reference);
    const latency = rows.find((r) => r.metric.metric === 'latency_mean_s')!;
    expect(latency.difference!.mean).toBeCloseTo(0.05, 12);
    expect(latency.relative).toBeCloseTo(0.05 / 0.11, 12);
    expect(latency.verdict).toBe('EDeLeaR better');
    const energy = rows.find((r) => r.metric.metric === 'energy_per_request_J')!;
    expect(energy.difference!.mean).toBe(-0.5);
    expect(energy.relative).toBe(-0.5);
    // Every pair −0.5 exactly: the interval is the point −0.5, wholly below 0.
    expect(energy.verdict).toBe('EDeLeaR worse');
  });
});

describe('figures read from the latency sketch', () => {
  it('a paired difference within twice the sketch resolution of the reference is inconclusive, beyond it decided', () => {
    // Reference p95 of 1 s on every seed; the sketch's relative accuracy is 0.5%, so differences up to 1% (0.01 s) are unresolved.
    const reference = [1, 1, 1];
    const within = pairedDifference([1.008, 1.009, 1.0085], reference); // 0.85% higher, a tight interval that excludes 0
    const beyond = pairedDifference([1.05, 1.06, 1.055], reference);
    expect(within.low).toBeGreaterThan(0);
    expect(compareVerdict(within, 'lower', SKETCH_RELATIVE_ACCURACY)).toBe('inconclusive');
    expect(compareVerdict(within, 'lower')).toBe('EDeLeaR better'); // an exact figure would be decided
    expect(compareVerdict(beyond, 'lower', SKETCH_RELATIVE_ACCURACY)).toBe('EDeLeaR better');
  });
});
