/**
 * Confidence intervals over independent replications (Student's t), with the t quantile
 * computed from the regularized incomplete beta function (Numerical Recipes, §6.4),
 * not read from a table.
 */

/** Natural log of the gamma function (Lanczos approximation, g = 7, n = 9). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Cumulative distribution function of Student's t with ν degrees of freedom. */
export function studentTCdf(t: number, nu: number): number {
  const tail = 0.5 * incompleteBeta(nu / (nu + t * t), nu / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t with ν degrees of freedom (bisection on the CDF). */
export function studentTQuantile(p: number, nu: number): number {
  if (p === 0.5) return 0;
  let lo = -1e3;
  let hi = 1e3;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, nu) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Mean of independent replications with the half-width of its confidence interval. */
export interface Estimate {
  readonly mean: number;
  readonly halfWidth: number;
  readonly low: number;
  readonly high: number;
  readonly n: number;
}

/** The t-based confidence interval (default 95%) of the mean of replication values. */
export function confidenceInterval(values: readonly number[], level = 0.95): Estimate {
  const n = values.length;
  if (n < 2) throw new Error('a confidence interval needs at least two replications');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, v) => a + (v - mean) * (v - mean), 0) / (n - 1);
  const halfWidth = studentTQuantile(1 - (1 - level) / 2, n - 1) * Math.sqrt(variance / n);
  return { mean, halfWidth, low: mean - halfWidth, high: mean + halfWidth, n };
}

/**
 * Mean, 95% Student-t confidence interval and n of the finite values among `values` (a run where
 * nothing completed has no latency); below two values the interval is NaN (blank in a CSV): one
 * replication cannot give one.
 */
export function estimate(values: readonly number[]): Estimate {
  const finite = values.filter(Number.isFinite);
  if (finite.length >= 2) return confidenceInterval(finite);
  const mean = finite.length === 1 ? finite[0] : NaN;
  return { mean, halfWidth: NaN, low: NaN, high: NaN, n: finite.length };
}

/** Whether a claim "mean ≥ threshold" holds, judged on the 95% confidence interval of the mean. */
export type Verdict = 'holds' | 'does not hold' | 'inconclusive';

/**
 * A claim that a quantity reaches `threshold`, judged over replications: it holds when the
 * whole confidence interval of its mean is at or above the threshold, does not hold when the
 * whole interval is below it, and is inconclusive when the interval straddles the threshold —
 * or when there is no interval (fewer than two replications): one seed cannot decide.
 */
export function verdict(e: Estimate, threshold: number): Verdict {
  if (!(Number.isFinite(e.low) && Number.isFinite(e.high))) return 'inconclusive';
  if (e.low >= threshold) return 'holds';
  if (e.high < threshold) return 'does not hold';
  return 'inconclusive';
}

/**
 * An estimate of a share (an accuracy, a hit ratio: in [0, 1]) with its interval cut to [0, 1]:
 * the true value lies there, so the cut interval covers it whenever the whole one does. A Student-t
 * interval over a few seeds of a spread-out share reaches past the ends (helper-79: a local-only
 * accuracy "54.2% ± 176.0", [−1.22, 2.30]). `halfWidth` is kept, the uncut interval's.
 */
export function withinUnit(e: Estimate): Estimate {
  return { ...e, low: e.low < 0 ? 0 : e.low, high: e.high > 1 ? 1 : e.high };
}

/** `NAME_mean`, `NAME_ci95_low`, `NAME_ci95_high` of an estimate: the columns of a figure over replications in the CSV files. */
export function estimateColumns(name: string, e: Estimate): Record<string, number> {
  return { [`${name}_mean`]: e.mean, [`${name}_ci95_low`]: e.low, [`${name}_ci95_high`]: e.high };
}
