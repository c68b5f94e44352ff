import { Mean, QuantileSketch, Welford } from '../core/stats.ts';
import type { RequestPool } from '../world/request.ts';
import type { NodeSpec } from '../world/node.ts';
import type { PlacementSpec } from '../world/placement.ts';
import type { WorkloadSpec } from '../world/workload.ts';
import type { DropReason, RequestObserver } from '../world/world.ts';
import { DROP_REASONS } from '../world/world.ts';

/** A top-1 that is not one figure: the instance's candidates run variants of different top-1s. */
const VARIES = -1;

/** Streaming statistics of the requests of one workload (or of all of them). */
export class RequestStats {
  generated = 0;
  completed = 0;
  /** Completed requests that met their workload's deadline. */
  deadlineMet = 0;
  /** Completed requests whose result a cache served (no compute). */
  fromCache = 0;
  /** Energy charged to requests that were dropped (spent before they were lost), J. */
  droppedEnergy = 0;
  readonly dropped: Record<DropReason, number> = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;
  readonly latency = new Welford();
  readonly latencySketch = new QuantileSketch();
  /** The parts of a completed request's latency, and its energy: only their means are reported, so sums. */
  readonly nodeWait = new Mean();
  readonly linkWait = new Mean();
  readonly transfer = new Mean();
  readonly compute = new Mean();
  readonly energy = new Mean();
  /** Completed requests whose variant has a known top-1, and the sum, least and greatest of those top-1s (fractions). */
  accuracyKnown = 0;
  accuracySum = 0;
  accuracyMin = Infinity;
  accuracyMax = -Infinity;

  /**
   * Adds a completed request (pool slot r) with its latency, whether it met its deadline and the
   * latency's sketch bucket (`latencySketch.bucket(latency)`: found once for the run's two stats).
   */
  addCompleted(p: RequestPool, r: number, latency: number, met: number, bucket: number): void {
    this.completed++;
    this.deadlineMet += met;
    if (p.servedFrom[r] >= 0) this.fromCache++;
    this.latency.add(latency);
    this.latencySketch.addAt(bucket, latency);
    this.nodeWait.add(p.nodeWait[r]);
    this.linkWait.add(p.linkWait[r]);
    this.transfer.add(p.transfer[r]);
    this.compute.add(p.compute[r]);
    this.energy.add(p.energy[r]);
  }

  /** Adds the top-1 (a fraction; NaN unknown) of the variant that served a completed request. */
  addAccuracy(top1: number): void {
    if (top1 !== top1) return;
    this.accuracyKnown++;
    this.accuracySum += top1;
    if (top1 < this.accuracyMin) this.accuracyMin = top1;
    if (top1 > this.accuracyMax) this.accuracyMax = top1;
  }

  /**
   * Mean top-1 of the variants that served the completed requests (a fraction): exactly the
   * variants' figure when they all had the same; NaN when none completed or one of them was
   * served by a variant of unknown top-1 (a mean over the others would flatter the run).
   */
  get accuracy(): number {
    if (this.completed === 0 || this.accuracyKnown < this.completed) return NaN;
    return this.accuracyMin === this.accuracyMax ? this.accuracyMin : this.accuracySum / this.accuracyKnown;
  }

  /** Requests dropped for any reason. */
  get droppedTotal(): number {
    let s = 0;
    for (const r of DROP_REASONS) s += this.dropped[r];
    return s;
  }
}

/** One per-request row of the optional trace (`--trace`). */
export type TraceRow = [
  id: number,
  workload: string,
  device: string,
  node: string,
  born: number,
  end: number,
  outcome: string,
  latency: number,
  nodeWait: number,
  linkWait: number,
  transfer: number,
  compute: number,
  energy: number,
  key: number,
];

/**
 * The run's collectors, fed by the world as requests end. Only requests born after the
 * warm-up are measured; memory is constant unless a trace is asked for.
 */
export class RunMetrics implements RequestObserver {
  readonly all = new RequestStats();
  readonly byWorkload: RequestStats[];
  readonly trace: TraceRow[] | undefined;
  private traceId = 0;
  /** A trace lists requests as they end, so it needs them in time order. */
  readonly ordered: boolean;
  /** Where instances' executions are (their top-1s); undefined when no workload has execution records. */
  private readonly placement: PlacementSpec | undefined;
  /**
   * A request's workload is its pool slot's `tenant` (the world sets it at birth), and its deadline
   * and top-1 are its workload's when every instance of the workload has the same: a workload's
   * object is lines apart from the next, and reading it at each completion missed the cache at
   * 10^4 devices (stop 33). Per workload: the deadline (NaN: its instances differ, read per
   * instance), and the top-1 of what it runs (NaN: unknown; {@link VARIES}: it differs by instance
   * or by node, found per instance).
   */
  private readonly deadlineOfGroup: Float64Array;
  private readonly top1OfGroup: Float64Array;

  constructor(
    private readonly world: { readonly workloads: readonly WorkloadSpec[]; readonly nodes: readonly NodeSpec[]; readonly placement?: PlacementSpec },
    private readonly warmup: number,
    options: { trace?: boolean } = {},
  ) {
    const groups = world.workloads.reduce((m, w) => Math.max(m, w.group + 1), 0);
    this.byWorkload = Array.from({ length: groups }, () => new RequestStats());
    this.trace = options.trace ? [] : undefined;
    this.ordered = this.trace !== undefined;
    this.placement = world.placement && world.workloads.some((w) => w.execution !== undefined) ? world.placement : undefined;
    this.deadlineOfGroup = new Float64Array(groups);
    this.top1OfGroup = new Float64Array(groups);
    const seen = new Uint8Array(groups);
    // Per execution list, the top-1 all its entries share (VARIES: they differ); instances alike share one list.
    const sameTop1 = new Map<readonly { readonly top1: number }[], number>();
    for (const wl of world.workloads) {
      const runs = wl.execution;
      let top1 = runs === undefined ? NaN : sameTop1.get(runs);
      if (top1 === undefined) sameTop1.set(runs!, (top1 = runs!.every((x) => Object.is(x.top1, runs![0].top1)) ? runs![0].top1 : VARIES));
      const g = wl.group;
      if (!seen[g]) {
        seen[g] = 1;
        this.deadlineOfGroup[g] = wl.deadline;
        this.top1OfGroup[g] = top1;
        continue;
      }
      if (!Object.is(this.deadlineOfGroup[g], wl.deadline)) this.deadlineOfGroup[g] = NaN;
      if (!Object.is(this.top1OfGroup[g], top1)) this.top1OfGroup[g] = VARIES;
    }
  }

  /** Top-1 (a fraction; NaN unknown) of what instance i of workload g runs on node k: its execution at that candidate. */
  private top1(g: number, i: number, k: number): number {
    const same = this.top1OfGroup[g];
    if (same !== VARIES) return same;
    const runs = this.world.workloads[i].execution;
    if (runs === undefined) return NaN;
    if (runs.length === 1) return runs[0].top1;
    const p = this.placement!;
    const start = p.start[i];
    for (let c = start; c < p.start[i + 1]; c++) if (p.candidates[c] === k) return runs[c - start].top1;
    return NaN;
  }

  /** Latency objective of instance i of workload g, s. */
  private deadline(g: number, i: number): number {
    const d = this.deadlineOfGroup[g];
    return d === d ? d : this.world.workloads[i].deadline;
  }

  generated(p: RequestPool, r: number): void {
    if (p.born[r] < this.warmup) return;
    this.all.generated++;
    this.byWorkload[p.tenant[r]].generated++;
  }

  completed(p: RequestPool, r: number, now: number): void {
    const born = p.born[r];
    if (born < this.warmup) return;
    const i = p.instance[r];
    const g = p.tenant[r];
    const latency = now - born;
    const met = latency <= this.deadline(g, i) ? 1 : 0;
    const stats = this.byWorkload[g];
    const bucket = this.all.latencySketch.bucket(latency);
    this.all.addCompleted(p, r, latency, met, bucket);
    stats.addCompleted(p, r, latency, met, bucket);
    if (this.placement) {
      const top1 = this.top1(g, i, p.node[r]);
      this.all.addAccuracy(top1);
      stats.addAccuracy(top1);
    }
    if (this.trace) this.record(p, r, now, 'completed', latency);
  }

  dropped(p: RequestPool, r: number, reason: DropReason, now: number): void {
    if (p.born[r] < this.warmup) return;
    const stats = this.byWorkload[p.tenant[r]];
    this.all.dropped[reason]++;
    stats.dropped[reason]++;
    this.all.droppedEnergy += p.energy[r];
    stats.droppedEnergy += p.energy[r];
    if (this.trace) this.record(p, r, now, `dropped:${reason}`, NaN);
  }

  private record(p: RequestPool, r: number, now: number, outcome: string, latency: number): void {
    const i = p.instance[r];
    const wl = this.world.workloads[i];
    const nodes = this.world.nodes;
    this.trace!.push([
      this.traceId++,
      wl.name,
      nodes[wl.device].name,
      p.node[r] >= 0 ? nodes[p.node[r]].name : '',
      p.born[r],
      now,
      outcome,
      latency,
      p.nodeWait[r],
      p.linkWait[r],
      p.transfer[r],
      p.compute[r],
      p.energy[r],
      p.key[r],
    ]);
  }
}
