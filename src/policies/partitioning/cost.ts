/**
 * The split-point cost model of model partitioning (Neurosurgeon-style; Kang et al., ASPLOS 2017):
 * a model split after its first k layers runs layers 1..k on the device and k+1..L on a server,
 * the tensors live at the split crossing the network between them. Pure functions of the model,
 * the two ends, the network and the server's expected wait; no world.
 */
import type { DnnModel, Precision } from '../../world/model.ts';
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
 * dynamic compute energy and the live bytes. Built once per (model, device, server); O(L).
 */
export interface SplitProfile {
  readonly model: DnnModel;
  readonly layers: number;
  /** Device compute of layers 1..k on one slot, s (Infinity when the device lacks the precision and k > 0). */
  readonly deviceSeconds: Float64Array;
  /** Server compute of layers k+1..L on one slot, s (Infinity when the server lacks the precision and k < L). */
  readonly serverSeconds: Float64Array;
  /** Device dynamic compute energy of layers 1..k, J: (busy − idle) / slots W per busy slot, as the world charges it. */
  readonly deviceJoules: Float64Array;
  /** fp32 bytes of every tensor live at split k (the model's {@link DnnModel.liveBytes}). */
  readonly liveBytes: Float64Array;
  /** The result returned to the device when the server computes the last layer, bytes. */
  readonly resultBytes: number;
}

/** Seconds of `flops` on one slot of an end; 0 for no work, Infinity when the node lacks the precision. */
function seconds(end: SplitEnd, flops: number): number {
  if (flops === 0) return 0;
  return slotSeconds(end.node, flops, end.precision) ?? Infinity;
}

/** The {@link SplitProfile} of a model between a device and a server. O(L). */
export function splitProfile(model: DnnModel, device: SplitEnd, server: SplitEnd): SplitProfile {
  const L = model.layers.length;
  const total = model.flops;
  const deviceSeconds = new Float64Array(L + 1);
  const serverSeconds = new Float64Array(L + 1);
  const deviceJoules = new Float64Array(L + 1);
  const dynamicWatts = (device.node.power.busy - device.node.power.idle) / device.node.slots;
  for (let k = 0; k <= L; k++) {
    const done = model.cumulativeFlops[k];
    deviceSeconds[k] = seconds(device, done);
    serverSeconds[k] = seconds(server, total - done);
    const t = deviceSeconds[k];
    deviceJoules[k] = t === 0 ? 0 : t === Infinity ? Infinity : dynamicWatts * t;
  }
  return { model, layers: L, deviceSeconds, serverSeconds, deviceJoules, liveBytes: model.liveBytes, resultBytes: model.outputBytes };
}

/** The state a split decision reads: the network now and the server's expected queueing wait. */
export interface SplitState {
  readonly network: SplitNetwork;
  /** Expected wait at the server before its part starts, s (e.g. {@link fcfsExpectedWait} of the view's measured jobs). */
  readonly serverWait: number;
}

/** Every figure of one split point. */
export interface SplitCost {
  /** Layers on the device: 0 = all remote, L = all local. */
  readonly k: number;
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
 * latency(k) = device(1..k) + [k < L] (upDelay + 8·live(k)·up s/bit + wait + server(k+1..L) + downDelay + 8·result·down s/bit);
 * energy(k) = device dynamic energy(1..k) + [k < L] 8·(live(k)·tx + result·rx). O(1).
 */
export function splitCost(p: SplitProfile, state: SplitState, k: number): SplitCost {
  const net = state.network;
  const device = p.deviceSeconds[k];
  if (k === p.layers) {
    return { k, device, up: 0, wait: 0, server: 0, down: 0, latency: device, energy: p.deviceJoules[k], sentBytes: 0 };
  }
  const sent = p.liveBytes[k];
  const up = net.upDelay + 8 * sent * net.upSecondsPerBit;
  const down = net.downDelay + 8 * p.resultBytes * net.downSecondsPerBit;
  const server = p.serverSeconds[k];
  const latency = device + up + state.serverWait + server + down;
  const energy = p.deviceJoules[k] + 8 * (sent * net.txJoulesPerBit + p.resultBytes * net.rxJoulesPerBit);
  return { k, device, up, wait: state.serverWait, server, down, latency, energy, sentBytes: sent };
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
