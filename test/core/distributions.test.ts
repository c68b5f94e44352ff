import { describe, expect, it } from 'vitest';
import {
  deterministic,
  empirical,
  empiricalUnitMean,
  erlang,
  exponential,
  fitTruncatedNormal,
  gamma,
  lognormal,
  lognormalMeanCv,
  normal,
  normalTail,
  pareto,
  paretoUnitMean,
  truncatedNormal,
  truncatedNormalMeanSd,
  uniform,
  uniformUnitMean,
  zipf,
  type Distribution,
} from '../../src/core/distributions.ts';
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

/**
 * Sample mean within 5 standard errors of the true mean (SE √(σ²/N)), and sample variance
 * within 5 standard errors of the true variance: the sample variance of N draws has
 * variance ≈ (μ₄ − σ⁴)/N, μ₄ the fourth central moment (pass Infinity when it does not exist:
 * then only the mean is checked against its standard error).
 */
function expectMomentsSE(d: Distribution, mean: number, variance: number, mu4: number, seed: string): void {
  const m = moments(d, seed);
  expect(Math.abs(m.mean - mean)).toBeLessThan(5 * Math.sqrt(variance / N));
  if (Number.isFinite(mu4)) expect(Math.abs(m.variance - variance)).toBeLessThan(5 * Math.sqrt((mu4 - variance * variance) / N));
}

/** Fourth central moment from the raw moments E[X], E[X²], E[X³], E[X⁴]. */
function centralFourth(r1: number, r2: number, r3: number, r4: number): number {
  return r4 - 4 * r1 * r3 + 6 * r1 * r1 * r2 - 3 * r1 ** 4;
}

/**
 * Moments of the normal N(μ, σ²) truncated at zero by quadrature, independent of the code
 * under test: with a = −μ/σ and X = σ(a + U) = σU, U ≥ 0 has density ∝ w(u) = exp(−au − u²/2)
 * (composite Simpson's rule over the range where w is not negligible). Returns the closed
 * form of the mean, μ + σφ(α)/Φ(α) with α = μ/σ, where Φ(α)/φ(α) = ∫₀^∞ exp(αu − u²/2) du,
 * and the variance and fourth central moment of X.
 */
function truncatedNormalByQuadrature(mu: number, sigma: number): { closedFormMean: number; mean: number; variance: number; mu4: number } {
  const a = -mu / sigma;
  // log w peaks at u = −a when a < 0; beyond the peak it falls at least like exp(−u²/2), or exp(−au) for large a.
  const U = Math.max(0, -a) + (a > 1 ? 60 / a : 60);
  const n = 200_000;
  const h = U / n;
  const shift = a < 0 ? (a * a) / 2 : 0; // w's maximum, factored out to avoid overflow
  const m = [0, 0, 0, 0, 0];
  for (let i = 0; i <= n; i++) {
    const u = i * h;
    const c = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    const w = c * Math.exp(-a * u - (u * u) / 2 - shift);
    let p = w;
    for (let k = 0; k <= 4; k++) {
      m[k] += p;
      p *= u;
    }
  }
  const r = m.map((x) => x / m[0]);
  const ratio = (m[0] * h) / 3 / Math.exp(-shift); // Φ(α)/φ(α)
  return {
    closedFormMean: mu + sigma / ratio,
    mean: sigma * r[1],
    variance: sigma ** 2 * (r[2] - r[1] ** 2),
    mu4: sigma ** 4 * centralFourth(r[1], r[2], r[3], r[4]),
  };
}

describe('normal truncated at zero, fitted to a declared mean and sd', () => {
  it('standard normal upper tail: known values of Q(x) = 1 − Φ(x)', () => {
    // Abramowitz & Stegun, table 26.1, and Q(x) = erfc(x/√2)/2.
    expect(normalTail(0)).toBe(0.5);
    expect(normalTail(1)).toBeCloseTo(0.158655253931457, 14);
    expect(normalTail(-2)).toBeCloseTo(0.977249868051821, 14);
    expect(normalTail(3) / 1.349898031630095e-3 - 1).toBeLessThan(1e-13);
    expect(Math.abs(normalTail(5) / 2.866515718791939e-7 - 1)).toBeLessThan(1e-13);
    expect(Math.abs(normalTail(10) / 7.619853024160527e-24 - 1)).toBeLessThan(1e-13);
  });

  // (mean, sd): cv from near 0 to near 1; the truncation point a = −μ/σ covers both sides of 0 and both branches (a < 3, a ≥ 3).
  const cases: [number, number][] = [[1, 0.1], [1, 0.5], [2, 1.5], [1, 0.7555], [1, 0.9], [3, 2.97], [1, 0.999]];
  it.each(cases)('mean %s, sd %s: the fitted law has exactly that mean (closed form) and sd, to 1e-9', (m, s) => {
    const fit = fitTruncatedNormal(m, s)!;
    expect(fit).toBeDefined();
    const q = truncatedNormalByQuadrature(fit.mu, fit.sigma);
    expect(Math.abs(q.closedFormMean / m - 1)).toBeLessThan(1e-9);
    expect(Math.abs(q.mean / m - 1)).toBeLessThan(1e-9);
    expect(Math.abs(Math.sqrt(q.variance) / s - 1)).toBeLessThan(1e-9);
    expect(Math.abs(truncatedNormal(fit.mu, fit.sigma).mean / m - 1)).toBeLessThan(1e-12);
  });

  // Before the fit, normal { mean: 1 s, sd: 0.5 s } inter-arrival times had mean 1.028 s (0.973 arrivals/s); with sd 1 s, 0.78/s.
  it.each([[1, 0.5], [1, 0.7555], [1, 0.9], [1, 0.99], [0.2, 0.05]])('mean %s, sd %s: sample mean and variance match within 5 standard errors', (m, s) => {
    const fit = fitTruncatedNormal(m, s)!;
    const q = truncatedNormalByQuadrature(fit.mu, fit.sigma);
    const d = truncatedNormalMeanSd(m, s);
    expect(d.mean).toBe(m);
    expectMomentsSE(d, m, s * s, q.mu4, `tn-${m}-${s}`);
  });

  it('draws are never negative, even far in the tail (a = 40: Robert’s sampler)', () => {
    const d = truncatedNormal(-40, 1);
    const rng = new RandomStreams(3).stream('service', 'tail');
    let s = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = d.sample(rng);
      expect(x).toBeGreaterThanOrEqual(0);
      s += x;
    }
    // Mean ≈ 1/40 (the truncated law is nearly exponential with rate 40, sd ≈ mean); SE ≈ 0.025/√10⁴.
    expect(Math.abs(d.mean / truncatedNormalByQuadrature(-40, 1).closedFormMean - 1)).toBeLessThan(1e-9);
    expect(Math.abs(s / 10_000 - d.mean)).toBeLessThan(5 * (0.025 / 100));
  });

  it('exists exactly when sd < mean (the truncated normal’s cv tends to 1, never reaches it)', () => {
    expect(fitTruncatedNormal(1, 1)).toBeUndefined();
    expect(fitTruncatedNormal(1, 1.5)).toBeUndefined();
    expect(fitTruncatedNormal(0, 0.1)).toBeUndefined();
    expect(fitTruncatedNormal(1, 1 - 1e-9)).toBeDefined();
    expect(fitTruncatedNormal(1, 0)).toEqual({ mu: 1, sigma: 0 });
    expect(() => truncatedNormalMeanSd(1, 1)).toThrow(RangeError);
  });
});

describe('mean-1 multipliers of compute time: mean 1 and the closed-form variance', () => {
  it('uniform, cv 0.3: on [1 − √3·0.3, 1 + √3·0.3], variance cv², μ₄ = w⁴/5', () => {
    const w = Math.sqrt(3) * 0.3;
    const d = uniformUnitMean(0.3);
    expect(d.mean).toBeCloseTo(1, 15);
    expectMomentsSE(d, 1, 0.09, w ** 4 / 5, 'u-unit');
  });
  it('uniform at the bound cv = 1/√3: on [0, 2]', () => {
    const d = uniformUnitMean(1 / Math.sqrt(3));
    expectMomentsSE(d, 1, 1 / 3, 1 / 5, 'u-unit-max'); // half-width 1: μ₄ = 1/5
  });
  it('normal, cv 0.4: truncated at zero, mean 1, sd 0.4', () => {
    const fit = fitTruncatedNormal(1, 0.4)!;
    const d = truncatedNormalMeanSd(1, 0.4);
    expectMomentsSE(d, 1, 0.16, truncatedNormalByQuadrature(fit.mu, fit.sigma).mu4, 'n-unit');
  });
  it.each([1, 3, 10])('Erlang-%i of mean 1: variance 1/k, μ₄ = 3k(k + 2)/k⁴', (k) => {
    const d = erlang(k, 1);
    expect(d.mean).toBeCloseTo(1, 15);
    expectMomentsSE(d, 1, 1 / k, (3 * k * (k + 2)) / k ** 4, `erl-unit-${k}`);
  });
  it('Pareto, shape 5: scale 4/5, mean 1, variance 1/(α(α − 2)) = 1/15', () => {
    const alpha = 5;
    const xm = (alpha - 1) / alpha;
    const raw = (n: number) => (alpha * xm ** n) / (alpha - n);
    const d = paretoUnitMean(alpha);
    expect(d.mean).toBeCloseTo(1, 15);
    expect(raw(2) - 1).toBeCloseTo(1 / 15, 14);
    expectMomentsSE(d, 1, 1 / 15, centralFourth(raw(1), raw(2), raw(3), raw(4)), 'par-unit');
  });
  it('Pareto, shape 1.5 (infinite variance): mean 1, and tail P(X > x) = (xm/x)^α', () => {
    const alpha = 1.5;
    const xm = 1 / 3;
    const d = paretoUnitMean(alpha);
    expect(d.mean).toBeCloseTo(1, 15);
    const rng = new RandomStreams(7).stream('service', 'par-heavy');
    const xs = [0.5, 1, 3, 10];
    const counts = xs.map(() => 0);
    let min = Infinity;
    for (let i = 0; i < N; i++) {
      const x = d.sample(rng);
      if (x < min) min = x;
      for (let j = 0; j < xs.length; j++) if (x > xs[j]) counts[j]++;
    }
    expect(min).toBeGreaterThanOrEqual(xm);
    xs.forEach((t, j) => {
      const p = (xm / t) ** alpha;
      expect(Math.abs(counts[j] / N - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
    });
  });
  it('empirical over {1, 2, 6}, divided by their mean 3: {1/3, 2/3, 2}, variance 14/27', () => {
    const d = empiricalUnitMean([1, 2, 6]);
    expect(d.mean).toBeCloseTo(1, 15);
    // Three equally likely values v: μ₄ = mean of (v − 1)⁴.
    const mu4 = ((2 / 3) ** 4 + (1 / 3) ** 4 + 1) / 3;
    expectMomentsSE(d, 1, 14 / 27, mu4, 'emp-unit');
    expect(() => empiricalUnitMean([0, 0])).toThrow(RangeError);
  });
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
