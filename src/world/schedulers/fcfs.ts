import { EventKind } from '../events.ts';
import type { NodeScheduler, SchedulerHost } from './scheduler.ts';
import { float64Array, int32Array } from '../../core/typed-arrays.ts';

/**
 * First come, first served on a node's slots (Kiefer–Wolfowitz): a job takes the earliest free
 * slot, so its start and end are known on entry and it costs one event (cancellable on a node
 * that may go down; a plain one, the cheaper, on a node that never does). With N
 * jobs at a node of c slots, min(N, c) slots are busy and max(0, N − c) jobs wait. The fast path.
 */
export class FcfsScheduler implements NodeScheduler {
  readonly name = 'fcfs';
  private readonly slotStart: Int32Array;
  private readonly slotFree: Float64Array;
  /** First job of each node's list of jobs (−1: none), for clearing a node that goes down. */
  private readonly head: Int32Array;
  /** 1 for a node that may go down (battery or failures): only its completions need to be cancellable. */
  private readonly mortal: Uint8Array;

  constructor(private readonly host: SchedulerHost) {
    const nodes = host.meters.nodes;
    this.slotStart = int32Array(nodes.length + 1);
    nodes.forEach((node, k) => (this.slotStart[k + 1] = this.slotStart[k] + node.slots));
    this.slotFree = float64Array(this.slotStart[nodes.length]);
    this.head = int32Array(nodes.length).fill(-1);
    this.mortal = Uint8Array.from(nodes, (n) => (n.battery !== undefined || n.failures !== undefined ? 1 : 0));
  }

  /** Node k's signals for N jobs on c slots: min(N, c) busy, max(0, N − c) waiting. */
  private setSignals(k: number, n: number): void {
    const meters = this.host.meters;
    const c = meters.slots[k];
    meters.setSignals(k, n, n < c ? n : c, n > c ? n - c : 0);
  }

  touch(k: number): number {
    return this.slotFree[this.slotStart[k]] + this.head[k] + this.mortal[k];
  }

  submit(k: number, job: number, now: number): number {
    const { meters, pool, sim } = this.host;
    meters.advance(k, now);
    this.setSignals(k, meters.jobs(k) + 1);
    let best = this.slotStart[k];
    const last = this.slotStart[k + 1];
    const slotFree = this.slotFree;
    for (let s = best + 1; s < last; s++) if (slotFree[s] < slotFree[best]) best = s;
    const free = slotFree[best];
    const start = free > now ? free : now;
    const end = start + pool.work[job];
    slotFree[best] = end;
    if (this.mortal[k]) pool.handle[job] = sim.scheduleCancellable(end, EventKind.FcfsDone, job);
    else sim.scheduleAt(end, EventKind.FcfsDone, job);
    const h = this.head[k];
    pool.prev[job] = -1;
    pool.next[job] = h;
    if (h >= 0) pool.prev[h] = job;
    this.head[k] = job;
    return start - now;
  }

  onEvent(job: number, now: number): void {
    const { meters, pool } = this.host;
    const k = pool.node[job];
    const prev = pool.prev[job];
    const next = pool.next[job];
    if (prev >= 0) pool.next[prev] = next;
    else this.head[k] = next;
    if (next >= 0) pool.prev[next] = prev;
    meters.advance(k, now);
    this.setSignals(k, meters.jobs(k) - 1);
    if (this.mortal[k]) this.host.powerChanged(k, now); // only batteries care, and they make a node mortal
    // The completion may have emptied the node's battery: the job then dies with the node.
    if (meters.up[k]) this.host.finished(k, job, now);
    else this.host.lost(k, job, now);
  }

  clear(k: number, now: number): void {
    const { meters, pool, sim } = this.host;
    meters.advance(k, now);
    this.setSignals(k, 0);
    for (let s = this.slotStart[k]; s < this.slotStart[k + 1]; s++) this.slotFree[s] = now;
    let job = this.head[k];
    this.head[k] = -1;
    while (job >= 0) {
      const next = pool.next[job];
      sim.cancel(pool.handle[job]);
      this.host.lost(k, job, now);
      job = next;
    }
  }
}
