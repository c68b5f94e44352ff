import { nodeEnergy, type NodeSpec } from './node.ts';
import { float64Array, float64ArrayOf, int32Array, uint8Array, uint8ArrayOf } from '../core/typed-arrays.ts';

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
 * Fields of a node's record in {@link NodeMeters}: 16 numbers, 128 bytes (two cache lines; the
 * record starts on a 128-byte boundary when the buffer does). The first line is what every change
 * of the node's jobs reads and writes (the integrals and the signals they integrate, memory in use);
 * the second what a compute's admission and end add (memory peak and capacity, jobs served) and
 * the radio totals. With 10^4 devices computing, a device's meters are cold at each request: one
 * record is two lines where an array per field was one line each (bench/instructions.ts counts them).
 */
const LAST_UPDATE = 0;
const UP_TIME = 1;
const BUSY_AREA = 2;
const QUEUE_AREA = 3;
const JOBS = 4;
const BUSY = 5;
const WAITING = 6;
const MEMORY_IN_USE = 7;
const MEMORY_PEAK = 8;
const MEMORY = 9;
const RESIDENT = 10;
const RADIO_TX = 11;
const RADIO_RX = 12;
const SERVED = 13;
const STRIDE = 16;

/** Radio energy charged to nodes, J: the run's running totals, or their snapshot at warm-up (links take back energy of bits not yet sent from either). */
export interface RadioTotals {
  /** Nodes counted. */
  readonly nodeCount: number;
  /** Adds `txJ` sent and `rxJ` received to node k (negative: taken back). */
  addRadio(k: number, txJ: number, rxJ: number): void;
}

/** Where a totals record keeps each total: its stride and the offset of each field. */
interface TotalsLayout {
  readonly stride: number;
  readonly upTime: number;
  readonly busyArea: number;
  readonly queueArea: number;
  readonly radioTx: number;
  readonly radioRx: number;
  readonly served: number;
}

/** The meters' own records. */
const LIVE: TotalsLayout = { stride: STRIDE, upTime: UP_TIME, busyArea: BUSY_AREA, queueArea: QUEUE_AREA, radioTx: RADIO_TX, radioRx: RADIO_RX, served: SERVED };
/** The warm-up snapshot: the totals, and at {@link JOBS_AT_WARMUP} the jobs there then; 8 numbers a node. */
const SNAPSHOT: TotalsLayout = { stride: 8, upTime: 0, busyArea: 1, queueArea: 2, radioTx: 3, radioRx: 4, served: 5 };
/** Where the warm-up snapshot keeps a node's jobs (waiting or in service) when warm-up ended. */
const JOBS_AT_WARMUP = 6;

/** Node totals in records of a {@link TotalsLayout} (the meters' own, or their copy taken at warm-up). */
class TotalsRecords implements RadioTotals {
  constructor(
    readonly rec: Float64Array,
    readonly layout: TotalsLayout,
  ) {}

  get nodeCount(): number {
    return this.rec.length / this.layout.stride;
  }

  addRadio(k: number, txJ: number, rxJ: number): void {
    const o = k * this.layout.stride;
    this.rec[o + this.layout.radioTx] += txJ;
    this.rec[o + this.layout.radioRx] += rxJ;
  }

  totals(k: number): NodeTotals {
    const l = this.layout;
    const o = k * l.stride;
    const r = this.rec;
    return { busyArea: r[o + l.busyArea], queueArea: r[o + l.queueArea], upTime: r[o + l.upTime], radioTx: r[o + l.radioTx], radioRx: r[o + l.radioRx], served: r[o + l.served] };
  }

  /** Copies every node's totals from `from`. */
  copy(from: TotalsRecords): void {
    const a = from.layout;
    const b = this.layout;
    for (let k = 0, n = this.nodeCount; k < n; k++) {
      const i = k * a.stride;
      const o = k * b.stride;
      this.rec[o + b.upTime] = from.rec[i + a.upTime];
      this.rec[o + b.busyArea] = from.rec[i + a.busyArea];
      this.rec[o + b.queueArea] = from.rec[i + a.queueArea];
      this.rec[o + b.radioTx] = from.rec[i + a.radioTx];
      this.rec[o + b.radioRx] = from.rec[i + a.radioRx];
      this.rec[o + b.served] = from.rec[i + a.served];
    }
  }
}

/**
 * What each node is and has measured: up or down, its failure epoch, its jobs (in the system,
 * in service as slot-equivalents, waiting), memory, and the integrals from which utilization,
 * queue length and energy follow exactly. Schedulers set the jobs, busy and waiting signals and
 * call {@link advance} first, so every signal is piecewise constant between calls. Up, dead and
 * epoch, read at every request's birth, are dense arrays (64 and 16 nodes a line: they stay in
 * cache); the rest is a record per node (see STRIDE above).
 */
export class NodeMeters {
  /** 1 while the node is up (not failed, battery not empty). */
  readonly up: Uint8Array;
  /** 1 once a node's battery is empty (for good). */
  readonly dead: Uint8Array;
  /** Incremented each time the node goes down: work begun before a change of epoch is lost. */
  readonly epoch: Int32Array;
  /**
   * Node k's slots, whether its scheduler is a batcher, whether it runs on a battery: read at every
   * compute, where a read of the node's spec can be megamorphic — nodes given a scheduler by the
   * scenario are copies of their spec with more fields, and with a batcher on the edge servers of
   * scale-layers.yaml each copy had a hidden class of its own (docs/design.md, Speed, stop 28).
   */
  readonly slots: Float64Array;
  readonly batching: Uint8Array;
  readonly onBattery: Uint8Array;
  /** Node k's record: rec[STRIDE·k + field]. */
  private readonly rec: Float64Array;
  /** The running totals, and their snapshot when warm-up ended (radio energy is charged and taken back through these). */
  private readonly live: TotalsRecords;
  private readonly warm: TotalsRecords;

  constructor(readonly nodes: readonly NodeSpec[]) {
    const n = nodes.length;
    this.up = uint8Array(n).fill(1);
    this.dead = uint8Array(n);
    this.epoch = int32Array(n);
    this.slots = float64ArrayOf(nodes, (node) => node.slots);
    this.batching = uint8ArrayOf(nodes, (node) => (node.scheduler === 'batching' ? 1 : 0));
    this.onBattery = uint8ArrayOf(nodes, (node) => (node.battery !== undefined ? 1 : 0));
    this.rec = float64Array(n * STRIDE);
    for (let k = 0; k < n; k++) this.rec[k * STRIDE + MEMORY] = nodes[k].memory;
    this.live = new TotalsRecords(this.rec, LIVE);
    this.warm = new TotalsRecords(float64Array(n * SNAPSHOT.stride), SNAPSHOT);
  }

  /** The running radio totals (links charge and take back energy here). */
  get radio(): RadioTotals {
    return this.live;
  }

  /** The radio totals of the warm-up snapshot (links take back the energy of bits unsent at warm-up). */
  get radioAtWarmup(): RadioTotals {
    return this.warm;
  }

  /** Node k's totals since t = 0 up to its last update (a copy). */
  totals(k: number): NodeTotals {
    return this.live.totals(k);
  }

  /** Node k's totals at the end of warm-up (a copy; zeros before it). */
  totalsAtWarmup(k: number): NodeTotals {
    return this.warm.totals(k);
  }

  /** Busy slot-seconds of node k from t = 0 to its last update. */
  busyArea(k: number): number {
    return this.rec[k * STRIDE + BUSY_AREA];
  }

  /** Jobs at node k (waiting or in service). */
  jobs(k: number): number {
    return this.rec[k * STRIDE + JOBS];
  }

  /** Slot-equivalents computing at node k (fractional under processor sharing or tenant shares). */
  busy(k: number): number {
    return this.rec[k * STRIDE + BUSY];
  }

  /** Jobs waiting for compute at node k. */
  waiting(k: number): number {
    return this.rec[k * STRIDE + WAITING];
  }

  /** Sets node k's jobs, slot-equivalents computing and jobs waiting (after {@link advance}). */
  setSignals(k: number, jobs: number, busy: number, waiting: number): void {
    const o = k * STRIDE;
    this.rec[o + JOBS] = jobs;
    this.rec[o + BUSY] = busy;
    this.rec[o + WAITING] = waiting;
  }

  /** Adds to node k's jobs, slot-equivalents computing and jobs waiting (after {@link advance}). */
  addSignals(k: number, jobs: number, busy: number, waiting: number): void {
    const o = k * STRIDE;
    this.rec[o + JOBS] += jobs;
    this.rec[o + BUSY] += busy;
    this.rec[o + WAITING] += waiting;
  }

  /** Counts a job computed at node k. */
  countServed(k: number): void {
    this.rec[k * STRIDE + SERVED]++;
  }

  /** Weights resident on node k (every model that may run there, at its precision), bytes. */
  residentBytes(k: number): number {
    return this.rec[k * STRIDE + RESIDENT];
  }

  /** Memory in use at node k (weights + buffered requests), bytes. */
  memoryInUse(k: number): number {
    return this.rec[k * STRIDE + MEMORY_IN_USE];
  }

  /** Peak memory in use at node k since warm-up, bytes. */
  memoryPeak(k: number): number {
    return this.rec[k * STRIDE + MEMORY_PEAK];
  }

  /** Reads what a compute admitted at node k reads of its meters (world/warm.ts); changes nothing. */
  touch(k: number): number {
    const o = k * STRIDE;
    return this.rec[o + LAST_UPDATE] + this.rec[o + MEMORY_PEAK];
  }

  /** Reads node k's radio totals as charging its radio will (world/warm.ts); changes nothing. */
  touchRadio(k: number): number {
    return this.rec[k * STRIDE + RADIO_TX];
  }

  /** Sets the weights resident on node k (at build), bytes. */
  setResident(k: number, bytes: number): void {
    const o = k * STRIDE;
    this.rec[o + RESIDENT] = bytes;
    this.rec[o + MEMORY_IN_USE] = bytes;
    this.rec[o + MEMORY_PEAK] = bytes;
  }

  /** Reserves `bytes` at node k if they fit; false when they do not. */
  reserve(k: number, bytes: number): boolean {
    const o = k * STRIDE;
    const inUse = this.rec[o + MEMORY_IN_USE] + bytes;
    if (inUse > this.rec[o + MEMORY]) return false;
    this.rec[o + MEMORY_IN_USE] = inUse;
    if (inUse > this.rec[o + MEMORY_PEAK]) this.rec[o + MEMORY_PEAK] = inUse;
    return true;
  }

  /** Returns `bytes` reserved at node k. */
  release(k: number, bytes: number): void {
    this.rec[k * STRIDE + MEMORY_IN_USE] -= bytes;
  }

  /** Node k went down: its memory holds only its weights again. */
  releaseAll(k: number): void {
    const o = k * STRIDE;
    this.rec[o + MEMORY_IN_USE] = this.rec[o + RESIDENT];
  }

  /** Integrates node k's piecewise-constant signals up to `now`. */
  advance(k: number, now: number): void {
    const r = this.rec;
    const o = k * STRIDE;
    const dt = now - r[o + LAST_UPDATE];
    if (dt <= 0) return;
    r[o + LAST_UPDATE] = now;
    if (!this.up[k]) return;
    r[o + UP_TIME] += dt;
    const b = r[o + BUSY];
    if (b > 0) r[o + BUSY_AREA] += b * dt;
    const w = r[o + WAITING];
    if (w > 0) r[o + QUEUE_AREA] += w * dt;
  }

  /**
   * Busy slot-seconds of node k from t = 0 to `now` without integrating (read-only): the total
   * up to its last update plus the present busy level since. `advance` at sample times would
   * split the run's integrals and change the last bits of nodes.csv; this leaves them as they are.
   */
  busyAreaAt(k: number, now: number): number {
    const o = k * STRIDE;
    const since = now - this.rec[o + LAST_UPDATE];
    return this.rec[o + BUSY_AREA] + (this.up[k] && since > 0 ? this.rec[o + BUSY] * since : 0);
  }

  /** Total energy of node k since t = 0 up to its last update, J: idle power while up, dynamic compute power, radio. */
  energy(k: number): number {
    const o = k * STRIDE;
    const r = this.rec;
    return nodeEnergy(this.nodes[k], r[o + UP_TIME], r[o + BUSY_AREA], r[o + RADIO_TX] + r[o + RADIO_RX]);
  }

  /** Present power of node k, W (0 when down). */
  power(k: number): number {
    if (!this.up[k]) return 0;
    const node = this.nodes[k];
    return node.power.idle + ((node.power.busy - node.power.idle) * this.rec[k * STRIDE + BUSY]) / node.slots;
  }

  /** Takes a snapshot of every node's totals and restarts the memory peaks (warm-up ended). */
  snapshot(now: number): void {
    for (let k = 0; k < this.nodes.length; k++) {
      this.advance(k, now);
      this.rec[k * STRIDE + MEMORY_PEAK] = this.rec[k * STRIDE + MEMORY_IN_USE];
    }
    this.warm.copy(this.live);
    for (let k = 0; k < this.nodes.length; k++) this.warm.rec[k * SNAPSHOT.stride + JOBS_AT_WARMUP] = this.rec[k * STRIDE + JOBS];
  }

  /** Jobs at node k (waiting or in service) when warm-up ended (0 before it, and without a warm-up). */
  jobsAtWarmup(k: number): number {
    return this.warm.rec[k * SNAPSHOT.stride + JOBS_AT_WARMUP];
  }
}
