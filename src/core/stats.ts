/** Welford's streaming mean and variance (numerically stable). */
export class Welford {
  count = 0;
  mean = 0;
  private m2 = 0;
  min = Infinity;
  max = -Infinity;

  /** Adds one observation. */
  add(x: number): void {
    const n = ++this.count;
    const d = x - this.mean;
    this.mean += d / n;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /** Sample variance (n − 1 denominator); NaN below two observations. */
  get variance(): number {
    return this.count > 1 ? this.m2 / (this.count - 1) : NaN;
  }

  /** Sample standard deviation. */
  get sd(): number {
    return Math.sqrt(this.variance);
  }
}

/**
 * Streaming mean of a quantity whose spread is not reported: a count and a sum (no division per
 * observation, as {@link Welford} has), so a run's per-request components cost little.
 */
export class Mean {
  count = 0;
  sum = 0;

  /** Adds one observation. */
  add(x: number): void {
    this.count++;
    this.sum += x;
  }

  /** The mean; NaN before the first observation. */
  get mean(): number {
    return this.count > 0 ? this.sum / this.count : NaN;
  }
}

/** Time-weighted average of a piecewise-constant signal (queue length, memory in use…). */
export class TimeWeighted {
  private area = 0;
  private lastTime: number;
  private value = 0;
  /** Largest value the signal took. */
  peak = 0;

  constructor(private readonly startTime = 0) {
    this.lastTime = startTime;
  }

  /** The signal changes to `value` at `time`. */
  set(time: number, value: number): void {
    this.area += this.value * (time - this.lastTime);
    this.lastTime = time;
    this.value = value;
    if (value > this.peak) this.peak = value;
  }

  /** Adds an exactly known area (value × duration) without tracking the signal's steps. */
  addArea(area: number): void {
    this.area += area;
  }

  /** Mean over [startTime, time]. */
  meanUntil(time: number): number {
    const area = this.area + this.value * (time - this.lastTime);
    const span = time - this.startTime;
    return span > 0 ? area / span : 0;
  }
}

/** Relative accuracy of the quantile sketches the run's latency summaries use (0.5%). */
export const SKETCH_RELATIVE_ACCURACY = 0.005;

/**
 * Quantile sketch over positive values with relative accuracy α (DDSketch: Masson, Rim
 * and Lee, VLDB 2019): values fall into logarithmic buckets of ratio γ = (1+α)/(1−α),
 * so any quantile is returned within a factor (1 ± α) of a value of that rank. Fixed
 * memory, O(1) insertion, mergeable, deterministic. Values ≤ minValue share one bucket.
 */
export class QuantileSketch {
  private readonly logGamma: number;
  private readonly gamma: number;
  private readonly offset: number;
  private readonly counts: Float64Array;
  private zeroCount = 0;
  count = 0;
  /** The least and greatest value added: a quantile is held within them (a bucket's representative can lie beyond them by up to α). */
  min = Infinity;
  max = -Infinity;

  constructor(
    readonly relativeAccuracy = SKETCH_RELATIVE_ACCURACY,
    readonly minValue = 1e-9,
    readonly maxValue = 1e9,
  ) {
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.logGamma = Math.log(this.gamma);
    this.offset = Math.floor(Math.log(minValue) / this.logGamma);
    const top = Math.ceil(Math.log(maxValue) / this.logGamma);
    this.counts = new Float64Array(top - this.offset + 1);
  }

  /** Adds one observation. */
  add(x: number): void {
    this.addAt(this.bucket(x), x);
  }

  /** The bucket x falls in (−1: at or below minValue), for {@link addAt}: sketches of the same parameters share it. */
  bucket(x: number): number {
    if (!(x > this.minValue)) return -1;
    const i = Math.ceil(Math.log(x) / this.logGamma) - this.offset;
    return i < this.counts.length ? i : this.counts.length - 1;
  }

  /** Adds one observation x that falls in bucket i ({@link bucket} of a sketch with the same parameters). */
  addAt(i: number, x: number): void {
    this.count++;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    if (i < 0) this.zeroCount++;
    else this.counts[i]++;
  }

  /** Adds every observation of another sketch with the same parameters. */
  merge(other: QuantileSketch): void {
    if (other.counts.length !== this.counts.length || other.gamma !== this.gamma) {
      throw new Error('cannot merge quantile sketches with different parameters');
    }
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
    this.zeroCount += other.zeroCount;
    this.count += other.count;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  /**
   * The q-quantile (q in [0, 1]): the value of rank ⌊q·(n − 1)⌋ among the n added, counting from 0
   * in ascending order (the lower of the two around q), within a factor (1 ± α) and within the least
   * and greatest value added; NaN when empty.
   */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = q * (this.count - 1);
    let seen = this.zeroCount;
    if (rank < seen) return this.within(0);
    const counts = this.counts;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen > rank) {
        const k = i + this.offset;
        return this.within((2 * Math.pow(this.gamma, k)) / (this.gamma + 1));
      }
    }
    return this.within(this.maxValue);
  }

  /** A bucket's value held to [min, max]: a sample of one value gives that value at every quantile. */
  private within(v: number): number {
    return v < this.min ? this.min : v > this.max ? this.max : v;
  }
}
