import type { Rng } from '../core/random.ts';
import type { Simulator } from '../core/simulator.ts';
import { EventKind } from './events.ts';
import type { Handover, Links } from './links.ts';
import type { PlacementTable } from './placement.ts';
import type { StagePlans } from './plans.ts';
import type { RouteTable } from './routes.ts';
import type { Topology } from './topology.ts';
import type { Execution, WorkloadSpec } from './workload.ts';

/**
 * The mobility decision point as the world asks it at run time (policies/mobility: nomadic,
 * random-waypoint): where each moving device starts, when its next mobility event comes, and at
 * which place (access point) it is at that event. A place is an index into
 * {@link MobilitySpec.places}. Each device draws from its own `mobility` stream (`rng`), so a run
 * with mobility leaves every other stream's draws as they were (common random numbers).
 */
export interface MobilityModel {
  readonly name: string;
  /** The place moving device j starts at; `linked`: the place its link in the scenario goes to. */
  start(j: number, linked: number, rng: Rng): number;
  /** The time of device j's next mobility event, being at place p at `now`. */
  nextAt(j: number, p: number, now: number, rng: Rng): number;
  /** The place device j is at, at its mobility event at `now` (p: where it was; p again: no move). */
  placeAt(j: number, p: number, now: number, rng: Rng): number;
  /**
   * The long-run share of a device's time at each place, when the model knows it in closed form
   * (undefined: it does not, as random waypoint's attachment by range): what the check of the
   * declared load before a run spreads a moving device's traffic by (world/offered-load.ts).
   */
  timeShares?(): Float64Array | undefined;
}

/** A workload instance whose candidate node depends on where its device is attached (the `nearest` placement). */
export interface FollowSpec {
  /** The nodes the candidate is the nearest of (one array, kept by identity: the topology caches its search per set). */
  readonly among: readonly number[];
  /** How the instance runs on node k (with a compression policy's per-node variants; none: as declared). */
  readonly executionAt?: (k: number) => Execution;
}

/** What moves, where, and what happens to requests in flight (scenario/mobility.ts builds it). */
export interface MobilitySpec {
  readonly model: MobilityModel;
  /** The moving devices (node indices). */
  readonly devices: Int32Array;
  /** Per moving device: the index (into the links) of its one link, its radio to the place's access point. */
  readonly accessLinks: Int32Array;
  /** The access point (node) of each place. */
  readonly places: Int32Array;
  /**
   * `lost`: a request whose device changed place between its birth and its result's arrival is
   * dropped as `moved` (EdgeCloudSim's FAILED_DUE_TO_MOBILITY) — when its result would start home,
   * or on arrival; `delivered`: its result comes home through the device's new access point.
   */
  readonly inFlight: 'lost' | 'delivered';
  /** Per workload instance, when its candidate follows the device (nearest placement). */
  readonly follow?: readonly (FollowSpec | undefined)[];
}

/** What the request life reads of mobility (per node: −1 for nodes that never moved). */
export interface MovedDevices {
  /** Time of each node's last move (−1: never moved). */
  readonly movedAt: Float64Array;
  /** Whether requests in flight when their device moves are lost (else delivered through the new place). */
  readonly lose: boolean;
}

/** The parts of the world a move touches. */
export interface MobileWorld {
  readonly sim: Simulator;
  readonly duration: number;
  readonly links: Links;
  readonly routes: RouteTable;
  readonly plans: StagePlans;
  readonly placement: PlacementTable;
  readonly topology: Topology;
  readonly workloads: readonly WorkloadSpec[];
  /** Whether node k never goes down (no battery, no failures): a link's eager flag depends on its sender. */
  readonly safe: (k: number) => boolean;
  /** Device j's `mobility` stream. */
  readonly rng: (j: number) => Rng;
  /** Completes the results that have arrived home by `now` (before a device leaves its place). */
  readonly arriveHome: (now: number) => void;
  /** A move's radio energy under way, moved to the new access point (`Links.reattach`); none before the run. */
  readonly handover: (now: number) => Handover | undefined;
  /** When each node's battery ran out (Infinity: not, or not yet): a device whose battery is empty moves no more, and its time there ends then. */
  readonly emptyAt: Float64Array;
}

/**
 * The moving devices at run time: one Move event per device per dwell (nomadic) or per attachment
 * check (random waypoint). A move re-attaches the device's access link to the new place's access
 * point ({@link Links.reattach}: O(1)), forgets the routes from and to the device (the next request
 * interns them anew through the new access point, {@link RouteTable.attach}: O(route length)), moves
 * the candidates that depend on the attachment (nearest placement: O(1) per instance from the
 * topology's search over the set, made once) and forgets the plans of the device's (instance,
 * candidate) pairs (compiled again at their next request): O(pairs of the device + route length)
 * in all — no rebuild. Requests already in flight keep their plans; the request life loses them as
 * `moved` or delivers their results through the new place ({@link MovedDevices}).
 */
export class Mobility implements MovedDevices {
  readonly movedAt: Float64Array;
  readonly lose: boolean;
  /** Access point each node is attached to now (−1: not a moving device). */
  readonly attachedTo: Int32Array;
  /** Told each (instance, candidate) pair of a device that moved, after its plans were forgotten (the world's partitioning: its route, choice and split). */
  pairMoved: ((pair: number) => void) | undefined;
  /** Place of each moving device now. */
  readonly placeOf: Int32Array;
  /** Device-seconds spent at each place up to the last move or {@link settle}, while the device's battery lasted. */
  readonly placeSeconds: Float64Array;
  /** Moves made (changes of place) since the start of the run (a device whose battery is empty makes none). */
  moves = 0;
  private readonly since: Float64Array;
  /** The workload instances of moving device j: byDevice[first[j] … first[j + 1]). */
  private readonly first: Int32Array;
  private readonly byDevice: Int32Array;

  constructor(
    readonly spec: MobilitySpec,
    private readonly w: MobileWorld,
  ) {
    const nodes = w.topology.nodeCount;
    const m = spec.devices.length;
    this.lose = spec.inFlight === 'lost';
    this.movedAt = new Float64Array(nodes).fill(-1);
    this.attachedTo = new Int32Array(nodes).fill(-1);
    this.placeOf = new Int32Array(m);
    this.placeSeconds = new Float64Array(spec.places.length);
    this.since = new Float64Array(m);
    const j = new Int32Array(nodes).fill(-1);
    spec.devices.forEach((d, x) => (j[d] = x));
    this.first = new Int32Array(m + 1);
    w.workloads.forEach((wl) => j[wl.device] >= 0 && this.first[j[wl.device] + 1]++);
    for (let x = 0; x < m; x++) this.first[x + 1] += this.first[x];
    this.byDevice = new Int32Array(this.first[m]);
    const fill = this.first.slice(0, m);
    w.workloads.forEach((wl, i) => {
      const x = j[wl.device];
      if (x >= 0) this.byDevice[fill[x]++] = i;
    });
  }

  /**
   * Places every moving device before the first request (a start away from its linked place is an
   * attachment, not a move: nothing is in flight) and schedules its first mobility event.
   */
  start(): void {
    const { spec, w } = this;
    const placeOfAp = new Map<number, number>();
    spec.places.forEach((ap, p) => placeOfAp.set(ap, p));
    for (let j = 0; j < spec.devices.length; j++) {
      const d = spec.devices[j];
      const link = w.links.specs[spec.accessLinks[j]];
      const linked = placeOfAp.get(link.a === d ? link.b : link.a)!;
      const rng = w.rng(j);
      const p = spec.model.start(j, linked, rng);
      this.attach(j, p, 0);
      const next = spec.model.nextAt(j, p, 0, rng);
      if (next <= w.duration) w.sim.scheduleAt(next, EventKind.Move, j);
    }
  }

  /** Move event of device j: where it is now, and when its next event comes. */
  onMove(j: number, now: number): void {
    const { spec, w } = this;
    // A device whose battery ran out stays where it died: its time there ends then, and it has no next move.
    if (w.emptyAt[spec.devices[j]] <= now) return this.settleDevice(j, now);
    const rng = w.rng(j);
    const p = this.placeOf[j];
    const q = spec.model.placeAt(j, p, now, rng);
    if (q !== p) {
      w.arriveHome(now); // results that reached the device by now were delivered where it was
      this.placeSeconds[p] += now - this.since[j];
      this.since[j] = now;
      this.attach(j, q, now);
      this.movedAt[spec.devices[j]] = now;
      this.moves++;
    }
    const next = spec.model.nextAt(j, q, now, rng);
    if (next <= w.duration) w.sim.scheduleAt(next, EventKind.Move, j);
  }

  /** Adds the time since each device's last move to its place's device-seconds (at the end of a run, or any time after). */
  settle(now: number): void {
    for (let j = 0; j < this.placeOf.length; j++) this.settleDevice(j, now);
  }

  /** Adds device j's time since its last move, up to `now` or its battery's end, to its place's device-seconds. */
  private settleDevice(j: number, now: number): void {
    const end = Math.min(now, this.w.emptyAt[this.spec.devices[j]]);
    if (end > this.since[j]) this.placeSeconds[this.placeOf[j]] += end - this.since[j];
    this.since[j] = now;
  }

  /** The warm-up ends: device-seconds per place and moves count from `now` on. */
  restart(now: number): void {
    this.settle(now);
    this.placeSeconds.fill(0);
    this.moves = 0;
  }

  /** Attaches moving device j to place p: its access link, routes, followed candidates and plans. */
  private attach(j: number, p: number, now: number): void {
    const { spec, w } = this;
    const d = spec.devices[j];
    const ap = spec.places[p];
    this.placeOf[j] = p;
    this.attachedTo[d] = ap;
    const link = spec.accessLinks[j];
    w.links.reattach(link, d, ap, w.safe, w.handover(now));
    // The direction the device sends on: 2·link when it is the link's first end.
    w.routes.attach(d, ap, w.links.specs[link].a === d ? 2 * link : 2 * link + 1);
    const table = w.placement;
    for (let x = this.first[j]; x < this.first[j + 1]; x++) {
      const i = this.byDevice[x];
      const f = spec.follow?.[i];
      for (let pair = table.start[i]; pair < table.start[i + 1]; pair++) {
        if (f !== undefined) {
          const k = w.topology.nearest(ap, f.among, w.workloads[i].inputBytes);
          if (k >= 0 && k !== table.candidates[pair]) {
            table.candidates[pair] = k;
            const execution = w.workloads[i].execution as Execution[] | undefined;
            if (execution !== undefined && f.executionAt) execution[pair - table.start[i]] = f.executionAt(k);
          }
        }
        w.plans.forget(pair);
        this.pairMoved?.(pair);
      }
    }
  }
}
