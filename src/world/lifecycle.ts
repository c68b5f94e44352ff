import type { Rng } from '../core/random.ts';
import type { Simulator } from '../core/simulator.ts';
import type { AdmissionControl } from './admission.ts';
import type { Batteries } from './batteries.ts';
import type { InstanceTable } from './instances.ts';
import { EventKind } from './events.ts';
import { HomewardResults } from './homeward.ts';
import type { Links } from './links.ts';
import type { MovedDevices } from './mobility.ts';
import type { Transmission } from './transmission.ts';
import type { NodeMeters } from './meters.ts';
import type { Partitioning } from './partitioning.ts';
import type { PlacementPolicy, PlacementTable } from './placement.ts';
import { Stage, type StagePlans } from './plans.ts';
import type { RequestPool } from './request.ts';
import type { RouteTable } from './routes.ts';
import type { NodeScheduler } from './schedulers/scheduler.ts';
import type { DropReason, RequestObserver, ResultCache } from './observer.ts';
import type { WorldView } from './view.ts';
import type { ArrivalGenerator, WorkloadSpec } from './workload.ts';

/** The parts of the world a request lives in. */
export interface RequestWorld {
  readonly sim: Simulator;
  readonly pool: RequestPool;
  readonly workloads: readonly WorkloadSpec[];
  /** What a request reads of its instance, in its arrival stream's record (the same figures as `workloads`). */
  readonly instances: InstanceTable;
  readonly duration: number;
  readonly arrivals: ArrivalGenerator;
  readonly meters: NodeMeters;
  readonly batteries: Batteries;
  readonly links: Links;
  readonly transmission: Transmission;
  readonly routes: RouteTable;
  readonly plans: StagePlans;
  readonly placement: PlacementTable;
  /** The splits in force (none: no partitioning policy, every plan unsplit). */
  readonly partitioning: Partitioning | undefined;
  readonly policies: readonly PlacementPolicy[];
  readonly policyOf: Int32Array;
  readonly schedulerOf: readonly NodeScheduler[];
  /** Admission limit per node on jobs beyond its slots (Infinity when unbounded). */
  readonly queueLimit: Float64Array;
  /** Admission control beyond the queue limit (none: every node admits what its queue limit and memory allow). */
  readonly admission?: AdmissionControl;
  readonly view: WorldView;
  /** Moving devices: when each last moved, and whether what it has in flight is then lost (none: nothing moves). */
  readonly mobility?: MovedDevices;
  readonly cache: ResultCache | undefined;
  readonly observer: RequestObserver;
  /** Instance i's `service` and `inputs` streams (in its arrival stream's record when any instance draws them, else a bank made when first asked for; seeded on first draw). */
  readonly serviceRng: (i: number) => Rng;
  readonly inputRng: (i: number) => Rng;
  /** Most requests alive at once; past it `overflow` is called (and the run stops). */
  readonly maxInFlight: number;
  readonly overflow: (now: number) => void;
}

/**
 * The life of a request, top to bottom. It is born on its device (Arrival); the world asks the
 * placement policy for its executing node and gets the plan of stages for that pair (split between
 * its device and that node when a partitioning policy says so); the stages
 * run in order — a transfer hop by hop over FIFO links (LinkStart when it has to wait, HopDone at
 * the far end), a cache lookup, a compute at a node's scheduler — and when the plan ends the
 * result goes back over the transfers already made, in reverse, to the device, where the request
 * completes. It is dropped where a node is down, a buffer is full or memory is short.
 */
export class RequestLife {
  /** Results booked home ahead, completed when the world reaches their arrival. */
  private readonly homeward = new HomewardResults();

  /** Requests born, completed and dropped since the start of the run. */
  generated = 0;
  completed = 0;
  dropped = 0;

  /** Requests waiting for a lookup's time to pass (a LookupDone event each). */
  lookingUp = 0;

  /** The (instance, candidate) pair of the request being born (its device's own lookup, the plan's first stage, runs within its birth). */
  private arrivingPair = -1;

  constructor(private readonly w: RequestWorld) {
    if (w.cache) {
      w.cache.start(); // this run's caches start empty
      w.sim.on(EventKind.LookupDone, (r, t) => this.onLookupDone(r, t));
    }
  }

  /** Most requests alive at once before the run stops. */
  get limit(): number {
    return this.w.maxInFlight;
  }

  /**
   * Lets a result's last hop home be booked without an event of its own (one event fewer per
   * request), on links whose sender and receiver never fail nor run on a battery: nothing can then
   * happen to the request between the booking and the arrival, so its figures are the same. The
   * request stays in flight until the world reaches its arrival — the next birth ({@link arriveHome}
   * before the in-flight limit is checked), the next completion of another request, a monitoring
   * tick (before policies read the view) or the end of the run — and completes then, in arrival
   * order. Only while no one needs each completion at its own moment (a trace listing them as they
   * happen, or a policy reading the world view at each request): the caller says so.
   */
  allowEarlyCompletion(links: number, immortal: (k: number) => boolean): void {
    // Marked in the links' records (`Links.early`), which a hop reads anyway: no line of its own per hop home.
    const l = this.w.links;
    for (let d = 0; d < links; d++) if (l.eager(d) && immortal(l.receiver(d))) l.markEarly(d);
  }

  // ----- birth -----

  /** Arrival of workload instance i: the request is born and its plan starts. */
  onArrival(i: number, now: number): void {
    const w = this.w;
    const inst = w.instances;
    const device = inst.device(i);
    if (w.meters.dead[device]) return; // a device with an empty battery issues nothing more
    const next = w.arrivals.next(i, now);
    if (next < w.duration) w.sim.scheduleAt(next, EventKind.Arrival, i);
    if (!w.meters.up[device]) return; // switched off while failed: no request is issued
    const pool = w.pool;
    const r = pool.acquire(now, i);
    pool.tenant[r] = inst.group(i); // its workload: the collectors count it there, schedulers share by it
    const inputs = inst.inputsLaw(i);
    if (inputs >= 0) pool.key[r] = inst.laws[inputs].sample(w.inputRng(i));
    const mult = inst.serviceLaw(i);
    pool.serviceFactor[r] = mult < 0 ? 1 : inst.laws[mult].sample(w.serviceRng(i));
    this.generated++;
    if (this.homeward.nextTime <= now) this.arriveHome(now);
    if (this.generated - this.completed - this.dropped > w.maxInFlight) w.overflow(now);
    w.view.arrived(i);
    w.observer.generated(pool, r);
    // The decision points, in order: placement gives the executing node, and with it the plan.
    const table = w.placement;
    let pair = table.fixed[i];
    if (pair < 0) {
      let c = table.pick(i);
      if (c < 0) {
        c = w.policies[w.policyOf[i]].choose(w.view, table, i);
        // What the policy did, for reports (placement.ts `asked`): no plan says it in advance.
        if (now >= w.view.warmup) table.asked![table.start[i] + c]++;
      }
      pair = table.start[i] + c;
    }
    // Partitioning: the pair's plan is compiled for the split in force (re-decided at ticks); here it is only counted.
    if (w.partitioning !== undefined) w.partitioning.counted(pair);
    const plans = w.plans;
    const compiled = plans.planOf[pair];
    const plan = compiled >= 0 ? compiled : plans.planFor(i, pair);
    pool.planStart[r] = plan;
    pool.stage[r] = plan;
    this.arrivingPair = pair;
    this.forward(r, now);
  }

  // ----- the forward pass -----

  /** Runs request r's plan from its current stage until it waits for something or ends. */
  private forward(r: number, now: number): void {
    const { pool, plans } = this.w;
    for (;;) {
      const s = pool.stage[r];
      switch (plans.op(s)) {
        case Stage.Transfer: {
          const route = plans.arg(s);
          const hop = pool.hop[r];
          const data = this.w.routes.data;
          if (hop < data[route]) {
            this.transmit(r, data[route + 1 + hop], plans.amount(s), now, false);
            return;
          }
          pool.hop[r] = 0;
          pool.stage[r] = s + 1;
          break;
        }
        case Stage.Lookup: {
          const k = plans.arg(s);
          const cache = this.w.cache!;
          const hit = cache.lookup(k, pool.instance[r], pool.key[r], now);
          pool.energy[r] += cache.lookupEnergy(k);
          if (hit) {
            pool.servedFrom[r] = k;
            // A hit in its device's own cache at birth runs none of its plan: partitioning does not count it as split, local or remote.
            if (s === pool.planStart[r] && this.w.partitioning !== undefined) this.w.partitioning.answeredOnDevice(this.arrivingPair);
          }
          const t = cache.lookupTime(k);
          if (t > 0) {
            // The answer comes after the lookup's time, hit or miss; the node must stay up meanwhile.
            pool.senderEpoch[r] = this.w.meters.epoch[k];
            this.lookingUp++;
            this.w.sim.scheduleAt(now + t, EventKind.LookupDone, r);
            return;
          }
          if (hit) return this.served(r, s, now);
          pool.stage[r] = s + 1;
          break;
        }
        case Stage.Compute:
          this.startCompute(r, s, now);
          return;
        default:
          this.turnBack(r, now);
          return;
      }
    }
  }

  /** LookupDone: request r's lookup at its current stage's node is done: served on a hit, on with its plan on a miss. */
  onLookupDone(r: number, now: number): void {
    const { pool, plans, meters } = this.w;
    this.lookingUp--;
    const s = pool.stage[r];
    const k = plans.arg(s);
    if (!meters.up[k] || meters.epoch[k] !== pool.senderEpoch[r]) return this.drop(r, this.downReason(k), now);
    if (pool.servedFrom[r] === k) return this.served(r, s, now);
    pool.stage[r] = s + 1;
    this.forward(r, now);
  }

  /**
   * Request r's input hit the cache of its Lookup stage s: the result goes back from there with no
   * compute. The hit's savings against the plan without caches are the stage's figures plus the
   * computes it spared (the plan's work × the request's compute factor, and its dynamic energy).
   */
  private served(r: number, s: number, now: number): void {
    const { pool, plans } = this.w;
    // Every compute the hit spares (a split plan has two: the device's part and the server's).
    const factor = pool.serviceFactor[r];
    let seconds = 0;
    let joules = 0;
    for (let c = plans.computeAfter(s); ; c++) {
      const op = plans.op(c);
      if (op === Stage.End) break;
      if (op !== Stage.Compute) continue;
      const work = plans.amount(c) * factor;
      seconds += work;
      joules += plans.power(c) * work;
    }
    this.w.cache!.saved(plans.arg(s), pool.instance[r], plans.amount(s) + seconds, plans.memory(s) + joules, now);
    const first = pool.planStart[r];
    if (s === first) return this.completeInOrder(r, now); // a hit on its own device
    // The way back starts before the hit's stage, so the caches passed before it are offered the result.
    pool.stage[r] = s - 1;
    this.turnBack(r, now);
  }

  /** Computes at the stage's node, if it is up, admits the request and has memory for it. */
  private startCompute(r: number, s: number, now: number): void {
    const { pool, plans, meters } = this.w;
    const k = plans.arg(s);
    if (!meters.up[k]) return this.drop(r, this.downReason(k), now);
    // Admission control: the jobs beyond the node's slots may not exceed its queue limit.
    // Requests queued for a slot: under batching a running batch holds many jobs on one slot, so count the waiting ones.
    const queued = meters.batching[k] === 1 ? meters.waiting(k) : meters.jobs(k) - meters.slots[k];
    if (queued >= this.w.queueLimit[k]) return this.drop(r, 'queue-full', now);
    const i = pool.instance[r];
    const admission = this.w.admission;
    if (admission !== undefined && !admission.admit(k, r, i)) return this.drop(r, 'vm-capacity', now);
    const mem = plans.memory(s);
    if (!meters.reserve(k, mem)) {
      admission?.release(k, r);
      return this.drop(r, 'memory-full', now);
    }
    const work = plans.amount(s) * pool.serviceFactor[r];
    pool.memory[r] = mem;
    pool.node[r] = k;
    pool.work[r] = work;
    pool.compute[r] += work;
    const wait = this.w.schedulerOf[k].submit(k, r, now);
    // Known on entry (FCFS); under other schedulers it is the time at the node beyond the work, measured when done.
    if (wait === wait) {
      pool.nodeWait[r] += wait;
      pool.computeAt[r] = NaN;
    } else pool.computeAt[r] = now;
    if (meters.onBattery[k] === 1) this.w.batteries.update(k, now);
  }

  /** Request r finished its compute at node k (called by the node's scheduler). */
  computed(r: number, k: number, now: number): void {
    const pool = this.w.pool;
    const at = pool.computeAt[r];
    if (at === at) pool.nodeWait[r] += now - at - pool.work[r];
    this.w.meters.release(k, pool.memory[r]);
    this.w.meters.countServed(k);
    // Charged when the work is done: a request lost at a node is not charged work it never got.
    pool.energy[r] += this.w.plans.power(pool.stage[r]) * pool.work[r];
    pool.stage[r]++;
    this.forward(r, now);
  }

  /** Request r was at node k when it went down (the scheduler already let it go). */
  lostAtNode(r: number, k: number, now: number): void {
    this.drop(r, this.downReason(k), now);
  }

  // ----- links -----

  /** Queues request r's payload on directed link d; it begins now or at a LinkStart event. */
  private transmit(r: number, d: number, bytes: number, now: number, home: boolean): void {
    const { links, pool, meters } = this.w;
    // A receiver that is down takes nothing: the request is lost at the sender, unsent, its link idle and its radio spending nothing (helper-84: it was sent, paid for, and lost at the far end).
    const to = links.receiver(d);
    if (!meters.up[to]) return this.drop(r, this.downReason(to), now);
    const start = links.reserve(d, bytes, now);
    if (start !== start) return this.drop(r, 'link-congested', now);
    pool.link[r] = d;
    pool.senderEpoch[r] = meters.epoch[links.sender(d)];
    pool.linkWait[r] += start - now;
    if (start > now && !links.eager(d)) this.w.sim.scheduleAt(start, EventKind.LinkStart, r);
    else this.send(r, d, bytes, start, now, home);
  }

  /** LinkStart: request r's transmission begins now. */
  onLinkStart(r: number, now: number): void {
    const { links, pool, meters } = this.w;
    const d = pool.link[r];
    const sender = links.sender(d);
    // Transfers are not listed per node, so a sender that went down while this one waited is
    // found here, by its epoch (O(1)), rather than by cancelling every transfer it had queued.
    if (meters.epoch[sender] !== pool.senderEpoch[r]) return this.drop(r, this.downReason(sender), now);
    const to = links.receiver(d);
    if (!meters.up[to]) return this.drop(r, this.downReason(to), now); // went down while this one waited: not sent (its reserved time stays booked)
    const bytes = pool.phase[r] === 0 ? this.w.plans.amount(pool.stage[r]) : this.w.instances.resultBytes(pool.instance[r]);
    this.send(r, d, bytes, now, now, false);
  }

  /**
   * Request r's transmission of `bytes` on link d begins at `start` (now, or later on an eager
   * link): busy time and radio energy are charged now. `home`: this is the result's last hop.
   */
  private send(r: number, d: number, bytes: number, start: number, now: number, home: boolean): void {
    const { transmission, links, pool } = this.w;
    const arrival = transmission.begin(d, bytes, start, now);
    if (transmission.joules > 0) {
      pool.energy[r] += transmission.joules;
      links.own(d, r); // what a node going down takes back of it, it takes from the request too
    }
    // The sender's battery emptied paying for it: lost at once, unsent.
    if (arrival !== arrival) return this.drop(r, this.downReason(links.sender(d)), now);
    pool.transfer[r] += arrival - start;
    if (home && links.early(d)) return this.homeward.push(arrival, r);
    this.w.sim.scheduleAt(arrival, EventKind.HopDone, r);
  }

  /** Request r reached the far end of its link. */
  onHopDone(r: number, now: number): void {
    const { links, pool, meters } = this.w;
    const d = pool.link[r];
    const sender = links.sender(d);
    const reached = links.receiver(d);
    // Lost if the sender went down before the payload arrived (epochs: see onLinkStart), or the receiver is down.
    if (meters.epoch[sender] !== pool.senderEpoch[r]) return this.drop(r, this.downReason(sender), now);
    if (!meters.up[reached]) return this.drop(r, this.downReason(reached), now);
    pool.hop[r]++;
    const phase = pool.phase[r];
    if (phase === 0) this.forward(r, now);
    else if (phase === 1) this.backward(r, now);
    else this.homeToNewPlace(r, reached, now);
  }

  // ----- the way back -----

  /** The plan ended at request r's current stage: the result goes back from there. */
  private turnBack(r: number, now: number): void {
    const pool = this.w.pool;
    pool.phase[r] = 1;
    pool.hop[r] = 0;
    this.backward(r, now);
  }

  /** Sends the result one hop further back, over the transfers before the current stage, or completes. */
  private backward(r: number, now: number): void {
    const { pool, plans, routes } = this.w;
    const first = pool.planStart[r];
    for (;;) {
      const s = pool.stage[r];
      const op = plans.op(s);
      // A cache the request missed at, passed on the way back (its own device's: at completion).
      if (op === Stage.Lookup && s !== first) this.w.cache!.insert(plans.arg(s), pool.instance[r], pool.key[r], now);
      if (op === Stage.Transfer) {
        const route = plans.arg(s);
        const data = routes.data;
        const len = data[route];
        const hop = pool.hop[r];
        if (hop < len) {
          const mobility = this.w.mobility;
          if (mobility !== undefined && mobility.movedAt[this.w.instances.device(pool.instance[r])] > pool.born[r]) return this.movedAway(r, s, hop, now);
          const home = hop === len - 1 && this.noTransferBefore(s, first);
          this.transmit(r, data[route + len - hop] ^ 1, this.w.instances.resultBytes(pool.instance[r]), now, home);
          return;
        }
      }
      if (s === first) return this.completeInOrder(r, now);
      pool.stage[r] = s - 1;
      pool.hop[r] = 0;
    }
  }

  /**
   * Completes request r at `now` as its own event: the results booked home that arrived before
   * `now` complete first, so completions reach the collectors and the view's latency average in
   * time order, as with one event per arrival.
   */
  private completeInOrder(r: number, now: number): void {
    if (this.homeward.nextTime < now) this.arriveHome(now, false);
    this.complete(r, now);
  }

  /**
   * Completes, in the order of their arrival, the results booked home that have arrived by `now`
   * (`inclusive`: arrivals at `now` too; a tick, scheduled before them, comes first and passes false).
   */
  arriveHome(now: number, inclusive = true): void {
    const h = this.homeward;
    while (inclusive ? h.nextTime <= now : h.nextTime < now) {
      const t = h.nextTime;
      this.complete(h.pop(), t);
    }
  }

  /** Results booked home that have not arrived yet (requests still in flight). */
  get bookedHome(): number {
    return this.homeward.size;
  }

  /** Whether no stage of the plan from `first` to before `s` is a transfer (the way back ends at s). */
  private noTransferBefore(s: number, first: number): boolean {
    const plans = this.w.plans;
    for (let t = s - 1; t >= first; t--) if (plans.op(t) === Stage.Transfer) return false;
    return true;
  }

  /** Request r's result reached its device at `now` (when booked early: the time it arrives). */
  private complete(r: number, now: number): void {
    const { pool, meters, instances } = this.w;
    const i = pool.instance[r];
    const device = instances.device(i);
    if (!meters.up[device]) return this.drop(r, this.downReason(device), now);
    const plans = this.w.plans;
    const first = pool.planStart[r];
    // Moved while its result was on the way (the last hop home): lost, unless it never left the device.
    const mobility = this.w.mobility;
    if (mobility !== undefined && mobility.lose && pool.phase[r] === 1 && mobility.movedAt[device] > pool.born[r] && (pool.servedFrom[r] >= 0 ? pool.servedFrom[r] : plans.endNode(first)) !== device) {
      return this.drop(r, 'moved', now);
    }
    if (pool.node[r] < 0) pool.node[r] = plans.endNode(first); // ended before a compute (a cache hit): its plan's node
    // The device's own cache, when it missed there, is offered the result as it arrives.
    if (plans.op(first) === Stage.Lookup && pool.servedFrom[r] !== device) this.w.cache!.insert(device, i, pool.key[r], now);
    this.completed++;
    this.w.view.completed(i, now - pool.born[r]);
    this.w.observer.completed(pool, r, now);
    pool.release(r);
  }

  // ----- mobility -----

  /**
   * Request r's result is about to go back over hop `hop` of its transfer stage s, but its device
   * moved after r was born: lost as `moved` (EdgeCloudSim's mobility failure: the result is not
   * sent), or — with mobility's `delivered` — sent home from where it is through the device's new
   * access point instead (the caches on the rest of the old way are not offered it).
   */
  private movedAway(r: number, s: number, hop: number, now: number): void {
    if (this.w.mobility!.lose) return this.drop(r, 'moved', now);
    const { pool, plans, links } = this.w;
    // Where the result is: the far end of the last hop back, or (none yet) the node of the stage after the transfer.
    const at = hop > 0 || plans.op(s + 1) === Stage.Transfer ? links.receiver(pool.link[r]) : plans.arg(s + 1);
    pool.phase[r] = 2;
    this.homeToNewPlace(r, at, now);
  }

  /** Request r's result, at node `at`, goes one hop further on the route to its device where it is now (phase 2). */
  private homeToNewPlace(r: number, at: number, now: number): void {
    const { pool, routes } = this.w;
    const wl = this.w.workloads[pool.instance[r]];
    if (at === wl.device) return this.completeInOrder(r, now);
    // Asked at every hop: a device that moved again meanwhile is followed to its newest place.
    const route = routes.id(at, wl.device, wl.resultBytes);
    if (route < 0) return this.drop(r, 'moved', now);
    this.transmit(r, routes.data[route + 1], wl.resultBytes, now, routes.data[route] === 1);
  }

  // ----- losses -----

  private drop(r: number, reason: DropReason, now: number): void {
    const pool = this.w.pool;
    // Lost before its compute: it counts at the node its plan was heading to.
    if (pool.node[r] < 0) pool.node[r] = this.w.plans.endNode(pool.planStart[r]);
    this.dropped++;
    this.w.observer.dropped(this.w.pool, r, reason, now);
    this.w.pool.release(r);
  }

  /** Why a request meeting down node k is lost. */
  downReason(k: number): DropReason {
    return this.w.meters.dead[k] ? 'battery-empty' : 'node-down';
  }
}
