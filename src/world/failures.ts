import type { Rng } from '../core/random.ts';
import type { Simulator } from '../core/simulator.ts';
import type { Batteries } from './batteries.ts';
import { EventKind } from './events.ts';
import type { Links } from './links.ts';
import type { NodeMeters } from './meters.ts';
import type { NodeScheduler } from './schedulers/scheduler.ts';

/**
 * Node failures and repairs: exponential times between failures and to repair (per node, from
 * the `failures` stream). A node that goes down — failed, or its battery empty — loses at once
 * every job at it (its scheduler cancels their events) and its buffered memory; the transmission
 * it had under way stops and its links are free at once; transfers it had sent or queued are
 * lost when they begin or arrive (their sender's epoch changed).
 */
export class Failures {
  constructor(
    private readonly sim: Simulator,
    private readonly meters: NodeMeters,
    private readonly batteries: Batteries,
    private readonly links: Links,
    private readonly schedulerOf: readonly NodeScheduler[],
    /** Node k's failure stream (drawn from at once, not kept). */
    private readonly rng: (k: number) => Rng,
  ) {}

  /** Schedules the first failure of every node that fails. */
  start(): void {
    this.meters.nodes.forEach((node, k) => {
      if (node.failures) this.sim.scheduleAt(this.sample(k, node.failures.mtbf), EventKind.NodeFail, k);
    });
  }

  /** NodeFail event. */
  onFail(k: number, now: number): void {
    if (this.meters.dead[k]) return;
    this.meters.advance(k, now);
    this.goDown(k, now);
    this.sim.scheduleAt(now + this.sample(k, this.meters.nodes[k].failures!.mttr), EventKind.NodeRepair, k);
  }

  /** NodeRepair event. */
  onRepair(k: number, now: number): void {
    if (this.meters.dead[k]) return;
    this.meters.advance(k, now);
    this.meters.up[k] = 1;
    this.sim.scheduleAt(now + this.sample(k, this.meters.nodes[k].failures!.mtbf), EventKind.NodeFail, k);
    this.batteries.update(k, now);
  }

  /** Takes node k down now: its jobs are lost and its memory holds only its weights again. */
  goDown(k: number, now: number): void {
    const m = this.meters;
    m.up[k] = 0;
    m.epoch[k]++;
    this.links.senderDown(k, now, m.radio);
    this.links.receiverDown(k, now, m.radio);
    this.schedulerOf[k].clear(k, now);
    m.releaseAll(k);
    this.onDown?.(k);
  }

  /** Told when a node goes down, after its jobs are lost (the world empties its result cache). */
  onDown: ((k: number) => void) | undefined;

  private sample(k: number, mean: number): number {
    return -Math.log(1 - this.rng(k)()) * mean;
  }
}
