/**
 * Results whose last hop home was booked ahead (see RequestLife.allowEarlyCompletion): each
 * request waits here, by the time its result reaches its device, until the world has reached that
 * time — the next birth, the next completion of another request, a monitoring tick, or the end of
 * the run — and completes then. It stays in flight (its pool
 * slot held) until then, so the in-flight limit and a stopped run see exactly what they would
 * with one event per arrival, at the cost of a heap of a few numbers instead of the event queue.
 * A binary min-heap over typed arrays: push and pop O(log n), no allocation in steady state.
 */
export class HomewardResults {
  private time = new Float64Array(256);
  private slot = new Int32Array(256);
  /** Results booked and not yet arrived. */
  size = 0;

  /** Request r's result reaches its device at `time`. */
  push(time: number, r: number): void {
    if (this.size === this.time.length) this.grow();
    const t = this.time;
    const s = this.slot;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p] <= time) break;
      t[i] = t[p];
      s[i] = s[p];
      i = p;
    }
    t[i] = time;
    s[i] = r;
  }

  /** Time of the earliest result (Infinity when none waits). */
  get nextTime(): number {
    return this.size > 0 ? this.time[0] : Infinity;
  }

  /** Removes the earliest result and returns its request. */
  pop(): number {
    const t = this.time;
    const s = this.slot;
    const top = s[0];
    const n = --this.size;
    const lastT = t[n];
    const lastS = s[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && t[c + 1] < t[c]) c++;
      if (t[c] >= lastT) break;
      t[i] = t[c];
      s[i] = s[c];
      i = c;
    }
    t[i] = lastT;
    s[i] = lastS;
    return top;
  }

  private grow(): void {
    const t = new Float64Array(this.time.length * 2);
    t.set(this.time);
    const s = new Int32Array(this.slot.length * 2);
    s.set(this.slot);
    this.time = t;
    this.slot = s;
  }
}
