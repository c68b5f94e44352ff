import type { World } from '../world/world.ts';

/**
 * Averages over a run's measurement window [warmup, end] of the plans the policies had in force:
 * the share of each (instance, candidate) pair's requests under the placement plan, and the share
 * of each partitioned node's compute each tenant was allocated — both piecewise constant between
 * monitoring ticks, so their time-weighted means are exact — with the demand the allocation
 * measured at each tick (the fraction of the node each tenant asked for over the interval before
 * it), averaged over the ticks whose interval lies in the window.
 */
export interface PlanAverages {
  /**
   * Mean share of the instance's requests per (instance, candidate) pair, parallel to
   * `spec.placement.candidates`. Where the policy decides at each request there is no plan: the
   * share of the instance's requests born in the window that it placed there (`measured` 1); NaN
   * when it placed none.
   */
  readonly placement: Float64Array;
  /** 1 where `placement` is the measured share of the requests the policy placed when asked, not a plan's expectation (per instance's candidates, as `placement`). */
  readonly measured: Uint8Array;
  /** The allocation over partitioned nodes, when the world has one. */
  readonly allocation?: AllocationAverages;
  /** Plans read: the one at the start and one after each tick. */
  readonly samples: number;
}

/** {@link PlanAverages} of the partitioned nodes; arrays are row-major (position of the node in `nodes`) × tenant. */
export interface AllocationAverages {
  readonly nodes: Int32Array;
  readonly tenants: number;
  readonly policy: string;
  /** Time-weighted mean share in force. */
  readonly shares: Float64Array;
  /** Mean over ticks of the fraction of the node the tenant asked for (NaN without a tick in the window). */
  readonly offered: Float64Array;
  /** Ticks averaged in `offered`. */
  readonly ticks: number;
}

/**
 * Reads a world's plans when the run starts and after each monitoring tick (a process step at
 * the tick's time, which runs after the world's own tick handler: same time, later in sequence)
 * and keeps their time-weighted sums. It only reads — the run's arrivals, decisions and figures
 * are those of the same run without it — but its steps are events: {@link events} counts them,
 * so a caller can leave them out of the run's event count. Attach it before the run
 * ({@link attach}), call {@link finish} after. Cost per tick O(Σ candidates + partitioned nodes ×
 * tenants).
 */
export class PlanSampler {
  /** Process steps scheduled (events the sampler added to the run). */
  events = 0;
  private world: World | undefined;
  private current = new Float64Array(0);
  private sum = new Float64Array(0);
  private shares = new Float64Array(0);
  private shareSum = new Float64Array(0);
  private offeredSum = new Float64Array(0);
  private ticks = 0;
  private last = 0;
  private samples = 0;

  /** Starts reading `world` (call before it runs). */
  attach(world: World): void {
    this.world = world;
    const p = world.spec.placement;
    this.current = new Float64Array(p.candidates.length);
    this.sum = new Float64Array(p.candidates.length);
    const a = world.allocationState;
    if (a) {
      const n = a.nodes.length * a.tenants;
      this.shares = new Float64Array(n);
      this.shareSum = new Float64Array(n);
      this.offeredSum = new Float64Array(n);
    }
    this.read(0, false);
    const interval = world.spec.interval ?? Infinity;
    if (world.view.ticking && interval < world.spec.duration) this.next(interval);
  }

  private next(time: number): void {
    this.events++;
    this.world!.at(time, (now) => {
      this.read(now, true);
      const t = now + this.world!.spec.interval!;
      if (t < this.world!.spec.duration) this.next(t);
    });
  }

  /** Closes the segment of the plan in force since the last read, then reads the plan now in force. */
  private read(now: number, tick: boolean): void {
    const w = this.world!;
    this.accumulate(now);
    const table = w.placement;
    const start = w.spec.placement.start;
    for (let i = 0; i + 1 < start.length; i++) table.fractions(i, this.current.subarray(start[i], start[i + 1]));
    const a = w.allocationState;
    if (a) {
      const t = a.tenants;
      const offered = new Float64Array(t);
      a.nodes.forEach((k, j) => {
        a.sharesOf(k, this.shares.subarray(j * t, (j + 1) * t));
        if (!tick) return;
        a.offeredOf(k, offered);
        // The tick measured the interval before it: counted when that interval lies in the window.
        if (now - w.spec.interval! < w.spec.warmup - 1e-9) return;
        for (let x = 0; x < t; x++) this.offeredSum[j * t + x] += offered[x];
      });
      if (tick && now - w.spec.interval! >= w.spec.warmup - 1e-9) this.ticks++;
    }
    this.last = now;
    this.samples++;
  }

  /** Adds the plan in force over [last, now) ∩ [warmup, ∞) to the sums. */
  private accumulate(now: number): void {
    const weight = now - Math.max(this.last, this.world!.spec.warmup);
    if (!(weight > 0)) return;
    for (let c = 0; c < this.sum.length; c++) this.sum[c] += weight * this.current[c];
    for (let q = 0; q < this.shareSum.length; q++) this.shareSum[q] += weight * this.shares[q];
  }

  /** The averages over [warmup, end] (`end`: where the run stopped); a run that ended in its warm-up gives the plans in force at its end. */
  finish(end: number): PlanAverages {
    const w = this.world;
    if (!w) throw new Error('PlanSampler.finish before attach');
    this.accumulate(end);
    const window = end - w.spec.warmup;
    const mean = (sum: Float64Array, now: Float64Array) => (window > 0 ? Float64Array.from(sum, (s) => s / window) : Float64Array.from(now));
    const a = w.allocationState;
    const placement = mean(this.sum, this.current);
    const measured = new Uint8Array(placement.length);
    const asked = w.placement.asked;
    const start = w.spec.placement.start;
    if (asked) {
      // A policy asked at each request has no plan: the shares of the requests it placed.
      for (let i = 0; i + 1 < start.length; i++) {
        const from = start[i];
        const to = start[i + 1];
        if (!placement.subarray(from, to).some(Number.isNaN)) continue;
        let n = 0;
        for (let c = from; c < to; c++) n += asked[c];
        for (let c = from; c < to; c++) {
          placement[c] = n > 0 ? asked[c] / n : NaN;
          measured[c] = 1;
        }
      }
    }
    return {
      placement,
      measured,
      samples: this.samples,
      ...(a
        ? {
            allocation: {
              nodes: a.nodes,
              tenants: a.tenants,
              policy: a.policyName,
              shares: mean(this.shareSum, this.shares),
              offered: Float64Array.from(this.offeredSum, (s) => (this.ticks > 0 ? s / this.ticks : NaN)),
              ticks: this.ticks,
            },
          }
        : {}),
    };
  }
}
