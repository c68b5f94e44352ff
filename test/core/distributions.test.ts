import { describe, expect, it } from 'vitest';
import { deterministic, empirical, erlang, exponential, gamma, lognormal, lognormalMeanCv, normal, pareto, uniform, zipf, type Distribution } from '../../src/core/distributions.ts';
import { RandomStreams } from '../../src/core/random.ts';

const N = 400_000;

function moments(d: Distribution, seed: string): { mean: number; variance: number } {
  const rng = new RandomStreams(7).stream('service', seed);
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < N; i++) {
    const x = d.sample(rng);
    s += x;
    s2 += x * x;
  }
  const mean = s / N;
  return { mean, variance: s2 / N - mean * mean };
}

/** Sample mean within 4 standard errors of the true mean, and sample variance within 3%. */
function expectMoments(d: Distribution, mean: number, variance: number, seed: string): void {
  const m = moments(d, seed);
  expect(d.mean).toBeCloseTo(mean, 10);
  expect(Math.abs(m.mean - mean)).toBeLessThan(4 * Math.sqrt(variance / N) + 1e-12);
  if (variance === 0) expect(m.variance).toBeCloseTo(0, 12);
  else expect(Math.abs(m.variance / variance - 1)).toBeLessThan(0.03);
}

describe('distributions: sample moments match the closed forms', () => {
  it('exponential(rate 2): mean 1/2, variance 1/4', () => expectMoments(exponential(2), 0.5, 0.25, 'exp'));
  it('deterministic(3): mean 3, variance 0', () => expectMoments(deterministic(3), 3, 0, 'det'));
  it('uniform(1, 4): mean 2.5, variance 9/12', () => expectMoments(uniform(1, 4), 2.5, 9 / 12, 'uni'));
  it('normal(5, 2): mean 5, variance 4', () => expectMoments(normal(5, 2), 5, 4, 'norm'));
  it('lognormal(0, 0.5): mean e^{1/8}, variance (e^{1/4} − 1) e^{1/4}', () =>
    expectMoments(lognormal(0, 0.5), Math.exp(0.125), (Math.exp(0.25) - 1) * Math.exp(0.25), 'logn'));
  it('lognormal with mean 2 and cv 0.5: variance (2 · 0.5)²', () => expectMoments(lognormalMeanCv(2, 0.5), 2, 1, 'lognm'));
  it('gamma(shape 2.5, scale 2): mean 5, variance 10', () => expectMoments(gamma(2.5, 2), 5, 10, 'gam'));
  it('gamma(shape 0.5, scale 1): mean 0.5, variance 0.5 (shape < 1 branch)', () => expectMoments(gamma(0.5, 1), 0.5, 0.5, 'gam1'));
  it('Erlang-4 with mean 2: variance 4 · (1/2)² = 1', () => expectMoments(erlang(4, 2), 2, 1, 'erl'));
  it('Pareto(xm 1, α 5): mean 5/4, variance 5/(16 · 3)', () => expectMoments(pareto(1, 5), 1.25, 5 / 48, 'par'));
  it('empirical over {1, 2, 6}: mean 3, variance 14/3', () => expectMoments(empirical([1, 2, 6]), 3, 14 / 3, 'emp'));
});

describe('Zipf', () => {
  it('rank frequencies follow 1/(i+1)^α / H(n, α) (α = 0.8, n = 100)', () => {
    const n = 100;
    const alpha = 0.8;
    const z = zipf(alpha, n);
    const rng = new RandomStreams(1).stream('inputs');
    const counts = new Float64Array(n);
    for (let i = 0; i < N; i++) counts[z.sample(rng)]++;
    let h = 0;
    for (let i = 1; i <= n; i++) h += 1 / Math.pow(i, alpha);
    for (const rank of [0, 1, 9, 99]) {
      const p = 1 / Math.pow(rank + 1, alpha) / h;
      expect(Math.abs(counts[rank] / N - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
    }
  });
});

describe('random streams', () => {
  it('a stream depends only on (seed, name, key)', () => {
    const a = new RandomStreams(42);
    const b = new RandomStreams(42);
    const x = a.stream('arrivals', 3);
    a.stream('service', 3)(); // using another stream does not disturb this one
    const y = b.stream('arrivals', 3);
    for (let i = 0; i < 100; i++) expect(x()).toBe(y());
  });

  it('different seeds, names or keys give different sequences', () => {
    const first = (s: RandomStreams, name: 'arrivals' | 'service', key: number) => s.stream(name, key)();
    const base = first(new RandomStreams(1), 'arrivals', 0);
    expect(first(new RandomStreams(2), 'arrivals', 0)).not.toBe(base);
    expect(first(new RandomStreams(1), 'service', 0)).not.toBe(base);
    expect(first(new RandomStreams(1), 'arrivals', 1)).not.toBe(base);
  });
});
