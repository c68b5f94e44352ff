import { NO_EVENT } from '../../core/queue.ts';
import { EventKind } from '../events.ts';
import type { NodeScheduler, SchedulerHost } from './scheduler.ts';

/**
 * Egalitarian processor sharing over a node's c slots: with N jobs each computes at
 * min(1, c/N) of a slot's speed (Kleinrock's PS; with c = 1 the M/G/1-PS queue, whose mean
 * sojourn given work x is x / (1 − ρ)). Work is tracked in virtual time: every job present
 * attains service at the same rate, so a job finishes when the node's attained service
 * reaches its finish tag (attained at arrival + work), and the smallest tag (a heap per node)
 * finishes first. One cancellable completion event per node is kept and re-set as jobs come
 * and go. Cost O(log N) per arrival and departure.
 */
export class ProcessorSharingScheduler implements NodeScheduler {
  readonly name = 'processor-sharing';
  /** Service attained by every job present at each node, slot-seconds, and when it was last brought up to date. */
  private readonly attained: Float64Array;
  private readonly updatedAt: Float64Array;
  private readonly pending: Float64Array;
  /** Per node, a binary min-heap of jobs by finish tag (pool.remaining holds the tag). */
  private readonly heaps: number[][];
  /** Jobs finishing at one event (reused: no allocation per event). */
  private readonly done: number[] = [];

  constructor(private readonly host: SchedulerHost) {
    const n = host.meters.nodes.length;
    this.attained = new Float64Array(n);
    this.updatedAt = new Float64Array(n);
    this.pending = new Float64Array(n).fill(NO_EVENT);
    this.heaps = Array.from({ length: n }, () => []);
  }

  /** Service rate of each job at node k, slot-speeds. */
  private rate(k: number): number {
    const n = this.host.meters.jobs(k);
    const c = this.host.meters.slots[k];
    return n <= c ? 1 : c / n;
  }

  /** Brings node k's attained service up to `now` and its meters too. */
  private bringUp(k: number, now: number): void {
    if (this.host.meters.jobs(k) > 0) this.attained[k] += this.rate(k) * (now - this.updatedAt[k]);
    this.updatedAt[k] = now;
    this.host.meters.advance(k, now);
  }

  private setSignals(k: number): void {
    const m = this.host.meters;
    const n = m.jobs(k);
    const c = m.slots[k];
    m.setSignals(k, n, n < c ? n : c, 0); // every job present is in service
  }

  /** Re-sets node k's one completion event at the earliest finish tag. */
  private retime(k: number, now: number): void {
    const sim = this.host.sim;
    if (this.pending[k] !== NO_EVENT) sim.cancel(this.pending[k]);
    this.pending[k] = NO_EVENT;
    const heap = this.heaps[k];
    if (heap.length === 0) return;
    const left = this.host.pool.remaining[heap[0]] - this.attained[k];
    const at = now + (left > 0 ? left / this.rate(k) : 0);
    this.pending[k] = sim.scheduleCancellable(at, EventKind.SharingDone, k);
  }

  submit(k: number, job: number, now: number): number {
    const { meters, pool } = this.host;
    this.bringUp(k, now);
    meters.addSignals(k, 1, 0, 0);
    this.setSignals(k);
    pool.remaining[job] = this.attained[k] + pool.work[job];
    heapPush(this.heaps[k], pool.remaining, job);
    this.retime(k, now);
    return NaN;
  }

  onEvent(k: number, now: number): void {
    const { meters, pool } = this.host;
    this.pending[k] = NO_EVENT;
    this.bringUp(k, now);
    const heap = this.heaps[k];
    // The job whose tag was reached, and any other with the same tag (equal work, same arrival).
    const done = this.done;
    done.length = 0;
    const tag = pool.remaining[heap[0]];
    while (heap.length > 0 && pool.remaining[heap[0]] <= tag) done.push(heapPop(heap, pool.remaining));
    this.attained[k] = Math.max(this.attained[k], tag); // absorb rounding: the finished job attained exactly its work
    meters.addSignals(k, -done.length, 0, 0);
    this.setSignals(k);
    this.retime(k, now);
    this.host.powerChanged(k, now);
    // A completion may take the node down (its battery): the jobs finishing with it are then lost.
    for (const job of done) {
      if (meters.up[k]) this.host.finished(k, job, now);
      else this.host.lost(k, job, now);
    }
  }

  clear(k: number, now: number): void {
    const { meters, sim } = this.host;
    this.bringUp(k, now);
    if (this.pending[k] !== NO_EVENT) sim.cancel(this.pending[k]);
    this.pending[k] = NO_EVENT;
    const jobs = this.heaps[k];
    this.heaps[k] = [];
    meters.setSignals(k, 0, 0, 0);
    for (const job of jobs) this.host.lost(k, job, now);
  }
}

function heapPush(heap: number[], key: Float64Array, job: number): void {
  let i = heap.length;
  heap.push(job);
  const t = key[job];
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (key[heap[p]] <= t) break;
    heap[i] = heap[p];
    i = p;
  }
  heap[i] = job;
}

function heapPop(heap: number[], key: Float64Array): number {
  const top = heap[0];
  const last = heap.pop()!;
  const n = heap.length;
  if (n > 0) {
    const t = key[last];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && key[heap[c + 1]] < key[heap[c]]) c++;
      if (key[heap[c]] >= t) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = last;
  }
  return top;
}
