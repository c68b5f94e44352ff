import type { PartitionedScheduler } from './schedulers/partitioned.ts';
import type { WorldSpec } from './world.ts';

/**
 * The allocation decision point as the world asks it: what share of a partitioned node's compute
 * each tenant (the workload groups in order, then processes) gets. The world asks once when the
 * run starts and, if the policy re-allocates, at every tick of `policies.interval`, per
 * partitioned node; the shares it writes take effect at once, work in service included.
 */
export interface AllocationPolicy {
  readonly name: string;
  /** Whether {@link allocate} runs at every monitoring tick. */
  readonly reallocates: boolean;
  /**
   * Node k's shares when the run starts: `shares` holds the declared ones (the scenario's) and
   * is overwritten with the shares to use (Σ ≤ 1); `present[t]` is 1 for the tenants that may
   * use the node (workload groups with the node among their candidates; processes when declared
   * a positive share). A policy that keeps state per node forgets what earlier runs left in it: a
   * spec run again gives the same figures.
   */
  start(k: number, shares: Float64Array, present: Uint8Array): void;
  /**
   * At a tick: `offered[t]` is the fraction of node k's compute tenant t asked for over the last
   * interval (the work it submitted ÷ (interval × slots): measured arrival rate × work per
   * request); `shares` holds the current shares and is overwritten with the new ones (Σ ≤ 1).
   */
  allocate(k: number, offered: Float64Array, shares: Float64Array): void;
}

/** The allocation state of a world, read-only (reports and tests): the shares in force and the demand measured at the last tick. */
export interface AllocationState {
  /** The partitioned nodes. */
  readonly nodes: Int32Array;
  /** Tenants per node: the workload groups in order, then processes. */
  readonly tenants: number;
  /** The allocation policy's name. */
  readonly policyName: string;
  /** Node k's shares now, per tenant, written to `out`. */
  sharesOf(k: number, out: Float64Array): void;
  /** The fraction of node k's compute each tenant asked for over the last interval (what the policy was given at the last tick), written to `out`; NaN before the first tick. */
  offeredOf(k: number, out: Float64Array): void;
}

/**
 * Runs an allocation policy over a world's partitioned nodes: the start shares, then at each
 * tick the work each tenant offered each node, the policy's answer, and the change of shares
 * (made only when a share changed, so a policy that keeps them leaves the run untouched).
 * Cost per tick O(partitioned nodes × tenants) plus the policy's.
 */
export class ShareAllocation implements AllocationState {
  /** The partitioned nodes. */
  readonly nodes: Int32Array;
  private readonly offered: Float64Array;
  /** What each (node, tenant) offered over the last interval, row-major by node index (NaN before the first tick). */
  private readonly lastOffered: Float64Array;
  private readonly shares: Float64Array;
  private readonly before: Float64Array;
  private lastTick = 0;

  constructor(
    private readonly scheduler: PartitionedScheduler,
    private readonly policy: AllocationPolicy,
    private readonly spec: WorldSpec,
  ) {
    const list: number[] = [];
    spec.nodes.forEach((n, k) => n.scheduler === 'partitioned' && list.push(k));
    this.nodes = Int32Array.from(list);
    const t = scheduler.tenants;
    this.offered = new Float64Array(t);
    this.shares = new Float64Array(t);
    this.before = new Float64Array(t);
    this.lastOffered = new Float64Array(spec.nodes.length * t).fill(NaN);
  }

  get tenants(): number {
    return this.scheduler.tenants;
  }

  get policyName(): string {
    return this.policy.name;
  }

  sharesOf(k: number, out: Float64Array): void {
    this.scheduler.sharesOf(k, out);
  }

  offeredOf(k: number, out: Float64Array): void {
    const t = this.scheduler.tenants;
    out.set(this.lastOffered.subarray(k * t, (k + 1) * t));
  }

  /** Whether the policy wants monitoring ticks. */
  get reallocates(): boolean {
    return this.policy.reallocates;
  }

  /** Sets the shares the policy starts with (at t = 0, before any job). */
  start(): void {
    const t = this.scheduler.tenants;
    const present = groupsPresent(this.spec, t);
    for (const k of this.nodes) {
      this.scheduler.sharesOf(k, this.shares);
      this.before.set(this.shares);
      present[k * t + t - 1] = processesPresent(this.shares);
      this.policy.start(k, this.shares, present.subarray(k * t, (k + 1) * t));
      this.apply(k, 0);
    }
  }

  /** A monitoring tick at `now`: each partitioned node's tenants get the shares the policy sets from what they offered since the last tick. */
  tick(now: number): void {
    const dt = now - this.lastTick;
    if (!this.policy.reallocates || !(dt > 0)) return;
    this.lastTick = now;
    for (const k of this.nodes) {
      this.scheduler.takeOffered(k, this.offered);
      const scale = 1 / (dt * this.spec.nodes[k].slots);
      for (let t = 0; t < this.offered.length; t++) this.offered[t] *= scale;
      this.lastOffered.set(this.offered, k * this.offered.length);
      this.scheduler.sharesOf(k, this.shares);
      this.before.set(this.shares);
      this.policy.allocate(k, this.offered, this.shares);
      this.apply(k, now);
    }
  }

  private apply(k: number, now: number): void {
    for (let t = 0; t < this.shares.length; t++) {
      if (this.shares[t] !== this.before[t]) {
        this.scheduler.setShares(k, this.shares, now);
        return;
      }
    }
  }
}

/** What says which tenants may use a node: the nodes, the workloads' groups, and each instance's candidate nodes. */
type Tenancy = Pick<WorldSpec, 'nodes' | 'workloads'> & {
  readonly placement: { readonly candidates: ArrayLike<number>; readonly start: ArrayLike<number> };
  /** Mobility: per instance, the nodes its candidate may follow its device to (world/mobility.ts). */
  readonly mobility?: { readonly follow?: readonly ({ readonly among: readonly number[] } | undefined)[] };
};

/**
 * The tenants that may use each partitioned node, as the allocation policy is told when the run
 * starts (`present`), counted per node: workload groups with an instance that has the node among
 * its candidates, and processes where declared a positive share. The scenario's build checks a
 * floor share against it (n·floor < 1). Cost O(candidates + nodes × tenants).
 */
export function tenantsPresent(spec: Tenancy, tenants: number): Int32Array {
  const present = groupsPresent(spec, tenants);
  const counts = new Int32Array(spec.nodes.length);
  spec.nodes.forEach((n, k) => {
    if (n.scheduler !== 'partitioned') return;
    present[k * tenants + tenants - 1] = processesPresent(n.shares ?? Array.from({ length: tenants }, () => 1 / tenants));
    for (let t = 0; t < tenants; t++) counts[k] += present[k * tenants + t];
  });
  return counts;
}

/** Processes are not placed by the scenario's placement: they count as a tenant where declared a positive share (the last of a node's shares). */
function processesPresent(shares: ArrayLike<number>): 0 | 1 {
  return shares[shares.length - 1] > 0 ? 1 : 0;
}

/**
 * Which workload groups may use each node, row-major (node × tenant): those with an instance that
 * has the node among its candidates, or among the nodes its candidate may follow a moving device to.
 */
export function groupsPresent(spec: Tenancy, tenants: number): Uint8Array {
  const present = new Uint8Array(spec.nodes.length * tenants);
  const { candidates, start } = spec.placement;
  const follow = spec.mobility?.follow;
  // A tier's node list is one array shared by every instance that follows into it: marked once per group.
  const marked = new Map<readonly number[], Set<number>>();
  spec.workloads.forEach((w, i) => {
    for (let c = start[i]; c < start[i + 1]; c++) present[candidates[c] * tenants + w.group] = 1;
    const among = follow?.[i]?.among;
    if (among === undefined) return;
    let groups = marked.get(among);
    if (!groups) marked.set(among, (groups = new Set()));
    if (groups.has(w.group)) return;
    groups.add(w.group);
    for (const k of among) present[k * tenants + w.group] = 1;
  });
  return present;
}
