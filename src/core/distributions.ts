import type { Rng } from './random.ts';

/** A probability distribution over non-negative reals (times, sizes) or integers (keys). */
export interface Distribution {
  /** Draws one value. */
  sample(rng: Rng): number;
  /** The distribution's mean (Infinity where it does not exist). */
  readonly mean: number;
}

/** Exponential with the given rate (mean 1/rate). */
export function exponential(rate: number): Distribution {
  const mean = 1 / rate;
  return { mean, sample: (rng) => -Math.log(1 - rng()) * mean };
}

/** Always `value`. */
export function deterministic(value: number): Distribution {
  return { mean: value, sample: () => value };
}

/** Uniform on [min, max). */
export function uniform(min: number, max: number): Distribution {
  return { mean: (min + max) / 2, sample: (rng) => min + (max - min) * rng() };
}

/** One standard normal draw (Box–Muller, one of the pair). */
export function standardNormal(rng: Rng): number {
  const u1 = 1 - rng();
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Normal N(mean, sd²); callers wanting positive values should truncate themselves. */
export function normal(mean: number, sd: number): Distribution {
  return { mean, sample: (rng) => mean + sd * standardNormal(rng) };
}

/** Lognormal whose underlying normal has parameters (mu, sigma). */
export function lognormal(mu: number, sigma: number): Distribution {
  return { mean: Math.exp(mu + (sigma * sigma) / 2), sample: (rng) => Math.exp(mu + sigma * standardNormal(rng)) };
}

/** Lognormal with a given mean and coefficient of variation. */
export function lognormalMeanCv(mean: number, cv: number): Distribution {
  const sigma2 = Math.log(1 + cv * cv);
  return lognormal(Math.log(mean) - sigma2 / 2, Math.sqrt(sigma2));
}

/** Gamma(shape k, scale θ) by Marsaglia and Tsang (2000); mean kθ. */
export function gamma(shape: number, scale: number): Distribution {
  const boost = shape < 1;
  const k = boost ? shape + 1 : shape;
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  const sample = (rng: Rng): number => {
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = standardNormal(rng);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - rng();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        const g = d * v * scale;
        return boost ? g * Math.pow(1 - rng(), 1 / shape) : g;
      }
    }
  };
  return { mean: shape * scale, sample };
}

/** Erlang-k with the given mean (sum of k exponentials). */
export function erlang(k: number, mean: number): Distribution {
  return gamma(k, mean / k);
}

/** Pareto (type I) with scale xm > 0 and shape α > 0; mean α·xm/(α−1) for α > 1. */
export function pareto(xm: number, alpha: number): Distribution {
  return {
    mean: alpha > 1 ? (alpha * xm) / (alpha - 1) : Infinity,
    sample: (rng) => xm / Math.pow(1 - rng(), 1 / alpha),
  };
}

/**
 * Zipf over ranks 0…n−1 with P(rank i) ∝ 1/(i+1)^α, by Walker's alias method in Vose's
 * construction (M. D. Vose, "A linear algorithm for generating random numbers with a given
 * distribution", IEEE TSE 17(9), 1991): O(1) per draw — one uniform u, whose integer part of
 * u·n picks a column i and whose fraction f keeps i when f < prob(i), else gives i's alias. The
 * table is built in O(n) once per (α, n) and shared by every distribution of the same law
 * (`zipfAlias`: the last few laws kept). With a generator of 32-bit resolution (alea) the
 * fraction has 32 − log2 n bits, so each column's split between i and its alias is off by at most
 * 2^-32 in probability (inversion of the CDF was off by as much per rank).
 * Until 2026-11-27 the rank was drawn by inversion (binary search in the CDF, O(log n)): the
 * same law, but other ranks for the same uniforms, so runs with `inputs` draw other keys since.
 */
export function zipf(alpha: number, n: number): Distribution {
  const { table, mean } = zipfAlias(alpha, n);
  return {
    mean,
    sample: (rng) => {
      const x = rng() * n;
      let i = x | 0;
      if (i >= n) i = n - 1; // u·n rounded up to n (a generator with 53-bit uniforms)
      const e = table[i];
      const alias = e | 0;
      return x - i < e - alias ? i : alias;
    },
  };
}

/**
 * An alias table in one Float64Array (one read per draw): entry i = alias(i) + prob(i), the
 * alias in the integer part and the probability of keeping i in the fraction, in [0, 1) (a
 * column kept whole has alias i and prob 0). Exact to 2^-29 in prob for n ≤ 2^24.
 */
interface AliasTable {
  readonly table: Float64Array;
  readonly mean: number;
}

/** Zipf(α, n)'s alias tables built so far, the most recent last; a few kept (a sweep over α builds one per value). */
const ZIPF_TABLES = new Map<string, AliasTable>();
const ZIPF_TABLES_KEPT = 8;

/** The alias table of Zipf(α, n), built once per (α, n) while it is among the {@link ZIPF_TABLES_KEPT} last used. */
function zipfAlias(alpha: number, n: number): AliasTable {
  const key = `${alpha}/${n}`;
  let t = ZIPF_TABLES.get(key);
  if (t !== undefined) {
    ZIPF_TABLES.delete(key);
  } else {
    if (!(Number.isInteger(n) && n >= 1 && n <= 2 ** 24)) throw new RangeError(`zipf needs a catalog of 1 … 2^24 ranks, got ${n}`);
    const w = new Float64Array(n);
    let sum = 0;
    let weightedSum = 0;
    for (let i = 0; i < n; i++) {
      w[i] = 1 / Math.pow(i + 1, alpha);
      sum += w[i];
      weightedSum += i * w[i];
    }
    for (let i = 0; i < n; i++) w[i] = (w[i] * n) / sum;
    t = { table: aliasTable(w), mean: weightedSum / sum };
    if (ZIPF_TABLES.size >= ZIPF_TABLES_KEPT) ZIPF_TABLES.delete(ZIPF_TABLES.keys().next().value!);
  }
  ZIPF_TABLES.set(key, t);
  return t;
}

/**
 * Vose's alias table for weights `scaled` (each p_i · n, mean 1; overwritten): columns below 1
 * ("small") are topped up from one above ("large"), which loses the difference and is put back
 * among the small or large; what remains at the end is 1 up to rounding and kept whole. O(n).
 */
export function aliasTable(scaled: Float64Array): Float64Array {
  const n = scaled.length;
  const table = new Float64Array(n);
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let ns = 0;
  let nl = 0;
  for (let i = 0; i < n; i++) {
    if (scaled[i] < 1) small[ns++] = i;
    else large[nl++] = i;
  }
  while (ns > 0 && nl > 0) {
    const s = small[--ns];
    const l = large[--nl];
    const e = l + scaled[s]; // keep s with probability scaled[s] < 1, else give l
    table[s] = e < l + 1 ? e : s; // scaled[s] within an ulp of l of 1: kept whole
    scaled[l] = scaled[l] + scaled[s] - 1;
    if (scaled[l] < 1) small[ns++] = l;
    else large[nl++] = l;
  }
  while (nl > 0) {
    const l = large[--nl];
    table[l] = l; // whole: prob 0 sends every draw to its alias, l itself
  }
  while (ns > 0) {
    const s = small[--ns];
    table[s] = s; // 1 up to rounding
  }
  return table;
}

/** Resamples the observed values uniformly (the empirical distribution of a data column). */
export function empirical(values: ArrayLike<number>): Distribution {
  if (values.length === 0) throw new Error('empirical distribution needs at least one value');
  const v = Float64Array.from(values);
  let s = 0;
  for (const x of v) s += x;
  return { mean: s / v.length, sample: (rng) => v[Math.floor(rng() * v.length)] };
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/** Laplace's continued fraction T_k = x + k / T_{k+1}, evaluated from term 300 down to `k` (x ≥ 3). */
function laplaceTail(x: number, k: number): number {
  let t = x;
  for (let j = 300; j >= k; j--) t = x + j / t;
  return t;
}

/**
 * Upper tail Q(x) = 1 − Φ(x) of the standard normal, to near double precision:
 * Marsaglia's (2004) series Φ(x) = ½ + φ(x)(x + x³/3 + x⁵/15 + …) for |x| < 3,
 * Laplace's continued fraction Q(x) = φ(x) / T_1(x) beyond.
 */
export function normalTail(x: number): number {
  if (x >= 3) return normalPdf(x) / laplaceTail(x, 1);
  if (x <= -3) return 1 - normalPdf(x) / laplaceTail(-x, 1);
  let term = x;
  let sum = x;
  for (let i = 3; sum + term !== sum; i += 2) {
    term *= (x * x) / i;
    sum += term;
  }
  return 0.5 - normalPdf(x) * sum;
}

/**
 * Mean and variance of a standard normal Z conditioned on Z ≥ a, as h = E[Z | Z ≥ a]
 * (the inverse Mills ratio φ(a)/Q(a)), δ = h − a and v = Var[Z | Z ≥ a] = 1 − hδ.
 * Far in the upper tail (a ≥ 3) δ and v come from the continued fraction without
 * cancellation: with T_k = a + k/T_{k+1}, δ = 1/T_2 and v = (a + 4/T_3 − 3/T_4) / (T_3 T_2²).
 */
function truncatedStandardMoments(a: number): { delta: number; variance: number } {
  if (a >= 3) {
    const t4 = laplaceTail(a, 4);
    const t3 = a + 3 / t4;
    const t2 = a + 2 / t3;
    return { delta: 1 / t2, variance: (a + 4 / t3 - 3 / t4) / (t3 * t2 * t2) };
  }
  const h = normalPdf(a) / normalTail(a);
  const delta = h - a;
  return { delta, variance: 1 - h * delta };
}

/**
 * Normal N(μ, σ²) conditioned on being ≥ 0 (times cannot be negative), sampled exactly:
 * by rejection from the normal while the acceptance probability Φ(μ/σ) ≥ ½, else by
 * Robert's (1995) translated-exponential proposal, whose acceptance stays above 0.76
 * however far in the tail the truncation point lies. Mean μ + σφ(μ/σ)/Φ(μ/σ).
 */
export function truncatedNormal(mu: number, sigma: number): Distribution {
  if (!(sigma > 0)) {
    if (!(mu >= 0) || sigma !== 0) throw new RangeError(`truncatedNormal needs σ > 0, or σ = 0 and μ ≥ 0; got μ = ${mu}, σ = ${sigma}`);
    return deterministic(mu);
  }
  const a = -mu / sigma; // the truncation point 0 in standard units
  const mean = sigma * truncatedStandardMoments(a).delta;
  if (a <= 0) {
    return {
      mean,
      sample: (rng) => {
        for (;;) {
          const z = standardNormal(rng);
          if (z >= a) return Math.max(0, mu + sigma * z);
        }
      },
    };
  }
  const rate = (a + Math.sqrt(a * a + 4)) / 2; // Robert's optimal exponential rate
  return {
    mean,
    sample: (rng) => {
      for (;;) {
        const z = a - Math.log(1 - rng()) / rate;
        const d = z - rate;
        if (rng() <= Math.exp(-0.5 * d * d)) return Math.max(0, mu + sigma * z);
      }
    },
  };
}

/**
 * The underlying (μ, σ) of the normal truncated at zero whose mean and standard deviation
 * are `mean` and `sd`. The truncated law's coefficient of variation depends only on
 * a = −μ/σ and increases from 0 (a → −∞, no truncation) to 1 (a → +∞, the law tends to
 * an exponential), so the fit exists exactly when sd < mean; it is found by bisection on a.
 * Returns undefined when it does not exist (sd ≥ mean, or mean ≤ 0).
 */
export function fitTruncatedNormal(mean: number, sd: number): { mu: number; sigma: number } | undefined {
  if (!(mean > 0) || !(sd >= 0) || !(sd < mean)) return undefined;
  if (sd === 0) return { mu: mean, sigma: 0 };
  const target = sd / mean;
  const cvAt = (a: number) => {
    const m = truncatedStandardMoments(a);
    return Math.sqrt(Math.max(0, m.variance)) / m.delta;
  };
  // cv(a) < −1/a for a < 0 (truncation shrinks the sd and raises the mean), so cv(lo) < target.
  let lo = -1 / target - 10;
  let hi = 1;
  while (cvAt(hi) < target) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return undefined;
  }
  for (let i = 0; i < 5000; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (cvAt(mid) < target) lo = mid;
    else hi = mid;
  }
  const a = lo + (hi - lo) / 2;
  const sigma = mean / truncatedStandardMoments(a).delta;
  return { mu: -a * sigma, sigma };
}

/**
 * The normal truncated at zero with the given mean and standard deviation (fitted by
 * {@link fitTruncatedNormal}); throws a RangeError when sd ≥ mean (no such law).
 */
export function truncatedNormalMeanSd(mean: number, sd: number): Distribution {
  const fit = fitTruncatedNormal(mean, sd);
  if (!fit) throw new RangeError(`no normal truncated at zero has mean ${mean} and sd ${sd}; expected 0 ≤ sd < mean`);
  const d = truncatedNormal(fit.mu, fit.sigma);
  return { mean, sample: d.sample };
}

/** Uniform with mean 1 and coefficient of variation cv (0 < cv ≤ 1/√3): on [1 − √3·cv, 1 + √3·cv]. */
export function uniformUnitMean(cv: number): Distribution {
  const w = Math.sqrt(3) * cv;
  return uniform(1 - w, 1 + w);
}

/** Pareto with mean 1 and shape α > 1: scale (α − 1)/α. */
export function paretoUnitMean(shape: number): Distribution {
  return pareto((shape - 1) / shape, shape);
}

/** The empirical distribution of `values` divided by their mean (mean 1; the mean must be positive). */
export function empiricalUnitMean(values: ArrayLike<number>): Distribution {
  const e = empirical(values);
  if (!(e.mean > 0 && Number.isFinite(e.mean))) throw new RangeError(`empirical values need a positive finite mean, got ${e.mean}`);
  const scaled = Float64Array.from(values, (x) => x / e.mean);
  return empirical(scaled);
}
