import { describe, expect, it } from 'vitest';
import { QuantileSketch, SKETCH_RELATIVE_ACCURACY as ALPHA } from '../../src/core/stats.ts';
import { COMPARE_METRICS, compareArm, compareVerdict, pairedDifference, resolutionBound, resolutionHalfWidth, RUN_COUNTS, runFigures } from '../../src/metrics/compare.ts';
import type { Row, RunTables } from '../../src/metrics/summary.ts';
import { type ArmRun, COMPARE_COLUMNS, COMPARE_RUN_COLUMNS, type Comparison, compareRows, compareRunRows } from '../../src/report/compare.ts';

/*
 * Why `edelear compare scenarios/paper-edelear.yaml` gave the arm baseline:nearest-edge (every
 * request FCFS on the edge, ρ = 1.4) a p95 of 68.376 s on all five seeds with a 95% half-width of
 * exactly 0, and what compare.csv says about it now.
 */

/** The sketch's bucket ratio γ = (1 + α)/(1 − α): 1.01005 at α = 0.5%. */
const GAMMA = (1 + ALPHA) / (1 - ALPHA);
/** The bucket k of x > 0, (γ^(k−1), γ^k], and the value the sketch answers for it, its middle 2γ^k/(γ + 1) (DDSketch). */
const bucket = (x: number) => Math.ceil(Math.log(x) / Math.log(GAMMA));
const middle = (k: number) => (2 * GAMMA ** k) / (GAMMA + 1);

/** The q-quantile of a sample by the sketch's rank convention: the order statistic ⌊q(n − 1)⌋ (0-based) of the sorted sample. */
function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}

/** mulberry32: a small seeded generator, so the test's queues are the same on every machine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The paper scenario's nearest-edge arm reduced to its queue: Poisson arrivals at λ = 3.770 +
 * 6.284 + 2.514 + 5.027 = 17.595/s (its four workloads) on one FCFS slot with deterministic
 * service s = 0.6015 GFLOP / 7.56 GFLOP/s = 0.07957 s (MobileNetV2 on a Raspberry Pi 4: ρ = λs =
 * 1.400), at most K requests in the node (the edge's 4 GiB over ≈ 4.98 MB reserved per request
 * admitted — queued or computing — gave 862 in flight at the end of seed 1; the one after is
 * dropped "memory-full"), from an empty queue at 0, measured over requests born in [30 s, 300 s].
 */
const LAMBDA = 17.595;
const SERVICE = 0.6015 / 7.56;
const K = 862;
const WARMUP = 30;
const END = 300;

interface QueueRun {
  /** Latencies of the requests born in the window and completed by the end, sorted. */
  readonly latencies: number[];
  readonly generated: number;
  readonly dropped: number;
  readonly inFlight: number;
}

function overloadedQueue(seed: number, capacity: number): QueueRun {
  const rng = mulberry32(seed);
  const departures: number[] = []; // of the requests in the node, in order (FCFS)
  let head = 0;
  let last = 0;
  const latencies: number[] = [];
  let generated = 0;
  let dropped = 0;
  let inFlight = 0;
  for (let t = -Math.log(1 - rng()) / LAMBDA; t < END; t += -Math.log(1 - rng()) / LAMBDA) {
    while (head < departures.length && departures[head] <= t) head++;
    const measured = t >= WARMUP;
    if (measured) generated++;
    if (departures.length - head >= capacity) {
      if (measured) dropped++;
      continue;
    }
    last = Math.max(t, last) + SERVICE;
    departures.push(last);
    if (!measured) continue;
    if (last <= END) latencies.push(last - t);
    else inFlight++;
  }
  latencies.sort((a, b) => a - b);
  return { latencies, generated, dropped, inFlight };
}

/** The tables of one run with only what a comparison reads: the (all) row as summarize writes it, its quantiles from the sketch. */
function tablesOf(q: QueueRun): RunTables {
  const sketch = new QuantileSketch();
  for (const x of q.latencies) sketch.add(x);
  const completed = q.latencies.length;
  const all: Row = {
    workload: '(all)',
    generated: q.generated,
    completed,
    dropped: q.dropped,
    latency_mean_s: q.latencies.reduce((a, b) => a + b, 0) / completed,
    latency_p95_s: sketch.quantile(0.95),
    latency_p99_s: sketch.quantile(0.99),
    deadline_met_of_generated: completed / q.generated,
    throughput_per_s: completed / (END - WARMUP),
    energy_per_generated_J: 0.6,
    accuracy_top1: '',
  };
  return { requests: [all], nodes: [{ node: 'edge', served: completed, utilization_ratio: 1 }], links: [], run: [], latency: [], columns: {} as RunTables['columns'] };
}

describe('the latency sketch against exact quantiles', () => {
  it('answers every percentile of a known sample within its relative accuracy, as the middle of the exact value’s bucket', () => {
    // 1,000 latencies 0.01 s, 0.02 s, …, 10 s: the exact p95 is the order statistic ⌊0.95 · 999⌋ = 949, 9.50 s.
    const sample = Array.from({ length: 1000 }, (_, i) => (i + 1) / 100);
    const sketch = new QuantileSketch();
    for (const x of sample) sketch.add(x);
    expect(exactQuantile(sample, 0.95)).toBe(9.5);
    expect(exactQuantile(sample, 0.99)).toBe(9.9);
    for (let p = 1; p <= 99; p++) {
      const exact = exactQuantile(sample, p / 100);
      const answer = sketch.quantile(p / 100);
      expect(Math.abs(answer - exact) / exact).toBeLessThanOrEqual(ALPHA + 1e-12);
      expect(answer).toBeCloseTo(middle(bucket(exact)), 12);
    }
    // The largest value's bucket's middle lies above it (10.024 s): the answer is held to the greatest value added, 10 s exactly.
    expect(middle(bucket(10))).toBeGreaterThan(10);
    expect(sketch.quantile(1)).toBe(10);
  });
});

describe('an FCFS queue overloaded at ρ = 1.4 (the nearest-edge arm of the paper scenario)', () => {
  const seeds = [1, 2, 3, 4, 5];

  it('without a memory limit: p95 of the completed requests follows the closed form and differs from seed to seed', () => {
    // From an empty queue at 0, the request born at t leaves at ≈ ρt (the work of the λt arrivals before it), so its latency is
    // (ρ − 1)t — the latency of a completion at s is (1 − 1/ρ)s. The completed requests of the window were born in [30, 300/ρ],
    // uniformly (completions come at the rate 1/s), so p95 ≈ (ρ − 1)(30 + 0.95 (300/ρ − 30)) = 0.4 · 205.07 = 82.0 s; the
    // Poisson count of arrivals before t (sd √(λt) ≈ 60 at t ≈ 205 s) moves it by about 60 · s = 4.8 s per seed.
    const rho = LAMBDA * SERVICE;
    expect(rho).toBeCloseTo(1.4, 3);
    const closedForm = (rho - 1) * (WARMUP + 0.95 * (END / rho - WARMUP));
    expect(closedForm).toBeCloseTo(82.0, 0);
    const runs = seeds.map((seed) => overloadedQueue(seed, Infinity));
    const p95 = runs.map((q) => runFigures(tablesOf(q)).latency_p95_s);
    const exact = runs.map((q) => exactQuantile(q.latencies, 0.95));
    const mean = p95.reduce((a, b) => a + b, 0) / p95.length;
    expect(Math.abs(mean - closedForm)).toBeLessThan((3 * 60 * SERVICE) / Math.sqrt(seeds.length));
    for (let i = 0; i < seeds.length; i++) expect(Math.abs(p95[i] - exact[i]) / exact[i]).toBeLessThanOrEqual(ALPHA + 1e-12);
    // Five seeds, several buckets: nothing snaps them together when their spread exceeds the resolution.
    expect(new Set(p95).size).toBeGreaterThan(1);
    // And the requests still queued at the end, which no latency counts, are many: everything born after ≈ 300/ρ = 214 s.
    for (const q of runs) expect(q.inFlight / q.generated).toBeGreaterThan(0.25);
  });

  it('with the edge’s memory limit: p95 is the plateau K·s, the same to 0.1% on every seed, one sketch bucket, an interval of 0 that compare.csv flags', () => {
    // The node fills (K in it) at ≈ K/(λ − μ) = 862/5.03 ≈ 171 s; from then on a request is admitted only when one leaves and waits
    // for the K − 1 ahead of it: its latency is within [(K − 1)s, Ks] = [68.51 s, 68.59 s]. Completions after ≈ 171ρ = 240 s
    // all have it: (300 − 240)/(300 − 42) ≈ 23% of the window's completions, more than the top 5% (and 1%).
    const plateau = [(K - 1) * SERVICE, K * SERVICE];
    const runs = seeds.map((seed) => overloadedQueue(seed, K));
    const exact95 = runs.map((q) => exactQuantile(q.latencies, 0.95));
    const exact99 = runs.map((q) => exactQuantile(q.latencies, 0.99));
    for (const x of [...exact95, ...exact99]) {
      expect(x).toBeGreaterThanOrEqual(plateau[0] - 1e-9);
      expect(x).toBeLessThanOrEqual(plateau[1] + 1e-9);
    }
    // The exact p95s do differ from seed to seed, by less than one service time (0.12% of the value)...
    expect(new Set(exact95).size).toBeGreaterThan(1);
    expect(Math.max(...exact95) - Math.min(...exact95)).toBeLessThan(SERVICE);
    // ...but the whole plateau lies in one bucket of the sketch, (68.036 s, 68.720 s], whose middle it answers for p95 and p99 alike:
    // 68.37605626262832 s, the value of compare_runs.csv on all five seeds.
    const k = bucket(plateau[0]);
    expect(bucket(plateau[1])).toBe(k);
    expect(k).toBe(423);
    expect(GAMMA ** (k - 1)).toBeCloseTo(68.036, 3);
    expect(GAMMA ** k).toBeCloseTo(68.72, 2);
    expect(middle(k)).toBeCloseTo(68.37605626262832, 9);
    const figures = runs.map((q) => runFigures(tablesOf(q)));
    for (const f of figures) {
      expect(f.latency_p95_s).toBeCloseTo(middle(k), 12);
      expect(f.latency_p99_s).toBe(f.latency_p95_s);
    }
    // Each within the sketch's guarantee of its exact value (0.19% low here): the sketch is right; the seeds agree below its resolution.
    figures.forEach((f, i) => expect(Math.abs(f.latency_p95_s - exact95[i]) / exact95[i]).toBeLessThanOrEqual(ALPHA));

    // compare: the Student-t interval of five equal values is the point, and is flagged as narrower than the resolution,
    // ± 68.376 · 0.005/0.995 = 0.344 s; the latency mean (an exact figure) has no resolution and no flag.
    const rows = compareArm(figures);
    const p95 = rows.find((r) => r.metric.metric === 'latency_p95_s')!;
    expect(p95.value.halfWidth).toBe(0);
    expect(p95.resolution).toBeCloseTo((68.37605626262832 * 0.005) / 0.995, 12);
    expect(p95.belowResolution).toBe(true);
    const mean = rows.find((r) => r.metric.metric === 'latency_mean_s')!;
    expect([mean.resolution, mean.belowResolution]).toEqual([0, false]);

    // compare_runs.csv: every request born in the window is completed, dropped or in flight at the end (those still in the
    // node's memory: K at most, here about K − 1 — the latencies leave out the requests that waited longest).
    for (const q of runs) {
      expect(q.inFlight).toBeGreaterThan(K - 5);
      expect(q.inFlight).toBeLessThanOrEqual(K);
      expect(q.generated).toBe(q.latencies.length + q.dropped + q.inFlight);
    }
    const outcomeRuns = runs.map((q, i): ArmRun => ({ seed: seeds[i], figures: figures[i], generated: q.generated, completed: q.latencies.length, events: 0, simulationSeconds: 0 }));
    const comparison: Comparison = {
      scenario: 'queue',
      seeds,
      outcomes: [{ arm: { name: 'EDeLeaR', role: 'reference', overrides: [], description: '' }, runs: outcomeRuns, comparisons: rows }],
      skipped: [],
      buildSeconds: 0,
    };
    const runRows = compareRunRows(comparison);
    expect(COMPARE_RUN_COLUMNS.slice(6, 10)).toEqual(['generated', 'completed', 'dropped', 'in_flight_at_end']);
    runRows.forEach((r, i) => {
      expect(r.in_flight_at_end).toBe(runs[i].inFlight);
      expect(r.dropped).toBe(runs[i].dropped);
      expect(Number(r.generated)).toBe(Number(r.completed) + Number(r.dropped) + Number(r.in_flight_at_end));
      for (const column of COMPARE_RUN_COLUMNS.slice(5)) expect(r[column], column).toBeDefined();
    });
    const csvRows = compareRows(comparison);
    expect(COMPARE_COLUMNS).toContain('resolution');
    expect(COMPARE_COLUMNS).toContain('below_resolution');
    const p95Row = csvRows.find((r) => r.metric === 'latency_p95_s')!;
    expect([p95Row.ci95_low, p95Row.ci95_high, p95Row.below_resolution]).toEqual([middle(k), middle(k), 'yes']);
    expect(p95Row.resolution).toBeCloseTo(0.3436, 4);
    const meanRow = csvRows.find((r) => r.metric === 'latency_mean_s')!;
    expect([meanRow.resolution, meanRow.below_resolution]).toEqual(['', '']);
  });
});

describe('the run counts beside the figures', () => {
  it('dropped and in flight at the end are read from the (all) row, and compared nowhere', () => {
    const q: QueueRun = { latencies: [1, 2, 3], generated: 10, dropped: 2, inFlight: 5 };
    const f = runFigures(tablesOf(q));
    expect([f.dropped, f.in_flight_at_end]).toEqual([2, 5]);
    expect(Object.keys(f)).toEqual([...COMPARE_METRICS.map((m) => m.metric), ...RUN_COUNTS]);
    const rows = compareArm([f, f], [f, f]);
    expect(rows.map((r) => r.metric.metric)).not.toContain('in_flight_at_end');
  });
});

describe('the sketch-resolution rule of the verdicts', () => {
  /** What the sketch answers for values near both ends of bucket k: that bucket's middle (within them, so not held to them). */
  const answer = (k: number) => {
    const s = new QuantileSketch();
    s.add(GAMMA ** (k - 0.9));
    s.add(GAMMA ** (k - 0.1));
    return s.quantile(0.95);
  };
  // A reference p95 on three seeds in buckets around 1 s, 1.5 s and 2 s.
  const ks = [bucket(1), bucket(1.5), bucket(2)];
  const reference = ks.map(answer);

  it('an arm one bucket above the reference on every seed is inconclusive (their true values may be equal)', () => {
    for (let i = 0; i < ks.length; i++) expect(reference[i]).toBeCloseTo(middle(ks[i]), 12);
    const d = pairedDifference(ks.map((k) => answer(k + 1)), reference);
    // The difference is (γ − 1) = 2α/(1 − α) = 1.005% of the reference: more than the 2α = 1% the rule used to allow, so it was
    // "EDeLeaR better" on a difference the sketch cannot tell from 0 (values just either side of a bucket boundary).
    expect(d.mean / d.referenceMean).toBeCloseTo(GAMMA - 1, 9);
    expect(Math.abs(d.mean)).toBeGreaterThan(2 * ALPHA * Math.abs(d.referenceMean));
    expect(d.low).toBeGreaterThan(0);
    expect(resolutionBound(d.referenceMean, ALPHA)).toBeCloseTo((GAMMA - 1) * d.referenceMean, 12);
    expect(compareVerdict(d, 'lower', ALPHA)).toBe('inconclusive');
    expect(compareVerdict(d, 'lower')).toBe('EDeLeaR better'); // an exact figure would be decided
  });

  it('one bucket below is inconclusive too; two buckets either way are decided', () => {
    const below = pairedDifference(ks.map((k) => answer(k - 1)), reference);
    expect(below.high).toBeLessThan(0);
    expect(compareVerdict(below, 'lower', ALPHA)).toBe('inconclusive');
    // Two buckets apart, the true values differ by at least a factor γ: a real difference.
    expect(compareVerdict(pairedDifference(ks.map((k) => answer(k + 2)), reference), 'lower', ALPHA)).toBe('EDeLeaR better');
    expect(compareVerdict(pairedDifference(ks.map((k) => answer(k - 2)), reference), 'lower', ALPHA)).toBe('EDeLeaR worse');
  });

  it('the resolution half-width brackets the true value of a sketch answer', () => {
    // The answer v = 2γ^k/(γ + 1) of bucket (γ^(k−1), γ^k]: the bucket reaches v/(1 + α) below and v/(1 − α) above.
    const k = bucket(68.5);
    const v = middle(k);
    expect(GAMMA ** k - v).toBeCloseTo(resolutionHalfWidth(v, ALPHA), 12);
    expect(v - GAMMA ** (k - 1)).toBeLessThan(resolutionHalfWidth(v, ALPHA));
    expect(resolutionHalfWidth(v)).toBe(0);
  });
});
