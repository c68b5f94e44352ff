import { describe, expect, it } from 'vitest';
import { exponential, lognormal, pareto } from '../../src/core/distributions.ts';
import { RandomStreams } from '../../src/core/random.ts';
import { Mean, QuantileSketch, TimeWeighted, Welford } from '../../src/core/stats.ts';

describe('Welford', () => {
  it('matches the two-pass mean and sample variance, even with a large offset', () => {
    const xs = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    const w = new Welford();
    xs.forEach((x) => w.add(x));
    expect(w.mean).toBe(1e9 + 10);
    expect(w.variance).toBe(30); // ((−6)² + (−3)² + 3² + 6²) / 3
    expect(w.min).toBe(1e9 + 4);
    expect(w.max).toBe(1e9 + 16);
  });
});

describe('Mean', () => {
  it('is the sum over the count, NaN when empty', () => {
    const m = new Mean();
    expect(m.mean).toBeNaN();
    [0.25, 0.5, 1.75].forEach((x) => m.add(x));
    expect(m.count).toBe(3);
    expect(m.sum).toBe(2.5);
    expect(m.mean).toBe(2.5 / 3);
  });
});

describe('TimeWeighted', () => {
  it('averages a step signal over time', () => {
    const t = new TimeWeighted(0);
    t.set(0, 2); // 2 on [0, 3)
    t.set(3, 5); // 5 on [3, 4)
    t.set(4, 0); // 0 on [4, 10]
    expect(t.meanUntil(10)).toBeCloseTo((2 * 3 + 5 * 1) / 10, 12);
    expect(t.peak).toBe(5);
  });
});

describe('QuantileSketch', () => {
  // The returned p-quantile's rank in the sorted sample must be within 1% of p·n.
  for (const [name, d] of [
    ['exponential', exponential(10)],
    ['lognormal σ = 2', lognormal(-3, 2)],
    ['Pareto α = 1.2 (heavy tail)', pareto(0.001, 1.2)],
  ] as const) {
    it(`rank error ≤ 1% at p50, p95, p99 and p99.9 on 10^6 ${name} samples`, () => {
      const n = 1_000_000;
      const rng = new RandomStreams(3).stream('service', name);
      const xs = new Float64Array(n);
      const sketch = new QuantileSketch();
      for (let i = 0; i < n; i++) {
        xs[i] = d.sample(rng);
        sketch.add(xs[i]);
      }
      xs.sort();
      for (const p of [0.5, 0.95, 0.99, 0.999]) {
        const q = sketch.quantile(p);
        // Rank range of q in the sample: [first index ≥ q, last index ≤ q].
        let lo = 0;
        let hi = n;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (xs[mid] < q) lo = mid + 1;
          else hi = mid;
        }
        const rank = lo / n;
        expect(Math.abs(rank - p)).toBeLessThanOrEqual(0.01);
        // And the value itself is within the sketch's relative accuracy of the exact quantile.
        const exact = xs[Math.floor(p * (n - 1))];
        expect(Math.abs(q - exact) / exact).toBeLessThanOrEqual(0.0051);
      }
    });
  }

  it('adds by bucket as by value (a bucket found once serves sketches of the same parameters)', () => {
    const byValue = new QuantileSketch();
    const byBucket = new QuantileSketch();
    const xs = [0, -1, 1e-12, NaN, 3e-4, 0.02, 0.0201, 1, 7.5, 1e12];
    for (const x of xs) {
      byValue.add(x);
      byBucket.addAt(byValue.bucket(x), x);
    }
    expect(byBucket.count).toBe(xs.length);
    expect(byValue.bucket(0)).toBe(-1); // at or below minValue: the zero bucket
    expect(byValue.bucket(1e12)).toBe(byValue.bucket(1e9)); // above maxValue: the last bucket
    for (const p of [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1]) expect(byBucket.quantile(p)).toBe(byValue.quantile(p));
  });

  it('holds every quantile within the least and greatest value added (a bucket\'s representative lay up to α beyond them)', () => {
    // test/fixtures/good/partitioning.yaml's one request took 0.3108 s; its bucket's representative is 0.31191… (above it).
    const one = new QuantileSketch();
    one.add(0.3108);
    const bucket = one.bucket(0.3108) + Math.floor(Math.log(1e-9) / Math.log((1 + 0.005) / (1 - 0.005)));
    expect((2 * ((1 + 0.005) / (1 - 0.005)) ** bucket) / ((1 + 0.005) / (1 - 0.005) + 1)).toBeGreaterThan(0.3108);
    for (const q of [0, 0.5, 0.95, 0.99, 1]) expect(one.quantile(q)).toBe(0.3108);
    // Two values: the lower quantiles no lower than the least, the upper no higher than the greatest.
    const two = new QuantileSketch();
    two.add(0.28);
    two.add(0.42);
    expect(two.quantile(0)).toBeGreaterThanOrEqual(0.28);
    expect(two.quantile(0)).toBeLessThanOrEqual(0.28 * 1.005);
    expect(two.quantile(1)).toBeLessThanOrEqual(0.42);
    expect(two.quantile(1)).toBeGreaterThanOrEqual(0.42 * 0.995);
    // Merged sketches keep the extremes of both.
    const merged = new QuantileSketch();
    merged.merge(one);
    merged.merge(two);
    expect([merged.min, merged.max]).toEqual([0.28, 0.42]);
  });

  it('merges sketches exactly', () => {
    const a = new QuantileSketch();
    const b = new QuantileSketch();
    const all = new QuantileSketch();
    for (let i = 1; i <= 1000; i++) {
      (i % 2 ? a : b).add(i / 100);
      all.add(i / 100);
    }
    a.merge(b);
    expect(a.count).toBe(1000);
    for (const p of [0.1, 0.5, 0.99]) expect(a.quantile(p)).toBe(all.quantile(p));
  });
});
