import type { Links } from './links.ts';
import type { PlacementTable } from './placement.ts';
import type { RouteTable } from './routes.ts';
import type { WorldView } from './view.ts';
import { slotSeconds } from './node.ts';
import { executionAt, type WorkloadSpec } from './workload.ts';

/**
 * What a split decision reads, as the world measures it (the partitioning module's `SplitState`,
 * structurally): the route device → server both ways, the server's expected wait and the
 * device's own load.
 */
export interface SplitInputs {
  readonly network: {
    /** Σ 1/bandwidth over the route device → server, s/bit. */
    upSecondsPerBit: number;
    /** Σ delay over the route device → server, s (plus the measured backlogs when the links' load is not modelled: never, once the start has counted it). */
    upDelay: number;
    downSecondsPerBit: number;
    downDelay: number;
    /** The device's radio J/bit on its first hop, sent and received. */
    txJoulesPerBit: number;
    rxJoulesPerBit: number;
  };
  /** Expected wait at the server before its part starts, s. */
  serverWait: number;
  /** Slot-speeds the server gives the pair's part: 1 (one slot), or on a partitioned node the tenant's share × the node's slots. */
  serverSpeed: number;
  /** The device's load (the partitioning module's `DeviceLoad`: its cost model turns it into the wait before the device's part). */
  device: {
    /** The wait its queue now puts before a new job, s. */
    backlog: number;
    /** Utilization of its slots by its other work over the coming interval (measured), ≥ 0. */
    utilization: number;
    /** Compute of one of those other jobs on one slot, s (taken as a whole-model run of the pair's execution on the device). */
    otherSeconds: number;
    /** The pair's request rate over the coming interval, 1/s. */
    rate: number;
  };
  /**
   * The server's load (the partitioning module's `ServerLoad`): at the declared rates at the run's
   * start and for a policy that decides once; at the measured rates at a tick on a whole server
   * ({@link Partitioning.predictServerLoads}); undefined at a tick on a tenant's partition, where
   * the measured queue (`serverWait`) stands for it.
   */
  server: { utilization: number; otherSeconds: number; rate: number; pool: number } | undefined;
  /**
   * The route's links up (the partitioning module's `LinkLoad`: per hop its bandwidth and the
   * other transfers): at the declared rates at the run's start and for a policy that decides once;
   * at a tick from the measured rates, with each hop's backlog now ({@link Partitioning.predictLinkLoads};
   * the way up's backlogs are then not in `network`).
   */
  links: { hops: number; bandwidth: Float64Array; utilization: Float64Array; secondMoment: Float64Array; rate: number; backlog: Float64Array | undefined } | undefined;
}

/**
 * Passes over the pairs at the run's start, at most (see {@link Partitioning.decideAtStart}): until
 * no split changes. Random configurations (2–6 cameras sharing one edge, speeds, rates and uplinks
 * drawn; 400 of them, cap 50) settled in 1 pass (7), 2 (240), 3 (143) or 4 (10), the last pass
 * each time the one that changed nothing; at a cap of 3 those 10 were warned of, settled.
 */
export const START_PASSES = 10;

/**
 * One (instance, server) pair's split figures and its policy, built with the scenario
 * (scenario/partitioning.ts); pairs alike (same model, execution, device and server figures)
 * share one. Split k: the device computes layers 1..k, the server k+1..L; k = 0 is the plan
 * without partitioning, k = L runs everything on the device and sends nothing.
 */
export interface SplitChoice {
  /** Layers L of the model. */
  readonly layers: number;
  /** Device compute of layers 1..k on one slot, s (k = 0 … L). */
  readonly deviceSeconds: ArrayLike<number>;
  /** Server compute of layers k+1..L on one slot, s. */
  readonly serverSeconds: ArrayLike<number>;
  /** Bytes crossing a split at k (every tensor live there; k = 0: the workload's input). */
  readonly liveBytes: ArrayLike<number>;
  /** Dynamic power per busy slot of the device, W. */
  readonly devicePower: number;
  /** The device's slots. */
  readonly deviceSlots: number;
  /** Memory reserved by the device's part: the input and the peak activation, bytes. */
  readonly deviceMemory: number;
  /** Peak activation reserved beside the live tensors by the server's part, bytes. */
  readonly serverActivationBytes: number;
  /** Weights the device holds to run its part (the whole execution's: any k may be chosen), bytes, and their identity. */
  readonly deviceWeightBytes: number;
  readonly deviceWeights: string;
  /** Name of the layer after which split k cuts (k = 1 … L; index 0 unused). */
  readonly layerNames: readonly string[];
  /** The server's compute of the whole model on one slot, s (the service time of its expected wait). */
  readonly serverServiceSeconds: number;
  /** The server's slots. */
  readonly serverSlots: number;
  /** The policy's split for these inputs: 0 … L. */
  choose(inputs: SplitInputs): number;
}

/**
 * A partitioned node's tenant queues as a split decision reads them, read-only (the partitioned
 * scheduler, world/schedulers/partitioned.ts: tenant t = workload group t, then processes).
 */
export interface TenantQueues {
  /** Tenant t's share of node k now (the allocation's, in force at the tick). */
  shareOf(k: number, t: number): number;
  /** Tenant t's jobs at node k, in service and waiting. */
  jobsOf(k: number, t: number): number;
}

/** The partitioning decision point as the world needs it. */
export interface PartitioningSpec {
  /** The policy's name (edelear, all-local, all-remote). */
  readonly policy: string;
  /** Whether it re-decides at every tick of `policies.interval` (a policy whose choice depends on the network and queues). */
  readonly replans: boolean;
  /** Per (instance, candidate) pair, parallel to the placement's candidates: its split choice, or undefined when it is never split. */
  readonly choices: readonly (SplitChoice | undefined)[];
  /**
   * The choice of instance i's pair p on server j, its execution there as the pair's is now (a moving
   * device's `nearest` candidate changed: mobility); none: choices never change.
   */
  readonly choiceAt?: (i: number, p: number, j: number) => SplitChoice;
  /** Passes at the start, at most (default {@link START_PASSES}; tests set fewer to reach the cap). */
  readonly startPasses?: number;
}

/**
 * The splits in force: per (instance, candidate) pair, the layers its device runs before sending
 * the live tensors on (`splitOf`, 0 without a choice), re-decided for every pair with a
 * {@link SplitChoice} when the run starts (idle links and queues, the declared load on devices,
 * servers and the links up: {@link decideAtStart}) and at every monitoring tick from the world
 * view — the route's delays, the links' load up ({@link predictLinkLoads}) and backlogs, the
 * server's load ({@link predictServerLoads}) and jobs (on a partitioned or batching server, its
 * queue alone), and the device's own load (see {@link decide}). A request reads its pair's plan, compiled for the split in force, and counts
 * itself: O(1). A tick is O(pairs with a choice × (route length + candidates + L)).
 */
export class Partitioning {
  /** The split in force per pair. */
  readonly splitOf: Int32Array;
  /** Pairs that may be split, and their instance. */
  private readonly pairs: Int32Array;
  private readonly instanceOf: Int32Array;
  /** Route id device → candidate per pair in {@link pairs} (the plan's route: the input's), taken again when the device moves. */
  private readonly routeOf: Int32Array;
  /** Index in {@link pairs} of each pair (−1: never split). */
  private readonly indexOf: Int32Array;
  /**
   * Per pair p, over the window, counted one by one: at [2p] the requests born, at [2p + 1] those
   * of them their device's own cache answered at birth ({@link answeredOnDevice}: they ran no part
   * of the plan) — side by side, so that the answer's count is on the line the birth's just wrote.
   */
  private readonly tally: Float64Array;
  /**
   * Per pair, over the window: of the requests born, those split (0 < k < L) and run all local
   * (k = L), Σ k and Σ bytes sent from the device at the split — folded in from `born` (see
   * {@link fold}); read them through the getters, which fold first.
   */
  private readonly splitCounts: Float64Array;
  private readonly localCounts: Float64Array;
  private readonly kSums: Float64Array;
  private readonly bytesSums: Float64Array;
  /** Per pair in {@link pairs}: its births and its answers on the device when last folded, at [2j] and [2j + 1]. */
  private readonly bornAtFold: Float64Array;
  /** Whether requests were born since the last fold. */
  private unfolded = false;
  /** Device of each pair in {@link pairs}, and its instance's input bytes (its route's key). */
  private readonly deviceOf: Int32Array;
  private readonly inputBytes: Float64Array;
  /** Tenant of each pair in {@link pairs} on a partitioned server: its instance's workload group. */
  private readonly tenantOf: Int32Array;
  /** Requests born per pair with a choice since the last decision (as of the last fold), and when that was (s). */
  private readonly sinceDecision: Float64Array;
  private lastDecision = 0;
  /** Per pair in {@link pairs}, its request rate over the coming interval (1/s); per node, its predicted utilization; scratch. */
  private readonly rate: Float64Array;
  private predicted: Float64Array = new Float64Array(0);
  private fractions: Float64Array = new Float64Array(0);
  private readonly inputs: SplitInputs = {
    network: { upSecondsPerBit: 0, upDelay: 0, downSecondsPerBit: 0, downDelay: 0, txJoulesPerBit: 0, rxJoulesPerBit: 0 },
    serverWait: 0,
    serverSpeed: 1,
    device: { backlog: 0, utilization: 0, otherSeconds: 0, rate: 0 },
    server: undefined,
    links: undefined,
  };
  /** The link load object {@link SplitInputs.links} points to when given (its arrays grown to the longest route). */
  private readonly linkLoad = { hops: 0, bandwidth: new Float64Array(8), utilization: new Float64Array(8), secondMoment: new Float64Array(8), rate: 0, backlog: undefined as Float64Array | undefined };
  private linkBacklogs = new Float64Array(8);
  /** Per directed link: its transmission seconds at the last decision (the measured utilization of the interval since); scratch of {@link predictLinkLoads}. */
  private linkBusyAtDecision = new Float64Array(0);
  private linkOthers = new Float64Array(0);
  private linkInputSeconds = new Float64Array(0);
  /** Per directed link: utilization and Σ λ s² by the pairs' transfers up at the declared rates (the start's figures). */
  private linkUtilization = new Float64Array(0);
  private linkSecondMoment = new Float64Array(0);
  /** Per pair in {@link pairs}: the route, bits a request and rate its transfers up are counted in {@link linkUtilization} with (route −1: not counted). */
  private readonly linkRouteOf: Int32Array;
  private readonly linkBitsOf: Float64Array;
  private readonly linkRateOf: Float64Array;
  /** Passes over the pairs the start decision made (1 … {@link START_PASSES}; 0 before it). */
  startPasses = 0;
  /** What the decisions met that a user should hear of, by kind (printed after the run, as the lp planner's). */
  readonly warnings = new Map<string, string>();
  /** The server load object {@link SplitInputs.server} points to when given. */
  private readonly serverLoad = { utilization: 0, otherSeconds: 0, rate: 0, pool: 1 };
  /** Per pair in {@link pairs}: the {@link serverPredicted} key its part is counted under (−1: none yet), and the utilization counted there. */
  private readonly serverKeyOf: Float64Array;
  private readonly serverLoadOf: Float64Array;
  /** Keys of {@link serverPredicted} per server: the whole node's, then one per tenant. */
  private readonly tenantKeys: number;
  /** Per (server, tenant) — a partition's key, or a whole FCFS node's — its utilization by the pairs' server parts at the declared rates (the start's figures). */
  private readonly serverPredicted = new Map<number, number>();

  constructor(
    readonly spec: PartitioningSpec,
    private readonly table: PlacementTable,
    private readonly workloads: readonly WorkloadSpec[],
    private readonly routes: RouteTable,
    private readonly links: Links,
    /** Called when pair p's split changes (the plans switch to that split's plan). */
    private readonly changed: (p: number, k: number) => void,
    /** The partitioned nodes' tenant queues (undefined: no node is partitioned). */
    private readonly tenants?: TenantQueues,
  ) {
    const n = table.candidates.length;
    this.splitOf = new Int32Array(n);
    this.tally = new Float64Array(2 * n);
    this.splitCounts = new Float64Array(n);
    this.localCounts = new Float64Array(n);
    this.kSums = new Float64Array(n);
    this.bytesSums = new Float64Array(n);
    const pairs: number[] = [];
    const instances: number[] = [];
    for (let i = 0; i < workloads.length; i++) {
      for (let p = table.start[i]; p < table.start[i + 1]; p++) if (spec.choices[p] !== undefined) (pairs.push(p), instances.push(i));
    }
    this.pairs = Int32Array.from(pairs);
    this.instanceOf = Int32Array.from(instances);
    // Moving devices are at their first place now: each pair's choice for its candidate there (an earlier run of the spec may have left others).
    if (spec.choiceAt) pairs.forEach((p, j) => ((spec.choices as (SplitChoice | undefined)[])[p] = spec.choiceAt!(instances[j], p, table.candidates[p])));
    this.indexOf = new Int32Array(n).fill(-1);
    pairs.forEach((p, j) => (this.indexOf[p] = j));
    this.routeOf = Int32Array.from(pairs, (p, j) => {
      const wl = workloads[instances[j]];
      return routes.id(wl.device, table.candidates[p], wl.inputBytes);
    });
    this.deviceOf = Int32Array.from(instances, (i) => workloads[i].device);
    this.inputBytes = Float64Array.from(instances, (i) => workloads[i].inputBytes);
    this.tenantOf = Int32Array.from(instances, (i) => workloads[i].group);
    this.tenantKeys = 2 + workloads.reduce((m, w) => Math.max(m, w.group), 0); // every workload group: those never split count on their partitions too
    this.serverKeyOf = new Float64Array(pairs.length).fill(-1);
    this.linkRouteOf = new Int32Array(pairs.length).fill(-1);
    this.linkBitsOf = new Float64Array(pairs.length);
    this.linkRateOf = new Float64Array(pairs.length);
    this.serverLoadOf = new Float64Array(pairs.length);
    this.sinceDecision = new Float64Array(n);
    this.rate = new Float64Array(pairs.length);
    this.bornAtFold = new Float64Array(2 * pairs.length);
  }

  /** Whether some pair may be split (else the world needs no ticks for it). */
  get active(): boolean {
    return this.pairs.length > 0;
  }

  /** Reads pair p's count as {@link counted} will (world/warm.ts); changes nothing. */
  touch(p: number): number {
    return this.tally[2 * p];
  }

  /** Counts a request of pair p born now (in the window): one increment; the rest is folded in later ({@link fold}). O(1). */
  counted(p: number): void {
    this.tally[2 * p]++;
    this.unfolded = true;
  }

  /**
   * The request of pair p counted at its birth just now was answered by its device's own cache: it
   * runs none of the split, so the next fold takes it off the split, local, Σ k and Σ bytes counts
   * with the split in force (the one its birth is folded with). It still counts toward the pair's
   * rate (the counts since the decision). One increment, on the birth's line. O(1).
   */
  answeredOnDevice(p: number): void {
    this.tally[2 * p + 1]++;
  }

  /** Per pair, over the window: requests born. */
  get born(): Float64Array {
    return this.column(0);
  }

  /** Per pair, over the window: requests born that their device's own cache answered (they ran no layer). */
  get answered(): Float64Array {
    return this.column(1);
  }

  private column(c: number): Float64Array {
    return Float64Array.from({ length: this.tally.length / 2 }, (_, p) => this.tally[2 * p + c]);
  }

  /** Per pair, over the window: requests born split (0 < k < L), less those answered on their device. */
  get split(): Float64Array {
    this.fold();
    return this.splitCounts;
  }

  /** Per pair, over the window: requests born run all local (k = L), less those answered on their device. */
  get local(): Float64Array {
    this.fold();
    return this.localCounts;
  }

  /** Per pair, over the window: Σ k over the requests born, less those answered on their device. */
  get kSum(): Float64Array {
    this.fold();
    return this.kSums;
  }

  /** Per pair, over the window: Σ bytes sent from the device at the split over the requests born, less those answered on their device. */
  get bytesSum(): Float64Array {
    this.fold();
    return this.bytesSums;
  }

  /**
   * Folds the requests born since the last fold into the split counts and the counts since the
   * decision: a pair's split is constant between decisions, so its n new requests, less the a of
   * them its device's cache answered, add (n − a) × (k, bytes at k, local or split) of the split in
   * force now — the same sums as counting each request that ran the plan as it is born (Σ k and Σ
   * bytes are sums of equal terms: exact while below 2^53, for bytes that are integers or have few
   * significant bits); all n count toward the pair's rate. Called before every decision (the splits
   * may change), at the window's start and before the counts are read. O(pairs with a choice).
   */
  private fold(): void {
    if (!this.unfolded) return;
    this.unfolded = false;
    const { pairs, tally, bornAtFold, splitOf } = this;
    for (let j = 0; j < pairs.length; j++) {
      const p = pairs[j];
      const born = tally[2 * p] - bornAtFold[2 * j];
      if (born === 0) continue;
      const n = born - (tally[2 * p + 1] - bornAtFold[2 * j + 1]);
      bornAtFold[2 * j] = tally[2 * p];
      bornAtFold[2 * j + 1] = tally[2 * p + 1];
      this.sinceDecision[p] += born;
      const c = this.spec.choices[p]!;
      const k = splitOf[p];
      this.kSums[p] += n * k;
      if (k === c.layers) this.localCounts[p] += n;
      else {
        this.bytesSums[p] += n * c.liveBytes[k];
        if (k > 0) this.splitCounts[p] += n;
      }
    }
  }

  /** The window begins: counts start again (those since the decision go on). */
  resetCounts(): void {
    this.fold();
    this.tally.fill(0);
    this.bornAtFold.fill(0);
    this.splitCounts.fill(0);
    this.localCounts.fill(0);
    this.kSums.fill(0);
    this.bytesSums.fill(0);
  }

  /**
   * Re-decides every pair's split from the view now (at a monitoring tick).
   *
   * The server. On a node whose jobs share its slots first come, first served, the server's part
   * takes its one-slot seconds and waits the FCFS expected wait of all the node's jobs on its
   * slots. On a partitioned node (world/schedulers/partitioned.ts) the pair's tenant — its
   * workload group — serves its own jobs one at a time at its share s of the node's c slots, the
   * share in force now (an allocation policy sets it just before, at the same tick): the part takes
   * its one-slot seconds / (s·c), and waits behind the tenant's own n jobs only, n × the
   * whole-model seconds / (s·c) (Infinity at s = 0 with jobs there; other tenants' jobs do not
   * delay it).
   *
   * The device's own load. The device runs layers 1..k of every request of the pair for the whole
   * interval the choice holds for, beside its other work, so the decision reads (cost.ts
   * `deviceWait`): the device's jobs now, its slots, the pair's rate over the coming interval —
   * the instance's measured arrival rate times the share the placement plan now installed gives
   * the pair (the pair's own count over the last interval when the plan decides per request) — and
   * the utilization of its other work: the device's measured utilization over the last interval,
   * less what this decision point put there (each pair's requests of that interval × device seconds
   * of its split then in force / slots; not below 0), plus each pair's rate × the device seconds of
   * the split it holds. Pairs are decided in turn, each adding its choice's load before the next
   * pair of the same device decides (one Gauss–Seidel pass). Not modelled: requests a device cache
   * answers (they compute nothing; counted as load), and a change of the device's own local share
   * by the placement at this tick (its local runs are measured, as of the last interval).
   */
  decide(view: WorldView): void {
    this.fold(); // before any split changes
    const dt = view.now - this.lastDecision;
    this.lastDecision = view.now;
    this.predictLoads(view, dt);
    this.predictServerLoads(view, dt);
    this.predictLinkLoads(view, dt);
    for (let j = 0; j < this.pairs.length; j++) this.decidePair(j, view, true);
    this.sinceDecision.fill(0);
  }

  /**
   * At a tick, each whole (not partitioned) server's load as the coming interval will see it: its
   * measured utilization over the last interval less what this decision point put there (each
   * pair's requests of that interval × server seconds of its split then in force / slots; not
   * below 0), plus each pair's rate × the server seconds of the split it holds — the device side's
   * figures ({@link predictLoads}) at the other end. Read by {@link decidePair} as the start's
   * `ServerLoad`, so a split's server wait is the larger of the queue now and the stationary
   * wait of the load it would bring: reading the queue alone, a pair whose own parts are the
   * server's load sees an idle server at every tick and sends it more than it can serve
   * (test/fixtures/good/partitioning.yaml at 4/s, re-decided every 2 s: k = 1 with the edge at
   * ρ = 0.8, 885 ms mean, where deciding once at k = 2 gives 339 ms). A tenant's partition is not
   * modelled so (its pairs read their queue, as before): under `allocation: edelear` its share
   * follows its demand at the next tick, and a wait at the share in force overstated it
   * (paper-edelear.yaml's EDeLeaR +6 to +18 % mean latency when partitions were modelled too).
   * Nor is a batching node ({@link queueAtTicks}). A pair that moved since the last tick has all
   * its requests of the interval taken off its new server, though some ran at the old one: for one
   * interval the new server's other work reads low (not below 0) and the old one's high. Requests
   * a device cache answered count in the pair's rate (as on the device side): the predicted part
   * is then high by 1 / (1 − the device's hit ratio). O(pairs).
   */
  private predictServerLoads(view: WorldView, dt: number): void {
    const { pairs, rate } = this;
    const predicted = this.serverPredicted;
    predicted.clear();
    this.serverKeyOf.fill(-1);
    this.serverLoadOf.fill(0);
    if (!(dt > 0)) return;
    for (let j = 0; j < pairs.length; j++) {
      const server = this.table.candidates[pairs[j]];
      if (this.queueAtTicks(server, view)) continue;
      const key = server * this.tenantKeys;
      if (!predicted.has(key)) {
        const u = view.utilization(server);
        predicted.set(key, u === u ? u : 0);
      }
      const p = pairs[j];
      const part = this.serverPart(j, this.splitOf[p], 1);
      if (part < Infinity) predicted.set(key, predicted.get(key)! - (this.sinceDecision[p] * part) / (dt * this.spec.choices[p]!.serverSlots));
    }
    for (const [key, u] of predicted) if (u < 0) predicted.set(key, 0);
    for (let j = 0; j < pairs.length; j++) {
      const server = this.table.candidates[pairs[j]];
      if (this.queueAtTicks(server, view)) continue;
      const key = server * this.tenantKeys;
      const part = this.serverPart(j, this.splitOf[pairs[j]], 1);
      const u = part < Infinity ? (rate[j] * part) / this.spec.choices[pairs[j]]!.serverSlots : 0;
      predicted.set(key, predicted.get(key)! + u);
      this.serverKeyOf[j] = key;
      this.serverLoadOf[j] = u;
    }
  }

  /**
   * At a tick, each directed link on the pairs' routes up as the coming interval will see it — the
   * server side's figures ({@link predictServerLoads}) on the links: its measured utilization over
   * the last interval (transmission seconds) less the pairs' measured transfers there (each pair's
   * requests of that interval × its bits at the split then in force / bandwidth; not below 0),
   * plus each pair's rate × its transfer at the split it holds ({@link countLinks}). The other
   * traffic's Σ λ s² is not measured (the links count no transfers): it is taken at the pairs'
   * own mean transfer there (Σ λ s² / Σ λ s of their predicted transfers), or at a pair's input
   * when none of them sends there. A decision then reads each hop's P-K wait, or its backlog now
   * when longer: reading the backlogs alone, four cameras sharing an uplink each saw it idle at
   * every tick and sent their inputs (partitioning-uplink.yaml re-decided every 2 s: 128 ms mean,
   * where the start's split gives 41 ms). An analytic link has no load (it does not queue).
   * Approximations, as on the server side: a pair that moved since the last tick has its interval's
   * transfers taken off its new route only (its old links read them as other traffic for one
   * interval); requests a cache answered (on the device, or on the way) count in the pair's
   * measured and predicted transfers; transfers of requests born before the interval count as
   * other traffic. O(links + pairs × route length).
   */
  private predictLinkLoads(view: WorldView, dt: number): void {
    if (this.linkUtilization.length === 0 || !(dt > 0)) return;
    const { pairs, links, routes } = this;
    const data = routes.data;
    const u = this.linkUtilization;
    const m2 = this.linkSecondMoment;
    if (this.linkOthers.length !== u.length) (this.linkOthers = new Float64Array(u.length)), (this.linkInputSeconds = new Float64Array(u.length));
    const others = this.linkOthers; // per link, the utilization by traffic other than the pairs' transfers
    const fallback = this.linkInputSeconds; // per link, a pair's input transfer there: the others' mean transfer when no pair sends there
    m2.fill(0);
    this.linkRouteOf.fill(-1);
    // Every directed link's transmission over the interval (all of them, so that a link a route
    // comes back to is measured from the last tick, not from when a route last crossed it), less
    // the pairs' measured transfers.
    for (let d = 0; d < u.length; d++) {
      const busy = links.busyUntil(d, view.now);
      u[d] = links.specs[d >> 1].analytic === undefined ? (busy - this.linkBusyAtDecision[d]) / dt : 0;
      this.linkBusyAtDecision[d] = busy;
    }
    for (let j = 0; j < pairs.length; j++) {
      const route = this.routeOf[j];
      for (let h = 0; h < data[route]; h++) {
        const d = data[route + 1 + h];
        fallback[d] = (8 * this.spec.choices[pairs[j]]!.liveBytes[0]) / links.specs[d >> 1].bandwidth;
      }
    }
    for (let j = 0; j < pairs.length; j++) {
      const p = pairs[j];
      const c = this.spec.choices[p]!;
      const k = this.splitOf[p];
      if (k === c.layers) continue;
      const route = this.routeOf[j];
      for (let h = 0; h < data[route]; h++) {
        const d = data[route + 1 + h];
        u[d] -= (this.sinceDecision[p] * 8 * c.liveBytes[k]) / (links.specs[d >> 1].bandwidth * dt);
      }
    }
    // u now holds the other traffic (not below 0); the pairs' predicted transfers are counted on zeroed arrays, then the others added at their mean transfer.
    for (let d = 0; d < u.length; d++) (others[d] = u[d] > 0 ? u[d] : 0), (u[d] = 0);
    for (let j = 0; j < pairs.length; j++) this.countLinks(j, this.splitOf[pairs[j]]);
    for (let d = 0; d < u.length; d++) {
      if (others[d] === 0) continue;
      const mean = u[d] > 0 ? m2[d] / u[d] : fallback[d];
      u[d] += others[d];
      m2[d] += others[d] * mean;
    }
  }

  /** Whether node k's scheduler is tenant partitions (world/schedulers/partitioned.ts). */
  private partitionedAt(k: number, view: WorldView): boolean {
    return this.tenants !== undefined && view.nodes[k].scheduler === 'partitioned';
  }

  /**
   * Whether a tick reads server k's queue alone, not its load ({@link predictServerLoads}): a
   * tenant's partition (its share follows its demand under a reallocating policy) and a batching
   * node (world/schedulers/batching.ts: its measured busy time is batched, a request's part is not,
   * so its load at the pairs' one-request seconds overstates it — helper-73 measured a split ruled
   * out at ρ 1.6 that the batcher served, +46 to +86 % mean latency).
   */
  private queueAtTicks(k: number, view: WorldView): boolean {
    return this.partitionedAt(k, view) || view.nodes[k].batching !== undefined;
  }

  /**
   * The splits at the run's start, before anything is measured: as at a tick, with the declared
   * rates in place of the measured ones (`declared[i]`, each instance's mean arrival rate) — a
   * pair's rate is its instance's declared rate × the share the plan installed at the start gives
   * the pair, and a device's other work is what its own instances' plans keep local (declared
   * rate × the local candidate's share × the whole model's device seconds), and a server's (or a
   * tenant's partition's) load the other pairs' parts there (cost.ts `serverWaitAt`), and each link
   * of the route up the other pairs' transfers at their splits (cost.ts `linkWaitAt`); links and
   * queues are empty. Without the device's load (the unloaded figures) a pair whose server part runs slowly
   * (a tenant's share of a partitioned node) went all local at the start however many requests
   * the plan sent it, and overloaded its device (on paper-edelear.yaml, seed 1: dev-2 offered
   * ρ = 1.67 over the first 5 s interval, 8 s of work queued). A policy that decides once keeps this
   * split for the run. Work of instances that are never split counts on their nodes ({@link countNeverSplit}); they send nothing (every candidate of an instance other than its device is a pair).
   * Passes over the pairs until no split changes (at most {@link START_PASSES}): each pair decides
   * against the others' splits as they stand. O(passes × pairs × (candidates + L)).
   */
  decideAtStart(view: WorldView, declared: Float64Array): void {
    this.fold();
    this.lastDecision = view.now;
    const nodes = view.nodes.length;
    if (this.predicted.length !== nodes) this.predicted = new Float64Array(nodes);
    const { predicted, rate, pairs, table } = this;
    predicted.fill(0);
    let instance = -1;
    for (let j = 0; j < pairs.length; j++) {
      const p = pairs[j];
      const i = this.instanceOf[j];
      const c = this.spec.choices[p]!;
      const count = table.count(i);
      if (i !== instance) {
        instance = i;
        if (this.fractions.length < count) this.fractions = new Float64Array(count);
        table.fractions(i, this.fractions);
        // The instance's own-device candidate: its whole model on the device.
        for (let o = 0; o < count; o++) {
          const share = this.fractions[o] === this.fractions[o] ? this.fractions[o] : 1 / count; // a plan decided per request: each candidate alike
          if (table.candidates[table.start[i] + o] === this.deviceOf[j] && share > 0 && c.deviceSeconds[c.layers] < Infinity) predicted[this.deviceOf[j]] += (declared[i] * share * c.deviceSeconds[c.layers]) / c.deviceSlots;
        }
      }
      const share = this.fractions[p - table.start[i]];
      // A plan decided per request: each candidate alike.
      rate[j] = declared[i] * (share === share ? share : 1 / count);
      if (c.deviceSeconds[this.splitOf[p]] < Infinity) predicted[this.deviceOf[j]] += (rate[j] * c.deviceSeconds[this.splitOf[p]]) / c.deviceSlots;
    }
    this.serverPredicted.clear();
    this.countNeverSplit(view, declared);
    for (let j = 0; j < pairs.length; j++) {
      const { key, speed, pool } = this.serverSide(j, view);
      const part = this.serverPart(j, this.splitOf[pairs[j]], speed);
      const u = part < Infinity ? (rate[j] * part) / pool : 0;
      this.serverPredicted.set(key, (this.serverPredicted.get(key) ?? 0) + u);
      this.serverKeyOf[j] = key;
      this.serverLoadOf[j] = u;
    }
    const directed = 2 * this.links.specs.length;
    if (this.linkUtilization.length !== directed) (this.linkUtilization = new Float64Array(directed)), (this.linkSecondMoment = new Float64Array(directed));
    this.linkUtilization.fill(0);
    this.linkSecondMoment.fill(0);
    this.linkRouteOf.fill(-1);
    for (let j = 0; j < pairs.length; j++) this.countLinks(j, this.splitOf[pairs[j]]);
    this.linkBusyAtDecision = Float64Array.from({ length: directed }, (_, d) => this.links.busyUntil(d, view.now));
    // Passes until no split changes (each pair decided against the others' splits as they now
    // are): one pass left an early pair deciding against later pairs' whole models on a server
    // they then left (two cameras both all local, the edge idle).
    let changed = 0;
    const cap = this.spec.startPasses ?? START_PASSES;
    for (this.startPasses = 0; this.startPasses < cap; ) {
      this.startPasses++;
      changed = 0;
      for (let j = 0; j < pairs.length; j++) {
        const before = this.splitOf[pairs[j]];
        this.decidePair(j, view, false);
        if (this.splitOf[pairs[j]] !== before) changed++;
      }
      if (changed === 0) break;
    }
    if (changed > 0) {
      const then = this.spec.replans ? 'the ticks (policies.interval) decide them again from what they measure' : 'they hold for the run (no policies.interval)';
      this.warnings.set(
        'start-passes',
        `model partitioning's start splits were still changing after ${cap} passes over the ${pairs.length} pairs that may be split (${changed} changed in the last pass): the run starts from the last pass's splits, which may load a device or server more than a settled choice would; ${then}`,
      );
    }
    this.sinceDecision.fill(0);
  }

  /**
   * At the start, the declared load of the instances that are never split (no pair of theirs has a
   * split choice: a one-layer model, a workload computing where it is) on the nodes their plans
   * send them to: each candidate's share of the declared rate × its execution's one-slot seconds
   * there, over the node's slots — on a device, its other work ({@link predicted}); on a server,
   * what the pairs' parts queue behind (a partitioned node's tenant: over its share). Without it a
   * split was decided against an edge the scenario's own local workloads kept busy. Links: not
   * counted (their transfers are the pairs' only). O(candidates of those instances).
   */
  private countNeverSplit(view: WorldView, declared: Float64Array): void {
    const { table, predicted } = this;
    const split = new Uint8Array(this.workloads.length);
    for (const i of this.instanceOf) split[i] = 1;
    for (let i = 0; i < this.workloads.length; i++) {
      if (split[i] === 1 || !(declared[i] > 0)) continue;
      const wl = this.workloads[i];
      const count = table.count(i);
      if (this.fractions.length < count) this.fractions = new Float64Array(count);
      table.fractions(i, this.fractions);
      for (let o = 0; o < count; o++) {
        const share = this.fractions[o] === this.fractions[o] ? this.fractions[o] : 1 / count; // a plan decided per request: each candidate alike
        if (!(share > 0)) continue;
        const k = table.candidates[table.start[i] + o];
        const node = view.nodes[k];
        const run = executionAt(wl, o);
        const seconds = slotSeconds(node, run.flops, run.precision);
        if (seconds === undefined) continue;
        const u = (declared[i] * share * seconds) / node.slots; // busy share of the whole node
        predicted[k] += u;
        if (this.partitionedAt(k, view)) {
          const partition = this.tenants!.shareOf(k, wl.group);
          const key = k * this.tenantKeys + wl.group + 1;
          if (partition > 0) this.serverPredicted.set(key, (this.serverPredicted.get(key) ?? 0) + u / partition);
        } else {
          const key = k * this.tenantKeys;
          this.serverPredicted.set(key, (this.serverPredicted.get(key) ?? 0) + u);
        }
      }
    }
  }

  /**
   * Pair p's device moved (mobility; its plans were forgotten): its route from the new access
   * point, its choice when its `nearest` candidate changed, and its split, decided again now — when
   * the policy decides once, from idle links and servers and the devices' declared load as the
   * start left it; else from the view now, the rates and loads as of the last tick (the next tick
   * decides every pair again). O(route length + L).
   */
  moved(p: number, view: WorldView): void {
    const j = this.indexOf[p];
    if (j < 0) return;
    this.fold(); // the requests born so far count with the split they had
    const i = this.instanceOf[j];
    const device = this.deviceOf[j];
    const server = this.table.candidates[p];
    const choiceAt = this.spec.choiceAt;
    if (choiceAt !== undefined) (this.spec.choices as (SplitChoice | undefined)[])[p] = choiceAt(i, p, server);
    this.routeOf[j] = this.routes.id(device, server, this.inputBytes[j]);
    if (this.predicted.length === 0) return; // before the first decision (the run's start decides it)
    this.decidePair(j, view, this.spec.replans);
  }

  /**
   * Where pair j's server part runs: the key of its tenant's partition on a partitioned node (its
   * speed the share × slots, served one job at a time) or of the whole node (one slot's speed, its
   * slots pooled). O(1).
   */
  private serverSide(j: number, view: WorldView): { key: number; speed: number; pool: number } {
    const p = this.pairs[j];
    const c = this.spec.choices[p]!;
    const server = this.table.candidates[p];
    const keys = this.tenantKeys;
    if (this.partitionedAt(server, view)) {
      const t = this.tenantOf[j];
      return { key: server * keys + t + 1, speed: this.tenants!.shareOf(server, t) * c.serverSlots, pool: 1 };
    }
    return { key: server * keys, speed: 1, pool: c.serverSlots };
  }

  /** Counts pair j's transfers up at split k (its rate, its route now) on its route's links, after taking back what it counted before. O(route length). */
  private countLinks(j: number, k: number): void {
    this.uncountLinks(j);
    const c = this.spec.choices[this.pairs[j]]!;
    const bits = k === c.layers ? 0 : 8 * c.liveBytes[k];
    const rate = this.rate[j];
    const route = this.routeOf[j];
    this.addLinks(route, bits, rate, 1);
    this.linkRouteOf[j] = route;
    this.linkBitsOf[j] = bits;
    this.linkRateOf[j] = rate;
  }

  /** Takes pair j's transfers up off the links they were counted on. O(route length). */
  private uncountLinks(j: number): void {
    const route = this.linkRouteOf[j];
    if (route < 0) return;
    this.addLinks(route, this.linkBitsOf[j], this.linkRateOf[j], -1);
    this.linkRouteOf[j] = -1;
  }

  /** Adds (sign 1) or takes off (−1) transfers of `bits` at `rate` on every directed link of a route, never below 0. */
  private addLinks(route: number, bits: number, rate: number, sign: 1 | -1): void {
    if (bits === 0 || rate === 0) return;
    const data = this.routes.data;
    for (let h = 0; h < data[route]; h++) {
      const d = data[route + 1 + h];
      if (this.links.specs[d >> 1].analytic !== undefined) continue; // its delay follows its model, not the traffic: no queue
      const s = bits / this.links.specs[d >> 1].bandwidth;
      this.linkUtilization[d] = Math.max(0, this.linkUtilization[d] + sign * rate * s);
      this.linkSecondMoment[d] = Math.max(0, this.linkSecondMoment[d] + sign * rate * s * s);
    }
  }

  /** Seconds of pair j's server part at split k and the speed given (0 at k = L; Infinity at speed 0 or where the server cannot run it). */
  private serverPart(j: number, k: number, speed: number): number {
    const c = this.spec.choices[this.pairs[j]]!;
    if (k === c.layers) return 0;
    const s = c.serverSeconds[k];
    return speed === 1 ? s : speed > 0 ? s / speed : Infinity;
  }

  /**
   * Decides pair j's split (one step of {@link decide}), the device's load from `predicted` and
   * `rate` as the caller left them; `live`: with the links' backlogs and the jobs queued now
   * (else as if every link and queue were idle: the start, or a policy that decides once).
   */
  private decidePair(j: number, view: WorldView, live: boolean): void {
    const { links, routes, inputs } = this;
    const net = inputs.network;
    const data = routes.data;
    const predicted = this.predicted;
    const p = this.pairs[j];
    const c = this.spec.choices[p]!;
    const route = this.routeOf[j];
    const len = data[route];
    let upSpb = 0;
    let upDelay = 0;
    let downSpb = 0;
    let downDelay = 0;
    for (let h = 0; h < len; h++) {
      const d = data[route + 1 + h];
      const bw = links.specs[d >> 1].bandwidth;
      upSpb += 1 / bw;
      downSpb += 1 / bw;
      upDelay += links.delay(d);
      downDelay += links.delay(d ^ 1);
      if (live) {
        // The way up's backlogs are in the links' load when it is modelled (a hop's wait the longer of its backlog and its P-K wait).
        if (this.linkUtilization.length === 0) upDelay += view.linkBacklog(d);
        downDelay += view.linkBacklog(d ^ 1);
      }
    }
    const first = data[route + 1];
    net.upSecondsPerBit = upSpb;
    net.upDelay = upDelay;
    net.downSecondsPerBit = downSpb;
    net.downDelay = downDelay;
    net.txJoulesPerBit = len > 0 ? links.txEnergyPerBit(first) : 0;
    net.rxJoulesPerBit = len > 0 ? links.rxEnergyPerBit(first ^ 1) : 0;
    const server = this.table.candidates[p];
    if (this.partitionedAt(server, view)) {
      // The tenant's part runs at its share × slots slot-speeds and waits behind its own jobs only,
      // served one at a time: the FCFS expected wait on one server, jobs × service / speed.
      const t = this.tenantOf[j];
      const speed = this.tenants!.shareOf(server, t) * c.serverSlots;
      const jobs = live ? this.tenants!.jobsOf(server, t) : 0;
      inputs.serverSpeed = speed;
      inputs.serverWait = jobs === 0 ? 0 : speed > 0 ? (jobs * c.serverServiceSeconds) / speed : Infinity;
    } else {
      const jobs = live ? view.jobs(server) : 0;
      inputs.serverSpeed = 1;
      inputs.serverWait = jobs < c.serverSlots ? 0 : ((jobs - c.serverSlots + 1) * c.serverServiceSeconds) / c.serverSlots;
    }
    const device = this.deviceOf[j];
    const rate = this.rate[j];
    const load = inputs.device;
    const slots = c.deviceSlots;
    const own = c.deviceSeconds[this.splitOf[p]];
    load.rate = rate;
    load.utilization = Math.max(0, predicted[device] - (rate * own) / slots);
    load.otherSeconds = c.deviceSeconds[c.layers] < Infinity ? c.deviceSeconds[c.layers] : 0;
    // The mean job in force: the other work's jobs (rate u·c / otherSeconds) and the pair's parts (rate λ, `own` each).
    const otherRate = load.otherSeconds > 0 ? (load.utilization * slots) / load.otherSeconds : 0;
    const pairRate = own > 0 ? rate : 0;
    const job = otherRate + pairRate > 0 ? (load.utilization * slots + pairRate * own) / (otherRate + pairRate) : 0;
    const queued = live ? view.jobs(device) : 0;
    load.backlog = queued < slots ? 0 : ((queued - slots + 1) * job) / slots;
    // The server's load, the pair's own part taken out: not live (the start, or a policy that decides
    // once), at the declared rates; live, on a whole FCFS server, at the measured ones (predictServerLoads).
    const side = !live || !this.queueAtTicks(server, view) ? this.serverSide(j, view) : undefined;
    // The pair's own part taken out where it was counted (its server before a move, if it moved; also when it now reads a queue only).
    const was = this.serverKeyOf[j];
    if (was >= 0) {
      this.serverPredicted.set(was, Math.max(0, (this.serverPredicted.get(was) ?? 0) - this.serverLoadOf[j]));
      this.serverKeyOf[j] = -1;
      this.serverLoadOf[j] = 0;
    }
    if (side !== undefined) {
      const sl = this.serverLoad;
      // A server no pair held at the last tick (a move): its measured utilization is all other work.
      if (live && !this.serverPredicted.has(side.key)) {
        const u = view.utilization(server);
        this.serverPredicted.set(side.key, u === u ? u : 0);
      }
      sl.rate = rate;
      sl.pool = side.pool;
      sl.utilization = this.serverPredicted.get(side.key) ?? 0;
      sl.otherSeconds = this.serverPart(j, 0, side.speed);
      inputs.server = sl.otherSeconds < Infinity ? sl : undefined;
    } else {
      inputs.server = undefined;
    }
    // The route's links up, the pair's own transfers taken out: at the declared rates (not live), or
    // the measured ones with each hop's backlog now (live: predictLinkLoads).
    const modelsLinks = this.linkUtilization.length > 0;
    if (modelsLinks) {
      this.uncountLinks(j);
      const ll = this.linkLoad;
      if (ll.bandwidth.length < len) (ll.bandwidth = new Float64Array(len)), (ll.utilization = new Float64Array(len)), (ll.secondMoment = new Float64Array(len)), (this.linkBacklogs = new Float64Array(len));
      for (let h = 0; h < len; h++) {
        const d = data[route + 1 + h];
        // An analytic link does not queue (world/analytic-link.ts): no load, no wait, whatever is sent.
        const analytic = links.specs[d >> 1].analytic !== undefined;
        ll.bandwidth[h] = analytic ? Infinity : links.specs[d >> 1].bandwidth;
        ll.utilization[h] = analytic ? 0 : this.linkUtilization[d];
        ll.secondMoment[h] = analytic ? 0 : this.linkSecondMoment[d];
        if (live) this.linkBacklogs[h] = analytic ? 0 : view.linkBacklog(d);
      }
      ll.hops = len;
      ll.rate = rate;
      ll.backlog = live ? this.linkBacklogs : undefined;
      inputs.links = ll;
    } else {
      inputs.links = undefined;
    }
    let k = c.choose(inputs);
    if (!(c.deviceSeconds[k] < Infinity && c.serverSeconds[k] < Infinity)) k = 0; // a part one end cannot run (all-local on a device lacking the precision): unsplit
    if (modelsLinks) this.countLinks(j, k);
    predicted[device] = load.utilization + (rate * c.deviceSeconds[k]) / c.deviceSlots;
    if (side !== undefined) {
      const part = this.serverPart(j, k, side.speed);
      const u = part < Infinity ? (rate * part) / side.pool : 0;
      this.serverPredicted.set(side.key, this.serverLoad.utilization + u);
      this.serverKeyOf[j] = side.key;
      this.serverLoadOf[j] = u;
    }
    if (k !== this.splitOf[p]) {
      this.splitOf[p] = k;
      this.changed(p, k);
    }
  }

  /**
   * Each pair's rate over the coming interval and each device's predicted utilization with every
   * pair at the split it holds (see {@link decide}); all 0 when `dt` is 0 (nothing measured yet).
   */
  private predictLoads(view: WorldView, dt: number): void {
    const nodes = view.nodes.length;
    if (this.predicted.length !== nodes) this.predicted = new Float64Array(nodes);
    const { predicted, rate, pairs, table } = this;
    predicted.fill(0);
    rate.fill(0);
    if (!(dt > 0)) return;
    let instance = -1;
    for (let j = 0; j < pairs.length; j++) {
      const p = pairs[j];
      const i = this.instanceOf[j];
      if (i !== instance) {
        instance = i;
        const count = table.count(i);
        if (this.fractions.length < count) this.fractions = new Float64Array(count);
        table.fractions(i, this.fractions);
      }
      const share = this.fractions[p - table.start[i]];
      const r = view.arrivalRate(i);
      rate[j] = r === r && share === share ? r * share : this.sinceDecision[p] / dt;
    }
    for (let j = 0; j < pairs.length; j++) {
      const d = this.deviceOf[j];
      const u = view.utilization(d);
      predicted[d] = u === u ? u : 0;
    }
    for (let j = 0; j < pairs.length; j++) {
      const p = pairs[j];
      const c = this.spec.choices[p]!;
      predicted[this.deviceOf[j]] -= (this.sinceDecision[p] * c.deviceSeconds[this.splitOf[p]]) / (dt * c.deviceSlots);
    }
    for (let j = 0; j < pairs.length; j++) if (predicted[this.deviceOf[j]] < 0) predicted[this.deviceOf[j]] = 0;
    for (let j = 0; j < pairs.length; j++) {
      const p = pairs[j];
      const c = this.spec.choices[p]!;
      predicted[this.deviceOf[j]] += (rate[j] * c.deviceSeconds[this.splitOf[p]]) / c.deviceSlots;
    }
  }

  /** The instance of the j-th pair that may be split (reports). */
  pairsWithChoice(): { pair: number; instance: number }[] {
    return Array.from(this.pairs, (pair, j) => ({ pair, instance: this.instanceOf[j] }));
  }
}
