import type { WorldView } from './view.ts';
import { float64Array, int32Array, int32ArrayOf, uint8Array } from '../core/typed-arrays.ts';

/**
 * The placement decision point as the world asks it at run time: which of an instance's
 * candidate nodes executes the next request. A policy installs a plan per workload instance in
 * the {@link PlacementTable} when the run starts and, if it re-plans, at every monitoring tick
 * (with the measured {@link WorldView}); between ticks a request's choice is O(1): the plan's one
 * node, a draw from its weights, the next in a rotation — or, for policies that decide at each
 * request, {@link choose} at decision time.
 */
export interface PlacementPolicy {
  readonly name: string;
  /** Whether {@link plan} runs again at every tick of `policies.interval`. */
  readonly replans: boolean;
  /** Installs the plan of each of `instances` in the table. */
  plan(view: WorldView, table: PlacementTable, instances: Int32Array): void;
  /** The candidate index for a request of an instance whose plan is "ask at each request". */
  choose(view: WorldView, table: PlacementTable, instance: number): number;
}

const SINGLE = 0;
const WEIGHTED = 1;
const ROTATE = 2;
const ASK = 3;

/** Where each workload instance may execute and the plan installed for it. */
export class PlacementTable {
  /** How the next request of each instance is placed (one of the modes above; 0 = one candidate). */
  readonly mode: Uint8Array;
  /** Candidate index of a one-candidate plan, or the rotation's position. */
  readonly choice: Int32Array;
  /**
   * The (instance, candidate) pair — an index into the candidates — every request of instance i
   * goes to while its plan is one candidate; −1 under other plans. The request's fast path: one
   * read instead of mode, choice and start.
   */
  readonly fixed: Int32Array;
  /**
   * Requests born in the measurement window that the policy placed when asked at each request,
   * per (instance, candidate) pair (made at the first {@link setAsk}; absent while no instance is
   * asked): what such a policy did, where a plan's expectation is not known in advance.
   */
  asked: Float64Array | undefined;
  /** Cumulative weights of a WEIGHTED plan, parallel to the candidates. */
  private readonly cumulative: Float64Array;

  constructor(
    /** Candidate nodes of instance i: candidates[start[i] … start[i + 1]). */
    readonly candidates: Int32Array,
    readonly start: Int32Array,
    /** A uniform draw in [0, 1) for instance i (its `policy` stream), for weighted plans. */
    private readonly uniform: (i: number) => number,
  ) {
    const m = start.length - 1;
    this.mode = uint8Array(m);
    this.choice = int32Array(m);
    this.fixed = int32ArrayOf(start.subarray(0, m));
    this.cumulative = float64Array(candidates.length);
  }

  /** Whether some instance's plan is to ask its policy at each request. */
  asksAtRequest(): boolean {
    return this.mode.includes(ASK);
  }

  /** Number of candidates of instance i. */
  count(i: number): number {
    return this.start[i + 1] - this.start[i];
  }

  /** Node of candidate c of instance i. */
  node(i: number, c: number): number {
    return this.candidates[this.start[i] + c];
  }

  /** Every request of instance i goes to candidate c. */
  setSingle(i: number, c: number): void {
    this.mode[i] = SINGLE;
    this.choice[i] = c;
    this.fixed[i] = this.start[i] + c;
  }

  /** Requests of instance i are drawn over its candidates with these (non-negative) weights. */
  setWeights(i: number, weights: ArrayLike<number>): void {
    const s = this.start[i];
    const n = this.count(i);
    let sum = 0;
    for (let c = 0; c < n; c++) sum += weights[c];
    if (!(sum > 0)) throw new RangeError(`placement weights of instance ${i} must add up to more than 0`);
    let acc = 0;
    for (let c = 0; c < n; c++) this.cumulative[s + c] = (acc += weights[c]) / sum;
    this.cumulative[s + n - 1] = 1;
    this.mode[i] = WEIGHTED;
    this.fixed[i] = -1;
  }

  /** Requests of instance i go to its candidates in turn. */
  setRotation(i: number): void {
    this.mode[i] = ROTATE;
    this.choice[i] = 0;
    this.fixed[i] = -1;
  }

  /** Each request of instance i asks the policy at decision time. */
  setAsk(i: number): void {
    this.asked ??= float64Array(this.candidates.length);
    this.mode[i] = ASK;
    this.fixed[i] = -1;
  }

  /**
   * The share of instance i's requests each of its candidates gets under the plan installed now,
   * written to `out[0 … count(i))`: 1 for a one-candidate plan's node, the normalized weights of a
   * weighted plan, 1/count for a rotation; NaN when the policy decides at each request (the plan
   * is not known in advance). Read-only (reports). Cost O(count(i)).
   */
  fractions(i: number, out: Float64Array): void {
    const n = this.count(i);
    const s = this.start[i];
    switch (this.mode[i]) {
      case SINGLE:
        out.fill(0, 0, n);
        out[this.choice[i]] = 1;
        return;
      case WEIGHTED: {
        let previous = 0;
        for (let c = 0; c < n; c++) {
          out[c] = this.cumulative[s + c] - previous;
          previous = this.cumulative[s + c];
        }
        return;
      }
      case ROTATE:
        out.fill(1 / n, 0, n);
        return;
      default:
        out.fill(NaN, 0, n);
    }
  }

  /** Candidate index for the next request of instance i; −1 when its policy decides at each request. */
  pick(i: number): number {
    switch (this.mode[i]) {
      case SINGLE:
        return this.choice[i];
      case WEIGHTED: {
        // The first candidate whose cumulative weight exceeds u, by bisection (the last one's is 1 > u).
        const u = this.uniform(i);
        const s = this.start[i];
        const cumulative = this.cumulative;
        let lo = 0;
        let hi = this.start[i + 1] - s - 1;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (cumulative[s + mid] <= u) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      }
      case ROTATE: {
        const c = this.choice[i];
        this.choice[i] = c + 1 === this.count(i) ? 0 : c + 1;
        return c;
      }
      default:
        return -1;
    }
  }
}

/** A plan decided once (the candidates are one node per instance): local, fixed, nearest. */
export const staticPlacement: PlacementPolicy = {
  name: 'static',
  replans: false,
  plan(_view, table, instances) {
    for (const i of instances) table.setSingle(i, 0);
  },
  choose: () => 0,
};

/** Everything the world needs to place requests: candidates per instance and the policy of each. */
export interface PlacementSpec {
  /** Candidate nodes of instance i: candidates[start[i] … start[i + 1]). */
  readonly candidates: Int32Array;
  readonly start: Int32Array;
  readonly policies: readonly PlacementPolicy[];
  /** Index into `policies` of each instance's policy. */
  readonly policyOf: Int32Array;
}

/** A placement fixed per instance (one candidate each): for tests and tools that name the node. */
export function fixedTargets(targets: ArrayLike<number>): PlacementSpec {
  return {
    candidates: Int32Array.from(targets),
    start: Int32Array.from({ length: targets.length + 1 }, (_, i) => i),
    policies: [staticPlacement],
    policyOf: new Int32Array(targets.length),
  };
}
