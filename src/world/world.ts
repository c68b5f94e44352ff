import type { Distribution } from '../core/distributions.ts';
import { exponential, gamma, lognormalMeanCv } from '../core/distributions.ts';
import type { Rng } from '../core/random.ts';
import { RandomStreams } from '../core/random.ts';
import { Simulator } from '../core/simulator.ts';
import type { LinkSpec } from './link.ts';
import { BYTES_PER_ELEMENT, type Precision } from './model.ts';
import { nodeEnergy, type NodeSpec } from './node.ts';
import { RequestPool } from './request.ts';
import { type Route, Topology } from './topology.ts';
import type { ComputeTimeSpec, WorkloadSpec } from './workload.ts';
import { ArrivalGenerator } from './workload.ts';

/** The event kinds of the world: one discriminated union of small integers, one handler each. */
export const EventKind = {
  /** subject = workload instance: a request is born on its device. */
  Arrival: 0,
  /** subject = request: the request reached the far end of the link it was on. */
  HopDone: 1,
  /** subject = request: its computation finished at the executing node. */
  ComputeDone: 2,
  /** subject = node: the node fails. */
  NodeFail: 3,
  /** subject = node: the node is repaired. */
  NodeRepair: 4,
  /** subject = node: the node's battery may be empty by now. */
  BatteryCheck: 5,
  /** subject unused: the warm-up period ends, statistics restart. */
  WarmupEnd: 6,
  /** subject = callback slot: a step of a process such as a federated-learning round. */
  Callback: 7,
} as const;

/** How a process step ended: false when a node on the way was down or a link dropped it. */
export type StepDone = (ok: boolean, now: number) => void;

/** Why a request was dropped. */
export const DROP_REASONS = ['node-down', 'battery-empty', 'memory-full', 'queue-full', 'link-congested'] as const;
/** One of {@link DROP_REASONS}. */
export type DropReason = (typeof DROP_REASONS)[number];

/** Fed by the world as requests end; implemented by metrics collectors. */
export interface RequestObserver {
  /** A request was born (after its workload instance's device was found up). */
  generated(world: World, r: number): void;
  /** A request's result reached its device; the pool slot is still readable. */
  completed(world: World, r: number, now: number): void;
  /** A request was lost. */
  dropped(world: World, r: number, reason: DropReason, now: number): void;
  /** Warm-up ended: statistics gathered so far are discarded. */
  reset(world: World, now: number): void;
}

/** Everything the world is built from, in SI units with names resolved to indices. */
export interface WorldSpec {
  readonly nodes: readonly NodeSpec[];
  readonly links: readonly LinkSpec[];
  readonly workloads: readonly WorkloadSpec[];
  /** Executing node of each workload instance (a fixed placement). */
  readonly targets: Int32Array;
  /** Simulated time, s. */
  readonly duration: number;
  /** Statistics ignore what happens before this time, s. */
  readonly warmup: number;
  readonly seed: number;
}

/** Per-node totals since the start of the run (integrals are exact for piecewise-constant signals). */
export interface NodeTotals {
  /** ∫ min(N, slots) dt: slot-seconds of computing. */
  busyArea: number;
  /** ∫ max(0, N − slots) dt: request-seconds of waiting for a slot. */
  queueArea: number;
  /** Time the node was up (powered), s. */
  upTime: number;
  /** Radio energy for sending and receiving, J. */
  radioTx: number;
  radioRx: number;
  /** Requests computed. */
  served: number;
}

/**
 * The simulated deployment: nodes, links, workloads and the life of every request, as
 * event handlers on a {@link Simulator}. Names are resolved to indices when the world
 * is built; the hot path touches typed arrays only.
 */
export class World {
  readonly sim = new Simulator(4096);
  readonly streams: RandomStreams;
  readonly requests = new RequestPool(1024);
  readonly topology: Topology;
  /** Requests born, completed and dropped since the start of the run. */
  generatedCount = 0;
  completedCount = 0;
  droppedCount = 0;

  // Nodes.
  private readonly inSystem: Int32Array;
  private readonly slotFree: Float64Array;
  private readonly slotStart: Int32Array;
  private readonly up: Uint8Array;
  /** 1 once a node's battery is empty (for good). */
  readonly dead: Uint8Array;
  private readonly nodeEpoch: Int32Array;
  private readonly lastUpdate: Float64Array;
  /** Running totals per node since t = 0, and a snapshot taken when warm-up ended. */
  readonly totals: NodeTotals[];
  readonly totalsAtWarmup: NodeTotals[];
  private readonly memoryInUse: Float64Array;
  /** Peak memory in use per node since warm-up (weights + buffered requests), bytes. */
  readonly memoryPeak: Float64Array;
  /** Weights resident on each node (every model placed there, at its precision), bytes. */
  readonly residentBytes: Float64Array;
  private readonly batteryCheckAt: Float64Array;
  private readonly failureRng: Rng[];
  /** Time at which each battery node ran empty (Infinity if it did not). */
  readonly batteryEmptyAt: Float64Array;

  /** Admission limit on waiting requests per node (Infinity when unbounded). */
  private readonly queueLimit: Float64Array;

  // Links (per directed link).
  private readonly linkFree: Float64Array;
  /** Longest wait per link before a transfer is dropped (Infinity when unbounded). */
  private readonly linkMaxWait: Float64Array;
  /** Bytes per directed link since t = 0 (transmission time = bytes × 8 / bandwidth), and busy time and bytes at warm-up. */
  readonly linkBytes: Float64Array;
  readonly linkBusyAtWarmup: Float64Array;
  readonly linkBytesAtWarmup: Float64Array;

  // Workload instances.
  private readonly arrivals: ArrivalGenerator;
  private readonly serviceRng: Rng[];
  private readonly inputRng: Rng[];
  private readonly serviceMultiplier: (Distribution | undefined)[];
  /** Mean compute time of one request of each instance on its executing node, s. */
  readonly meanServiceTime: Float64Array;
  private readonly requestMemory: Float64Array;
  private readonly dynamicPowerPerSlot: Float64Array;
  private readonly routeLinks: Int32Array;
  private readonly routeStart: Int32Array;
  private readonly routeLength: Int32Array;

  private observer: RequestObserver;
  /** First request of the list of requests at each node (−1: none). */
  private readonly nodeHead: Int32Array;
  /** Requests dropped with their node whose completion events are still pending. */
  private zombies = 0;

  constructor(
    readonly spec: WorldSpec,
    observer: RequestObserver,
  ) {
    this.observer = observer;
    this.streams = new RandomStreams(spec.seed);
    const nodes = spec.nodes;
    const n = nodes.length;
    this.topology = new Topology(n, spec.links);
    this.inSystem = new Int32Array(n);
    this.nodeHead = new Int32Array(n).fill(-1);
    this.slotStart = new Int32Array(n + 1);
    nodes.forEach((node, i) => (this.slotStart[i + 1] = this.slotStart[i] + node.slots));
    this.slotFree = new Float64Array(this.slotStart[n]);
    this.up = new Uint8Array(n).fill(1);
    this.dead = new Uint8Array(n);
    this.nodeEpoch = new Int32Array(n);
    this.lastUpdate = new Float64Array(n);
    const zero = (): NodeTotals => ({ busyArea: 0, queueArea: 0, upTime: 0, radioTx: 0, radioRx: 0, served: 0 });
    this.totals = nodes.map(zero);
    this.totalsAtWarmup = nodes.map(zero);
    this.memoryInUse = new Float64Array(n);
    this.memoryPeak = new Float64Array(n);
    this.residentBytes = new Float64Array(n);
    this.batteryCheckAt = new Float64Array(n).fill(Infinity);
    this.batteryEmptyAt = new Float64Array(n).fill(Infinity);
    this.failureRng = nodes.map((_, i) => this.streams.stream('failures', i));

    this.queueLimit = Float64Array.from(nodes, (node) => node.queueLimit ?? Infinity);
    this.linkMaxWait = Float64Array.from(spec.links, (l) => l.maxWait ?? Infinity);
    const dl = 2 * spec.links.length;
    this.linkFree = new Float64Array(dl);
    this.linkBytes = new Float64Array(dl);
    this.linkBusyAtWarmup = new Float64Array(dl);
    this.linkBytesAtWarmup = new Float64Array(dl);

    const w = spec.workloads;
    const m = w.length;
    this.arrivals = new ArrivalGenerator(
      w.map((x) => x.arrivals),
      w.map((_, i) => this.streams.stream('arrivals', i)),
    );
    this.serviceRng = w.map((_, i) => this.streams.stream('service', i));
    this.inputRng = w.map((_, i) => this.streams.stream('inputs', i));
    this.serviceMultiplier = w.map((x) => unitMeanVariability(x.computeTime));
    this.meanServiceTime = new Float64Array(m);
    this.requestMemory = new Float64Array(m);
    this.dynamicPowerPerSlot = new Float64Array(m);
    this.routeStart = new Int32Array(m);
    this.routeLength = new Int32Array(m);
    const links: number[] = [];
    const resident = new Set<string>();
    w.forEach((wl, i) => {
      const target = spec.targets[i];
      const node = nodes[target];
      const throughput = node.throughput[wl.precision];
      if (throughput === undefined) {
        throw new Error(`node ${node.name} cannot run ${wl.model.name} at ${wl.precision}`);
      }
      this.meanServiceTime[i] = wl.model.flops / (throughput / node.slots);
      const scale = BYTES_PER_ELEMENT[wl.precision] / 4;
      this.requestMemory[i] = wl.inputBytes + wl.model.peakActivationBytes * scale;
      this.dynamicPowerPerSlot[i] = (node.power.busy - node.power.idle) / node.slots;
      const key = `${target}/${wl.model.name}/${wl.precision}`;
      if (!resident.has(key)) {
        resident.add(key);
        this.residentBytes[target] += wl.model.weightBytes(wl.precision);
      }
      const route = this.topology.route(wl.device, target, wl.inputBytes);
      if (!route) throw new Error(`no route from ${nodes[wl.device].name} to ${node.name}`);
      this.routeStart[i] = links.length;
      this.routeLength[i] = route.links.length;
      links.push(...route.links);
    });
    this.routeLinks = Int32Array.from(links);
    for (let i = 0; i < n; i++) {
      this.memoryInUse[i] = this.residentBytes[i];
      this.memoryPeak[i] = this.residentBytes[i];
    }

    const sim = this.sim;
    sim.on(EventKind.Arrival, (i, t) => this.onArrival(i, t));
    sim.on(EventKind.HopDone, (r, t) => this.onHopDone(r, t));
    sim.on(EventKind.ComputeDone, (r, t) => this.onComputeDone(r, t));
    sim.on(EventKind.NodeFail, (k, t) => this.onNodeFail(k, t));
    sim.on(EventKind.NodeRepair, (k, t) => this.onNodeRepair(k, t));
    sim.on(EventKind.BatteryCheck, (k, t) => this.onBatteryCheck(k, t));
    sim.on(EventKind.WarmupEnd, (_, t) => this.onWarmupEnd(t));
    sim.on(EventKind.Callback, (c, t) => {
      const fn = this.callbacks[c]!;
      this.callbacks[c] = undefined;
      this.freeCallbacks.push(c);
      fn(t);
    });

    for (let i = 0; i < m; i++) {
      const t = this.arrivals.first(i);
      if (t <= spec.duration) sim.scheduleAt(t, EventKind.Arrival, i);
    }
    nodes.forEach((node, k) => {
      if (node.failures) sim.scheduleAt(this.sampleExp(k, node.failures.mtbf), EventKind.NodeFail, k);
      if (node.battery !== undefined) this.updateBattery(k, 0);
    });
    if (spec.warmup > 0) sim.scheduleAt(spec.warmup, EventKind.WarmupEnd, 0);
  }

  /** Runs the whole scenario and brings every node's totals to the end time. */
  run(): void {
    this.sim.run({ until: this.spec.duration });
    const end = this.spec.duration;
    for (let k = 0; k < this.spec.nodes.length; k++) this.advance(k, end);
  }

  /** The executing node of a workload instance. */
  targetOf(instance: number): number {
    return this.spec.targets[instance];
  }

  /** Requests alive (born, neither completed nor dropped): pool slots in use less those already dropped with their node. */
  get inFlight(): number {
    return this.requests.active - this.zombies;
  }

  /**
   * Requests alive, counted independently of the counters: pending request events (one per
   * live request: on a link or at a node) less the completions of requests already dropped.
   */
  inFlightByEvents(): number {
    return this.sim.queue.count(EventKind.HopDone) + this.sim.queue.count(EventKind.ComputeDone) - this.zombies;
  }

  /** Transmission seconds of directed link d up to time t (≥ the last transfer's enqueue time). */
  linkBusyUntil(d: number, t: number): number {
    // Transfers queued at t run back to back until linkFree, so what lies beyond t is exactly that.
    const busy = (this.linkBytes[d] * 8) / this.spec.links[d >> 1].bandwidth;
    return busy - Math.max(0, this.linkFree[d] - t);
  }

  /** Total energy of node k from t = 0 to `now` (≥ the node's last update), J. */
  energyAt(k: number, now: number): number {
    this.advance(k, now);
    return this.energy(k);
  }

  /** Total energy of node k since t = 0, J: idle power while up, dynamic compute power, radio. */
  energy(k: number): number {
    const t = this.totals[k];
    return nodeEnergy(this.spec.nodes[k], t.upTime, t.busyArea, t.radioTx + t.radioRx);
  }

  // ----- processes beside the requests (federated learning…): low-rate, so closures are fine -----

  private readonly callbacks: (((now: number) => void) | undefined)[] = [];
  private readonly freeCallbacks: number[] = [];

  /** Runs `fn` at simulated time `time` (≥ now). */
  at(time: number, fn: (now: number) => void): void {
    const c = this.freeCallbacks.length > 0 ? this.freeCallbacks.pop()! : this.callbacks.length;
    this.callbacks[c] = fn;
    this.sim.scheduleAt(time, EventKind.Callback, c);
  }

  /** Whether node k is up (not failed, battery not empty). */
  isUp(k: number): boolean {
    return this.up[k] === 1;
  }

  /**
   * Sends `bytes` along a route, hop by hop, on the same FIFO links as the requests (so they
   * contend), charging radio energy; `done(false)` when a node on the way is down or a link
   * drops the transfer.
   */
  send(route: Route, bytes: number, now: number, done: StepDone): void {
    const hop = (h: number, t: number): void => {
      if (h === route.links.length) return done(true, t);
      const sender = route.nodes[h];
      if (!this.up[sender]) return done(false, t);
      const epoch = this.nodeEpoch[sender];
      const arrival = this.occupyLink(route.links[h], bytes, t);
      if (Number.isNaN(arrival)) return done(false, t);
      this.at(arrival, (t2) => {
        // Lost if the sender went down before it arrived, or the receiver is down.
        if (this.nodeEpoch[sender] !== epoch || !this.up[route.nodes[h + 1]]) return done(false, t2);
        hop(h + 1, t2);
      });
    };
    // Always answer from an event, never from inside this call.
    this.at(now, (t) => hop(0, t));
  }

  /**
   * Computes `flops` at node k and precision on the node's slots, FCFS with the requests
   * (so they contend), charging dynamic energy; `done(false)` when the node is down or
   * fails before the job ends.
   */
  compute(k: number, flops: number, precision: Precision, now: number, done: StepDone): void {
    const node = this.spec.nodes[k];
    const throughput = node.throughput[precision];
    if (throughput === undefined) throw new Error(`node ${node.name} has no ${precision} throughput`);
    if (!this.up[k]) return this.at(now, (t) => done(false, t));
    const epoch = this.nodeEpoch[k];
    const end = this.occupySlot(k, flops / (throughput / node.slots), now);
    if (node.battery !== undefined) this.updateBattery(k, now);
    this.at(end, (t) => {
      if (this.nodeEpoch[k] !== epoch) return done(false, t);
      this.leaveSlot(k, t);
      done(true, t);
    });
  }

  // ----- event handlers -----

  private onArrival(i: number, now: number): void {
    const wl = this.spec.workloads[i];
    const device = wl.device;
    if (this.dead[device]) return; // A device with an empty battery issues nothing more.
    const next = this.arrivals.next(i, now);
    if (next <= this.spec.duration) this.sim.scheduleAt(next, EventKind.Arrival, i);
    if (!this.up[device]) return; // Switched off while failed: no request is issued.
    const pool = this.requests;
    const r = pool.acquire(now, i);
    if (wl.inputs) pool.key[r] = wl.inputs.sample(this.inputRng[i]);
    this.generatedCount++;
    this.observer.generated(this, r);
    this.forward(r, i, now);
  }

  private onHopDone(r: number, now: number): void {
    const pool = this.requests;
    const i = pool.instance[r];
    const hop = ++pool.hop[r];
    const len = this.routeLength[i];
    const phase = pool.phase[r];
    const d = phase === 0 ? this.routeLinks[this.routeStart[i] + hop - 1] : this.routeLinks[this.routeStart[i] + len - hop] ^ 1;
    const link = this.spec.links[d >> 1];
    const reached = (d & 1) === 0 ? link.b : link.a;
    const sender = (d & 1) === 0 ? link.a : link.b;
    if (this.nodeEpoch[sender] !== pool.senderEpoch[r]) {
      this.drop(r, this.downReason(sender), now); // the sender went down before the payload arrived
      return;
    }
    if (!this.up[reached]) {
      this.drop(r, this.downReason(reached), now);
      return;
    }
    if (phase === 0) this.forward(r, i, now);
    else this.backward(r, i, now);
  }

  private onComputeDone(r: number, now: number): void {
    const pool = this.requests;
    if (pool.zombie[r]) {
      // Already dropped when its node went down: only the slot was waiting for this event.
      this.zombies--;
      pool.release(r);
      return;
    }
    const i = pool.instance[r];
    const k = this.spec.targets[i];
    this.unlinkFromNode(r, k);
    this.memoryInUse[k] -= pool.memory[r];
    this.totals[k].served++;
    this.leaveSlot(k, now);
    pool.phase[r] = 1;
    pool.hop[r] = 0;
    this.backward(r, i, now);
  }

  private onNodeFail(k: number, now: number): void {
    if (this.dead[k]) return;
    this.advance(k, now);
    this.goDown(k, now);
    const node = this.spec.nodes[k];
    this.sim.scheduleAt(now + this.sampleExp(k, node.failures!.mttr), EventKind.NodeRepair, k);
  }

  private onNodeRepair(k: number, now: number): void {
    if (this.dead[k]) return;
    this.advance(k, now);
    this.up[k] = 1;
    for (let s = this.slotStart[k]; s < this.slotStart[k + 1]; s++) this.slotFree[s] = now;
    const node = this.spec.nodes[k];
    this.sim.scheduleAt(now + this.sampleExp(k, node.failures!.mtbf), EventKind.NodeFail, k);
    if (node.battery !== undefined) this.updateBattery(k, now);
  }

  private onBatteryCheck(k: number, now: number): void {
    if (now !== this.batteryCheckAt[k] || this.dead[k]) return; // superseded by an earlier check
    this.batteryCheckAt[k] = Infinity;
    this.advance(k, now);
    this.updateBattery(k, now);
  }

  private onWarmupEnd(now: number): void {
    for (let k = 0; k < this.spec.nodes.length; k++) {
      this.advance(k, now);
      Object.assign(this.totalsAtWarmup[k], this.totals[k]);
      this.memoryPeak[k] = this.memoryInUse[k];
    }
    for (let d = 0; d < this.linkBytes.length; d++) this.linkBusyAtWarmup[d] = this.linkBusyUntil(d, now);
    this.linkBytesAtWarmup.set(this.linkBytes);
    this.observer.reset(this, now);
  }

  // ----- the life of a request -----

  /** Sends the input one hop further, or starts computing once at the executing node. */
  private forward(r: number, i: number, now: number): void {
    const hop = this.requests.hop[r];
    if (hop < this.routeLength[i]) {
      this.transmit(r, this.routeLinks[this.routeStart[i] + hop], this.spec.workloads[i].inputBytes, now);
    } else {
      this.startCompute(r, i, now);
    }
  }

  /** Sends the result one hop back towards the device, or completes the request there. */
  private backward(r: number, i: number, now: number): void {
    const hop = this.requests.hop[r];
    const len = this.routeLength[i];
    if (hop < len) {
      this.transmit(r, this.routeLinks[this.routeStart[i] + len - 1 - hop] ^ 1, this.spec.workloads[i].resultBytes, now);
    } else {
      this.complete(r, now);
    }
  }

  /** Sends a request's payload over directed link d; one event at the far end. */
  private transmit(r: number, d: number, bytes: number, now: number): void {
    const arrival = this.occupyLink(d, bytes, now);
    if (Number.isNaN(arrival)) {
      this.drop(r, 'link-congested', now);
      return;
    }
    const pool = this.requests;
    pool.senderEpoch[r] = this.nodeEpoch[(d & 1) === 0 ? this.spec.links[d >> 1].a : this.spec.links[d >> 1].b];
    pool.linkWait[r] += this.lastWait;
    pool.transfer[r] += arrival - now - this.lastWait;
    pool.energy[r] += this.lastEnergy;
    this.sim.scheduleAt(arrival, EventKind.HopDone, r);
  }

  /** Waiting time and radio energy of the last {@link occupyLink}, and waiting time of the last {@link occupySlot}. */
  private lastWait = 0;
  private lastEnergy = 0;

  /**
   * FIFO transmission on directed link d (Lindley: start = max(now, link free)); charges
   * radio energy to both ends. Returns the arrival time at the far end (transmission +
   * propagation), or NaN when the transfer would wait longer than the link's maxWait.
   */
  private occupyLink(d: number, bytes: number, now: number): number {
    const link = this.spec.links[d >> 1];
    const free = this.linkFree[d];
    const start = free > now ? free : now;
    if (start - now > this.linkMaxWait[d >> 1]) return NaN;
    const tx = (bytes * 8) / link.bandwidth;
    const done = start + tx;
    this.linkFree[d] = done;
    this.linkBytes[d] += bytes;
    const bits = bytes * 8;
    const txJ = bits * link.txEnergyPerBit;
    const rxJ = bits * link.rxEnergyPerBit;
    this.lastWait = start - now;
    this.lastEnergy = txJ + rxJ;
    if (txJ + rxJ > 0) {
      this.chargeRadio((d & 1) === 0 ? link.a : link.b, txJ, 0, now);
      this.chargeRadio((d & 1) === 0 ? link.b : link.a, 0, rxJ, now);
    }
    return done + link.delay;
  }

  /**
   * FCFS on node k's slots: takes the earliest free slot (Kiefer–Wolfowitz) for `service`
   * seconds and counts the job in the node's N. Returns the end time; the caller must
   * schedule the completion, which decrements N.
   */
  private occupySlot(k: number, service: number, now: number): number {
    this.advance(k, now);
    this.inSystem[k]++;
    let best = this.slotStart[k];
    const last = this.slotStart[k + 1];
    for (let s = best + 1; s < last; s++) if (this.slotFree[s] < this.slotFree[best]) best = s;
    const free = this.slotFree[best];
    const start = free > now ? free : now;
    const end = start + service;
    this.slotFree[best] = end;
    this.lastWait = start - now;
    return end;
  }

  /** A job (request or process) finished on node k's slots: the counterpart of {@link occupySlot}. */
  private leaveSlot(k: number, now: number): void {
    this.advance(k, now);
    this.inSystem[k]--;
    if (this.spec.nodes[k].battery !== undefined) this.updateBattery(k, now);
  }

  /** Computes a request at its executing node, if the node is up, admits it and has memory for it. */
  private startCompute(r: number, i: number, now: number): void {
    const k = this.spec.targets[i];
    const pool = this.requests;
    if (!this.up[k]) {
      this.drop(r, this.downReason(k), now);
      return;
    }
    const waiting = this.inSystem[k] - this.spec.nodes[k].slots;
    if (waiting >= this.queueLimit[k]) {
      this.drop(r, 'queue-full', now);
      return;
    }
    const mem = this.requestMemory[i];
    if (this.memoryInUse[k] + mem > this.spec.nodes[k].memory) {
      this.drop(r, 'memory-full', now);
      return;
    }
    const inUse = (this.memoryInUse[k] += mem);
    if (inUse > this.memoryPeak[k]) this.memoryPeak[k] = inUse;
    pool.memory[r] = mem;
    pool.epoch[r] = this.nodeEpoch[k];
    this.linkToNode(r, k);
    const mult = this.serviceMultiplier[i];
    const service = mult === undefined ? this.meanServiceTime[i] : this.meanServiceTime[i] * mult.sample(this.serviceRng[i]);
    const end = this.occupySlot(k, service, now);
    pool.nodeWait[r] = this.lastWait;
    pool.compute[r] = service;
    pool.energy[r] += this.dynamicPowerPerSlot[i] * service;
    if (this.spec.nodes[k].battery !== undefined) this.updateBattery(k, now);
    this.sim.scheduleAt(end, EventKind.ComputeDone, r);
  }

  private complete(r: number, now: number): void {
    const device = this.spec.workloads[this.requests.instance[r]].device;
    if (!this.up[device]) {
      this.drop(r, this.downReason(device), now);
      return;
    }
    this.completedCount++;
    this.observer.completed(this, r, now);
    this.requests.release(r);
  }

  private drop(r: number, reason: DropReason, now: number): void {
    this.droppedCount++;
    this.observer.dropped(this, r, reason, now);
    this.requests.release(r);
  }

  // ----- node state -----

  /** Integrates node k's piecewise-constant signals up to `now`. */
  private advance(k: number, now: number): void {
    const dt = now - this.lastUpdate[k];
    if (dt <= 0) return;
    this.lastUpdate[k] = now;
    if (!this.up[k]) return;
    const t = this.totals[k];
    const n = this.inSystem[k];
    const c = this.spec.nodes[k].slots;
    t.upTime += dt;
    if (n > 0) {
      t.busyArea += (n < c ? n : c) * dt;
      if (n > c) t.queueArea += (n - c) * dt;
    }
  }

  /** Charges radio energy to node k; a battery node that cannot pay for it all pays what is left and dies. */
  private chargeRadio(k: number, txJ: number, rxJ: number, now: number): void {
    if (!this.up[k]) return; // a node that is down neither sends nor receives
    const t = this.totals[k];
    const battery = this.spec.nodes[k].battery;
    if (battery !== undefined) {
      this.advance(k, now);
      const left = battery - this.energy(k);
      const cost = txJ + rxJ;
      if (cost > left) {
        const share = Math.max(0, left) / cost;
        txJ *= share;
        rxJ *= share;
      }
    }
    t.radioTx += txJ;
    t.radioRx += rxJ;
    if (battery !== undefined) this.updateBattery(k, now);
  }

  /** Why a request meeting down node k is lost. */
  private downReason(k: number): DropReason {
    return this.dead[k] ? 'battery-empty' : 'node-down';
  }

  private linkToNode(r: number, k: number): void {
    const pool = this.requests;
    const head = this.nodeHead[k];
    pool.prev[r] = -1;
    pool.next[r] = head;
    if (head >= 0) pool.prev[head] = r;
    this.nodeHead[k] = r;
  }

  private unlinkFromNode(r: number, k: number): void {
    const pool = this.requests;
    const prev = pool.prev[r];
    const next = pool.next[r];
    if (prev >= 0) pool.next[prev] = next;
    else this.nodeHead[k] = next;
    if (next >= 0) pool.prev[next] = prev;
  }

  /**
   * Takes node k down: the requests waiting or computing there are dropped now; their slots
   * stay taken until their pending completion events arrive (then they are released).
   */
  private goDown(k: number, now: number): void {
    this.up[k] = 0;
    this.nodeEpoch[k]++;
    this.inSystem[k] = 0;
    this.memoryInUse[k] = this.residentBytes[k];
    const pool = this.requests;
    const reason = this.downReason(k);
    for (let r = this.nodeHead[k]; r >= 0; r = pool.next[r]) {
      pool.zombie[r] = 1;
      this.zombies++;
      this.droppedCount++;
      this.observer.dropped(this, r, reason, now);
    }
    this.nodeHead[k] = -1;
  }

  /** Kills node k if its battery is empty, else schedules a check at the earliest time it could be. */
  private updateBattery(k: number, now: number): void {
    const node = this.spec.nodes[k];
    const capacity = node.battery!;
    const left = capacity - this.energy(k);
    const n = this.inSystem[k];
    const busySlots = n < node.slots ? n : node.slots;
    const power = this.up[k] ? node.power.idle + ((node.power.busy - node.power.idle) * busySlots) / node.slots : 0;
    const when = power > 0 ? now + left / power : Infinity;
    // Empty, or so nearly empty that the clock cannot represent the time left.
    if (left <= capacity * 1e-12 || when <= now) {
      this.dead[k] = 1;
      this.batteryEmptyAt[k] = now;
      this.goDown(k, now);
      return;
    }
    if (!this.up[k] || power <= 0) return;
    if (when < this.batteryCheckAt[k]) {
      this.batteryCheckAt[k] = when;
      if (when <= this.spec.duration) this.sim.scheduleAt(when, EventKind.BatteryCheck, k);
    }
  }

  private sampleExp(k: number, mean: number): number {
    return -Math.log(1 - this.failureRng[k]()) * mean;
  }
}

/** The mean-1 multiplier that gives compute times their variability (undefined: deterministic). */
function unitMeanVariability(spec: ComputeTimeSpec): Distribution | undefined {
  switch (spec.kind) {
    case 'deterministic':
      return undefined;
    case 'exponential':
      return exponential(1);
    case 'gamma':
      return gamma(1 / (spec.cv * spec.cv), spec.cv * spec.cv);
    case 'lognormal':
      return lognormalMeanCv(1, spec.cv);
  }
}

