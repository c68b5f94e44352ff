import { nodeEnergy, type NodeSpec } from './node.ts';

/** Per-node totals since the start of the run (integrals are exact for piecewise-constant signals). */
export interface NodeTotals {
  /** ∫ busy slots dt: slot-seconds of computing. */
  busyArea: number;
  /** ∫ jobs waiting dt: job-seconds of waiting for compute. */
  queueArea: number;
  /** Time the node was up (powered), s. */
  upTime: number;
  /** Radio energy for sending and receiving, J. */
  radioTx: number;
  radioRx: number;
  /** Jobs computed. */
  served: number;
}

/**
 * What each node is and has measured: up or down, its failure epoch, its jobs (in the system,
 * in service as slot-equivalents, waiting), memory, and the integrals from which utilization,
 * queue length and energy follow exactly. Schedulers set `jobs`, `busy` and `waiting` and call
 * {@link advance} first, so every signal is piecewise constant between calls.
 */
export class NodeMeters {
  /** 1 while the node is up (not failed, battery not empty). */
  readonly up: Uint8Array;
  /** 1 once a node's battery is empty (for good). */
  readonly dead: Uint8Array;
  /** Incremented each time the node goes down: work begun before a change of epoch is lost. */
  readonly epoch: Int32Array;
  /** Jobs at the node (waiting or in service). */
  readonly jobs: Int32Array;
  /** Slot-equivalents computing (fractional under processor sharing or tenant shares). */
  readonly busy: Float64Array;
  /** Jobs waiting for compute. */
  readonly waiting: Float64Array;
  private readonly lastUpdate: Float64Array;
  /** Running totals per node since t = 0, and a snapshot taken when warm-up ended. */
  readonly totals: NodeTotals[];
  readonly totalsAtWarmup: NodeTotals[];
  /** Weights resident on each node (every model that may run there, at its precision), bytes. */
  readonly residentBytes: Float64Array;
  /** Memory in use (weights + buffered requests) and its peak since warm-up, bytes. */
  readonly memoryInUse: Float64Array;
  readonly memoryPeak: Float64Array;

  constructor(readonly nodes: readonly NodeSpec[]) {
    const n = nodes.length;
    this.up = new Uint8Array(n).fill(1);
    this.dead = new Uint8Array(n);
    this.epoch = new Int32Array(n);
    this.jobs = new Int32Array(n);
    this.busy = new Float64Array(n);
    this.waiting = new Float64Array(n);
    this.lastUpdate = new Float64Array(n);
    const zero = (): NodeTotals => ({ busyArea: 0, queueArea: 0, upTime: 0, radioTx: 0, radioRx: 0, served: 0 });
    this.totals = nodes.map(zero);
    this.totalsAtWarmup = nodes.map(zero);
    this.residentBytes = new Float64Array(n);
    this.memoryInUse = new Float64Array(n);
    this.memoryPeak = new Float64Array(n);
  }

  /** Reads what a compute admitted at node k reads of its meters (world/warm.ts); changes nothing. */
  touch(k: number): number {
    return this.jobs[k] + this.busy[k] + this.waiting[k] + this.lastUpdate[k] + this.totals[k].upTime + this.memoryInUse[k] + this.memoryPeak[k] + this.nodes[k].memory;
  }

  /** Sets the weights resident on node k (at build), bytes. */
  setResident(k: number, bytes: number): void {
    this.residentBytes[k] = bytes;
    this.memoryInUse[k] = bytes;
    this.memoryPeak[k] = bytes;
  }

  /** Reserves `bytes` at node k if they fit; false when they do not. */
  reserve(k: number, bytes: number): boolean {
    const inUse = this.memoryInUse[k] + bytes;
    if (inUse > this.nodes[k].memory) return false;
    this.memoryInUse[k] = inUse;
    if (inUse > this.memoryPeak[k]) this.memoryPeak[k] = inUse;
    return true;
  }

  /** Integrates node k's piecewise-constant signals up to `now`. */
  advance(k: number, now: number): void {
    const dt = now - this.lastUpdate[k];
    if (dt <= 0) return;
    this.lastUpdate[k] = now;
    if (!this.up[k]) return;
    const t = this.totals[k];
    t.upTime += dt;
    const b = this.busy[k];
    if (b > 0) t.busyArea += b * dt;
    const w = this.waiting[k];
    if (w > 0) t.queueArea += w * dt;
  }

  /**
   * Busy slot-seconds of node k from t = 0 to `now` without integrating (read-only): the total
   * up to its last update plus the present busy level since. `advance` at sample times would
   * split the run's integrals and change the last bits of nodes.csv; this leaves them as they are.
   */
  busyAreaAt(k: number, now: number): number {
    const since = now - this.lastUpdate[k];
    return this.totals[k].busyArea + (this.up[k] && since > 0 ? this.busy[k] * since : 0);
  }

  /** Total energy of node k since t = 0 up to its last update, J: idle power while up, dynamic compute power, radio. */
  energy(k: number): number {
    const t = this.totals[k];
    return nodeEnergy(this.nodes[k], t.upTime, t.busyArea, t.radioTx + t.radioRx);
  }

  /** Present power of node k, W (0 when down). */
  power(k: number): number {
    if (!this.up[k]) return 0;
    const node = this.nodes[k];
    return node.power.idle + ((node.power.busy - node.power.idle) * this.busy[k]) / node.slots;
  }

  /** Takes a snapshot of every node's totals and restarts the memory peaks (warm-up ended). */
  snapshot(now: number): void {
    for (let k = 0; k < this.nodes.length; k++) {
      this.advance(k, now);
      Object.assign(this.totalsAtWarmup[k], this.totals[k]);
      this.memoryPeak[k] = this.memoryInUse[k];
    }
  }
}
