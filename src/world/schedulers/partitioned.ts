import { NO_EVENT } from '../../core/queue.ts';
import { EventKind } from '../events.ts';
import type { NodeScheduler, SchedulerHost } from './scheduler.ts';

/**
 * A node's compute partitioned among tenants (workload groups, and processes as one more), like
 * VMs: tenant t owns a share s_t of the node's throughput and serves its own jobs FCFS, one at a
 * time, at s_t × (the node's c slots) slot-speeds — so a tenant alone with Poisson arrivals and
 * exponential work is an M/M/1 queue at rate s_t·μ_node. Shares may change during the run
 * ({@link setShares}): the work left of each job in service is re-timed at once (its pending
 * completion is cancelled and set again). Busy slot-equivalents = c × Σ shares of tenants with
 * work, so power is linear in the compute used. Cost O(tenants) per event. It also sums the work
 * each tenant offers a node ({@link takeOffered}), the demand allocation policies measure.
 */
export class PartitionedScheduler implements NodeScheduler {
  readonly name = 'partitioned';
  /** Share of each (node, tenant), row-major: q = k × tenants + t. */
  private readonly share: Float64Array;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly count: Int32Array;
  private readonly pending: Float64Array;
  /** When the work left of each queue's job in service was last brought up to date. */
  private readonly since: Float64Array;
  /** Work submitted to each queue since {@link takeOffered} last read it, slot-seconds. */
  private readonly offered: Float64Array;
  /** When each queue's job in service entered service, moved later by the time it spent paused at share 0 (NaN: none yet, or waiting for a share). */
  private readonly started: Float64Array;
  /** When each queue's job in service was paused by a share of 0 (NaN: not paused). */
  private readonly pausedAt: Float64Array;
  /** Time each queue served (it had jobs and a share > 0), s, up to {@link servingSince}; and its jobs completed. */
  private readonly servingTime: Float64Array;
  private readonly servingSince: Float64Array;
  private readonly completed: Float64Array;
  /** At the warm-up's end ({@link snapshot}): each queue's serving time, completions and jobs. */
  private readonly atWarmup: Float64Array;

  constructor(
    private readonly host: SchedulerHost,
    readonly tenants: number,
    /** Initial shares per (node, tenant), row-major; rows of nodes that use another scheduler are ignored. */
    shares: Float64Array,
  ) {
    const q = host.meters.nodes.length * tenants;
    if (shares.length !== q) throw new Error(`expected ${q} shares, got ${shares.length}`);
    this.share = Float64Array.from(shares);
    this.head = new Int32Array(q).fill(-1);
    this.tail = new Int32Array(q).fill(-1);
    this.count = new Int32Array(q);
    this.pending = new Float64Array(q).fill(NO_EVENT);
    this.since = new Float64Array(q);
    this.offered = new Float64Array(q);
    this.started = new Float64Array(q).fill(NaN);
    this.pausedAt = new Float64Array(q).fill(NaN);
    this.servingTime = new Float64Array(q);
    this.servingSince = new Float64Array(q).fill(NaN);
    this.completed = new Float64Array(q);
    this.atWarmup = new Float64Array(3 * q);
  }

  /** Starts or stops queue q's serving time as it has jobs and a share > 0 now (after any change to either). */
  private serving(q: number, now: number): void {
    const on = this.count[q] > 0 && this.share[q] > 0;
    const was = this.servingSince[q] === this.servingSince[q];
    if (on && !was) this.servingSince[q] = now;
    else if (!on && was) {
      this.servingTime[q] += now - this.servingSince[q];
      this.servingSince[q] = NaN;
    }
  }

  /** Queue q's serving time up to `now`, s. */
  private servedFor(q: number, now: number): number {
    return this.servingTime[q] + (this.servingSince[q] === this.servingSince[q] ? now - this.servingSince[q] : 0);
  }

  /** Keeps every queue's serving time, completions and jobs at the warm-up's end (the window's start). */
  snapshot(now: number): void {
    for (let q = 0; q < this.count.length; q++) {
      this.atWarmup[3 * q] = this.servedFor(q, now);
      this.atWarmup[3 * q + 1] = this.completed[q];
      this.atWarmup[3 * q + 2] = this.count[q];
    }
  }

  /**
   * Tenant t's queue at node k over the measurement window, up to `now`: the time it served (had
   * jobs and a share), its completions and its jobs now and at the window's start. What
   * metrics/saturation.ts reads of a tenant's partition, as it reads a whole node's meters.
   */
  tenantWindow(k: number, t: number, now: number): { serving: number; completed: number; jobs: number; jobsAtStart: number } {
    const q = k * this.tenants + t;
    return { serving: this.servedFor(q, now) - this.atWarmup[3 * q], completed: this.completed[q] - this.atWarmup[3 * q + 1], jobs: this.count[q], jobsAtStart: this.atWarmup[3 * q + 2] };
  }

  /** Slot-speed at which queue q serves its job in service. */
  private rate(q: number, k: number): number {
    return this.share[q] * this.host.meters.slots[k];
  }

  private setSignals(k: number): void {
    const m = this.host.meters;
    let busyShare = 0;
    let waiting = 0;
    for (let q = k * this.tenants, end = q + this.tenants; q < end; q++) {
      const n = this.count[q];
      if (n === 0) continue;
      // A tenant without a share serves nothing: all its jobs wait.
      if (this.share[q] > 0) {
        busyShare += this.share[q];
        waiting += n - 1;
      } else waiting += n;
    }
    m.setSignals(k, m.jobs(k), busyShare * m.slots[k], waiting);
  }

  /** Schedules the completion of queue q's job in service from its work left. */
  private timeHead(q: number, k: number, now: number): void {
    const sim = this.host.sim;
    if (this.pending[q] !== NO_EVENT) sim.cancel(this.pending[q]);
    this.pending[q] = NO_EVENT;
    this.since[q] = now;
    const job = this.head[q];
    const rate = this.rate(q, k);
    if (job < 0) return;
    if (rate <= 0) {
      // A tenant with no share waits until it gets one; a job it was serving is paused, and the pause counts as waiting.
      if (this.started[q] === this.started[q] && this.pausedAt[q] !== this.pausedAt[q]) this.pausedAt[q] = now;
      return;
    }
    if (this.started[q] !== this.started[q]) this.started[q] = now;
    else if (this.pausedAt[q] === this.pausedAt[q]) {
      this.started[q] += now - this.pausedAt[q];
      this.pausedAt[q] = NaN;
    }
    this.pending[q] = sim.scheduleCancellable(now + this.host.pool.remaining[job] / rate, EventKind.TenantDone, q);
  }

  submit(k: number, job: number, now: number): number {
    const { meters, pool } = this.host;
    const q = k * this.tenants + pool.tenant[job];
    meters.advance(k, now);
    meters.addSignals(k, 1, 0, 0);
    this.offered[q] += pool.work[job];
    pool.remaining[job] = pool.work[job];
    pool.next[job] = -1;
    if (this.count[q]++ === 0) {
      this.head[q] = job;
      this.tail[q] = job;
      this.timeHead(q, k, now);
      this.serving(q, now);
    } else {
      pool.next[this.tail[q]] = job;
      this.tail[q] = job;
    }
    this.setSignals(k);
    return NaN;
  }

  onEvent(q: number, now: number): void {
    const { meters, pool } = this.host;
    const k = Math.floor(q / this.tenants);
    this.pending[q] = NO_EVENT;
    const job = this.head[q];
    // Its compute is the time it was served at its tenant's share (work / (share × slots) at a
    // constant share), its node wait the time before that and any pause at share 0. The host counts
    // work as compute and the rest of its time at the node as wait, so both are moved by the
    // stretch; λ × wait is then the tenant's mean queue (nodes.csv queue_length_mean).
    const stretch = now - this.started[q] - pool.work[job];
    pool.compute[job] += stretch;
    pool.computeAt[job] += stretch;
    this.started[q] = NaN;
    this.pausedAt[q] = NaN;
    meters.advance(k, now);
    meters.addSignals(k, -1, 0, 0);
    this.head[q] = pool.next[job];
    this.completed[q]++;
    if (--this.count[q] === 0) {
      this.tail[q] = -1;
      this.serving(q, now);
    } else {
      pool.remaining[this.head[q]] = pool.work[this.head[q]];
      this.timeHead(q, k, now);
    }
    this.setSignals(k);
    this.host.powerChanged(k, now);
    if (meters.up[k]) this.host.finished(k, job, now);
    else this.host.lost(k, job, now);
  }

  /** Gives node k's tenants new shares (Σ ≤ 1) at `now`; the work left of jobs in service is re-timed at once. */
  setShares(k: number, shares: ArrayLike<number>, now: number): void {
    if (shares.length !== this.tenants) throw new Error(`expected ${this.tenants} shares, got ${shares.length}`);
    let sum = 0;
    for (let t = 0; t < shares.length; t++) {
      if (!(shares[t] >= 0)) throw new RangeError(`share of tenant ${t} must be ≥ 0, got ${shares[t]}`);
      sum += shares[t];
    }
    if (sum > 1 + 1e-9) throw new RangeError(`shares at node ${k} add up to ${sum} > 1`);
    const { meters, pool } = this.host;
    meters.advance(k, now);
    for (let t = 0; t < this.tenants; t++) {
      const q = k * this.tenants + t;
      const job = this.head[q];
      if (job >= 0) pool.remaining[job] = Math.max(0, pool.remaining[job] - this.rate(q, k) * (now - this.since[q]));
      this.share[q] = shares[t];
      if (job >= 0) this.timeHead(q, k, now);
      this.serving(q, now);
    }
    this.setSignals(k);
    this.host.powerChanged(k, now);
  }

  /** Node k's shares per tenant, written to `out`. */
  sharesOf(k: number, out: Float64Array): void {
    out.set(this.share.subarray(k * this.tenants, (k + 1) * this.tenants));
  }

  /** Tenant t's share of node k now (read-only; O(1)). */
  shareOf(k: number, t: number): number {
    return this.share[k * this.tenants + t];
  }

  /** Tenant t's jobs at node k, in service and waiting (read-only; O(1)). */
  jobsOf(k: number, t: number): number {
    return this.count[k * this.tenants + t];
  }

  /** The work (slot-seconds) each of node k's tenants submitted since the last call, written to `out`; the sums start again at 0. */
  takeOffered(k: number, out: Float64Array): void {
    const from = k * this.tenants;
    out.set(this.offered.subarray(from, from + this.tenants));
    this.offered.fill(0, from, from + this.tenants);
  }

  clear(k: number, now: number): void {
    const { meters, pool, sim } = this.host;
    meters.advance(k, now);
    meters.setSignals(k, 0, meters.busy(k), meters.waiting(k));
    const lost: number[] = [];
    for (let q = k * this.tenants, end = q + this.tenants; q < end; q++) {
      if (this.pending[q] !== NO_EVENT) sim.cancel(this.pending[q]);
      this.pending[q] = NO_EVENT;
      for (let job = this.head[q]; job >= 0; job = pool.next[job]) lost.push(job);
      this.head[q] = -1;
      this.tail[q] = -1;
      this.count[q] = 0;
      this.started[q] = NaN;
      this.pausedAt[q] = NaN;
      this.serving(q, now);
    }
    this.setSignals(k);
    for (const job of lost) this.host.lost(k, job, now);
  }
}
