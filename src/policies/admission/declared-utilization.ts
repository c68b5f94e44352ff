import type { AdmissionControl } from '../../world/admission.ts';

/** How one node admits under {@link DeclaredUtilization}. */
export interface DeclaredUtilizationNode {
  /** Utilization each of the node's VMs may hold, percent (EdgeCloudSim: 100). */
  readonly capacity: number;
  /** VMs the node's admission books into, each with its own `capacity` (EdgeCloudSim app1's edge host: 2). */
  readonly vms: number;
}

/** Slack on the capacity test so that sums of declared figures that are not exact in binary (0.1 + 0.2) still fit. */
const SLACK = 1e-9;

/**
 * EdgeCloudSim's admission (BasicEdgeOrchestrator.getVmToOffload/selectVmOnHost with NEXT_FIT;
 * CpuUtilizationModel_Custom): every task declares the utilization it puts on a VM of the tier it
 * runs on (applications.xml `vm_utilization_on_edge`/`_on_cloud`, percent); a VM takes a task when
 * `declared ≤ capacity − Σ declared of the tasks it holds` (CloudSim's
 * `getTotalUtilizationOfCpu` sums its running cloudlets' figures). There is no queue: a task no
 * VM of its node can take is rejected (REJECTED_DUE_TO_VM_CAPACITY; here dropped as `vm-capacity`).
 * With several VMs per node the VM is chosen NEXT_FIT: from a cursor per node that moves one VM on
 * before each try, the first VM that fits (EdgeCloudSim's NEXT_FIT for one host's VMs).
 * The declared figure only books capacity; how fast a task runs is the node's scheduler's
 * business. Nodes not governed (capacity NaN) admit everything. O(VMs) per admission, O(1) per release.
 */
export class DeclaredUtilization implements AdmissionControl {
  readonly name = 'declared-utilization';
  /** Per node, its capacity per VM (NaN: not governed), its first VM's index in `load`, and its VM count. */
  private readonly capacity: Float64Array;
  private readonly first: Int32Array;
  private readonly vms: Int32Array;
  /** Per node, the NEXT_FIT cursor: the VM tried last (−1 before the first try). */
  private readonly cursor: Int32Array;
  /** Σ declared utilization held, per VM, percent. */
  readonly load: Float64Array;
  /** Per job (pool slot), the VM it is booked at (−1: none) and what it declared. */
  private vmOf = new Int32Array(1024).fill(-1);
  private heldBy = new Float64Array(1024);

  /**
   * @param nodes per node, how it admits (undefined: it admits everything)
   * @param declared per workload instance i and node k, the utilization a task of i declares on k, percent
   */
  constructor(
    nodes: readonly (DeclaredUtilizationNode | undefined)[],
    private readonly declared: (i: number, k: number) => number,
  ) {
    const n = nodes.length;
    this.capacity = new Float64Array(n).fill(NaN);
    this.first = new Int32Array(n);
    this.vms = new Int32Array(n);
    this.cursor = new Int32Array(n).fill(-1);
    let total = 0;
    nodes.forEach((node, k) => {
      if (node === undefined) return;
      if (!(node.capacity > 0)) throw new RangeError(`admission capacity of node ${k} must be > 0, got ${node.capacity}`);
      if (!(Number.isInteger(node.vms) && node.vms >= 1)) throw new RangeError(`admission VMs of node ${k} must be a whole number ≥ 1, got ${node.vms}`);
      this.capacity[k] = node.capacity;
      this.first[k] = total;
      this.vms[k] = node.vms;
      total += node.vms;
    });
    this.load = new Float64Array(total);
  }

  start(): void {
    this.cursor.fill(-1);
    this.load.fill(0);
    this.vmOf.fill(-1);
  }

  governs(k: number): boolean {
    return !Number.isNaN(this.capacity[k]);
  }

  admit(k: number, r: number, i: number): boolean {
    const capacity = this.capacity[k];
    if (capacity !== capacity) return true;
    const u = this.declared(i, k);
    const v = this.vms[k];
    const first = this.first[k];
    let c = this.cursor[k];
    for (let tries = 0; tries < v; tries++) {
      c = c + 1 === v ? 0 : c + 1;
      if (u <= capacity - this.load[first + c] + SLACK) {
        this.cursor[k] = c;
        this.load[first + c] += u;
        this.book(r, first + c, u);
        return true;
      }
    }
    this.cursor[k] = c;
    return false;
  }

  release(_k: number, r: number): void {
    if (r >= this.vmOf.length) return;
    const vm = this.vmOf[r];
    if (vm < 0) return;
    this.vmOf[r] = -1;
    // A VM emptied of its last task reads exactly 0 again (no rounding left behind).
    const left = this.load[vm] - this.heldBy[r];
    this.load[vm] = left > SLACK ? left : 0;
  }

  /** Σ declared utilization node k's VM j holds now, percent. */
  held(k: number, j: number): number {
    return this.load[this.first[k] + j];
  }

  private book(r: number, vm: number, u: number): void {
    if (r >= this.vmOf.length) {
      let size = this.vmOf.length;
      while (size <= r) size *= 2;
      const vmOf = new Int32Array(size).fill(-1);
      vmOf.set(this.vmOf);
      const heldBy = new Float64Array(size);
      heldBy.set(this.heldBy);
      this.vmOf = vmOf;
      this.heldBy = heldBy;
    }
    this.vmOf[r] = vm;
    this.heldBy[r] = u;
  }
}
