import { QuantileSketch, Welford } from '../core/stats.ts';
import type { RequestPool } from '../world/request.ts';
import type { DropReason, RequestObserver, World } from '../world/world.ts';
import { DROP_REASONS } from '../world/world.ts';

/** Streaming statistics of the requests of one workload (or of all of them). */
export class RequestStats {
  generated = 0;
  completed = 0;
  deadlineMet = 0;
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

  constructor(
    workloadNames: readonly string[],
    private readonly warmup: number,
    options: { trace?: boolean } = {},
  ) {
    this.byWorkload = workloadNames.map(() => new RequestStats());
    this.trace = options.trace ? [] : undefined;
  }

  generated(world: World, r: number): void {
    if (world.requests.born[r] < this.warmup) return;
    this.all.generated++;
    this.byWorkload[world.spec.workloads[world.requests.instance[r]].group].generated++;
  }

  completed(world: World, r: number, now: number): void {
    const p = world.requests;
    const born = p.born[r];
    if (born < this.warmup) return;
    const i = p.instance[r];
    const wl = world.spec.workloads[i];
    const latency = now - born;
    const met = latency <= wl.deadline ? 1 : 0;
    this.all.addCompleted(p, r, latency, met);
    this.byWorkload[wl.group].addCompleted(p, r, latency, met);
    if (this.trace) this.record(world, r, now, 'completed', latency);
  }

  dropped(world: World, r: number, reason: DropReason, now: number): void {
    const p = world.requests;
    if (p.born[r] < this.warmup) return;
    this.all.dropped[reason]++;
    this.byWorkload[world.spec.workloads[p.instance[r]].group].dropped[reason]++;
    if (this.trace) this.record(world, r, now, `dropped:${reason}`, NaN);
  }

  reset(): void {
    // Nothing gathered before warm-up ends is kept: requests born earlier are never counted.
  }

  private record(world: World, r: number, now: number, outcome: string, latency: number): void {
    const p = world.requests;
    const i = p.instance[r];
    const wl = world.spec.workloads[i];
    const nodes = world.spec.nodes;
    this.trace!.push([
      this.traceId++,
      wl.name,
      nodes[wl.device].name,
      nodes[world.targetOf(i)].name,
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
