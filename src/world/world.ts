import { RandomStreams, type Rng, StreamBank, type StreamName } from '../core/random.ts';
import { Simulator } from '../core/simulator.ts';
import type { AdmissionControl } from './admission.ts';
import { meanArrivalRate } from './offered-load.ts';
import { type AllocationPolicy, type AllocationState, ShareAllocation } from './allocation.ts';
import { Batteries } from './batteries.ts';
import { EventKind } from './events.ts';
import { Failures } from './failures.ts';
import { RequestLife } from './lifecycle.ts';
import { type DropReason, DROP_REASONS, type RequestObserver, type ResultCache } from './observer.ts';
import type { LinkSpec } from './link.ts';
import { Links } from './links.ts';
import { Mobility, type MobilitySpec } from './mobility.ts';
import { Transmission } from './transmission.ts';
import { NodeMeters, type NodeTotals } from './meters.ts';
import type { Precision } from './model.ts';
import type { NodeSpec } from './node.ts';
import { Partitioning, type PartitioningSpec } from './partitioning.ts';
import { PlacementTable, type PlacementSpec } from './placement.ts';
import { residentWeights, StagePlans } from './plans.ts';
import { DEFAULT_MAX_IN_FLIGHT, pileUp } from './limits.ts';
import { Processes, type StepDone } from './process.ts';
import { RequestPool } from './request.ts';
import { RouteTable } from './routes.ts';
import { NodeSchedulers } from './schedulers/index.ts';
import type { BatchCounts } from './schedulers/batching.ts';
import type { SchedulerHost } from './schedulers/scheduler.ts';
import { type Route, sharedTopology, type Topology } from './topology.ts';
import { WorldView } from './view.ts';
import { ArrivalWarmer, type TouchableStreams } from './warm.ts';
import { INSTANCE_FIELDS, InstanceTable } from './instances.ts';
import type { WorkloadSpec } from './workload.ts';
import { ARRIVAL_FIELDS, ArrivalGenerator } from './workload.ts';
import { float64ArrayOf, int32ArrayOf } from '../core/typed-arrays.ts';

export { DROP_REASONS, EventKind, type DropReason, type NodeTotals, type RequestObserver, type StepDone };

/** Everything the world is built from, in SI units with names resolved to indices. */
export interface WorldSpec {
  readonly nodes: readonly NodeSpec[];
  readonly links: readonly LinkSpec[];
  readonly workloads: readonly WorkloadSpec[];
  /** Where each workload instance's requests may execute, and the policy that decides. */
  readonly placement: PlacementSpec;
  /** Monitoring interval of re-planning policies, s (Infinity: they plan once). */
  readonly interval?: number;
  /** What sets the shares of partitioned nodes' compute per tenant (none: the declared shares stay). */
  readonly allocation?: AllocationPolicy;
  /** Simulated time, s. */
  readonly duration: number;
  /** Statistics ignore what happens before this time, s. */
  readonly warmup: number;
  readonly seed: number;
  /** The run stops when more requests than this are alive at once (default {@link DEFAULT_MAX_IN_FLIGHT}). */
  readonly maxInFlight?: number;
  /**
   * false: arrivals about to happen do not have their memory read ahead (world/warm.ts). For
   * benchmarks and tests that compare the two; the figures are the same either way.
   */
  readonly readAhead?: boolean;
  /** A result cache the plans look inputs up in (none: plans have no lookup stage). */
  readonly cache?: ResultCache;
  /** Where requests executed off their device are split between the device and that node (none: never). */
  readonly partitioning?: PartitioningSpec;
  /** Admission control at the nodes beyond their queue limits (none: nodes admit what queue limit and memory allow). */
  readonly admission?: AdmissionControl;
  /** Devices that move between access points (none: nothing moves). */
  readonly mobility?: MobilitySpec;
}

/**
 * The simulated deployment, assembled: the kernel, the nodes' meters, schedulers, batteries and
 * failures, the links, the request life and the processes beside it, and the view policies see.
 * It owns the event handlers (one per kind) and asks the placement policies when the run starts
 * and at every monitoring tick.
 */
export class World {
  readonly sim = new Simulator(4096);
  readonly streams: RandomStreams;
  readonly requests = new RequestPool(1024);
  readonly topology: Topology;
  readonly meters: NodeMeters;
  readonly links: Links;
  readonly batteries: Batteries;
  readonly view: WorldView;
  readonly placement: PlacementTable;
  private readonly life: RequestLife;
  private readonly processes: Processes;
  private readonly failures: Failures;
  private readonly schedulers: NodeSchedulers;
  private readonly allocation: ShareAllocation | undefined;
  /** The splits in force (undefined without a partitioning policy). */
  readonly partitioning: Partitioning | undefined;
  /** The moving devices: where each is attached, moves made, device-seconds per place (undefined without mobility). */
  readonly mobility: Mobility | undefined;

  constructor(
    readonly spec: WorldSpec,
    private readonly observer: RequestObserver,
  ) {
    const sim = this.sim;
    const nodes = spec.nodes;
    const w = spec.workloads;
    this.streams = new RandomStreams(spec.seed);
    this.topology = sharedTopology(nodes.length, spec.links);
    const meters = (this.meters = new NodeMeters(nodes));
    this.links = new Links(spec.links, nodes);
    // Radio energy taken back from a transmission (its node went down mid-way, or moved) is taken from the request that began it.
    this.links.onTakeBack = (r, joules) => {
      this.requests.energy[r] -= joules;
    };
    this.batteries = new Batteries(sim, meters, this.links, spec.duration, (k, now) => this.failures.goDown(k, now));

    this.view = new WorldView(sim, meters, this.batteries, this.links, w.length, spec.duration, spec.warmup, spec.interval);

    // Schedulers: one of each kind in use, serving its nodes.
    const admission = spec.admission;
    admission?.start(); // this run's books start empty
    const host: SchedulerHost = {
      sim,
      meters,
      pool: this.requests,
      finished: (k, job, now) => {
        if (this.requests.instance[job] < 0) return this.processes.ended(job, true, now);
        admission?.release(k, job); // the job's declared share is free again (policies/admission)
        this.life.computed(job, k, now);
      },
      lost: (k, job, now) => {
        if (this.requests.instance[job] < 0) return this.processes.ended(job, false, now);
        admission?.release(k, job);
        this.life.lostAtNode(job, k, now);
      },
      powerChanged: (k, now) => this.batteries.update(k, now),
    };
    const tenants = w.reduce((m, x) => Math.max(m, x.group + 1), 0) + 1;
    this.schedulers = new NodeSchedulers(host, tenants, spec.warmup);
    const schedulerOf = this.schedulers.of;
    const shares = this.schedulers.partitioned;
    if (shares) this.view.tenantShare = (k, t) => (nodes[k].scheduler === 'partitioned' ? shares.shareOf(k, t) : NaN);
    this.failures = new Failures(sim, meters, this.batteries, this.links, schedulerOf, lazyStreams(this.streams, 'failures', nodes.length));
    if (spec.cache?.clear) this.failures.onDown = (k) => spec.cache!.clear!(k);

    // Placement and plans: resident weights on every candidate of every instance.
    const p = spec.placement;
    const policyRng = lazyStreams(this.streams, 'policy', w.length);
    this.placement = new PlacementTable(p.candidates, p.start, (i) => policyRng(i)());
    residentWeights(w, p, nodes.length, spec.partitioning?.choices).forEach((b, k) => meters.setResident(k, b));
    const routes = new RouteTable(this.topology);
    const plans = new StagePlans(nodes, w, routes, this.placement, spec.cache, this.links);
    const safe = (k: number) => nodes[k].battery === undefined && nodes[k].failures === undefined;
    this.mobility = spec.mobility && new Mobility(spec.mobility, {
      sim,
      duration: spec.duration,
      links: this.links,
      routes,
      plans,
      placement: this.placement,
      topology: this.topology,
      workloads: w,
      safe,
      rng: lazyStreams(this.streams, 'mobility', spec.mobility.devices.length),
      arriveHome: (now) => this.life.arriveHome(now),
      emptyAt: this.batteries.emptyAt,
      handover: (now) => ({
        now,
        totals: meters.radio,
        up: meters.up,
        moved: (old, ap) => {
          for (const k of [old, ap]) {
            if (nodes[k].battery === undefined) continue;
            meters.advance(k, now);
            this.batteries.update(k, now);
          }
        },
      }),
    });
    // Every moving device at its first place before anything interns a route from it (partitioning takes its pairs' routes now).
    this.mobility?.start();
    const part = spec.partitioning && new Partitioning(spec.partitioning, this.placement, w, routes, this.links, (pair, k) => plans.setSplit(pair, k), this.schedulers.partitioned);
    this.partitioning = part?.active ? part : undefined;
    if (this.partitioning) plans.usePartitioning(spec.partitioning!.choices, this.partitioning.splitOf);
    if (this.partitioning && this.mobility) {
      const moving = this.partitioning;
      this.mobility.pairMoved = (pair) => moving.moved(pair, this.view);
    }
    // One record per instance: its arrival stream and process, what a request reads of it
    // (InstanceTable), then its compute-time and input-key streams when any instance draws them —
    // what a birth reads and draws, together.
    const drawsService = w.some((x) => x.serviceVariability !== undefined);
    const drawsInputs = w.some((x) => x.inputs !== undefined);
    const instanceAt = StreamBank.STATE + ARRIVAL_FIELDS;
    const serviceAt = instanceAt + INSTANCE_FIELDS;
    const inputsAt = serviceAt + (drawsService ? StreamBank.STATE : 0);
    const recordEnd = inputsAt + (drawsInputs ? StreamBank.STATE : 0);
    const instanceRecords = new StreamBank(this.streams, 'arrivals', w.length, recordEnd - StreamBank.STATE);
    const arrivals = new ArrivalGenerator(
      w.map((x) => x.arrivals),
      instanceRecords,
    );
    const instances = new InstanceTable(w, instanceRecords, instanceAt);
    const transmission = new Transmission(this.links, meters, this.batteries);
    const service: InstanceStreams = drawsService ? StreamBank.within(this.streams, 'service', w.length, instanceRecords, serviceAt) : new LazyStreams(this.streams, 'service', w.length);
    const queueLimit = float64ArrayOf(nodes, (n) => n.queueLimit ?? Infinity);
    const inputs: InstanceStreams = drawsInputs ? StreamBank.within(this.streams, 'inputs', w.length, instanceRecords, inputsAt) : new LazyStreams(this.streams, 'inputs', w.length);
    this.life = new RequestLife({
      sim,
      pool: this.requests,
      workloads: w,
      instances,
      duration: spec.duration,
      arrivals,
      meters,
      batteries: this.batteries,
      links: this.links,
      transmission,
      routes,
      plans,
      placement: this.placement,
      partitioning: this.partitioning,
      policies: p.policies,
      policyOf: p.policyOf,
      schedulerOf,
      queueLimit,
      admission: spec.admission,
      mobility: this.mobility,
      view: this.view,
      cache: spec.cache,
      observer,
      serviceRng: (i) => service.at(i),
      inputRng: (i) => inputs.at(i),
      maxInFlight: spec.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
      overflow: (now) => this.overflow(now),
    });
    this.processes = new Processes({
      sim,
      pool: this.requests,
      meters,
      batteries: this.batteries,
      links: this.links,
      transmission,
      schedulerOf,
      processTenant: tenants - 1,
    });

    const life = this.life;
    sim.on(EventKind.Arrival, (i, t) => life.onArrival(i, t));
    sim.on(EventKind.LinkStart, (r, t) => life.onLinkStart(r, t));
    sim.on(EventKind.HopDone, (r, t) => life.onHopDone(r, t));
    sim.on(EventKind.NodeFail, (k, t) => this.failures.onFail(k, t));
    sim.on(EventKind.NodeRepair, (k, t) => this.failures.onRepair(k, t));
    sim.on(EventKind.BatteryCheck, (k, t) => this.batteries.onCheck(k, t));
    sim.on(EventKind.WarmupEnd, (_, t) => this.onWarmupEnd(t));
    sim.on(EventKind.Callback, (c, t) => this.processes.onCallback(c, t));
    sim.on(EventKind.PolicyTick, (_, t) => this.onTick(t));
    if (this.mobility) {
      const mobility = this.mobility;
      sim.on(EventKind.Move, (j, t) => mobility.onMove(j, t));
      this.view.attachment = mobility.attachedTo;
    }

    // The commonest kinds by a switch whose arms V8 can inline; the kinds of caches and batching by a
    // second one, kept out of the first so that runs without them inline as before; the rest through
    // their handlers.
    const fcfs = this.schedulers.fcfs;
    const batching = this.schedulers.batching;
    const rarer = (kind: number, subject: number, t: number): void => {
      switch (kind) {
        case EventKind.LookupDone:
          return life.onLookupDone(subject, t);
        case EventKind.BatchDone:
          return batching !== undefined ? batching.onEvent(subject, t) : sim.handle(kind, subject, t);
        case EventKind.BatchTimer:
          return batching !== undefined ? batching.onTimer(subject, t) : sim.handle(kind, subject, t);
        default:
          return sim.handle(kind, subject, t);
      }
    };
    sim.dispatch = (kind, subject, t) => {
      switch (kind) {
        case EventKind.Arrival:
          return life.onArrival(subject, t);
        case EventKind.HopDone:
          return life.onHopDone(subject, t);
        case EventKind.FcfsDone:
          return fcfs !== undefined ? fcfs.onEvent(subject, t) : sim.handle(kind, subject, t);
        case EventKind.LinkStart:
          return life.onLinkStart(subject, t);
        default:
          return rarer(kind, subject, t);
      }
    };

    // Arrivals about to happen have what they will read fetched ahead (world/warm.ts): figures unchanged.
    const warmer = (this.warmer = new ArrivalWarmer({ instances, arrivals, service, inputs, meters, placement: this.placement, plans, routes, links: this.links, view: this.view, schedulerOf, queueLimit, partitioning: this.partitioning }));
    if (spec.readAhead !== false) sim.queue.onPromote = (kinds, subjects, count) => warmer.warmAll(kinds, subjects, count);

    // The partitioned nodes' shares at the start (the lp placement reads a tenant's share as its capacity), then the plan of every instance, by its policy, before the first request.
    const partitioned = this.schedulers.partitioned;
    this.allocation = spec.allocation && partitioned ? new ShareAllocation(partitioned, spec.allocation, spec) : undefined;
    this.allocation?.start();
    p.policies.forEach((policy, j) => policy.plan(this.view, this.placement, this.instancesOf(j)));
    for (let i = 0; i < w.length; i++) {
      const t = arrivals.first(i);
      if (t < spec.duration) sim.scheduleAt(t, EventKind.Arrival, i);
    }
    this.failures.start();
    nodes.forEach((_, k) => this.batteries.update(k, 0));
    // The splits from the load the declared rates put on devices and servers (idle links and queues), with the start shares of partitioned nodes.
    this.partitioning?.decideAtStart(this.view, Float64Array.from(w, (wl) => meanArrivalRate(wl.arrivals, spec.duration)));
    if (spec.warmup > 0) sim.scheduleAt(spec.warmup, EventKind.WarmupEnd, 0);
    const interval = spec.interval ?? Infinity;
    if (interval < spec.duration && (p.policies.some((x) => x.replans) || this.allocation?.reallocates || this.partitioningReplans)) {
      this.view.ticking = true;
      sim.scheduleAt(interval, EventKind.PolicyTick, 0);
    }
  }

  /** Whether the splits are re-decided at every monitoring tick. */
  private get partitioningReplans(): boolean {
    return this.partitioning !== undefined && this.spec.partitioning!.replans;
  }

  /** Reads ahead for arrivals about to happen (world/warm.ts). */
  readonly warmer: ArrivalWarmer;

  /** Why the run stopped before its duration (requests in flight past the limit), undefined when it ran to the end. */
  stopped: string | undefined;

  /** Simulated time the run reached: its duration, or when it was stopped. */
  get end(): number {
    return this.stopped === undefined ? this.spec.duration : this.sim.now;
  }

  /**
   * Runs the whole scenario (or until it is stopped) and brings every node's totals to the end
   * time. With `progress`, the run goes in `steps` slices of simulated time and tells it the time
   * between slices (the kernel stops at a slice's end and goes on from there: the same events in
   * the same order, none added).
   */
  run(progress?: (now: number) => void, steps = 1000): void {
    const duration = this.spec.duration;
    // No one looks at the world between a result's last hop being booked and its arrival — no
    // trace, no policy reading the view at requests; a tick first completes every result that has
    // arrived by then (onTick), so policies reading the view at ticks see it as if each arrival
    // had been an event — so it may complete when booked.
    const asksAtRequest = this.placement.asksAtRequest();
    this.view.tracksLatency = this.view.ticking || asksAtRequest;
    if (!this.observer.ordered && !asksAtRequest) {
      const nodes = this.spec.nodes;
      // A moving device's access link changes sender as it moves: early only when every place's access point never fails.
      const apsSafe = this.spec.mobility?.places.every((k) => nodes[k].battery === undefined && nodes[k].failures === undefined) ?? true;
      const moving = this.mobility?.attachedTo;
      this.life.allowEarlyCompletion(this.links.count, (k) => nodes[k].battery === undefined && nodes[k].failures === undefined && (apsSafe || moving === undefined || moving[k] < 0));
    }
    if (progress && duration > 0 && Number.isFinite(duration)) {
      for (let k = 1; k <= steps && this.stopped === undefined; k++) {
        this.sim.run({ until: k === steps ? duration : (k * duration) / steps });
        if (k < steps && this.stopped === undefined) progress(this.sim.now);
      }
    } else this.sim.run({ until: duration });
    const end = this.end;
    this.life.arriveHome(end); // results booked home ahead that arrived by the end (the rest are in flight)
    // Stopped during warm-up: the window is empty, so the snapshot is taken where the run ended.
    if (end < this.spec.warmup) this.onWarmupEnd(end);
    for (let k = 0; k < this.spec.nodes.length; k++) this.meters.advance(k, end);
    this.mobility?.settle(end);
    this.links.takeBackUnsentRadio(this.meters.radio, end);
  }

  /** More requests are alive than the limit allows: the run stops, naming where they pile up. */
  private overflow(now: number): void {
    this.stopped = `more than ${this.life.limit.toLocaleString('en-US')} requests in flight at t = ${now.toFixed(3)} s (limits.requestsInFlight): ${pileUp(this.meters, this.links, now)}`;
    this.sim.stop();
  }

  // ----- what the run measured (read by metrics) -----

  /** Requests born, completed and dropped since the start of the run. */
  get generatedCount(): number {
    return this.life.generated;
  }
  get completedCount(): number {
    return this.life.completed;
  }
  get droppedCount(): number {
    return this.life.dropped;
  }

  /** Requests alive (born, neither completed nor dropped), by the pool: its slots in use less process jobs. */
  get inFlight(): number {
    return this.requests.active - this.processes.jobs;
  }

  /** Requests alive, counted where they are: on links (by their pending link events, and results booked home ahead) and at nodes' schedulers. */
  inFlightByEvents(): number {
    const q = this.sim.queue;
    let atNodes = 0;
    for (let k = 0; k < this.spec.nodes.length; k++) atNodes += this.meters.jobs(k);
    return q.count(EventKind.LinkStart) + q.count(EventKind.HopDone) + this.life.bookedHome + this.life.lookingUp + atNodes - this.processes.jobs;
  }

  /** Transmission seconds of directed link d up to time t. */
  linkBusyUntil(d: number, t: number): number {
    return this.links.busyUntil(d, t);
  }

  /** Energy node k drew from t = 0 to `now` (≥ its last update), J: a transmission under way counts what it has sent or received (its radio draws over it). */
  energyAt(k: number, now: number): number {
    this.meters.advance(k, now);
    // A transmission's radio energy is charged when it begins: what those under way have not drawn by now is not spent yet.
    return this.meters.energy(k) - this.links.unsentRadio(k, now, this.spec.nodes.length);
  }

  /** Total energy of node k since t = 0 up to its last update, J. */
  energy(k: number): number {
    return this.meters.energy(k);
  }

  /** Tenant t's queue at partitioned node k over the measurement window up to the run's end (its serving time, completions, jobs now and at the window's start); undefined when k is not partitioned. */
  tenantWindow(k: number, t: number): { serving: number; completed: number; jobs: number; jobsAtStart: number } | undefined {
    const p = this.schedulers.partitioned;
    return p && this.spec.nodes[k].scheduler === 'partitioned' ? p.tenantWindow(k, t, this.end) : undefined;
  }

  /** Batches formed on each batching node over the measurement window (empty without batching nodes). */
  batchCounts(): BatchCounts[] {
    return this.schedulers.batching?.counts() ?? [];
  }

  /** Whether node k is up (not failed, battery not empty). */
  isUp(k: number): boolean {
    return this.meters.up[k] === 1;
  }

  // ----- processes beside the requests -----

  /** Runs `fn` at simulated time `time` (≥ now); returns a handle for {@link cancel}. */
  at(time: number, fn: (now: number) => void): number {
    return this.processes.at(time, fn);
  }

  /** Cancels a step scheduled with {@link at}. */
  cancel(handle: number): boolean {
    return this.processes.cancel(handle);
  }

  /** Sends `bytes` along a route on the links the requests use (see {@link Processes.send}). */
  send(route: Route, bytes: number, now: number, done: StepDone): void {
    this.processes.send(route, bytes, now, done);
  }

  /** Computes `flops` at node k on its scheduler (see {@link Processes.compute}). */
  compute(k: number, flops: number, precision: Precision, now: number, done: StepDone): void {
    this.processes.compute(k, flops, precision, now, done);
  }

  /** The allocation over the partitioned nodes, read-only: shares in force and demand measured at the last tick (undefined without partitioned nodes or an allocation policy). */
  get allocationState(): AllocationState | undefined {
    return this.allocation;
  }

  /** Gives a partitioned node's tenants (workload groups, then processes) new shares now. */
  setShares(k: number, shares: ArrayLike<number>, now: number): void {
    if (this.spec.nodes[k].scheduler !== 'partitioned') throw new Error(`node ${this.spec.nodes[k].name} is not partitioned`);
    this.schedulers.partitioned!.setShares(k, shares, now);
  }

  // ----- handlers -----

  private onWarmupEnd(now: number): void {
    this.meters.snapshot(now);
    this.schedulers.partitioned?.snapshot(now);
    this.links.snapshot(now);
    this.links.takeBackUnsentRadio(this.meters.radioAtWarmup, now);
    this.partitioning?.resetCounts();
    this.mobility?.restart(now);
  }

  private onTick(now: number): void {
    this.life.arriveHome(now, false); // results booked home that arrived before the tick: the view counts them before anyone reads it
    this.view.tick(now);
    this.allocation?.tick(now);
    const p = this.spec.placement;
    p.policies.forEach((policy, j) => {
      if (policy.replans) policy.plan(this.view, this.placement, this.instancesOf(j));
    });
    // The placement chose each instance's node; the splits of every (instance, node) pair follow the view.
    if (this.partitioningReplans) this.partitioning!.decide(this.view);
    const next = now + this.spec.interval!;
    if (next < this.spec.duration) this.sim.scheduleAt(next, EventKind.PolicyTick, 0);
  }

  private readonly instancesByPolicy = new Map<number, Int32Array>();

  /** Workload instances placed by policy j. */
  private instancesOf(j: number): Int32Array {
    let a = this.instancesByPolicy.get(j);
    if (!a) {
      const list: number[] = [];
      this.spec.placement.policyOf.forEach((x, i) => x === j && list.push(i));
      this.instancesByPolicy.set(j, (a = int32ArrayOf(list)));
    }
    return a;
  }
}

/**
 * Stream i of `name` for i < count, seeded on its first draw, as an Rng to draw from at once
 * and not keep (one shared function per bank: a million devices cost four numbers each).
 */
function lazyStreams(streams: RandomStreams, name: StreamName, count: number): (i: number) => Rng {
  return new LazyStreams(streams, name, count).at;
}

/** An instance's streams as the world draws from them (`at`) and reads them ahead (a `StreamBank`, or a {@link LazyStreams}). */
type InstanceStreams = TouchableStreams & { at(i: number): Rng };

/** Streams 0 … count − 1 of `name`, each seeded on its first draw; the bank is made on the first draw of any (a kind of stream no one uses costs nothing). */
class LazyStreams implements TouchableStreams {
  private bank: StreamBank | undefined;

  constructor(
    private readonly streams: RandomStreams,
    private readonly name: StreamName,
    private readonly count: number,
  ) {}

  /** Stream i, to draw from at once and not keep ({@link StreamBank.at}). */
  readonly at = (i: number): Rng => (this.bank ??= new StreamBank(this.streams, this.name, this.count, 0, true)).at(i);

  touch(i: number): number {
    return this.bank === undefined ? 0 : this.bank.touch(i);
  }
}
