import { NO_EVENT } from '../core/queue.ts';
import type { Simulator } from '../core/simulator.ts';
import type { Batteries } from './batteries.ts';
import { EventKind } from './events.ts';
import type { Links } from './links.ts';
import type { Transmission } from './transmission.ts';
import type { NodeMeters } from './meters.ts';
import type { Precision } from './model.ts';
import { slotSeconds } from './node.ts';
import type { RequestPool } from './request.ts';
import type { NodeScheduler } from './schedulers/scheduler.ts';
import type { Route } from './topology.ts';

/** How a process step ended: false when a node on the way was down or a link dropped it. */
export type StepDone = (ok: boolean, now: number) => void;

/** The parts of the world a process uses. */
export interface ProcessWorld {
  readonly sim: Simulator;
  readonly pool: RequestPool;
  readonly meters: NodeMeters;
  readonly batteries: Batteries;
  readonly links: Links;
  readonly transmission: Transmission;
  readonly schedulerOf: readonly NodeScheduler[];
  /** Tenant of process jobs on partitioned nodes. */
  readonly processTenant: number;
}

/**
 * Processes beside the requests (federated learning…): steps at given times, transfers over the
 * same FIFO links and computations on the same node schedulers as the requests, so they contend.
 * Low-rate, so closures are fine here.
 */
export class Processes {
  private readonly callbacks: (((now: number) => void) | undefined)[] = [];
  private readonly freeCallbacks: number[] = [];
  private readonly handles: number[] = [];
  /** Completion of each process job, by pool slot. */
  private readonly jobDone: (StepDone | undefined)[] = [];
  /** Process jobs at nodes' schedulers. */
  jobs = 0;

  constructor(private readonly w: ProcessWorld) {}

  /** Runs `fn` at simulated time `time` (≥ now); returns a handle for {@link cancel}. */
  at(time: number, fn: (now: number) => void): number {
    const c = this.freeCallbacks.length > 0 ? this.freeCallbacks[this.freeCallbacks.length - 1] : this.callbacks.length;
    const handle = this.w.sim.scheduleCancellable(time, EventKind.Callback, c); // throws before anything is taken
    if (c < this.callbacks.length) this.freeCallbacks.pop();
    this.callbacks[c] = fn;
    this.handles[c] = handle;
    return handle;
  }

  /** Cancels a step scheduled with {@link at}; false when it already ran or was cancelled. */
  cancel(handle: number): boolean {
    const c = this.handles.indexOf(handle);
    if (handle === NO_EVENT || c < 0 || !this.w.sim.cancel(handle)) return false;
    this.callbacks[c] = undefined;
    this.freeCallbacks.push(c);
    return true;
  }

  /** The Callback event. */
  onCallback(c: number, now: number): void {
    const fn = this.callbacks[c]!;
    this.callbacks[c] = undefined;
    this.freeCallbacks.push(c);
    fn(now);
  }

  /**
   * Sends `bytes` along a route, hop by hop, on the same FIFO links as the requests, charging
   * bytes and radio energy as each hop's transmission begins; `done(false)` when a node on the way
   * is down, a link drops the transfer, or the sender's battery empties while sending.
   */
  send(route: Route, bytes: number, now: number, done: StepDone): void {
    const { links, meters } = this.w;
    const hop = (h: number, t: number): void => {
      if (h === route.links.length) return done(true, t);
      const d = route.links[h];
      const sender = route.nodes[h];
      if (!meters.up[sender]) return done(false, t);
      // Not listed per node: a sender that goes down is found by its epoch when the hop begins and ends.
      const epoch = meters.epoch[sender];
      const start = links.reserve(d, bytes, t);
      if (start !== start) return done(false, t);
      const begin = (s: number, t1: number): void => {
        if (meters.epoch[sender] !== epoch) return done(false, t1);
        const arrival = this.w.transmission.begin(d, bytes, s, t1);
        if (arrival !== arrival) return done(false, t1); // the sender died paying for it
        this.at(arrival, (t2) => {
          if (meters.epoch[sender] !== epoch || !meters.up[route.nodes[h + 1]]) return done(false, t2);
          hop(h + 1, t2);
        });
      };
      if (start > t && !links.eager(d)) this.at(start, (t1) => begin(t1, t1));
      else begin(start, t);
    };
    // Always answer from an event, never from inside this call.
    this.at(now, (t) => hop(0, t));
  }

  /**
   * Computes `flops` at node k and precision on the node's scheduler, with the requests (so they
   * contend), charging dynamic energy; `done(false)` when the node is down or goes down first.
   */
  compute(k: number, flops: number, precision: Precision, now: number, done: StepDone): void {
    const { meters, pool } = this.w;
    const node = meters.nodes[k];
    const work = slotSeconds(node, flops, precision);
    if (work === undefined) throw new Error(`node ${node.name} has no ${precision} throughput`);
    if (!meters.up[k]) {
      this.at(now, (t) => done(false, t));
      return;
    }
    const job = pool.acquire(now, -1);
    pool.node[job] = k;
    pool.work[job] = work;
    pool.tenant[job] = this.w.processTenant;
    this.jobDone[job] = done;
    this.jobs++;
    this.w.schedulerOf[k].submit(k, job, now);
    if (node.battery !== undefined) this.w.batteries.update(k, now);
  }

  /** A process job ended at its node: done, or lost with the node. */
  ended(job: number, ok: boolean, now: number): void {
    const done = this.jobDone[job]!;
    this.jobDone[job] = undefined;
    this.jobs--;
    this.w.pool.release(job);
    done(ok, now);
  }
}
