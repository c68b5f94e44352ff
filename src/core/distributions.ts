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
 * Zipf over ranks 0…n−1 with P(rank i) ∝ 1/(i+1)^α, by inversion of the
 * cumulative distribution (binary search, O(log n) per draw).
 */
export function zipf(alpha: number, n: number): Distribution {
  const cdf = new Float64Array(n);
  let sum = 0;
  let weightedSum = 0;
  for (let i = 0; i < n; i++) {
    const w = 1 / Math.pow(i + 1, alpha);
    sum += w;
    weightedSum += i * w;
    cdf[i] = sum;
  }
  for (let i = 0; i < n; i++) cdf[i] /= sum;
  cdf[n - 1] = 1;
  return {
    mean: weightedSum / sum,
    sample: (rng) => {
      const u = rng();
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
  };
}

/** Resamples the observed values uniformly (the empirical distribution of a data column). */
export function empirical(values: ArrayLike<number>): Distribution {
  if (values.length === 0) throw new Error('empirical distribution needs at least one value');
  const v = Float64Array.from(values);
  let s = 0;
  for (const x of v) s += x;
  return { mean: s / v.length, sample: (rng) => v[Math.floor(rng() * v.length)] };
}
