import { QuantileSketch, Welford } from '../core/stats.ts';
import type { RequestPool } from '../world/request.ts';
import type { NodeSpec } from '../world/node.ts';
import type { WorkloadSpec } from '../world/workload.ts';
import type { DropReason, RequestObserver } from '../world/world.ts';
import { DROP_REASONS } from '../world/world.ts';

/** Streaming statistics of the requests of one workload (or of all of them). */
export class RequestStats {
  generated = 0;
  completed = 0;
  /** Completed requests that met their workload's deadline. */
  deadlineMet = 0;
  /** Energy charged to requests that were dropped (spent before they were lost), J. */
  droppedEnergy = 0;
  readonly dropped: Record<DropReason, number> = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;
  readonly latency = new Welford();
  readonly latencySketch = new QuantileSketch();
  readonly nodeWait = new Welford();
  readonly linkWait = new Welford();
  readonly transfer = new Welford();
  readonly compute = new Welford();
  readonly energy = new Welford();

  /** Adds a completed request (pool slot r) with its latency and whether it met its deadline. */
  addCompleted(p: RequestPool, r: number, latency: number, met: number): void {
    this.completed++;
    this.deadlineMet += met;
    this.latency.add(latency);
    this.latencySketch.add(latency);
    this.nodeWait.add(p.nodeWait[r]);
    this.linkWait.add(p.linkWait[r]);
    this.transfer.add(p.transfer[r]);
    this.compute.add(p.compute[r]);
    this.energy.add(p.energy[r]);
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

  constructor(
    private readonly world: { readonly workloads: readonly WorkloadSpec[]; readonly nodes: readonly NodeSpec[] },
    private readonly warmup: number,
    options: { trace?: boolean } = {},
  ) {
    const groups = world.workloads.reduce((m, w) => Math.max(m, w.group + 1), 0);
    this.byWorkload = Array.from({ length: groups }, () => new RequestStats());
    this.trace = options.trace ? [] : undefined;
    this.ordered = this.trace !== undefined;
  }

  generated(p: RequestPool, r: number): void {
    if (p.born[r] < this.warmup) return;
    this.all.generated++;
    this.byWorkload[this.world.workloads[p.instance[r]].group].generated++;
  }

  completed(p: RequestPool, r: number, now: number): void {
    const born = p.born[r];
    if (born < this.warmup) return;
    const i = p.instance[r];
    const wl = this.world.workloads[i];
    const latency = now - born;
    const met = latency <= wl.deadline ? 1 : 0;
    this.all.addCompleted(p, r, latency, met);
    this.byWorkload[wl.group].addCompleted(p, r, latency, met);
    if (this.trace) this.record(p, r, now, 'completed', latency);
  }

  dropped(p: RequestPool, r: number, reason: DropReason, now: number): void {
    if (p.born[r] < this.warmup) return;
    const stats = this.byWorkload[this.world.workloads[p.instance[r]].group];
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
