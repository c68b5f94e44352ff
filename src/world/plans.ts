import type { Links } from './links.ts';
import { type NodeSpec, slotSeconds } from './node.ts';
import type { ResultCache } from './observer.ts';
import type { SplitChoice } from './partitioning.ts';
import type { PlacementSpec, PlacementTable } from './placement.ts';
import type { RouteTable } from './routes.ts';
import { executionAt, type WorkloadSpec } from './workload.ts';
import { float64Array, int32Array } from '../core/typed-arrays.ts';

/** What a stage does. */
export const Stage = {
  /**
   * Look the input up in the result cache at `node`; a hit ends the plan there. Its `amount` and
   * `memory` hold what a hit there saves against the plan without caches, less the compute (added
   * per request: it scales with the request's compute factor): latency s and energy J.
   */
  Lookup: 0,
  /** Carry `bytes` along route `route`. */
  Transfer: 1,
  /** Compute at `node`: `work` slot-seconds, reserving `memory` bytes, at `power` W of dynamic power per busy slot. */
  Compute: 2,
  /** The plan is done: the result goes back to the device. */
  End: 3,
} as const;

/** Numbers stored per stage (see {@link StagePlans}). */
const STRIDE = 4;

/**
 * Request plans as one stage program: a plan is a run of stages ending with End, and a request
 * points at its current stage. The forward pass runs the stages in order; the result then
 * travels back over every Transfer stage before the one where the plan ended, in reverse, with
 * the workload's result bytes. A plan is compiled once per (workload instance, candidate node)
 * — and, with partitioning, per split of that pair — the first time a request needs it, so per-pair figures — route, compute time, memory, power —
 * are computed once per pair used, never per request. A stage's numbers sit side by side
 * (what, where, how much, memory, power), so running a stage reads one place in memory.
 */
export class StagePlans {
  /** Stage s: [4s] = arg·4 + op, [4s + 1] = amount, [4s + 2] = memory, [4s + 3] = power. */
  private data: Float64Array = new Float64Array(64 * STRIDE);
  private count = 0;
  /**
   * First stage of the plan of each (instance, candidate), parallel to the placement's candidates,
   * for the split in force (see {@link setSplit}); −1 until compiled.
   */
  readonly planOf: Int32Array;
  /** With partitioning: the split choice of each pair (undefined: never split), the split in force per pair, and every (pair, split) plan compiled. */
  private choices: readonly (SplitChoice | undefined)[] | undefined;
  private splitOf: Int32Array | undefined;
  private readonly splitPlans = new Map<number, number>();

  constructor(
    private readonly nodes: readonly NodeSpec[],
    private readonly workloads: readonly WorkloadSpec[],
    private readonly routes: RouteTable,
    private readonly table: PlacementTable,
    /** The result caches plans look inputs up in (none: plans have no lookup stage). */
    private readonly cache?: ResultCache | boolean,
    /** The links (the unloaded figures of a hit's savings). */
    private readonly links?: Links,
  ) {
    this.planOf = int32Array(table.candidates.length).fill(-1);
  }

  /** What stage s does (a {@link Stage}). */
  op(s: number): number {
    return this.data[s * STRIDE] & 3;
  }

  /** Node of a Lookup, Compute or End stage; route id of a Transfer stage. */
  arg(s: number): number {
    return this.data[s * STRIDE] >>> 2;
  }

  /** Bytes of a Transfer; work (slot-seconds at the node) of a Compute; latency a hit saves, less the compute, of a Lookup. */
  amount(s: number): number {
    return this.data[s * STRIDE + 1];
  }

  /** Memory reserved by a Compute, bytes; energy a hit saves, less the compute, of a Lookup, J. */
  memory(s: number): number {
    return this.data[s * STRIDE + 2];
  }

  /** Dynamic power per busy slot of a Compute's node, W. */
  power(s: number): number {
    return this.data[s * STRIDE + 3];
  }

  /** The first Compute stage from stage s on (the one a hit at a Lookup stage s spares). */
  computeAfter(s: number): number {
    while (this.op(s) !== Stage.Compute) s++;
    return s;
  }

  /** The node a plan starting at stage s ends at (its End stage's node). */
  endNode(s: number): number {
    while (this.op(s) !== Stage.End) s++;
    return this.arg(s);
  }

  /** The plan of a request of instance i executed by its candidate pair p (an index into the placement's candidates). */
  planFor(i: number, p: number): number {
    const plan = this.planOf[p];
    if (plan >= 0) return plan;
    const k = this.splitOf === undefined ? 0 : this.splitOf[p];
    const c = this.choices?.[p];
    const compiled = k === 0 ? this.compile(i, p) : this.compileSplit(i, p, k, c!);
    if (c !== undefined) this.splitPlans.set(p * (c.layers + 1) + k, compiled);
    return (this.planOf[p] = compiled);
  }

  /**
   * Mobility: pair p's device moved (its routes, maybe its candidate node, changed), so its plans
   * are compiled again when next needed; requests already on the old plans keep them. O(splits of the pair).
   */
  forget(p: number): void {
    this.planOf[p] = -1;
    const c = this.choices?.[p];
    if (c !== undefined) for (let k = 0; k <= c.layers; k++) this.splitPlans.delete(p * (c.layers + 1) + k);
  }

  /** Partitioning: each pair's split choice and the splits in force (read when a plan is compiled). */
  usePartitioning(choices: readonly (SplitChoice | undefined)[], splitOf: Int32Array): void {
    this.choices = choices;
    this.splitOf = splitOf;
  }

  /** Pair p now splits at k (its `splitOf` already says so): its plan is that split's, compiled when first needed. */
  setSplit(p: number, k: number): void {
    const c = this.choices![p]!;
    this.planOf[p] = this.splitPlans.get(p * (c.layers + 1) + k) ?? -1;
  }

  /**
   * Compiles the plan of pair p split after k layers (0 < k ≤ L): the device computes layers
   * 1..k, sends the tensors live there to the candidate, which computes layers k+1..L; k = L
   * computes everything on the device and ends there. With result caches, the device's lookup
   * comes first (the only one before the first compute: later nodes see activations, not inputs).
   */
  private compileSplit(i: number, p: number, k: number, c: SplitChoice): number {
    const wl = this.workloads[i];
    const device = wl.device;
    const server = this.table.candidates[p];
    const start = this.count;
    const cache = typeof this.cache === 'object' && this.cache.cacheable(i) ? this.cache : undefined;
    const lookup = cache?.has(device) === true;
    if (lookup) this.push(Stage.Lookup, device, 0, 0, 0);
    this.push(Stage.Compute, device, c.deviceSeconds[k], c.deviceMemory, c.devicePower);
    if (k < c.layers) {
      const route = this.routes.id(device, server, wl.inputBytes);
      if (route < 0) throw new Error(`no route from ${this.nodes[device].name} to ${this.nodes[server].name}`);
      this.push(Stage.Transfer, route, c.liveBytes[k], 0, 0);
      const node = this.nodes[server];
      this.push(Stage.Compute, server, c.serverSeconds[k], c.liveBytes[k] + c.serverActivationBytes, (node.power.busy - node.power.idle) / node.slots);
      this.push(Stage.End, server, 0, 0, 0);
    } else this.push(Stage.End, device, 0, 0, 0);
    if (lookup) this.fillSavings(start, cache!, wl.resultBytes);
    return start;
  }

  /**
   * Compiles: input to the node, compute, end — with result caches, a lookup at every node with a
   * cache on the way (the device, the nodes the route passes, each splitting the transfer, and the
   * executing node) when the instance's inputs repeat. The compute stage's work and memory are
   * those of the instance's execution at that candidate (the variant chosen for the node, or the
   * model as declared): FLOPs at its precision on one slot; the input and the peak activation held
   * while it runs.
   */
  private compile(i: number, p: number): number {
    const wl = this.workloads[i];
    const k = this.table.candidates[p];
    const node = this.nodes[k];
    const start = this.count;
    const cache = typeof this.cache === 'object' && this.cache.cacheable(i) ? this.cache : undefined;
    if (cache?.has(wl.device)) this.push(Stage.Lookup, wl.device, 0, 0, 0);
    if (k !== wl.device) {
      const route = this.routes.id(wl.device, k, wl.inputBytes);
      if (route < 0) throw new Error(`no route from ${this.nodes[wl.device].name} to ${node.name}`);
      const len = this.routes.length(route);
      let from = 0;
      // A cache on the way splits the transfer: input to it, lookup, on from it.
      for (let h = 0; cache && h < len - 1; h++) {
        const at = this.links!.receiver(this.routes.link(route, h));
        if (!cache.has(at)) continue;
        this.push(Stage.Transfer, this.routes.segment(route, from, h + 1), wl.inputBytes, 0, 0);
        this.push(Stage.Lookup, at, 0, 0, 0);
        from = h + 1;
      }
      this.push(Stage.Transfer, this.routes.segment(route, from, len), wl.inputBytes, 0, 0);
      if (cache?.has(k)) this.push(Stage.Lookup, k, 0, 0, 0);
    }
    if (cache) this.fillSavings(start, cache, wl.resultBytes);
    const run = executionAt(wl, p - this.table.start[i]);
    const work = slotSeconds(node, run.flops, run.precision);
    if (work === undefined) throw new Error(`node ${node.name} cannot run ${wl.model.name} (${run.variant}) at ${run.precision}`);
    const memory = wl.inputBytes + run.activationBytes;
    this.push(Stage.Compute, k, work, memory, (node.power.busy - node.power.idle) / node.slots);
    this.push(Stage.End, k, 0, 0, 0);
    return start;
  }

  /**
   * Writes into each Lookup stage from `start` on what a hit there saves against the plan without
   * caches, less the computes: the unloaded transfers beyond it, out (each transfer's bytes: the
   * input, or a split's live tensors) and back (result bytes) — transmission at the bandwidth plus the propagation delay per hop, and the radio energy
   * of both ends per bit — less every lookup's time and energy up to and including it.
   */
  private fillSavings(start: number, cache: ResultCache, resultBytes: number): void {
    const links = this.links!;
    let seconds = 0;
    let joules = 0;
    const hop = (d: number, bytes: number) => {
      seconds += (bytes * 8) / links.specs[d >> 1].bandwidth + links.delay(d);
      joules += bytes * 8 * (links.txEnergyPerBit(d) + links.rxEnergyPerBit(d));
    };
    // Transfers after each stage, summed from the end back.
    const after = new Float64Array(this.count - start + 1);
    const afterJ = new Float64Array(this.count - start + 1);
    for (let s = this.count - 1; s >= start; s--) {
      if (this.op(s) === Stage.Transfer) {
        const route = this.arg(s);
        const bytes = this.amount(s);
        for (let h = 0; h < this.routes.length(route); h++) {
          const d = this.routes.link(route, h);
          hop(d, bytes);
          hop(d ^ 1, resultBytes);
        }
      }
      after[s - start] = seconds;
      afterJ[s - start] = joules;
    }
    let lookupSeconds = 0;
    let lookupJoules = 0;
    for (let s = start; s < this.count; s++) {
      if (this.op(s) !== Stage.Lookup) continue;
      const k = this.arg(s);
      lookupSeconds += cache.lookupTime(k);
      lookupJoules += cache.lookupEnergy(k);
      const o = s * STRIDE;
      this.data[o + 1] = after[s - start] - lookupSeconds;
      this.data[o + 2] = afterJ[s - start] - lookupJoules;
    }
  }

  private push(op: number, arg: number, amount: number, memory: number, power: number): void {
    if ((this.count + 1) * STRIDE > this.data.length) {
      const data = float64Array(this.data.length * 2);
      data.set(this.data);
      this.data = data;
    }
    const o = this.count++ * STRIDE;
    this.data[o] = arg * 4 + op;
    this.data[o + 1] = amount;
    this.data[o + 2] = memory;
    this.data[o + 3] = power;
  }
}

/**
 * Weights resident on each node: every model variant that may run there (its execution's weights),
 * once, bytes — with partitioning, also on each device that may run a part of a pair it may split.
 */
export function residentWeights(workloads: readonly WorkloadSpec[], p: PlacementSpec, nodeCount: number, choices?: readonly (SplitChoice | undefined)[]): Float64Array {
  // The nodes holding each weights' copy (by the weights' identity): no string made per pair.
  const holders = new Map<string, Set<number>>();
  const firstCopy = (weights: string, k: number): boolean => {
    let on = holders.get(weights);
    if (!on) holders.set(weights, (on = new Set()));
    if (on.has(k)) return false;
    on.add(k);
    return true;
  };
  const bytes = float64Array(nodeCount);
  workloads.forEach((wl, i) => {
    for (let c = p.start[i]; c < p.start[i + 1]; c++) {
      const k = p.candidates[c];
      const run = executionAt(wl, c - p.start[i]);
      if (firstCopy(run.weights, k)) bytes[k] += run.weightBytes;
    }
    for (let c = p.start[i]; choices && c < p.start[i + 1]; c++) {
      const split = choices[c];
      if (split !== undefined && firstCopy(split.deviceWeights, wl.device)) bytes[wl.device] += split.deviceWeightBytes;
    }
  });
  return bytes;
}
