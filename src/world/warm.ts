import type { Links } from './links.ts';
import type { NodeMeters } from './meters.ts';
import type { ResultCache } from './observer.ts';
import type { Partitioning } from './partitioning.ts';
import type { PlacementTable } from './placement.ts';
import { Stage, type StagePlans } from './plans.ts';
import type { RouteTable } from './routes.ts';
import type { NodeScheduler } from './schedulers/scheduler.ts';
import type { WorldView } from './view.ts';
import type { ArrivalGenerator, WorkloadSpec } from './workload.ts';

/** A bank of streams whose record a warmer may read ahead (world.ts `lazyStreams`). */
export interface TouchableStreams {
  /** Reads stream i's record as its next draw will (0 while the bank is not made); changes nothing. */
  touch(i: number): number;
  /** The number stream i's next draw will give, not drawn (NaN while it is not seeded: `StreamBank.peek`). */
  peek(i: number): number;
}

/** What {@link ArrivalWarmer} reads: the parts of the world an arrival's request reads first. */
export interface WarmedParts {
  readonly workloads: readonly WorkloadSpec[];
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
  readonly cache: ResultCache | undefined;
}

/**
 * Reads ahead, for arrivals about to happen, the memory their requests will read first — the
 * instance, its arrival and service streams, its device's state, its plan, its route's first link
 * both ways (the request's way out and its result's way home) and its latency average — and
 * changes nothing. With thousands of devices these are cold: each device's request comes seconds
 * apart, and its records are scattered over megabytes, so handling an arrival stalls on one cache
 * miss after another (a cachegrind count of `scale.yaml`, 60,000 requests: 18 misses of a 1 MiB
 * L2 per request at 10^4 devices, 4.7 at 10^3). The event queue tells of each event as it moves
 * from its calendar into its heap (`EventQueue.onPromote`), a few dozen events before it is due:
 * reading then, for a bucket of arrivals in a row, lets the processor fetch many of those lines at
 * once instead of one after another, and they are in cache when the arrivals are handled. Nothing
 * is written but a sum the reads feed (so that the compiler keeps them), and no figure changes.
 */
export class ArrivalWarmer {
  /** Sum of the values read: kept so that the reads are not optimized away; means nothing. */
  sink = 0;
  /** Arrivals read ahead for. */
  warmed = 0;
  /** The uniform the next input draw will take, handed to the input law by {@link peeked}. */
  private next = 0;
  private readonly peeked = (): number => this.next;

  constructor(private readonly p: WarmedParts) {}

  /** Reads ahead what instance i's next arrival will read. */
  warm(i: number): void {
    const p = this.p;
    const wl = p.workloads[i];
    const device = wl.device;
    let s = p.arrivals.touch(i) + p.meters.epoch[device] + p.meters.up[device] + p.view.touch(i);
    if (wl.serviceVariability !== undefined) s += p.service.touch(i);
    // The input the next request will ask for, when its law takes one uniform (Zipf's alias draw does; any other is only read ahead wrongly).
    let key = NaN;
    if (wl.inputs !== undefined) {
      s += p.inputs.touch(i);
      const u = p.inputs.peek(i);
      if (u === u) {
        this.next = u;
        key = wl.inputs.sample(this.peeked);
      }
    }
    const pair = p.placement.fixed[i];
    const plans = p.plans;
    const stage = pair >= 0 ? plans.planOf[pair] : -1;
    if (pair >= 0 && p.partitioning !== undefined) s += p.partitioning.touch(pair);
    if (stage >= 0) {
      // Along the plan: the device's own cache (and every cache's lines for
      // the key), a compute on the device (its meters and scheduler), then the device's own link, out and back.
      const cache = p.cache;
      let linked = false;
      for (let t = stage, op = plans.op(t); op !== Stage.End; op = plans.op(++t)) {
        const k = plans.arg(t);
        if (op === Stage.Lookup) {
          if (t === stage && cache?.touch !== undefined) s += cache.touch(k);
          if (key === key && cache?.touchKey !== undefined) s += cache.touchKey(k, i, key);
        } else if (op === Stage.Compute) {
          if (k === device) s += p.meters.touch(k) + (p.schedulerOf[k].touch?.(k) ?? 0) + p.queueLimit[k];
        } else if (op === Stage.Transfer && !linked) {
          linked = true;
          const data = p.routes.data;
          if (data[k] > 0) {
            const d = data[k + 1];
            s += p.links.touch(d) + p.links.touch(d ^ 1) + plans.amount(t + 1);
            if (p.links.txEnergyPerBit(d) > 0) s += p.meters.totals[device].radioTx;
          }
        }
      }
    }
    this.sink += s;
    this.warmed++;
  }
}
