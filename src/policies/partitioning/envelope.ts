/**
 * The lower envelope of a set of lines y ↦ intercept + slope · y, for minimum queries
 * (the "convex hull trick"). Built in O(n log n); a query is a binary search, O(log n).
 */

/** A lower envelope: the lines that are minimal somewhere, by decreasing slope, and where each takes over. */
export class LowerEnvelope {
  /** Ids of the envelope's lines, by decreasing slope. */
  private readonly ids: Int32Array;
  private readonly slopes: Float64Array;
  private readonly intercepts: Float64Array;
  /** breaks[i]: where line i + 1 becomes minimal (increasing). */
  private readonly breaks: Float64Array;

  /**
   * Lines i = 0 … n − 1 with `slopes[i]`, `intercepts[i]`; lines with a non-finite intercept are
   * left out. Of lines with equal slopes the lower intercept is kept (ties: the lower id).
   */
  constructor(slopes: ArrayLike<number>, intercepts: ArrayLike<number>) {
    const order: number[] = [];
    for (let i = 0; i < slopes.length; i++) if (Number.isFinite(intercepts[i]) && Number.isFinite(slopes[i])) order.push(i);
    order.sort((a, b) => slopes[b] - slopes[a] || intercepts[a] - intercepts[b] || a - b);
    const hull: number[] = [];
    for (const i of order) {
      const last = hull[hull.length - 1];
      if (last !== undefined && slopes[last] === slopes[i]) continue; // same slope, higher (or equal, later) intercept
      while (hull.length >= 2) {
        const a = hull[hull.length - 2];
        const b = hull[hull.length - 1];
        // b is never strictly below min(a, i) when i overtakes a no later than b does:
        // (c_i − c_a)/(s_a − s_i) ≤ (c_b − c_a)/(s_a − s_b), both denominators > 0.
        if ((intercepts[i] - intercepts[a]) * (slopes[a] - slopes[b]) <= (intercepts[b] - intercepts[a]) * (slopes[a] - slopes[i])) hull.pop();
        else break;
      }
      hull.push(i);
    }
    this.ids = Int32Array.from(hull);
    this.slopes = Float64Array.from(hull, (i) => slopes[i]);
    this.intercepts = Float64Array.from(hull, (i) => intercepts[i]);
    this.breaks = new Float64Array(Math.max(0, hull.length - 1));
    for (let j = 0; j + 1 < hull.length; j++) {
      this.breaks[j] = (this.intercepts[j + 1] - this.intercepts[j]) / (this.slopes[j] - this.slopes[j + 1]);
    }
  }

  /** Lines on the envelope. */
  get size(): number {
    return this.ids.length;
  }

  /** The position on the envelope of the line minimal at y (at a break, the later line: the smaller slope). O(log n). */
  private position(y: number): number {
    let lo = 0;
    let hi = this.breaks.length; // answer in [0, breaks.length]
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.breaks[mid] <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The id of a line minimal at y (-1 when the envelope is empty). O(log n). */
  argmin(y: number): number {
    return this.ids.length === 0 ? -1 : this.ids[this.position(y)];
  }

  /** The minimum over the lines at y (Infinity when the envelope is empty). O(log n). */
  min(y: number): number {
    if (this.ids.length === 0) return Infinity;
    const j = this.position(y);
    return this.intercepts[j] + this.slopes[j] * y;
  }
}
