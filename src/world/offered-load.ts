import type { Precision } from './model.ts';
import type { MobilitySpec } from './mobility.ts';
import { sharedTopology } from './topology.ts';
import type { ArrivalSpec } from './workload.ts';
import type { WorldSpec } from './world.ts';
import { float64Array } from '../core/typed-arrays.ts';

/** Long-run mean arrival rate of an arrival process, 1/s. */
export function meanArrivalRate(a: ArrivalSpec, duration: number): number {
  switch (a.kind) {
    case 'poisson':
      return a.rate;
    case 'periodic':
      return 1 / a.period;
    case 'mmpp':
      return (a.rates[0] * a.sojourn[0] + a.rates[1] * a.sojourn[1]) / (a.sojourn[0] + a.sojourn[1]);
    case 'renewal':
      return 1 / a.interarrival.mean;
    case 'trace': {
      let n = 0;
      for (const t of a.times) if (t < duration) n++;
      return n / duration;
    }
  }
}

/**
 * Requests the run's workloads offer over its whole duration (warm-up included): Σ over the
 * workload instances of the mean arrival rate × the duration (a trace: its arrivals up to the end).
 * Every one of them is simulated, so this is the size of the run.
 */
export function offeredRequests(spec: WorldSpec): number {
  let n = 0;
  for (const wl of spec.workloads) n += meanArrivalRate(wl.arrivals, spec.duration) * spec.duration;
  return n;
}

/** A directed link whose offered load reaches its bandwidth. */
export interface LinkOverload {
  /** Directed link: 2i is link i from a to b, 2i + 1 from b to a. */
  readonly link: number;
  /** ρ = Σ λ_i × bytes_i × 8 / bandwidth over the requests crossing it (inputs out, results back). */
  readonly rho: number;
  /**
   * ρ ≥ 1 only with requests a model partitioning policy may split counted as sent whole (see
   * {@link splitAt}): the rest alone is below 1.
   */
  readonly split?: true;
}

/** How the run's model partitioning runs a placement candidate's requests, as far as the build knows. */
const enum Split {
  /** Sent whole: no partitioning, no split choice, `all-remote`, or a device that can run no part. */
  Whole,
  /** `all-local`: the whole model on the device, nothing sent. */
  Local,
  /** Decided when the run starts (world/partitioning.ts `decideAtStart`) and maybe at ticks: any split the ends can run. */
  Decided,
}

/**
 * How candidate c's requests run under the run's model partitioning ({@link Split}). The checks
 * below count `Decided` requests as sent whole and run whole at the candidate — what `all-remote`
 * would offer; a split sends the tensors live at it instead (fewer bytes or more) and runs its
 * first layers on the device — and flag an overload that needs them; `Local` ones load their device.
 */
function splitAt(spec: WorldSpec): (c: number) => Split {
  const part = spec.partitioning;
  if (part === undefined || part.policy === 'all-remote') return () => Split.Whole;
  return (c) => {
    const choice = part.choices[c];
    if (choice === undefined) return Split.Whole;
    if (part.policy === 'all-local') return Split.Local;
    for (let k = 1; k <= choice.layers; k++) if (choice.deviceSeconds[k] < Infinity && choice.serverSeconds[k] < Infinity) return Split.Decided;
    return Split.Whole;
  };
}

/**
 * Offered load of every directed link, known when the world is built: each instance's mean
 * arrival rate, split evenly over its candidates, carries its input along the route to the
 * candidate and its result back along the same route. Returns the links where ρ ≥ 1 (not
 * analytic links: they never queue).
 *
 * A device that is a leaf (one link: to its access point) adds its load to that link, and its
 * onward load to the pair (access point, candidate): the route from a leaf is its link then the
 * route from the other end ({@link Topology.leafLink}), so each pair's route is walked once for
 * all the devices behind it (10^4 devices behind 100 access points: 200 walks, not 20,000).
 */
export function overloadedLinks(spec: WorldSpec): LinkOverload[] {
  const topology = sharedTopology(spec.nodes.length, spec.links);
  const p = spec.placement;
  const nodeCount = spec.nodes.length;
  const bits = float64Array(2 * spec.links.length);
  const splitBits = float64Array(2 * spec.links.length); // of bits, those of pairs whose split is decided at run time
  const splitOf = splitAt(spec);
  // Per input size, per (from, to) as from × nodes + to: the bit rates out (inputs) and back (results) to route, and of them those that may be split.
  const onward = new Map<number, Map<number, { out: number; back: number; splitOut: number; splitBack: number }>>();
  const moving = movingShares(spec);
  spec.workloads.forEach((wl, i) => {
    const n = p.start[i + 1] - p.start[i];
    const rate = meanArrivalRate(wl.arrivals, spec.duration) / n;
    const out = rate * wl.inputBytes * 8;
    const back = rate * wl.resultBytes * 8;
    const up = topology.leafLink(wl.device);
    const from = up >= 0 ? topology.leafNeighbour(wl.device) : wl.device;
    let pairs = onward.get(wl.inputBytes);
    if (pairs === undefined) onward.set(wl.inputBytes, (pairs = new Map()));
    const route = (a: number, to: number, share: number, split: boolean) => {
      if (a === to) return;
      const key = a * nodeCount + to;
      const pair = pairs.get(key);
      const o = out * share;
      const b = back * share;
      const splitOut = split ? o : 0;
      const splitBack = split ? b : 0;
      if (pair === undefined) pairs.set(key, { out: o, back: b, splitOut, splitBack });
      else {
        pair.out += o;
        pair.back += b;
        pair.splitOut += splitOut;
        pair.splitBack += splitBack;
      }
    };
    for (let c = p.start[i]; c < p.start[i + 1]; c++) {
      const to = p.candidates[c];
      if (to === wl.device || !topology.connected(wl.device, to)) continue; // computing where it is, or no route
      const how = splitOf(c);
      if (how === Split.Local) continue; // all-local sends nothing
      const split = how === Split.Decided;
      if (up >= 0) {
        // The device's own link carries all it sends, wherever it is attached.
        bits[up] += out;
        bits[up ^ 1] += back;
        if (split) (splitBits[up] += out), (splitBits[up ^ 1] += back);
      }
      if (moving !== undefined && moving.device[wl.device] === 1) {
        // A moving device sends from each place in proportion to its time there, to the node its placement follows it to (helper-84: counted at its linked place only).
        moving.places.forEach((ap, q) => {
          const there = moving.follow?.[i] ? topology.nearest(ap, moving.follow[i]!.among, wl.inputBytes) : to;
          if (moving.shares[q] > 0 && there >= 0 && topology.connected(ap, there)) route(ap, there, moving.shares[q], split);
        });
        continue;
      }
      route(from, to, 1, split);
    }
  });
  const route: number[] = []; // each route's links, walked in place (the searches are the world's too: the topology is shared)
  for (const [bytes, pairs] of onward) {
    for (const [key, { out, back, splitOut, splitBack }] of pairs) {
      topology.routeLinks(Math.floor(key / nodeCount), key % nodeCount, bytes, route);
      for (const d of route) {
        bits[d] += out;
        bits[d ^ 1] += back;
        splitBits[d] += splitOut;
        splitBits[d ^ 1] += splitBack;
      }
    }
  }
  const out: LinkOverload[] = [];
  bits.forEach((b, d) => {
    // An analytic link (world/analytic-link.ts) does not queue: its delay follows its model's own figures, not this load.
    if (spec.links[d >> 1].analytic !== undefined) return;
    const bandwidth = spec.links[d >> 1].bandwidth;
    const rho = b / bandwidth;
    if (rho >= 1) out.push((b - splitBits[d]) / bandwidth < 1 ? { link: d, rho, split: true } : { link: d, rho });
  });
  return out;
}

/** A node whose offered load reaches its capacity. */
export interface Overload {
  readonly node: number;
  /** Offered load ρ = Σ λ_i × work_i / slots (per tenant share on a partitioned node: the tenant's). */
  readonly rho: number;
  /** The tenant it concerns on a partitioned node (a workload name or "processes"). */
  readonly tenant?: string;
  /** ρ ≥ 1 only with requests a model partitioning policy may split counted whole there (see {@link splitAt}): the rest alone is below 1. */
  readonly split?: true;
  /** A batching node: ρ is at full batches of this size, the least work a request costs there (its batcher forms no larger). */
  readonly batch?: number;
}

/**
 * Offered load of every node, known when the world is built: each workload instance's mean
 * arrival rate times its mean compute time at each candidate (the FLOPs and precision of its
 * execution there: the variant chosen for the node, or the model as declared), its rate split
 * evenly over its candidates (the best a run-time policy can do), divided by the node's slots —
 * or, on a partitioned node, by each tenant's share of them. Returns the nodes where ρ ≥ 1: their
 * queues grow without bound unless a queue limit drops the excess. Instances an `lp` program
 * places are not counted: its plan is no even split, it keeps the nodes under its cap with the
 * rest counted, and it warns of a plan it cannot keep there (policies/offloading/planner.ts).
 */
export function overloadedNodes(spec: WorldSpec): Overload[] {
  const groups = spec.workloads.reduce((m, w) => Math.max(m, w.group + 1), 0);
  const load = float64Array(spec.nodes.length * (groups + 1));
  const split = float64Array(spec.nodes.length * (groups + 1)); // of load, that of pairs whose split is decided at run time
  // Instances an lp program places are left out: the program keeps each node (and a tenant at a fixed share) under its cap, counting the rest, and warns itself of a plan it cannot keep there.
  const policies = spec.placement.policies;
  const policyOf = spec.placement.policyOf;
  candidateLoads(spec, (i) => policies[policyOf[i]].name !== 'lp', (k, group, u, how) => {
    load[k * (groups + 1) + group] += u;
    if (how === Split.Decided) split[k * (groups + 1) + group] += u;
  });
  const names: string[] = [];
  for (const w of spec.workloads) names[w.group] = w.name;
  const out: Overload[] = [];
  spec.nodes.forEach((node, k) => {
    const row = k * (groups + 1); // node k's loads: load[row + t] for tenant t (read in place: a million nodes make no view each)
    // Tenants at their declared shares — unless an allocation moves the shares with demand at its
    // ticks: then the node as a whole is what is sure to be overloaded (helper-88: --strict refused
    // allocation edelear scenarios whose first tick gives the busy tenant more).
    if (node.scheduler === 'partitioned' && node.shares && spec.allocation?.reallocates !== true) {
      for (let t = 0; t < groups; t++) {
        if (load[row + t] === 0) continue;
        const rho = load[row + t] / node.shares[t];
        if (rho >= 1) out.push((load[row + t] - split[row + t]) / node.shares[t] < 1 ? { node: k, rho, tenant: names[t], split: true } : { node: k, rho, tenant: names[t] });
      }
      return;
    }
    // Loads above are busy fractions of the whole node (FLOPs over its whole throughput).
    let rho = 0;
    let splitLoad = 0;
    for (let t = 0; t < groups; t++) (rho += load[row + t]), (splitLoad += split[row + t]);
    // A batcher computes a batch of b for w·(α + (1 − α)·b): at its largest batch a request costs
    // α/max + 1 − α of its work, and only a load above 1 at that is sure to overload it (helper-86:
    // the unbatched work flagged a node its batches kept at 0.88).
    const b = node.scheduler === 'batching' ? node.batching : undefined;
    const least = b === undefined ? 1 : b.fixedShare / b.max + 1 - b.fixedShare;
    rho *= least;
    splitLoad *= least;
    if (rho >= 1) out.push({ node: k, rho, ...(rho - splitLoad < 1 ? { split: true as const } : {}), ...(b !== undefined && least < 1 ? { batch: b.max } : {}) });
  });
  return out;
}

/**
 * The utilization (busy share of the whole node) the instances `include` admits are declared to
 * offer each node: each instance's mean arrival rate split evenly over its candidates, at the
 * model as it runs there — what {@link overloadedNodes} sums. The lp programs' first solve takes
 * it as the traffic from outside them (scenario/build.ts). Cost O(candidates).
 */
export function offeredUtilization(spec: WorldSpec, include: (i: number) => boolean): Float64Array {
  const load = float64Array(spec.nodes.length);
  candidateLoads(spec, include, (k, _group, u) => (load[k] += u));
  return load;
}

/**
 * Calls `add(node, tenant group, utilization, how)` for each candidate of each instance `include`
 * admits: its mean rate split evenly over its candidates, times the work there over the node's
 * throughput — under `all-local` partitioning ({@link Split.Local}) the whole model on the device
 * instead, its one-slot seconds over its slots (the pair's split choice's figures).
 */
function candidateLoads(spec: WorldSpec, include: (i: number) => boolean, add: (k: number, group: number, utilization: number, how: Split) => void): void {
  const p = spec.placement;
  const splitOf = splitAt(spec);
  const moving = movingShares(spec);
  const topology = moving?.follow ? sharedTopology(spec.nodes.length, spec.links) : undefined;
  spec.workloads.forEach((wl, i) => {
    if (!include(i)) return;
    const n = p.start[i + 1] - p.start[i];
    const rate = meanArrivalRate(wl.arrivals, spec.duration) / n;
    for (let c = p.start[i]; c < p.start[i + 1]; c++) {
      const how = splitOf(c);
      if (how === Split.Local) {
        const choice = spec.partitioning!.choices[c]!;
        add(wl.device, wl.group, (rate * choice.deviceSeconds[choice.layers]) / choice.deviceSlots, how);
        continue;
      }
      const f = moving !== undefined && moving.device[wl.device] === 1 ? moving.follow?.[i] : undefined;
      if (f !== undefined && topology !== undefined) {
        // Placed on the nearest node to wherever the device is: each place's nearest, in proportion to the device's time there (helper-84).
        moving!.places.forEach((ap, q) => {
          const k = topology.nearest(ap, f.among, wl.inputBytes);
          if (k >= 0 && moving!.shares[q] > 0) addWork(k, f.executionAt?.(k), moving!.shares[q]);
        });
        continue;
      }
      addWork(p.candidates[c], wl.execution ? wl.execution[c - p.start[i]] : undefined, 1);

      /** The model as it runs on node k (the variant chosen for it, or as declared), at `share` of the candidate's rate. */
      function addWork(k: number, run: { readonly flops: number; readonly precision: Precision } | undefined, share: number): void {
        const throughput = spec.nodes[k].throughput[run ? run.precision : wl.precision];
        if (throughput === undefined) return;
        // Compute-time variability has mean 1: the mean work is the FLOPs over the node's throughput.
        add(k, wl.group, rate * share * ((run ? run.flops : wl.model.flops) / throughput), how);
      }
    }
  });
}

/**
 * For the check of the declared load: each moving device's share of its time at each place (its
 * traffic leaves from that place's access point) and the instances whose node follows it, when
 * the mobility model knows the shares in closed form (nomadic); undefined without mobility or
 * shares (random waypoint: a device's traffic is then counted at its linked place, as before).
 */
function movingShares(spec: WorldSpec): { device: Uint8Array; places: Int32Array; shares: Float64Array; follow: MobilitySpec['follow'] } | undefined {
  const m = spec.mobility;
  const shares = m?.model.timeShares?.();
  if (m === undefined || shares === undefined || shares.length !== m.places.length) return undefined;
  const device = new Uint8Array(spec.nodes.length);
  for (const d of m.devices) device[d] = 1;
  return { device, places: m.places, shares, follow: m.follow };
}
