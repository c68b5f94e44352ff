import { type NodeSpec, slotSeconds } from './node.ts';
import { BYTES_PER_ELEMENT } from './model.ts';
import type { PlacementSpec, PlacementTable } from './placement.ts';
import type { RouteTable } from './routes.ts';
import type { WorkloadSpec } from './workload.ts';

/** What a stage does. */
export const Stage = {
  /** Look the input up in the result cache at `node`; a hit ends the plan there. */
  Lookup: 0,
  /** Carry `bytes` along route `route`. */
  Transfer: 1,
  /** Compute at `node`: `work` slot-seconds, reserving `memory` bytes, at `power` W of dynamic power per busy slot. */
  Compute: 2,
  /** The plan is done: the result goes back to the device. */
  End: 3,
} as const;

/**
 * Request plans as one stage program: a plan is a run of stages ending with End, and a request
 * points at its current stage. The forward pass runs the stages in order; the result then
 * travels back over every Transfer stage before the one where the plan ended, in reverse, with
 * the workload's result bytes. A plan is compiled once per (workload instance, candidate node)
 * the first time a request needs it, so per-pair figures — route, compute time, memory, power —
 * are computed once per pair used, never per request.
 */
export class StagePlans {
  readonly op: number[] = [];
  /** Node of Lookup and Compute stages; route id of Transfer stages. */
  readonly arg: number[] = [];
  /** Bytes of a Transfer; work (slot-seconds at the node) of a Compute. */
  readonly amount: number[] = [];
  /** Memory reserved by a Compute, bytes. */
  readonly memory: number[] = [];
  /** Dynamic power per busy slot of a Compute's node, W. */
  readonly power: number[] = [];
  /** First stage of the plan of each (instance, candidate), parallel to the placement's candidates; −1 until compiled. */
  readonly planOf: Int32Array;

  constructor(
    private readonly nodes: readonly NodeSpec[],
    private readonly workloads: readonly WorkloadSpec[],
    private readonly routes: RouteTable,
    private readonly table: PlacementTable,
    /** Whether plans look the input up in a result cache before computing. */
    private readonly caching: boolean,
  ) {
    this.planOf = new Int32Array(table.candidates.length).fill(-1);
  }

  /** The plan of a request of instance i executed by its candidate c. */
  planFor(i: number, c: number): number {
    const p = this.table.start[i] + c;
    const plan = this.planOf[p];
    return plan >= 0 ? plan : (this.planOf[p] = this.compile(i, this.table.candidates[p]));
  }

  /** Compiles: input to the node, (cache lookup,) compute, end. */
  private compile(i: number, k: number): number {
    const wl = this.workloads[i];
    const node = this.nodes[k];
    const start = this.op.length;
    if (k !== wl.device) {
      const route = this.routes.id(wl.device, k, wl.inputBytes);
      if (route < 0) throw new Error(`no route from ${this.nodes[wl.device].name} to ${node.name}`);
      this.push(Stage.Transfer, route, wl.inputBytes, 0, 0);
    }
    if (this.caching) this.push(Stage.Lookup, k, 0, 0, 0);
    const work = slotSeconds(node, wl.model.flops, wl.precision);
    if (work === undefined) throw new Error(`node ${node.name} cannot run ${wl.model.name} at ${wl.precision}`);
    const scale = BYTES_PER_ELEMENT[wl.precision] / 4;
    const memory = wl.inputBytes + wl.model.peakActivationBytes * scale;
    this.push(Stage.Compute, k, work, memory, (node.power.busy - node.power.idle) / node.slots);
    this.push(Stage.End, k, 0, 0, 0);
    return start;
  }

  private push(op: number, arg: number, amount: number, memory: number, power: number): void {
    this.op.push(op);
    this.arg.push(arg);
    this.amount.push(amount);
    this.memory.push(memory);
    this.power.push(power);
  }
}

/** Weights resident on each node: every (model, precision) that may run there, once, bytes. */
export function residentWeights(workloads: readonly WorkloadSpec[], p: PlacementSpec, nodeCount: number): Float64Array {
  const resident = new Set<string>();
  const bytes = new Float64Array(nodeCount);
  workloads.forEach((wl, i) => {
    for (let c = p.start[i]; c < p.start[i + 1]; c++) {
      const k = p.candidates[c];
      const key = `${k}/${wl.model.name}/${wl.precision}`;
      if (resident.has(key)) continue;
      resident.add(key);
      bytes[k] += wl.model.weightBytes(wl.precision);
    }
  });
  return bytes;
}
