import { EventKind } from '../events.ts';
import type { NodeScheduler, SchedulerHost } from './scheduler.ts';

/**
 * How a batching node bounds its batch size at run time: the decision point of
 * `policies/batching` (none, fixed, adaptive), seen by the scheduler. One number of state per
 * queue (the bound in force), so a decision is O(1) and allocates nothing.
 */
export interface BatchSizer {
  readonly name: string;
  /** Whether {@link next} may change the bound (false: the scheduler never calls it). */
  readonly adapts: boolean;
  /** The bound on a queue's batch size before its first batch, given the node's maximum (an integer in [1, max]). */
  initial(max: number): number;
  /**
   * The bound after a batch of `size` requests computed in `seconds`, against the latency
   * objective `objective` (s; Infinity when none), with `bound` in force; an integer in [1, max].
   */
  next(bound: number, size: number, seconds: number, objective: number, max: number): number;
}

/** A node's dynamic batcher, as the world needs it (SI units; built from `nodes[i].scheduler.batching`). */
export interface BatchingSpec {
  /** The policy sizing the batches. */
  readonly sizer: BatchSizer;
  /** Triton's max_batch_size: no batch is larger. */
  readonly max: number;
  /** Triton's preferred_batch_size, ascending, each ≤ max: a batch of one of them is sent at once. */
  readonly preferred: readonly number[];
  /** Triton's max_queue_delay: the longest the oldest request waits for others to join, s. */
  readonly delay: number;
  /**
   * α = t0 / t(1) of the node's batch cost t(b) = t0 + b·t1 (from its device profile, or the
   * scenario): the share of one request's compute a batch pays once. 0: no batching gain.
   */
  readonly fixedShare: number;
  /** Latency objective per tenant (workload groups, then processes), s: what the adaptive policy holds a batch's compute to. */
  readonly objectives: readonly number[];
}

/** Batches formed on one batching node over the measurement window. */
export interface BatchCounts {
  readonly node: number;
  readonly spec: BatchingSpec;
  /** Batches formed, by size (index = size, 0 unused). */
  readonly bySize: Float64Array;
}

/**
 * Triton's dynamic batcher on a node's slots (its model instances). Requests queue per node and
 * tenant (a workload: one model and variant; process jobs are never batched). When a slot is
 * free, a queue whose oldest request has waited max_queue_delay sends all it holds up to `bound`
 * (the policy's bound, at most max_batch_size); else one that can form a preferred size sends the
 * largest it can; else one without preferred sizes holding `bound` requests sends that many; else,
 * with no delay to wait, one sends what it holds; else the batcher waits ({@link ready}; NVIDIA
 * Triton Inference Server user guide, "Batchers: Dynamic Batcher", sections "Preferred Batch
 * Sizes" and "Delayed Batching", docs.nvidia.com/deeplearning/triton-inference-server/user-guide/
 * docs/batcher.html). Among queues ready at once, the one whose oldest request came first.
 *
 * A batch of b requests with works w_1…w_b (one request's compute time on a slot) occupies one
 * slot for t(b) = S − α·S·(b − 1)/b, S = Σ w_i: with equal works w, t(b) = w·(α + (1 − α)·b) =
 * t0 + b·t1 scaled to the model (t(1) = w exactly, so `none` is FCFS figure for figure). The
 * meters count requests: `jobs` = requests at the node, `busy` = batches computing (slots),
 * `waiting` = requests not in a computing batch, so utilization and energy integrate slot time
 * t(b) per batch. Every request of a batch completes at its end: its node wait is the time from
 * its arrival to the batch's start, its compute the batch's t(b), and its energy the share
 * w_i / S of the batch's dynamic energy (pool.work = t(b)·w_i/S; Σ over the batch = t(b)). Each
 * request keeps the memory reserved at admission (input + activations) until its batch ends, so
 * a batch of b holds b requests' activations.
 *
 * Cost: O(1) amortized per request — O(1) to queue, O(b) to form a batch of b and to fan its
 * completion out, one event per batch, and at most one delay timer pending per queue (a timer is
 * never cancelled: one firing early for a head that left re-arms at the new head's time); plus a
 * scan of the node's tenants when a slot frees.
 */
export class BatchingScheduler implements NodeScheduler {
  readonly name = 'batching';
  /** Per node, its index among batching nodes (−1: not batching). */
  private readonly bk: Int32Array;
  private readonly specs: BatchingSpec[] = [];
  private readonly nodeOf: number[] = [];
  /** Queues: per (batching node, tenant), a FIFO of jobs linked by pool.next; arrival time in pool.remaining. */
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly count: Int32Array;
  /** Time of the queue's one pending delay timer (NaN: none). */
  private readonly timerAt: Float64Array;
  /** The policy's bound on the queue's batch size. */
  private readonly bound: Int32Array;
  /** Per node: free slots, and the first computing batch (−1: none). */
  private readonly free: Int32Array;
  private readonly running: Int32Array;
  private readonly mortal: Uint8Array;
  /** Batches (a free list of ids): node, queue, first job, size, start, length, Σ work, event handle, neighbours in the node's list. */
  private bNode = new Int32Array(16);
  private bQueue = new Int32Array(16);
  private bFirst = new Int32Array(16);
  private bSize = new Int32Array(16);
  private bStart = new Float64Array(16);
  private bLength = new Float64Array(16);
  private bSum = new Float64Array(16);
  private bHandle = new Float64Array(16);
  private bNext = new Int32Array(16);
  private bPrev = new Int32Array(16);
  private freeIds: number[] = [];
  private capacity = 0;
  /** Batches formed from the end of warm-up on, by batching node and size. */
  private readonly hist: Float64Array[] = [];

  constructor(
    private readonly host: SchedulerHost,
    private readonly tenants: number,
    private readonly warmup: number,
  ) {
    const nodes = host.meters.nodes;
    this.bk = new Int32Array(nodes.length).fill(-1);
    nodes.forEach((n, k) => {
      if (n.batching === undefined) return;
      if (n.batching.objectives.length !== tenants) throw new Error(`node ${n.name}: expected ${tenants} batching objectives, got ${n.batching.objectives.length}`);
      this.bk[k] = this.specs.length;
      this.specs.push(n.batching);
      this.nodeOf.push(k);
      this.hist.push(new Float64Array(n.batching.max + 1));
    });
    const queues = this.specs.length * tenants;
    this.head = new Int32Array(queues).fill(-1);
    this.tail = new Int32Array(queues).fill(-1);
    this.count = new Int32Array(queues);
    this.timerAt = new Float64Array(queues).fill(NaN);
    this.bound = new Int32Array(queues);
    this.specs.forEach((s, b) => {
      for (let t = 0; t < tenants; t++) this.bound[b * tenants + t] = t === tenants - 1 ? 1 : clampBound(s.sizer.initial(s.max), s.max);
    });
    this.free = Int32Array.from(nodes, (n) => n.slots);
    this.running = new Int32Array(nodes.length).fill(-1);
    this.mortal = Uint8Array.from(nodes, (n) => (n.battery !== undefined || n.failures !== undefined ? 1 : 0));
    this.grow(16);
  }

  /** Batches formed on each batching node over the measurement window. */
  counts(): BatchCounts[] {
    return this.specs.map((spec, b) => ({ node: this.nodeOf[b], spec, bySize: this.hist[b] }));
  }

  submit(k: number, job: number, now: number): number {
    const { meters, pool } = this.host;
    meters.advance(k, now);
    meters.addSignals(k, 1, 0, 1);
    const q = this.bk[k] * this.tenants + pool.tenant[job];
    pool.remaining[job] = now;
    pool.next[job] = -1;
    const t = this.tail[q];
    if (t >= 0) pool.next[t] = job;
    else this.head[q] = job;
    this.tail[q] = job;
    this.count[q]++;
    if (this.free[k] > 0) this.dispatch(k, now);
    if (this.count[q] > 0) this.arm(q, now);
    return NaN;
  }

  /**
   * How many requests queue q sends now if a slot is free (0: it waits), in the order of Triton's
   * dynamic batcher (core's DynamicBatchScheduler::GetDynamicBatch): of the c = min(queued, bound)
   * it could send, everything once the oldest request's queue delay has run out; before that, the
   * largest preferred size ≤ c; with none, c when it reaches the largest preferred size (or the
   * bound, without preferred sizes, or when the bound is below it: a batch that cannot grow is not
   * held — helper-86: an adaptive bound under the preferred size made every batch wait the whole
   * delay) or there is no delay to wait; else it waits.
   */
  private ready(q: number, now: number): number {
    const n = this.count[q];
    if (n === 0) return 0;
    const c = Math.min(n, this.bound[q]);
    const s = this.specs[(q / this.tenants) | 0];
    if (s.delay > 0 && this.host.pool.remaining[this.head[q]] + s.delay <= now) return c;
    const pref = s.preferred;
    for (let i = pref.length - 1; i >= 0; i--) if (pref[i] <= c) return pref[i];
    const target = pref.length > 0 ? Math.min(pref[pref.length - 1], this.bound[q]) : this.bound[q];
    return c >= target || s.delay === 0 ? c : 0;
  }

  /** Forms batches on node k while it has a free slot and a queue ready to send. */
  private dispatch(k: number, now: number): void {
    const T = this.tenants;
    const base = this.bk[k] * T;
    const arrived = this.host.pool.remaining;
    while (this.free[k] > 0) {
      let best = -1;
      let size = 0;
      for (let q = base; q < base + T; q++) {
        const n = this.ready(q, now);
        if (n > 0 && (best < 0 || arrived[this.head[q]] < arrived[this.head[best]])) {
          best = q;
          size = n;
        }
      }
      if (best < 0) return;
      this.form(k, best, size, now);
      if (this.count[best] > 0) this.arm(best, now);
    }
  }

  /** Keeps one delay timer pending for queue q by its oldest request's time (one already pending fires no later). */
  private arm(q: number, now: number): void {
    if (this.timerAt[q] === this.timerAt[q]) return;
    const at = this.host.pool.remaining[this.head[q]] + this.specs[(q / this.tenants) | 0].delay;
    if (at <= now) return; // expired: sent as soon as a slot frees
    this.timerAt[q] = at;
    this.host.sim.scheduleAt(at, EventKind.BatchTimer, q);
  }

  /** Sends the first `b` requests of queue q as one batch on a free slot of node k. */
  private form(k: number, q: number, b: number, now: number): void {
    const { meters, pool, sim } = this.host;
    const first = this.head[q];
    let last = first;
    let sum = pool.work[first];
    for (let i = 1; i < b; i++) {
      last = pool.next[last];
      sum += pool.work[last];
    }
    this.head[q] = pool.next[last];
    if (this.head[q] < 0) this.tail[q] = -1;
    pool.next[last] = -1;
    this.count[q] -= b;
    const s = this.specs[this.bk[k]];
    const length = b === 1 ? sum : sum - (s.fixedShare * sum * (b - 1)) / b;
    if (this.freeIds.length === 0) this.grow(this.capacity * 2);
    const id = this.freeIds.pop()!;
    this.bNode[id] = k;
    this.bQueue[id] = q;
    this.bFirst[id] = first;
    this.bSize[id] = b;
    this.bStart[id] = now;
    this.bLength[id] = length;
    this.bSum[id] = sum;
    const h = this.running[k];
    this.bPrev[id] = -1;
    this.bNext[id] = h;
    if (h >= 0) this.bPrev[h] = id;
    this.running[k] = id;
    meters.advance(k, now);
    meters.addSignals(k, 0, 1, -b);
    this.free[k]--;
    // Batches of workloads' requests only (a learning process's jobs go one by one: not batches of the paper's Table 4).
    if (now >= this.warmup && q % this.tenants !== this.tenants - 1) this.hist[this.bk[k]][b]++;
    const end = now + length;
    if (this.mortal[k]) this.bHandle[id] = sim.scheduleCancellable(end, EventKind.BatchDone, id);
    else sim.scheduleAt(end, EventKind.BatchDone, id);
    if (this.mortal[k]) this.host.powerChanged(k, now);
  }

  /** A batch ended, or a delay timer fired (subject: a batch id or a queue, by kind). */
  onEvent(id: number, now: number): void {
    const { meters, pool } = this.host;
    const k = this.bNode[id];
    const q = this.bQueue[id];
    const b = this.bSize[id];
    const start = this.bStart[id];
    const length = this.bLength[id];
    const first = this.bFirst[id];
    const sum = this.bSum[id];
    this.unlink(k, id); // the id is free from here on: a batch formed below may reuse it
    this.freeIds.push(id);
    meters.advance(k, now);
    meters.addSignals(k, -b, -1, 0);
    this.free[k]++;
    const t = q - this.bk[k] * this.tenants;
    const s = this.specs[this.bk[k]];
    if (s.sizer.adapts && t < this.tenants - 1) this.bound[q] = clampBound(s.sizer.next(this.bound[q], b, length, s.objectives[t], s.max), s.max);
    if (this.mortal[k]) this.host.powerChanged(k, now);
    // The completion may have emptied the node's battery: the batch then dies with the node.
    const up = meters.up[k] === 1;
    if (up) this.dispatch(k, now);
    // Every request of the batch completes now: wait to the batch's start, compute t(b), energy its share.
    let j = first;
    while (j >= 0) {
      const next = pool.next[j];
      if (b > 1) {
        pool.compute[j] += length - pool.work[j];
        pool.work[j] = (length * pool.work[j]) / sum;
      }
      pool.nodeWait[j] += start - pool.remaining[j];
      pool.computeAt[j] = NaN;
      if (up) this.host.finished(k, j, now);
      else this.host.lost(k, j, now);
      j = next;
    }
  }

  /** A delay timer of queue q fired: the batcher sends what is due, or waits for the new oldest request. */
  onTimer(q: number, now: number): void {
    this.timerAt[q] = NaN;
    if (this.count[q] === 0) return;
    const k = this.nodeOf[(q / this.tenants) | 0];
    if (this.free[k] > 0) this.dispatch(k, now);
    if (this.count[q] > 0) this.arm(q, now);
  }

  clear(k: number, now: number): void {
    const { meters, pool, sim } = this.host;
    meters.advance(k, now);
    meters.setSignals(k, 0, 0, 0);
    this.free[k] = meters.slots[k];
    const lost: number[] = [];
    for (let id = this.running[k]; id >= 0; ) {
      const next = this.bNext[id];
      sim.cancel(this.bHandle[id]);
      for (let j = this.bFirst[id]; j >= 0; j = pool.next[j]) lost.push(j);
      this.freeIds.push(id);
      id = next;
    }
    this.running[k] = -1;
    const base = this.bk[k] * this.tenants;
    for (let q = base; q < base + this.tenants; q++) {
      for (let j = this.head[q]; j >= 0; j = pool.next[j]) lost.push(j);
      this.head[q] = this.tail[q] = -1;
      this.count[q] = 0;
    }
    for (const j of lost) this.host.lost(k, j, now);
  }

  private unlink(k: number, id: number): void {
    const prev = this.bPrev[id];
    const next = this.bNext[id];
    if (prev >= 0) this.bNext[prev] = next;
    else this.running[k] = next;
    if (next >= 0) this.bPrev[next] = prev;
  }

  private grow(capacity: number): void {
    const widen = <A extends Int32Array | Float64Array>(a: A): A => {
      const b = new (a.constructor as new (n: number) => A)(capacity);
      b.set(a);
      return b;
    };
    this.bNode = widen(this.bNode);
    this.bQueue = widen(this.bQueue);
    this.bFirst = widen(this.bFirst);
    this.bSize = widen(this.bSize);
    this.bStart = widen(this.bStart);
    this.bLength = widen(this.bLength);
    this.bSum = widen(this.bSum);
    this.bHandle = widen(this.bHandle);
    this.bNext = widen(this.bNext);
    this.bPrev = widen(this.bPrev);
    for (let id = capacity - 1; id >= this.capacity; id--) this.freeIds.push(id);
    this.capacity = capacity;
  }
}

/** The policy's bound as an integer in [1, max]. */
function clampBound(x: number, max: number): number {
  const b = Math.floor(x);
  return b < 1 ? 1 : b > max ? max : b;
}
