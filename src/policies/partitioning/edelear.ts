/**
 * EDeLeaR's split choice (§III.D "model parallelization" between a device and a server, by the
 * Neurosurgeon algorithm: Kang et al., "Neurosurgeon: Collaborative Intelligence Between the
 * Cloud and Mobile Edge", ASPLOS 2017): the split point k minimizing latency, device energy or
 * a weighted sum, for the bandwidth and server wait now.
 *
 * Algorithm. With weights (wL, wE), every split k < L costs
 *   a_k + live_k · y + T,
 * a_k = wL·(device_k + server_k) + wE·deviceEnergy_k, y = 8·(wL·up s/bit + wE·tx J/bit) the
 * objective's price of one live byte, and T = wL·(delays + wait + result down) + wE·(result rx)
 * the same for every k < L; all-local (k = L) costs wL·device_L + wE·deviceEnergy_L. The lines
 * a_k + live_k·y are fixed per profile, so their lower envelope is built once (O(L log L)) and a
 * decision is one binary search over its breakpoints plus the all-local comparison: O(log L),
 * exact (the same minimum as scanning all L + 1 splits). An O(L) scan would do at zoo sizes
 * (≤ 67 layers); the envelope keeps a per-request re-decision O(log L) and shows the structure:
 * as bandwidth falls (y grows) the chosen split's live bytes never increase, and once all-local
 * wins it keeps winning (its cost does not grow with y; every split's does).
 *
 * With the device's own load in the state ({@link SplitState.device}), split k also costs
 * wL · deviceWait(k) (cost.ts: the Pollaczek–Khinchine wait of the device's load plus the pair's
 * parts, Infinity — not allowed, whatever the objective — once the device's utilization would
 * reach 1). That term is not linear in y's line family (it grows with the device seconds of
 * layers 1..k), so the envelope no longer applies: the decision scans all L + 1 splits, O(L),
 * exact for the same cost model. It runs at monitoring ticks, once per pair, never per request.
 * So does a server part run at other than one slot's speed ({@link SplitState.serverSpeed}: a
 * tenant's share of a partitioned node): the server seconds of every split are divided by it,
 * which changes the lines' intercepts, so the fixed envelope no longer holds either. And so does
 * a server load ({@link SplitState.server}, the run's start): split k's server wait is then the
 * larger of the measured one and the Pollaczek–Khinchine wait of that load (cost.ts
 * `serverWaitAt`), Infinity once the server's (or partition's) utilization would reach 1; when
 * every split that runs holds one end at ρ ≥ 1, the one whose busier end is least loaded. And so
 * does a load on the route's links ({@link SplitState.links}, the run's start): split k's transfer
 * up waits the Pollaczek–Khinchine wait of each hop's load with its live bytes (cost.ts
 * `linkWaitAt`), Infinity once a hop's utilization would reach 1 — a split whose tensors are
 * larger than the input can overload a link the input would not — and a hop's ρ counts among the
 * loads the least-loaded rule compares.
 */
import { deviceWait, linkUtilizationAt, linkWaitAt, objectiveWeights, serverPartSeconds, serverWaitAt, type SplitObjective, type SplitProfile, type SplitState } from './cost.ts';
import { LowerEnvelope } from './envelope.ts';
import type { PartitioningPolicy } from './policy.ts';

/** Minimizes the objective over all split points, O(log L) per decision. */
export class EdelearPartitioning implements PartitioningPolicy {
  readonly name = 'edelear';
  private readonly w: { readonly latency: number; readonly energy: number };
  private readonly envelope: LowerEnvelope;
  /** The all-local objective (constant). */
  private readonly local: number;
  /** Per split k < L, the objective's part that depends only on k (Infinity when an end cannot run it). */
  private readonly intercepts: Float64Array;

  constructor(
    readonly profile: SplitProfile,
    objective: SplitObjective,
  ) {
    this.w = objectiveWeights(objective);
    const { latency: wl, energy: we } = this.w;
    const L = profile.layers;
    const slopes = profile.liveBytes.subarray(0, L);
    const intercepts = new Float64Array(L);
    // A split one end cannot compute (a precision it lacks) is out whatever the weights.
    const runs = (k: number) => profile.deviceSeconds[k] < Infinity && (k === L || profile.serverSeconds[k] < Infinity);
    for (let k = 0; k < L; k++) {
      intercepts[k] = !runs(k) ? Infinity : (wl === 0 ? 0 : wl * (profile.deviceSeconds[k] + profile.serverSeconds[k])) + (we === 0 ? 0 : we * profile.deviceJoules[k]);
    }
    this.intercepts = intercepts;
    this.envelope = new LowerEnvelope(slopes, intercepts);
    this.local = !runs(L) ? Infinity : (wl === 0 ? 0 : wl * profile.deviceSeconds[L]) + (we === 0 ? 0 : we * profile.deviceJoules[L]);
  }

  /**
   * The split minimizing the objective; all-local when it is no worse than the best split (also
   * when nothing runs). O(log L) without a device load at one slot's server speed, else O(L).
   */
  choose(state: SplitState): number {
    const { latency: wl, energy: we } = this.w;
    const n = state.network;
    const y = 8 * (wl * n.upSecondsPerBit + we * n.txJoulesPerBit);
    const result = 8 * this.profile.resultBytes;
    const common =
      (wl === 0 ? 0 : wl * (n.upDelay + state.serverWait + n.downDelay + result * n.downSecondsPerBit)) + (we === 0 ? 0 : we * result * n.rxJoulesPerBit);
    if (state.device !== undefined || state.server !== undefined || state.links !== undefined || (state.serverSpeed ?? 1) !== 1) return this.scan(state, y, common);
    const split = this.envelope.min(y) + common;
    return split < this.local ? this.envelope.argmin(y) : this.profile.layers;
  }

  /**
   * Every split's objective with the device's wait, the server's wait at its load (when given),
   * the links' waits at their load (when given) and the server's speed, the least (the lowest k of
   * equals; all-local when no worse). When every split that runs would hold one end or a hop at
   * ρ ≥ 1, the one whose busiest of those is least loaded. O(L × hops).
   */
  private scan(state: SplitState, y: number, common: number): number {
    const p = this.profile;
    const load = state.device;
    const server = state.server;
    const links = state.links;
    const speed = state.serverSpeed ?? 1;
    const { latency: wl, energy: we } = this.w;
    const L = p.layers;
    let best = L;
    let bestValue = Infinity;
    let leastLoaded = -1;
    let leastRho = Infinity;
    const consider = (k: number): void => {
      const device = load === undefined || k === 0 ? 0 : load.utilization + (load.rate * p.deviceSeconds[k]) / p.deviceSlots;
      const part = k === L ? 0 : serverPartSeconds(p, k, speed);
      const far = server === undefined || k === L ? 0 : server.utilization + (server.rate * part) / server.pool;
      const route = links === undefined ? 0 : linkUtilizationAt(p, links, k);
      const rho = Math.max(device, far, route);
      if (rho < leastRho) (leastRho = rho), (leastLoaded = k);
    };
    for (let k = 0; k < L; k++) {
      const deviceWaitK = load === undefined ? 0 : deviceWait(p, load, k);
      const serverWaitK = server === undefined ? state.serverWait : serverWaitAt(p, server, k, speed);
      const wait = deviceWaitK + (serverWaitK > state.serverWait ? serverWaitK - state.serverWait : 0) + (links === undefined ? 0 : linkWaitAt(p, links, k));
      // At one slot's speed the intercept as built; else its server seconds at the speed given. A
      // server part at speed 0 (a tenant without a share) never runs: out whatever the weights.
      const a =
        speed === 1 || !(this.intercepts[k] < Infinity)
          ? this.intercepts[k]
          : !(speed > 0)
            ? Infinity
            : (wl === 0 ? 0 : wl * (p.deviceSeconds[k] + serverPartSeconds(p, k, speed))) + (we === 0 ? 0 : we * p.deviceJoules[k]);
      if (!(a < Infinity)) continue;
      if (!(wait < Infinity)) {
        consider(k);
        continue;
      }
      const v = a + p.liveBytes[k] * y + common + (wl === 0 ? 0 : wl * wait);
      if (v < bestValue) (best = k), (bestValue = v);
    }
    const wait = load === undefined ? 0 : deviceWait(p, load, L);
    const local = this.local < Infinity && wait < Infinity ? this.local + (wl === 0 ? 0 : wl * wait) : Infinity;
    if (local === Infinity && bestValue === Infinity && this.local < Infinity) consider(L);
    if (local === Infinity && bestValue === Infinity && leastLoaded >= 0) return leastLoaded;
    return local <= bestValue ? L : best;
  }
}
