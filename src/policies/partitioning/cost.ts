/**
 * The split-point cost model of model partitioning (Neurosurgeon-style; Kang et al., ASPLOS 2017):
 * a model split after its first k layers runs layers 1..k on the device and k+1..L on a server,
 * the tensors live at the split crossing the network between them. Pure functions of the model,
 * the two ends, the network and the server's expected wait; no world.
 */
import { BYTES_PER_ELEMENT, type DnnModel, type Precision } from '../../world/model.ts';
import { slotSeconds, type NodeSpec } from '../../world/node.ts';

/** One end of a split: the node and the precision it computes its part in. */
export interface SplitEnd {
  readonly node: NodeSpec;
  readonly precision: Precision;
}

/** One hop of the route between device and server. */
export interface Hop {
  /** bit/s. */
  readonly bandwidth: number;
  /** Propagation delay, s. */
  readonly delay: number;
}

/**
 * The network between device and server as the cost model needs it. A route of hops is stored
 * and forwarded, so sending b bits takes Σ_h (delay_h + b / bandwidth_h) = delay + b · secondsPerBit
 * with secondsPerBit = Σ_h 1 / bandwidth_h: one inverse bandwidth per direction.
 */
export interface SplitNetwork {
  /** Σ 1/bandwidth over the route, device → server, s/bit. */
  readonly upSecondsPerBit: number;
  /** Σ delay over the route, device → server, s. */
  readonly upDelay: number;
  /** Σ 1/bandwidth over the route, server → device, s/bit. */
  readonly downSecondsPerBit: number;
  /** Σ delay over the route, server → device, s. */
  readonly downDelay: number;
  /** The device's radio energy per bit sent on its first hop, J/bit (a link's `energy.tx`). */
  readonly txJoulesPerBit: number;
  /** The device's radio energy per bit received on its first hop, J/bit (a link's `energy.rx`). */
  readonly rxJoulesPerBit: number;
}

/** The device's radio figures on its first hop, J/bit (e.g. Wi-Fi 283 nJ/bit tx, 137 nJ/bit rx in scenarios/default.yaml). */
export interface Radio {
  readonly tx: number;
  readonly rx: number;
}

/** A {@link SplitNetwork} over a route of hops, the same both ways (full-duplex links, as the world's). */
export function routeNetwork(hops: readonly Hop[], radio: Radio = { tx: 0, rx: 0 }): SplitNetwork {
  let spb = 0;
  let delay = 0;
  for (const h of hops) {
    if (!(h.bandwidth > 0)) throw new Error(`a hop's bandwidth must be > 0 bit/s, got ${h.bandwidth}`);
    spb += 1 / h.bandwidth;
    delay += h.delay;
  }
  return { upSecondsPerBit: spb, upDelay: delay, downSecondsPerBit: spb, downDelay: delay, txJoulesPerBit: radio.tx, rxJoulesPerBit: radio.rx };
}

/**
 * The expected wait of a job arriving at an FCFS node with `slots` slots and `jobs` jobs in it
 * (in service + waiting; the world view's `jobs(k)`), each taking `serviceSeconds` on a slot:
 * with every slot busy it waits for jobs − slots + 1 departures, which come at slots / service
 * per second: (jobs − slots + 1) · service / slots; 0 while a slot is free. Exact in expectation
 * for exponential service (memoryless residuals), an estimate otherwise. O(1).
 */
export function fcfsExpectedWait(jobs: number, slots: number, serviceSeconds: number): number {
  return jobs < slots ? 0 : ((jobs - slots + 1) * serviceSeconds) / slots;
}

/**
 * What a split's cost depends on that does not change with the network and the queues: per
 * split point k = 0 … L, the device's and the server's compute time on one slot, the device's
 * dynamic compute energy and the live bytes. Built once per (model, execution, device, server); O(L).
 */
export interface SplitProfile {
  readonly model: DnnModel;
  readonly layers: number;
  /**
   * Device compute of layers 1..k on one slot, s (Infinity when the device may not run that part:
   * it lacks the precision, the weights do not fit its memory, or it may not split and k < L).
   */
  readonly deviceSeconds: Float64Array;
  /** Server compute of layers k+1..L on one slot, s (Infinity when the server lacks the precision and k < L). */
  readonly serverSeconds: Float64Array;
  /** Device dynamic compute energy of layers 1..k, J: (busy − idle) / slots W per busy slot, as the world charges it. */
  readonly deviceJoules: Float64Array;
  /**
   * Bytes of every tensor live at split k: k = 0 the input, 0 < k < L the model's
   * {@link DnnModel.liveBytes} at the device's element size, k = L the result.
   */
  readonly liveBytes: Float64Array;
  /** The result returned to the device when the server computes the last layer, bytes. */
  readonly resultBytes: number;
  /** Dynamic power per busy slot of the device, W. */
  readonly deviceWatts: number;
  /** The device's slots (its queue's servers, for {@link deviceWait}). */
  readonly deviceSlots: number;
}

/** What a split runs and sends, when not the model as declared at the ends' precisions (see {@link splitProfile}). */
export interface SplitOptions {
  /**
   * The execution both ends run (a compressed variant, say): its FLOPs, spread over the layers as
   * the declared model's, and the bytes of its weights and of a request's peak activations, which
   * the device must hold in its memory with the input to run any part. Default: the model's FLOPs
   * and its weights at the device's precision, activations not counted.
   */
  readonly execution?: { readonly flops: number; readonly weightBytes: number; readonly activationBytes?: number };
  /** Bytes sent at k = 0 (the input as the workload sends it). Default: the model's input at fp32. */
  readonly inputBytes?: number;
  /** Bytes of the result (returned after the server's part; live at k = L). Default: the model's output at fp32. */
  readonly resultBytes?: number;
  /** Whether the device may split the model (the paper's Table 4 "parallelization"); false: only k ∈ {0, L}. Default true. */
  readonly parallel?: boolean;
}

/** Seconds of `flops` on one slot of an end; 0 for no work, Infinity when the node lacks the precision. */
function seconds(end: SplitEnd, flops: number): number {
  if (flops === 0) return 0;
  return slotSeconds(end.node, flops, end.precision) ?? Infinity;
}

/**
 * The {@link SplitProfile} of a model between a device and a server. Split k puts
 * FLOPs(1..k) · flops / model.flops on the device (exactly the execution's FLOPs at k = L) and
 * the rest on the server; the tensors live inside the model are sized at the device's element
 * size (BYTES_PER_ELEMENT / 4 of the fp32 figure); the device runs nothing when the execution's
 * weights with a request's input and activations exceed its memory (what the run reserves there:
 * helper-86, a split the weights alone "fit" dropped every request), and no proper split
 * (0 < k < L) when it may not split. O(L).
 */
export function splitProfile(model: DnnModel, device: SplitEnd, server: SplitEnd, options: SplitOptions = {}): SplitProfile {
  const L = model.layers.length;
  const flops = options.execution?.flops ?? model.flops;
  const scale = flops / model.flops;
  const weightBytes = options.execution?.weightBytes ?? model.weightBytes(device.precision);
  const fits = weightBytes + (options.inputBytes ?? model.inputBytes) + (options.execution?.activationBytes ?? 0) <= device.node.memory;
  const splits = options.parallel ?? true;
  const element = BYTES_PER_ELEMENT[device.precision] / 4;
  const resultBytes = options.resultBytes ?? model.outputBytes;
  const deviceSeconds = new Float64Array(L + 1);
  const serverSeconds = new Float64Array(L + 1);
  const deviceJoules = new Float64Array(L + 1);
  const liveBytes = new Float64Array(L + 1);
  const deviceWatts = (device.node.power.busy - device.node.power.idle) / device.node.slots;
  for (let k = 0; k <= L; k++) {
    const done = k === L ? flops : model.cumulativeFlops[k] * scale;
    deviceSeconds[k] = k === 0 ? 0 : !fits || (!splits && k < L) ? Infinity : seconds(device, done);
    serverSeconds[k] = seconds(server, k === L ? 0 : flops - done);
    const t = deviceSeconds[k];
    deviceJoules[k] = t === 0 ? 0 : t === Infinity ? Infinity : deviceWatts * t;
    liveBytes[k] = k === 0 ? (options.inputBytes ?? model.liveBytes[0]) : k === L ? resultBytes : model.liveBytes[k] * element;
  }
  return { model, layers: L, deviceSeconds, serverSeconds, deviceJoules, liveBytes, resultBytes, deviceWatts, deviceSlots: device.node.slots };
}

/**
 * The device's own load as a split decision sees it. A decision holds for a whole interval, so
 * every request of the pair in it runs layers 1..k on the device, beside the device's other work
 * (its local requests, other pairs' parts): the load the choice adds is part of the state.
 */
export interface DeviceLoad {
  /**
   * The wait the device's queue now puts before a new job, s: e.g. {@link fcfsExpectedWait} of the
   * view's jobs there, sized by the mean job of the work in force.
   */
  readonly backlog: number;
  /** Utilization of the device's slots by its other work over the interval (measured), ≥ 0. */
  readonly utilization: number;
  /** Compute of one of those other jobs on one slot, s (their size in the queue). */
  readonly otherSeconds: number;
  /** The pair's request rate over the interval, 1/s. */
  readonly rate: number;
}

/**
 * The expected wait of the pair's part at the device when split at k, s: 0 at k = 0 (the device
 * computes nothing), else the larger of
 * - the queue there now draining first (`backlog`), and
 * - the stationary wait of the interval's load: the device's c slots pooled as one server c times
 *   as fast (as {@link fcfsExpectedWait} reads them), Poisson arrivals of two classes with
 *   deterministic service — the other work, utilization u of jobs of otherSeconds / c, and the
 *   pair's parts, rate λ of s_k / c (s_k = deviceSeconds[k]) — whose Pollaczek–Khinchine mean
 *   wait is W = Σ_j λ_j E[S_j²] / (2(1 − ρ)) (Kleinrock, Queueing Systems vol. 1, 1975, eq. 5.105;
 *   the M/D/1 case with two service times): with λ_o (otherSeconds / c)² = u · otherSeconds / c,
 *   W_k = (u · otherSeconds / c + λ (s_k / c)²) / (2 (1 − ρ_k)), ρ_k = u + λ s_k / c;
 *   Infinity when ρ_k ≥ 1 (an unstable queue: the split is not allowed).
 * Non-decreasing in k wherever s_k is (not across the Infinity of 0 < k < L on a `parallel: false`
 * device). The device is modelled as first-come-first-served slots: a batcher on it is not. O(1).
 */
export function deviceWait(p: SplitProfile, load: DeviceLoad, k: number): number {
  if (k === 0) return 0;
  const c = p.deviceSlots;
  const s = p.deviceSeconds[k];
  const rho = load.utilization + (load.rate * s) / c;
  if (!(rho < 1)) return Infinity;
  const stationary = ((load.utilization * load.otherSeconds) / c + load.rate * (s / c) ** 2) / (2 * (1 - rho));
  return Math.max(load.backlog, stationary);
}

/**
 * The server's load as a split decision at the run's start sees it (nothing queued yet, so no
 * measured wait): the work the declared rates put on the server's part — the whole node (FCFS,
 * its slots pooled) or the pair's tenant's partition (served one job at a time at its speed).
 */
export interface ServerLoad {
  /** Utilization of the server (or partition) by its other work, ≥ 0. */
  readonly utilization: number;
  /** Compute of one of those other jobs where the pair's part would run (at its speed, on one slot), s. */
  readonly otherSeconds: number;
  /** The pair's request rate, 1/s. */
  readonly rate: number;
  /** Slots pooled as one server that many times as fast (an FCFS node's slots; 1 for a partition). */
  readonly pool: number;
}

/**
 * The stationary wait of the pair's part at the server when split at k < L, s: the
 * Pollaczek–Khinchine mean wait as in {@link deviceWait} — the other work (utilization u of jobs of
 * otherSeconds / pool) and the pair's parts (rate λ of s_k / pool, s_k the part's seconds at the
 * server's speed, {@link serverPartSeconds}) — W_k = (u · otherSeconds / pool + λ (s_k / pool)²) /
 * (2 (1 − ρ_k)), ρ_k = u + λ s_k / pool; Infinity when ρ_k ≥ 1; 0 at k = L (no server part). O(1).
 */
export function serverWaitAt(p: SplitProfile, load: ServerLoad, k: number, speed = 1): number {
  if (k === p.layers) return 0;
  const s = serverPartSeconds(p, k, speed) / load.pool;
  const rho = load.utilization + load.rate * s;
  if (!(rho < 1)) return Infinity;
  return ((load.utilization * load.otherSeconds) / load.pool + load.rate * s * s) / (2 * (1 - rho));
}

/**
 * The route's links as a split decision at the run's start sees them (nothing queued yet): per
 * hop device → server, its bandwidth and the load the other pairs' transfers put on it at the
 * declared rates. Only the direction the split changes: every k < L returns the same result.
 */
export interface LinkLoad {
  /** Hops of the route device → server. */
  readonly hops: number;
  /** Per hop, in order: bit/s. */
  readonly bandwidth: ArrayLike<number>;
  /** Per hop: utilization by the other transfers, ≥ 0. */
  readonly utilization: ArrayLike<number>;
  /** Per hop: Σ λ s² over the other transfers (λ their rate, s their transmission seconds there), s. */
  readonly secondMoment: ArrayLike<number>;
  /** The pair's request rate, 1/s. */
  readonly rate: number;
  /** Per hop: seconds of transmission queued there now (a tick's measured backlog; absent: none). */
  readonly backlog?: ArrayLike<number>;
}

/**
 * The queueing wait of the tensors live at split k on the route up, s: per hop the larger of its
 * backlog now (when given) and the
 * Pollaczek–Khinchine mean wait of Poisson transfers of deterministic sizes — the others' (their
 * utilization and Σ λ s²) and the pair's (rate λ, s_h = 8 · live_k / bandwidth_h) —
 * W_h = (Σ λ s² + λ s_h²) / (2 (1 − ρ_h)), ρ_h = u_h + λ s_h — summed over the hops (each hop a
 * queue of its own, Kleinrock's independence approximation for a store-and-forward route);
 * Infinity when a hop's ρ_h ≥ 1, 0 at k = L (nothing sent). O(hops).
 */
export function linkWaitAt(p: SplitProfile, links: LinkLoad, k: number): number {
  if (k === p.layers) return 0;
  const bits = 8 * p.liveBytes[k];
  let wait = 0;
  for (let h = 0; h < links.hops; h++) {
    const s = bits / links.bandwidth[h];
    const rho = links.utilization[h] + links.rate * s;
    if (!(rho < 1)) return Infinity;
    const stationary = (links.secondMoment[h] + links.rate * s * s) / (2 * (1 - rho));
    const now = links.backlog === undefined ? 0 : links.backlog[h];
    wait += now > stationary ? now : stationary;
  }
  return wait;
}

/** The busiest hop's utilization on the route up with the pair's transfers at split k (0 at k = L). O(hops). */
export function linkUtilizationAt(p: SplitProfile, links: LinkLoad, k: number): number {
  if (k === p.layers) return 0;
  const bits = 8 * p.liveBytes[k];
  let most = 0;
  for (let h = 0; h < links.hops; h++) most = Math.max(most, links.utilization[h] + (links.rate * bits) / links.bandwidth[h]);
  return most;
}

/** The state a split decision reads: the network now, the server's expected queueing wait and the device's load. */
export interface SplitState {
  readonly network: SplitNetwork;
  /**
   * Expected wait at the server before its part starts, s (e.g. {@link fcfsExpectedWait} of the
   * view's measured jobs; on a partitioned node, of the tenant's own jobs, one at a time at its speed).
   */
  readonly serverWait: number;
  /** The device's own load (absent: an idle device, no wait before its part). */
  readonly device?: DeviceLoad;
  /**
   * The server's load at the declared rates (the run's start; absent: only {@link serverWait}):
   * each split's server wait is then the larger of `serverWait` and {@link serverWaitAt}.
   */
  readonly server?: ServerLoad;
  /** The route's links' load at the declared rates (the run's start; absent: only the network's delays and backlogs): each split's transfer up then waits {@link linkWaitAt}. */
  readonly links?: LinkLoad;
  /**
   * Slot-speeds the server gives the pair's part (absent: 1, one slot of the node, as
   * {@link SplitProfile.serverSeconds} are): on a partitioned node the tenant's share × the
   * node's slots, its part then taking serverSeconds / that (see {@link serverPartSeconds}).
   */
  readonly serverSpeed?: number;
}

/**
 * The server's compute of layers k+1..L when its part runs at `speed` slot-speeds: the one-slot
 * figure / speed — a partitioned node's tenant with share s of c slots serves one job at a time
 * at s·c slot-speeds (world/schedulers/partitioned.ts). Exactly the one-slot figure at speed 1;
 * Infinity at speed 0 (a tenant without a share serves nothing, not even a job of no work). O(1).
 */
export function serverPartSeconds(p: SplitProfile, k: number, speed = 1): number {
  const s = p.serverSeconds[k];
  if (speed === 1) return s;
  return speed > 0 ? s / speed : Infinity;
}

/** Every figure of one split point. */
export interface SplitCost {
  /** Layers on the device: 0 = all remote, L = all local. */
  readonly k: number;
  /** The device's expected wait before its part, s (0 when k = 0 or without a device load). */
  readonly deviceWait: number;
  /** The device's compute, s. */
  readonly device: number;
  /** The live tensors up, s (0 when k = L). */
  readonly up: number;
  /** The server's expected wait, s (0 when k = L). */
  readonly wait: number;
  /** The server's compute, s. */
  readonly server: number;
  /** The result down, s (0 when k = L). */
  readonly down: number;
  /** End-to-end latency of one request, s: the sum of the above. */
  readonly latency: number;
  /** Device energy, J: dynamic compute + radio (tx of the live bytes, rx of the result). */
  readonly energy: number;
  /** Bytes sent from device to server (0 when k = L). */
  readonly sentBytes: number;
}

/**
 * The cost of splitting after k layers:
 * latency(k) = deviceWait(k) + device(1..k) + [k < L] (upDelay + 8·live(k)·up s/bit + linkWait(k) + wait + server(k+1..L) / serverSpeed + downDelay + 8·result·down s/bit);
 * energy(k) = device dynamic energy(1..k) + [k < L] 8·(live(k)·tx + result·rx). O(1).
 */
export function splitCost(p: SplitProfile, state: SplitState, k: number): SplitCost {
  const net = state.network;
  const device = p.deviceSeconds[k];
  const dw = state.device === undefined ? 0 : deviceWait(p, state.device, k);
  if (k === p.layers) {
    return { k, deviceWait: dw, device, up: 0, wait: 0, server: 0, down: 0, latency: dw + device, energy: p.deviceJoules[k], sentBytes: 0 };
  }
  const sent = p.liveBytes[k];
  const up = net.upDelay + 8 * sent * net.upSecondsPerBit + (state.links === undefined ? 0 : linkWaitAt(p, state.links, k));
  const down = net.downDelay + 8 * p.resultBytes * net.downSecondsPerBit;
  const server = serverPartSeconds(p, k, state.serverSpeed);
  const wait = state.server === undefined ? state.serverWait : Math.max(state.serverWait, serverWaitAt(p, state.server, k, state.serverSpeed));
  const latency = dw + device + up + wait + server + down;
  const energy = p.deviceJoules[k] + 8 * (sent * net.txJoulesPerBit + p.resultBytes * net.rxJoulesPerBit);
  return { k, deviceWait: dw, device, up, wait, server, down, latency, energy, sentBytes: sent };
}

/** What a split minimizes: latency, device energy, or weights · (latency s, energy J). */
export type SplitObjective = 'latency' | 'energy' | { readonly latency: number; readonly energy: number };

/** The weights (latency per s, energy per J) of an objective; both finite and ≥ 0, not both 0. */
export function objectiveWeights(o: SplitObjective): { readonly latency: number; readonly energy: number } {
  const w = o === 'latency' ? { latency: 1, energy: 0 } : o === 'energy' ? { latency: 0, energy: 1 } : o;
  if (!(w.latency >= 0 && w.energy >= 0 && Number.isFinite(w.latency) && Number.isFinite(w.energy)) || w.latency + w.energy === 0) {
    throw new Error(`objective weights must be finite, ≥ 0 and not both 0, got latency ${w.latency}, energy ${w.energy}`);
  }
  return w;
}

/** The objective's value of a split's cost (0 · Infinity counts as 0: a weight of 0 ignores that figure). */
export function objectiveValue(w: { readonly latency: number; readonly energy: number }, c: SplitCost): number {
  return (w.latency === 0 ? 0 : w.latency * c.latency) + (w.energy === 0 ? 0 : w.energy * c.energy);
}
