import { EWMA_WEIGHT } from '../../world/view.ts';
import type { AllocationPolicy } from './allocation.ts';
import { type IterationOptions, iterateAllocation } from './iteration.ts';
import { squareRootAssignment } from './square-root.ts';
import { maxMinFair } from './water-filling.ts';

/** Parameters of {@link edelearAllocation}. */
export interface EdelearAllocationOptions extends IterationOptions {
  /** Weight of the newest interval in the measured demand (an exponentially weighted average). */
  readonly smoothing: number;
}

/** The parameters EDeLeaR's allocation runs with unless told otherwise (the paper gives none). */
export const EDELEAR_ALLOCATION: EdelearAllocationOptions = { step: 0.5, iterations: 10, tolerance: 1e-6, smoothing: EWMA_WEIGHT.rate };

/** What the policy keeps per node: the measured demand and the allocation, per tenant, in fractions of the node. */
interface NodeState {
  readonly demand: Float64Array;
  readonly allocation: Float64Array;
  readonly fair: Float64Array;
  measured: boolean;
}

/**
 * EDeLeaR's dynamic resource allocation (paper §III.B), per partitioned node, every monitoring
 * interval. Initialize: the allocation X is the declared demand (the scenario's shares).
 * Monitor: each tenant's demand D_i is an exponentially weighted average over intervals of the
 * fraction of the node it asked for (measured arrival rate × work per request; weight
 * {@link EdelearAllocationOptions.smoothing}, that of the world view's arrival rates). Allocate:
 * minimize F(X) = Σ (D*_i − X_i)² subject to Σ X ≤ 1, X ≥ 0 by the paper's iteration — X moves
 * in proportion to (demand − allocation) until converged or K iterations (iteration.ts) — where
 * D* = D when the demands fit (so X_i ≥ D_i) and their max-min fair division of the node when
 * they do not (water-filling.ts). Share: what the allocations leave idle goes to the tenants by
 * Kleinrock's square-root rule (square-root.ts), the split that minimizes the mean M/M/1
 * response time — the paper's F as latency. A node where nothing was ever asked for keeps its
 * shares. Cost per node and tick O(K·tenants + tenants·log tenants).
 */
export function edelearAllocation(options: EdelearAllocationOptions = EDELEAR_ALLOCATION): AllocationPolicy {
  const nodes = new Map<number, NodeState>();
  const stateOf = (k: number, shares: Float64Array): NodeState => {
    let s = nodes.get(k);
    if (!s) {
      const n = shares.length;
      nodes.set(k, (s = { demand: new Float64Array(n), allocation: Float64Array.from(shares), fair: new Float64Array(n), measured: false }));
    }
    return s;
  };
  return {
    name: 'edelear',
    reallocates: true,
    partitions: true,
    start(k, shares) {
      stateOf(k, shares);
    },
    allocate(k, offered, shares) {
      const s = stateOf(k, shares);
      const w = s.measured ? options.smoothing : 1;
      for (let t = 0; t < offered.length; t++) s.demand[t] += w * (offered[t] - s.demand[t]);
      s.measured = true;
      maxMinFair(s.demand, 1, s.fair);
      iterateAllocation(s.allocation, s.fair, options);
      let allocated = 0;
      for (let t = 0; t < offered.length; t++) allocated += s.allocation[t];
      if (allocated > 0) squareRootAssignment(s.allocation, 1, shares);
    },
  };
}
