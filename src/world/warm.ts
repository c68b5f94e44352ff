import { EventKind } from './events.ts';
import type { Links } from './links.ts';
import type { NodeMeters } from './meters.ts';
import type { Partitioning } from './partitioning.ts';
import type { PlacementTable } from './placement.ts';
import { Stage, type StagePlans } from './plans.ts';
import type { RouteTable } from './routes.ts';
import type { NodeScheduler } from './schedulers/scheduler.ts';
import type { WorldView } from './view.ts';
import type { ArrivalGenerator } from './workload.ts';
import type { InstanceTable } from './instances.ts';

/** A bank of streams whose record a warmer may read ahead (a `StreamBank`, or world.ts's `LazyStreams`). */
export interface TouchableStreams {
  /** Reads stream i's record as its next draw will (0 while the bank is not made); changes nothing. */
  touch(i: number): number;
}

/** What {@link ArrivalWarmer} reads: the parts of the world an arrival's request reads first. */
export interface WarmedParts {
  readonly instances: InstanceTable;
  readonly arrivals: ArrivalGenerator;
  readonly service: TouchableStreams;
  readonly inputs: TouchableStreams;
  readonly meters: NodeMeters;
  readonly placement: PlacementTable;
  readonly plans: StagePlans;
  readonly routes: RouteTable;
  readonly links: Links;
  readonly view: WorldView;
  readonly schedulerOf: readonly NodeScheduler[];
  readonly queueLimit: Float64Array;
  readonly partitioning: Partitioning | undefined;
}

/**
 * Reads ahead, for arrivals about to happen, the memory their requests will read first — the
 * instance, its arrival, service and input streams and its latency average; its device's state;
 * its plan and split count; its device's meters and scheduler when the plan computes there (a
 * split); its route's first link both ways (the request's way out and its result's way home) — and
 * changes nothing. With thousands of devices these are cold: each device's request comes seconds
 * apart, and its records are scattered over megabytes, so handling an arrival stalls on one cache
 * miss after another (a cachegrind count of `scale.yaml`, 60,000 requests: 18 misses of a 1 MiB L2
 * per request at 10^4 devices, 4.7 at 10^3). The event queue tells of each bucket of events as it moves from its
 * calendar into its heap (`EventQueue.onPromote`), a few dozen events before they are due: reading
 * then, for the bucket's arrivals together, lets the processor fetch many of those lines at once
 * instead of one after another, and they are in cache when the arrivals are handled. Nothing is
 * written but a sum the reads feed (so that the compiler keeps them), and no figure changes.
 *
 * Result caches are not read ahead. Until stop 36 the warmer also read, for the input the next
 * request would ask for (its stream's next number, peeked, through the input law), the lines a
 * lookup of it would read in every cache on the plan. Measured against reading none of them
 * (docs/design.md, Speed, stop 36; paired CLI runs, this build against the one before), the loop
 * ran faster without them: `layers` `on` at 10^4 devices × 1.03–1.19 over 8 rounds (median 1.06),
 * at 10^3 and 10^5 × 0.99–1.11, `one-layer` `on` × 1.04–1.12 (1.10). A cache's lines are read
 * when the request looks up, often after a transfer or two, and peeking the key costs a Zipf draw
 * and three hashes per cache; the reads did not pay for themselves.
 */
export class ArrivalWarmer {
  /** Sum of the values read: kept so that the reads are not optimized away; means nothing. */
  sink = 0;
  /** Arrivals read ahead for. */
  warmed = 0;
  /** Per arrival of the batch being read ahead: instance, device, pair, first plan stage, route, first link. */
  private instance = new Int32Array(64);
  private device = new Int32Array(64);
  private pair = new Int32Array(64);
  private stage = new Int32Array(64);
  private route = new Int32Array(64);

  constructor(private readonly p: WarmedParts) {}

  /**
   * Reads ahead what the arrivals among these events (`EventQueue.onPromote`'s batch) will read, in
   * passes over the batch — each pass's reads depend on the last pass's, not on one another, so the
   * processor has many of them in flight at once (one arrival after another, each a chain of
   * dependent misses, would wait for each in turn).
   */
  warmAll(kinds: Uint8Array, subjects: Int32Array, count: number): void {
    if (this.instance.length < count) this.grow(count);
    const p = this.p;
    const { instance, device, pair, stage, route } = this;
    let n = 0;
    for (let j = 0; j < count; j++) if (kinds[j] === EventKind.Arrival) instance[n++] = subjects[j];
    let s = 0;
    // The instance and what it indexes: its streams, its latency average, its pair.
    const fixed = p.placement.fixed;
    const inst = p.instances;
    for (let a = 0; a < n; a++) {
      const i = instance[a];
      device[a] = inst.device(i);
      pair[a] = fixed[i];
      s += p.arrivals.touch(i) + p.view.touch(i) + inst.resultBytes(i);
      if (inst.serviceLaw(i) >= 0) s += p.service.touch(i);
      if (inst.inputsLaw(i) >= 0) s += p.inputs.touch(i);
    }
    // The device's state, the pair's plan and split count.
    const plans = p.plans;
    const partitioning = p.partitioning;
    for (let a = 0; a < n; a++) {
      const k = device[a];
      s += p.meters.epoch[k] + p.meters.up[k];
      const q = pair[a];
      stage[a] = q >= 0 ? plans.planOf[q] : -1;
      if (q >= 0 && partitioning !== undefined) s += partitioning.touch(q);
    }
    // Along the plan (past any lookup): a compute on the device (its meters and scheduler), the first transfer's route.
    for (let a = 0; a < n; a++) {
      route[a] = -1;
      const first = stage[a];
      if (first < 0) continue;
      const k = device[a];
      for (let t = first, op = plans.op(t); op !== Stage.End; op = plans.op(++t)) {
        const at = plans.arg(t);
        if (op === Stage.Compute) {
          if (at === k) s += p.meters.touch(at) + (p.schedulerOf[at].touch?.(at) ?? 0) + p.queueLimit[at];
        } else if (op === Stage.Transfer && route[a] < 0) {
          route[a] = at;
          s += plans.amount(t + 1);
        }
      }
    }
    // The route's first link, then its records both ways: the request's way out and its result's way home.
    const data = p.routes.data;
    for (let a = 0; a < n; a++) {
      const r = route[a];
      route[a] = r >= 0 && data[r] > 0 ? data[r + 1] : -1;
    }
    const links = p.links;
    for (let a = 0; a < n; a++) {
      const d = route[a];
      if (d < 0) continue;
      s += links.touch(d) + links.touch(d ^ 1);
      if (links.charges(d) && links.txEnergyPerBit(d) > 0) s += p.meters.touchRadio(device[a]);
    }
    this.sink += s;
    this.warmed += n;
  }

  private grow(count: number): void {
    const n = 2 * count;
    this.instance = new Int32Array(n);
    this.device = new Int32Array(n);
    this.pair = new Int32Array(n);
    this.stage = new Int32Array(n);
    this.route = new Int32Array(n);
  }
}
