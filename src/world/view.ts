import type { Simulator } from '../core/simulator.ts';
import type { Batteries } from './batteries.ts';
import type { Links } from './links.ts';
import type { NodeMeters } from './meters.ts';
import type { NodeSpec } from './node.ts';
import { float64Array } from '../core/typed-arrays.ts';

/** Weight of the newest interval in the arrival-rate average, and of the newest request in the latency average. */
export const EWMA_WEIGHT = { rate: 0.3, latency: 0.05 } as const;

/**
 * What policies see of the world: read-only, measured. Per node: up or down, battery left,
 * memory in use, jobs waiting and in service, and utilization over the last monitoring
 * interval; per directed link: its backlog; per workload instance: its arrival rate (an
 * exponentially weighted average over intervals) and recent latency (weighted over requests).
 * Live figures are read at call time; interval figures are refreshed at each tick.
 */
export class WorldView {
  private readonly utilizationLast: Float64Array;
  private readonly busyAtTick: Float64Array;
  private readonly arrivalsSinceTick: Float64Array;
  private readonly rate: Float64Array;
  private readonly latencyAverage: Float64Array;
  private lastTick = 0;
  /**
   * Whether arrivals are counted: only when monitoring ticks come (set by the world), since
   * arrival rates are measured over intervals; a run without ticks skips a count per request.
   */
  ticking = false;
  /**
   * Whether the recent-latency averages are kept: only while something reads the view during the
   * run (ticks come, or a policy asks at each request; set by the world when its run starts), since
   * no figure is written from them; a run nobody watches skips a cold line per completed request.
   */
  tracksLatency = true;
  /** Tenant t's share of node k now when k is partitioned, else NaN; set by the world when some node is (undefined: none is). */
  tenantShare?: (k: number, t: number) => number;

  constructor(
    private readonly sim: Simulator,
    private readonly meters: NodeMeters,
    private readonly batteries: Batteries,
    private readonly links: Links,
    instances: number,
    /** Simulated time the run ends at, s (its duration). */
    readonly end: number = Infinity,
    /** Simulated time the measurement window starts at, s (the warm-up's end). */
    readonly warmup: number = 0,
    /** Seconds between monitoring ticks (Infinity: none). */
    readonly interval: number = Infinity,
  ) {
    const n = meters.nodes.length;
    this.utilizationLast = float64Array(n);
    this.busyAtTick = float64Array(n);
    this.arrivalsSinceTick = float64Array(instances);
    this.rate = float64Array(instances).fill(NaN);
    this.latencyAverage = float64Array(instances).fill(NaN);
  }

  /** Simulated time now, s. */
  get now(): number {
    return this.sim.now;
  }

  /** The nodes, as built. */
  get nodes(): readonly NodeSpec[] {
    return this.meters.nodes;
  }

  /** Mobility: the access point each node is attached to now (−1: a node that does not move); set by the world. */
  attachment: Int32Array | undefined;

  /** The access point moving device k is attached to now; −1 for a node that does not move. */
  accessPointOf(k: number): number {
    return this.attachment === undefined ? -1 : this.attachment[k];
  }

  /** Whether node k is up. */
  isUp(k: number): boolean {
    return this.meters.up[k] === 1;
  }

  /** Energy left in node k's battery, J (Infinity without one). */
  batteryLeft(k: number): number {
    this.meters.advance(k, this.sim.now);
    return this.batteries.left(k, this.sim.now);
  }

  /** Memory in use at node k (weights and buffered requests), bytes. */
  memoryInUse(k: number): number {
    return this.meters.memoryInUse(k);
  }

  /** Jobs at node k, waiting or in service. */
  jobs(k: number): number {
    return this.meters.jobs(k);
  }

  /** Jobs waiting for compute at node k. */
  waiting(k: number): number {
    return this.meters.waiting(k);
  }

  /** Jobs in service at node k. */
  inService(k: number): number {
    return this.meters.jobs(k) - this.meters.waiting(k);
  }

  /** Utilization of node k over the last monitoring interval (NaN before the first tick). */
  utilization(k: number): number {
    return this.lastTick > 0 ? this.utilizationLast[k] : NaN;
  }

  /** Seconds of transmission queued on directed link d. */
  linkBacklog(d: number): number {
    return this.links.backlog(d, this.sim.now);
  }

  /** Measured arrival rate of workload instance i, 1/s (NaN before the first tick). */
  arrivalRate(i: number): number {
    return this.rate[i];
  }

  /** Recent latency of workload instance i's completed requests, s (NaN before one completes, and in a run where nothing read the view: {@link tracksLatency}). */
  recentLatency(i: number): number {
    return this.latencyAverage[i];
  }

  // ----- fed by the world -----

  /** A request of instance i was born. */
  arrived(i: number): void {
    if (this.ticking) this.arrivalsSinceTick[i]++;
  }

  /** Reads instance i's latency average as a completion will; changes nothing. */
  touch(i: number): number {
    return this.tracksLatency ? this.latencyAverage[i] : 0;
  }

  /** A request of instance i completed with this latency. */
  completed(i: number, latency: number): void {
    if (!this.tracksLatency) return;
    const a = this.latencyAverage[i];
    this.latencyAverage[i] = a === a ? a + EWMA_WEIGHT.latency * (latency - a) : latency;
  }

  /** The monitoring interval ended at `now`: interval figures are measured. */
  tick(now: number): void {
    const dt = now - this.lastTick;
    if (dt <= 0) return;
    const m = this.meters;
    for (let k = 0; k < m.nodes.length; k++) {
      m.advance(k, now);
      const busy = m.busyArea(k);
      this.utilizationLast[k] = (busy - this.busyAtTick[k]) / (m.nodes[k].slots * dt);
      this.busyAtTick[k] = busy;
    }
    for (let i = 0; i < this.rate.length; i++) {
      const r = this.arrivalsSinceTick[i] / dt;
      const a = this.rate[i];
      this.rate[i] = a === a ? a + EWMA_WEIGHT.rate * (r - a) : r;
      this.arrivalsSinceTick[i] = 0;
    }
    this.lastTick = now;
  }
}
