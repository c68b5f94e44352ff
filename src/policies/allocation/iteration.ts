/** Parameters of {@link iterateAllocation}. */
export interface IterationOptions {
  /** η in (0, 1]: the fraction of each gap (demand − allocation) moved per iteration. */
  readonly step: number;
  /** K: the most iterations, an integer ≥ 1. */
  readonly iterations: number;
  /** Converged when √F(X) ≤ this, in the units of the capacity. */
  readonly tolerance: number;
}

/** How an iteration ended. */
export interface IterationResult {
  /** Iterations made (0 when the start already converged). */
  readonly iterations: number;
  /** F at the allocation returned. */
  readonly objective: number;
}

/**
 * The iterative update of the paper's allocation algorithm (§III.B): from the allocation X
 * (declared demands at first, the last allocation afterwards), move every tenant a fraction η
 * of the way to its demand — X ← X + η·(D* − X), resources taken from tenants above their
 * demand and given to those below, in proportion to (demand − allocation) — evaluate
 * F(X) = Σ_i (D*_i − X_i)², and repeat until √F ≤ tolerance or K iterations. D* (`demand`)
 * is the feasible demand: the measured demand where Σ D ≤ C, its max-min fair division of C
 * where not (water-filling.ts), so F's unique minimizer over {Σ X ≤ C, X ≥ 0} is D*, meeting
 * X_i ≥ D_i wherever that is feasible. Each iterate is a convex combination of X and D*, so it
 * stays feasible when both are, and the iteration has the closed form
 * X^k = D* + (1 − η)^k (X⁰ − D*), F(X^k) = (1 − η)^{2k} F(X⁰): it stops after
 * ⌈ln(tolerance / √F(X⁰)) / ln(1 − η)⌉ iterations unless K stops it first, leaving (1 − η)^K of
 * each gap (a damping between monitoring intervals; the defaults, edelear.ts, converge instead).
 * Updates `x` in place. Cost O(K·n).
 * Source: ../shared/reference/edelear-paper.md §III.B, eq. (3).
 */
export function iterateAllocation(x: Float64Array, demand: ArrayLike<number>, options: IterationOptions): IterationResult {
  const { step, iterations, tolerance } = options;
  if (!(step > 0 && step <= 1)) throw new RangeError(`step η must be in (0, 1], got ${step}`);
  let objective = gap(x, demand);
  let k = 0;
  for (; k < iterations && objective > tolerance * tolerance; k++) {
    for (let i = 0; i < x.length; i++) x[i] += step * (demand[i] - x[i]);
    objective = gap(x, demand);
  }
  return { iterations: k, objective };
}

/** F(X) = Σ (D_i − X_i)². */
function gap(x: Float64Array, demand: ArrayLike<number>): number {
  let f = 0;
  for (let i = 0; i < x.length; i++) f += (demand[i] - x[i]) ** 2;
  return f;
}
