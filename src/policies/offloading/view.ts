import type { NodeSpec } from '../../world/node.ts';

/**
 * What the offloading planner reads of the measured world (a subset of the world's
 * `WorldView`, so a planner can be exercised without a world): nodes up, jobs at them, their
 * utilization over the last monitoring interval, batteries left, each instance's measured
 * arrival rate (NaN until measured), and when the run ends.
 */
export interface OffloadingView {
  readonly now: number;
  readonly nodes: readonly NodeSpec[];
  isUp(k: number): boolean;
  /** Jobs waiting for a slot at node k. */
  waiting(k: number): number;
  /** Jobs at node k, waiting or in service. */
  jobs(k: number): number;
  /** Utilization of node k over the last monitoring interval, all traffic (NaN before the first tick). */
  utilization(k: number): number;
  arrivalRate(i: number): number;
  /** Energy left in node k's battery, J (Infinity without one). */
  batteryLeft(k: number): number;
  /** Simulated time the run ends at, s. */
  readonly end: number;
  /** Simulated time the measurement window starts at (the warm-up's end), s; undefined: 0. */
  readonly warmup?: number;
  /** Seconds between monitoring ticks (policies.interval; Infinity or undefined: no ticks). */
  readonly interval?: number;
  /** Mobility: the access point each node is attached to now, −1 for a node that does not move (undefined: nothing moves). */
  readonly attachment?: Int32Array;
  /** Tenant t's share of node k now when k is partitioned, else NaN (undefined: no node is). */
  tenantShare?(k: number, t: number): number;
}

/**
 * The mean device energy per request a device's requests may cost it so that its battery lasts to
 * the end of the run: (battery left / time to the end − idle power) / rate, in J per request —
 * the device's idle draw comes first, what is left is shared over `rate`, the requests per second
 * of every instance the program places from that device. Infinity without a battery (or with no
 * time or no traffic left); ≤ 0 when even idling empties the battery before the end. Work other
 * devices send to it is not counted (the program costs the issuing device's energy only). Cost O(1).
 */
export function batteryEnergyPerRequest(view: OffloadingView, device: number, rate: number): number {
  const left = view.batteryLeft(device);
  const time = view.end - view.now;
  if (!Number.isFinite(left) || !(time > 0) || !(rate > 0) || !Number.isFinite(time)) return Infinity;
  return (left / time - view.nodes[device].power.idle) / rate;
}

/**
 * The latency of a request of an (instance, node) pair as the program estimates it: its fixed
 * transfer and compute times plus a queueing term — the Pollaczek–Khinchine mean wait of an
 * M/D/1 queue at the utilization cap ρ = U, shared over the node's slots: W = s · U / (2 · slots ·
 * (1 − U)), with s the pair's compute time (U = 0.8: W = 2 s / slots). The term does not depend on
 * the plan, so the program stays linear; it is what a node held at its cap makes a request wait,
 * so slow nodes pay for queueing in proportion to their slowness. (Taking the backlog measured
 * at the tick instead makes plans flip: the backlog a plan causes makes the next solve leave the
 * node.) Congestion measured at the tick enters the capacity instead ({@link residualCapacity}).
 * Cost O(1).
 */
export function estimatedLatency(slots: number, utilization: number, transfer: number, compute: number): number {
  const u = Math.min(utilization, 0.99);
  return transfer + compute * (1 + u / (2 * slots * (1 - u)));
}

/**
 * The utilization a node may take in the coming interval: the cap less the work queued at the
 * node now (jobs waiting × `work`, the mean compute time of the program's requests there) spread
 * over the interval, so a backlog beyond the cap's steady state is worked off before new load is
 * sent (at the cap's own steady state the backlog is a few jobs: a few per mille of an interval
 * of seconds). Never below 0. Cost O(1).
 */
export function residualCapacity(view: OffloadingView, k: number, utilization: number, work: number, interval: number): number {
  if (!(interval > 0) || !(work > 0)) return utilization;
  return Math.max(0, utilization - (view.waiting(k) * work) / (view.nodes[k].slots * interval));
}

/**
 * The utilization of node k over the last monitoring interval that the program did not plan: what
 * the view measured there — all traffic: workloads other programs or policies place, federated
 * processes, and the program's own — less `planned`, what the program's plan in force over that
 * interval gave the node (its own share, not to be counted twice). NaN before the first
 * measurement. Signed and noisy: the program's own requests come in bursts around the planned
 * rate and queues carry work from one interval into the next, so the planner averages it over
 * intervals before taking it as traffic from outside (see the planner). Cost O(1).
 */
export function unplannedUtilization(view: OffloadingView, k: number, planned: number): number {
  return view.utilization(k) - planned;
}
