import { EWMA_WEIGHT } from '../../world/view.ts';
import type { AllocationPolicy } from './allocation.ts';
import { applyFloor } from './floor.ts';
import { type IterationOptions, iterateAllocation } from './iteration.ts';
import { squareRootAssignment } from './square-root.ts';
import { maxMinFair } from './water-filling.ts';

/** Parameters of {@link edelearAllocation}; a scenario sets them in `policies.allocation: { edelear: { … } }`. */
export interface EdelearAllocationOptions extends IterationOptions {
  /** Weight of the newest interval in the measured demand (an exponentially weighted average), in (0, 1]. */
  readonly smoothing: number;
  /** The share of the node every tenant that may use it keeps, whatever it was measured to ask for (floor.ts), in [0, 1/n). */
  readonly floor: number;
}

// The EDeLeaR paper (../shared/reference/edelear-paper.md §III.B) gives the algorithm — update in
// proportion to (demand − allocation), evaluate F(X), repeat until converged or K iterations — but
// no value for the step, K, the tolerance, the monitoring average or a floor. Each default below
// is our choice, justified by a property measured in test/policies/allocation-parameters.test.ts.

/**
 * Default step η = 0.5: each iteration halves every gap D*_i − X_i. The paper says "in proportion
 * to (demand − allocation)" and gives no factor. Any η in (0, 1] reaches the same allocation
 * within the tolerance (the iterates follow X^k = D* + (1 − η)^k (X⁰ − D*)), so with K large
 * enough η sets only the number of iterations: from any feasible start (X⁰ and D* both in
 * {Σ X ≤ 1, X ≥ 0}, so √F(X⁰) ≤ √2) η = 0.5 meets the default tolerance in at most
 * ⌈ln(10⁻⁶/√2) / ln 0.5⌉ = 21 iterations — measured on the paper's Table 2 instance and on
 * 1,000 random ones against the water-filling target computed in the test.
 */
export const DEFAULT_ALLOCATION_STEP = 0.5;

/**
 * Default K = 50 iterations per node and tick: more than the 21 the default step needs from the
 * farthest feasible start, and exactly what η = 0.25 needs (⌈ln(10⁻⁶/√2) / ln 0.75⌉ = 50), so a
 * scenario may halve the step and still converge at every tick. K does not bind with the
 * defaults (measured: no instance of the test needs more than 21), so the allocation a tick sets
 * is the target within the tolerance; a smaller K damps it, leaving (1 − η)^K of each gap.
 */
export const DEFAULT_ALLOCATION_ITERATIONS = 50;

/**
 * Default tolerance 10⁻⁶ of the node on √F(X) = ‖D* − X‖: an allocation this close to its target
 * changes a tenant's service rate by a relative 10⁻⁶ / share — at most 10⁻⁴ at a share no smaller
 * than the default floor — while the demand it follows is far coarser: one interval's work of a
 * Poisson stream of m requests has a relative standard deviation of 1/√m, ≥ 10⁻³ for m ≤ 10⁶.
 */
export const DEFAULT_ALLOCATION_TOLERANCE = 1e-6;

/**
 * Default weight 0.3 of the newest interval in the measured demand: the world view's weight for
 * arrival rates (EWMA_WEIGHT.rate in src/world/view.ts), so this policy and the LP offloading see
 * demand averaged alike. After a step change of demand the average has covered 1 − 0.7^n of it
 * after n intervals (half after 2, 97 % after 10: checked in the test, and in a run in
 * test/world/allocation.test.ts); over independent intervals its variance is α / (2 − α) = 0.18
 * of one interval's (sd × 0.42).
 */
export const DEFAULT_ALLOCATION_SMOOTHING = EWMA_WEIGHT.rate;

/**
 * Default floor 0.01 (1 % of the node per tenant that may use it). Any floor > 0 ends starvation
 * (a tenant measured idle is served from its next request on, at ≥ the floor, instead of waiting
 * for the next tick: test/world/allocation.test.ts); its cost is what it withholds from busy
 * tenants, at most n·floor of the node for n tenants (the partitioned scheduler does not lend an
 * idle tenant's share). 1 % keeps that within 5 % of the node for up to five tenants (4 % on the
 * edge of scenarios/paper-edelear.yaml, whose tenants are the paper's four devices' workloads),
 * and never binds on the paper's Table 2, whose smallest share is 20/140 = 14 % pooled and 20 %
 * on one device (measured in the tests).
 */
export const DEFAULT_ALLOCATION_FLOOR = 0.01;

/** The parameters EDeLeaR's allocation runs with unless the scenario says otherwise (each default above says where it comes from). */
export const EDELEAR_ALLOCATION: EdelearAllocationOptions = {
  step: DEFAULT_ALLOCATION_STEP,
  iterations: DEFAULT_ALLOCATION_ITERATIONS,
  tolerance: DEFAULT_ALLOCATION_TOLERANCE,
  smoothing: DEFAULT_ALLOCATION_SMOOTHING,
  floor: DEFAULT_ALLOCATION_FLOOR,
};

/** The most iterations a scenario may ask for per node and tick (each costs O(tenants)). */
export const MAX_ALLOCATION_ITERATIONS = 1_000_000;

/** Each parameter's admissible values, as a test and in words: one table for the policy's own check and the scenario schema's. */
export const EDELEAR_ALLOCATION_RULES: { readonly [K in keyof EdelearAllocationOptions]: { readonly ok: (v: number) => boolean; readonly expected: string } } = {
  step: {
    ok: (v) => v > 0 && v <= 1,
    expected:
      'a step η in (0, 1], the fraction of each gap (demand − allocation) an iteration closes: at 0 nothing moves, above 1 the iterates overshoot their target and can leave Σ X ≤ 1, X ≥ 0 (at 2 and above they diverge)',
  },
  iterations: {
    ok: (v) => Number.isInteger(v) && v >= 1 && v <= MAX_ALLOCATION_ITERATIONS,
    expected: `an integer K from 1 to ${MAX_ALLOCATION_ITERATIONS}, the most iterations per node and tick`,
  },
  tolerance: {
    ok: (v) => v >= 0 && v < 1,
    expected: 'a tolerance in [0, 1) of the node: the iteration stops once ‖demand − allocation‖ is within it (0: always K iterations)',
  },
  smoothing: {
    ok: (v) => v > 0 && v <= 1,
    expected: 'a weight in (0, 1] of the newest interval in the average of measured demand (1: the last interval alone; 0 would never update it)',
  },
  floor: {
    ok: (v) => v >= 0 && v < 1,
    expected: 'a floor in [0, 1) of the node for every tenant that may use it (and below 1/n on a node with n such tenants)',
  },
};

/** The first parameter outside its range, with what it must be, or undefined when all are admissible. */
export function edelearAllocationProblem(options: EdelearAllocationOptions): { key: keyof EdelearAllocationOptions; expected: string } | undefined {
  for (const key of Object.keys(EDELEAR_ALLOCATION_RULES) as (keyof EdelearAllocationOptions)[]) {
    const rule = EDELEAR_ALLOCATION_RULES[key];
    if (!(typeof options[key] === 'number' && rule.ok(options[key]))) return { key, expected: rule.expected };
  }
  return undefined;
}

/** What the policy keeps per node: the measured demand and the allocation, per tenant, in fractions of the node, and which tenants may use it. */
interface NodeState {
  readonly demand: Float64Array;
  readonly allocation: Float64Array;
  readonly fair: Float64Array;
  readonly present: Uint8Array;
  measured: boolean;
}

/**
 * EDeLeaR's dynamic resource allocation (paper §III.B), per partitioned node, every monitoring
 * interval. Initialize: the allocation X is the declared demand (the scenario's shares).
 * Monitor: each tenant's demand D_i is an exponentially weighted average over intervals of the
 * fraction of the node it asked for (measured arrival rate × work per request; weight
 * {@link EdelearAllocationOptions.smoothing}). Allocate: minimize F(X) = Σ (D*_i − X_i)² subject
 * to Σ X ≤ 1, X ≥ 0 by the paper's iteration — X moves in proportion to (demand − allocation)
 * until √F ≤ tolerance or K iterations (iteration.ts) — where D* = D when the demands fit (so
 * X_i ≥ D_i) and their max-min fair division of the node when they do not (water-filling.ts).
 * Share: what the allocations leave idle goes to the tenants by Kleinrock's square-root rule
 * (square-root.ts), the split that minimizes the mean M/M/1 response time — the paper's F as
 * latency. Floor: every tenant that may use the node keeps at least
 * {@link EdelearAllocationOptions.floor} of it (floor.ts), taken from the others in proportion to
 * what they hold above it, so a tenant measured idle is not starved when its requests come before
 * the next tick re-measures it. The floor applies to the shares, not to X: the iteration's state
 * is the paper's. A node where nothing was ever asked for keeps its shares (the declared ones,
 * floored). Defaults: {@link EDELEAR_ALLOCATION}. Cost per node and tick
 * O(K·tenants + tenants·log tenants).
 */
export function edelearAllocation(options: EdelearAllocationOptions = EDELEAR_ALLOCATION): AllocationPolicy {
  const bad = edelearAllocationProblem(options);
  if (bad) throw new RangeError(`edelear allocation: ${bad.key} must be ${bad.expected}, got ${options[bad.key]}`);
  const nodes = new Map<number, NodeState>();
  const stateOf = (k: number, shares: Float64Array, present?: ArrayLike<number>): NodeState => {
    let s = nodes.get(k);
    if (!s) {
      const n = shares.length;
      const who = present ? Uint8Array.from(present, (p) => (p ? 1 : 0)) : new Uint8Array(n).fill(1);
      nodes.set(k, (s = { demand: new Float64Array(n), allocation: Float64Array.from(shares), fair: new Float64Array(n), present: who, measured: false }));
    }
    return s;
  };
  return {
    name: 'edelear',
    reallocates: true,
    partitions: true,
    start(k, shares, present) {
      nodes.delete(k); // a run begins: nothing measured yet (a spec run again starts as the first time)
      const s = stateOf(k, shares, present);
      applyFloor(shares, s.present, options.floor);
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
      applyFloor(shares, s.present, options.floor);
    },
  };
}
