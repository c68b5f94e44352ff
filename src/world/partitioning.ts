import type { Links } from './links.ts';
import type { PlacementTable } from './placement.ts';
import type { RouteTable } from './routes.ts';
import type { WorldView } from './view.ts';
import type { WorkloadSpec } from './workload.ts';

/**
 * What a split decision reads, as the world measures it (the partitioning module's `SplitState`,
 * structurally): the route device → server both ways and the server's expected wait.
 */
export interface SplitInputs {
  readonly network: {
    /** Σ 1/bandwidth over the route device → server, s/bit. */
    upSecondsPerBit: number;
    /** Σ (delay + measured backlog) over the route device → server, s. */
    upDelay: number;
    downSecondsPerBit: number;
    downDelay: number;
    /** The device's radio J/bit on its first hop, sent and received. */
    txJoulesPerBit: number;
    rxJoulesPerBit: number;
  };
  /** Expected wait at the server before its part starts, s. */
  serverWait: number;
}

/**
 * One (instance, server) pair's split figures and its policy, built with the scenario
 * (scenario/partitioning.ts); pairs alike (same model, execution, device and server figures)
 * share one. Split k: the device computes layers 1..k, the server k+1..L; k = 0 is the plan
 * without partitioning, k = L runs everything on the device and sends nothing.
 */
export interface SplitChoice {
  /** Layers L of the model. */
  readonly layers: number;
  /** Device compute of layers 1..k on one slot, s (k = 0 … L). */
  readonly deviceSeconds: ArrayLike<number>;
  /** Server compute of layers k+1..L on one slot, s. */
  readonly serverSeconds: ArrayLike<number>;
  /** Bytes crossing a split at k (every tensor live there; k = 0: the workload's input). */
  readonly liveBytes: ArrayLike<number>;
  /** Dynamic power per busy slot of the device, W. */
  readonly devicePower: number;
  /** Memory reserved by the device's part: the input and the peak activation, bytes. */
  readonly deviceMemory: number;
  /** Peak activation reserved beside the live tensors by the server's part, bytes. */
  readonly serverActivationBytes: number;
  /** Weights the device holds to run its part (the whole execution's: any k may be chosen), bytes, and their identity. */
  readonly deviceWeightBytes: number;
  readonly deviceWeights: string;
  /** Name of the layer after which split k cuts (k = 1 … L; index 0 unused). */
  readonly layerNames: readonly string[];
  /** The server's compute of the whole model on one slot, s (the service time of its expected wait). */
  readonly serverServiceSeconds: number;
  /** The server's slots. */
  readonly serverSlots: number;
  /** The policy's split for these inputs: 0 … L. */
  choose(inputs: SplitInputs): number;
}

/** The partitioning decision point as the world needs it. */
export interface PartitioningSpec {
  /** The policy's name (edelear, all-local, all-remote). */
  readonly policy: string;
  /** Whether it re-decides at every tick of `policies.interval` (a policy whose choice depends on the network and queues). */
  readonly replans: boolean;
  /** Per (instance, candidate) pair, parallel to the placement's candidates: its split choice, or undefined when it is never split. */
  readonly choices: readonly (SplitChoice | undefined)[];
}

/**
 * The splits in force: per (instance, candidate) pair, the layers its device runs before sending
 * the live tensors on (`splitOf`, 0 without a choice), re-decided for every pair with a
 * {@link SplitChoice} when the run starts (unloaded: no backlog, no jobs) and at every monitoring
 * tick from the world view — the route's delays plus its links' measured backlogs, the server's
 * jobs through the FCFS expected wait. A request reads its pair's plan, compiled for the split in
 * force: O(1). A tick is O(pairs with a choice × (route length + log L)).
 */
export class Partitioning {
  /** The split in force per pair. */
  readonly splitOf: Int32Array;
  /** Pairs that may be split, and their instance. */
  private readonly pairs: Int32Array;
  private readonly instanceOf: Int32Array;
  /** Route id device → candidate per pair in {@link pairs} (the plan's route: the input's). */
  private readonly routeOf: Int32Array;
  /**
   * Per pair, over the window: requests born, those of them split (0 < k < L) and run all local
   * (k = L), Σ k and Σ bytes sent from the device at the split.
   */
  readonly born: Float64Array;
  readonly split: Float64Array;
  readonly local: Float64Array;
  readonly kSum: Float64Array;
  readonly bytesSum: Float64Array;
  private readonly inputs: SplitInputs = {
    network: { upSecondsPerBit: 0, upDelay: 0, downSecondsPerBit: 0, downDelay: 0, txJoulesPerBit: 0, rxJoulesPerBit: 0 },
    serverWait: 0,
  };

  constructor(
    readonly spec: PartitioningSpec,
    private readonly table: PlacementTable,
    workloads: readonly WorkloadSpec[],
    private readonly routes: RouteTable,
    private readonly links: Links,
    /** Called when pair p's split changes (the plans switch to that split's plan). */
    private readonly changed: (p: number, k: number) => void,
  ) {
    const n = table.candidates.length;
    this.splitOf = new Int32Array(n);
    this.born = new Float64Array(n);
    this.split = new Float64Array(n);
    this.local = new Float64Array(n);
    this.kSum = new Float64Array(n);
    this.bytesSum = new Float64Array(n);
    const pairs: number[] = [];
    const instances: number[] = [];
    for (let i = 0; i < workloads.length; i++) {
      for (let p = table.start[i]; p < table.start[i + 1]; p++) if (spec.choices[p] !== undefined) (pairs.push(p), instances.push(i));
    }
    this.pairs = Int32Array.from(pairs);
    this.instanceOf = Int32Array.from(instances);
    this.routeOf = Int32Array.from(pairs, (p, j) => {
      const wl = workloads[instances[j]];
      return routes.id(wl.device, table.candidates[p], wl.inputBytes);
    });
  }

  /** Whether some pair may be split (else the world needs no ticks for it). */
  get active(): boolean {
    return this.pairs.length > 0;
  }

  /** Counts a request of pair p born now (in the window). O(1). */
  counted(p: number): void {
    this.born[p]++;
    const c = this.spec.choices[p];
    if (c === undefined) return;
    const k = this.splitOf[p];
    this.kSum[p] += k;
    if (k === c.layers) this.local[p]++;
    else {
      this.bytesSum[p] += c.liveBytes[k];
      if (k > 0) this.split[p]++;
    }
  }

  /** The window begins: counts start again. */
  resetCounts(): void {
    this.born.fill(0);
    this.split.fill(0);
    this.local.fill(0);
    this.kSum.fill(0);
    this.bytesSum.fill(0);
  }

  /** Re-decides every pair's split from the view now (`unloaded`: as if no link had a backlog and no node jobs). */
  decide(view: WorldView, unloaded = false): void {
    const { links, routes, inputs } = this;
    const net = inputs.network;
    const data = routes.data;
    for (let j = 0; j < this.pairs.length; j++) {
      const p = this.pairs[j];
      const c = this.spec.choices[p]!;
      const route = this.routeOf[j];
      const len = data[route];
      let upSpb = 0;
      let upDelay = 0;
      let downSpb = 0;
      let downDelay = 0;
      for (let h = 0; h < len; h++) {
        const d = data[route + 1 + h];
        const bw = links.specs[d >> 1].bandwidth;
        upSpb += 1 / bw;
        downSpb += 1 / bw;
        upDelay += links.delay(d);
        downDelay += links.delay(d ^ 1);
        if (!unloaded) {
          upDelay += view.linkBacklog(d);
          downDelay += view.linkBacklog(d ^ 1);
        }
      }
      const first = data[route + 1];
      net.upSecondsPerBit = upSpb;
      net.upDelay = upDelay;
      net.downSecondsPerBit = downSpb;
      net.downDelay = downDelay;
      net.txJoulesPerBit = len > 0 ? links.txEnergyPerBit(first) : 0;
      net.rxJoulesPerBit = len > 0 ? links.rxEnergyPerBit(first ^ 1) : 0;
      const server = this.table.candidates[p];
      const jobs = unloaded ? 0 : view.jobs(server);
      inputs.serverWait = jobs < c.serverSlots ? 0 : ((jobs - c.serverSlots + 1) * c.serverServiceSeconds) / c.serverSlots;
      let k = c.choose(inputs);
      if (!(c.deviceSeconds[k] < Infinity && c.serverSeconds[k] < Infinity)) k = 0; // a part one end cannot run (all-local on a device lacking the precision): unsplit
      if (k !== this.splitOf[p]) {
        this.splitOf[p] = k;
        this.changed(p, k);
      }
    }
  }

  /** The instance of the j-th pair that may be split (reports). */
  pairsWithChoice(): { pair: number; instance: number }[] {
    return Array.from(this.pairs, (pair, j) => ({ pair, instance: this.instanceOf[j] }));
  }
}
