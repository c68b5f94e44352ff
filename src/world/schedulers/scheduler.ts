import type { Simulator } from '../../core/simulator.ts';
import type { NodeMeters } from '../meters.ts';
import type { RequestPool } from '../request.ts';

/** What a scheduler may use of the world. */
export interface SchedulerHost {
  readonly sim: Simulator;
  readonly meters: NodeMeters;
  /** Every job's state: its work (`work`, slot-seconds), `tenant`, and fields a scheduler keeps (`handle`, `remaining`, `next`, `prev`). */
  readonly pool: RequestPool;
  /** Job finished its work at node k (after the node's signals were updated). */
  finished(k: number, job: number, now: number): void;
  /** Job was at node k when it went down: it is lost (its event was cancelled). */
  lost(k: number, job: number, now: number): void;
  /** Node k's power changed at `now` (batteries re-plan their check). */
  powerChanged(k: number, now: number): void;
}

/**
 * A node scheduler: how a node's compute is shared among the jobs at it. A job is a pool slot
 * whose `work` is its compute time on one slot (FLOPs / (throughput / slots)) and `tenant` its
 * workload group; a scheduler keeps the node's `jobs`, `busy` (slot-equivalents computing) and
 * `waiting` in {@link NodeMeters} exact, calling `meters.advance` before every change, so
 * utilization, queue length and energy integrals hold for every scheduler. A job may stand for
 * a group of requests (a batch): the scheduler sees only its work, and the host fans the
 * completion out.
 */
export interface NodeScheduler {
  readonly name: string;
  /** Admits a job at node k (up, admitted, memory reserved); returns its wait for compute when known on entry, else NaN. */
  submit(k: number, job: number, now: number): number;
  /** Node k went down: removes every job at it, cancelling their events, and reports each to the host as lost. */
  clear(k: number, now: number): void;
  /** Handles the scheduler's own completion events (subject as scheduled). */
  onEvent(subject: number, now: number): void;
  /** Reads what a submit at node k reads (world/warm.ts); changes nothing. */
  touch?(k: number): number;
}

/** Scheduler names a scenario may give a node. */
export const SCHEDULERS = ['fcfs', 'processor-sharing', 'partitioned', 'batching'] as const;
/** One of {@link SCHEDULERS}. */
export type SchedulerName = (typeof SCHEDULERS)[number];
