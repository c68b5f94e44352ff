import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ALLOCATION_FLOOR,
  DEFAULT_ALLOCATION_ITERATIONS,
  DEFAULT_ALLOCATION_SMOOTHING,
  DEFAULT_ALLOCATION_STEP,
  DEFAULT_ALLOCATION_TOLERANCE,
  EDELEAR_ALLOCATION,
  edelearAllocation,
  edelearAllocationProblem,
} from '../../src/policies/allocation/edelear.ts';
import { applyFloor } from '../../src/policies/allocation/floor.ts';
import { iterateAllocation } from '../../src/policies/allocation/iteration.ts';
import { maxMinFair } from '../../src/policies/allocation/water-filling.ts';

// The defaults of EDeLeaR's allocation (src/policies/allocation/edelear.ts) are not the paper's —
// it gives none — but choices justified by what is measured here.

/** A Park–Miller stream in (0, 1), so the random instances are the same on every run. */
function uniforms(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 16807) % 2147483647) / 2147483647;
}

/**
 * The max-min fair division of `capacity` among `claims`, computed independently of
 * water-filling.ts: the level λ with Σ min(c_i, λ) = capacity, found by bisection (100 halvings of
 * [0, max claim]: exact to the last bits), each claimant getting min(c_i, λ); the claims
 * themselves when they fit.
 */
function maxMinByBisection(claims: readonly number[], capacity: number): number[] {
  const total = claims.reduce((a, b) => a + b, 0);
  if (total <= capacity) return [...claims];
  let lo = 0;
  let hi = Math.max(...claims);
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (claims.reduce((a, c) => a + Math.min(c, mid), 0) > capacity) hi = mid;
    else lo = mid;
  }
  return claims.map((c) => Math.min(c, lo));
}

/** ‖a − b‖ (Euclidean). */
const distance = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.sqrt(Array.from(a, (x, i) => (x - b[i]) ** 2).reduce((s, v) => s + v, 0));

/** Iterations the closed form X^k = D* + (1 − η)^k (X⁰ − D*) needs to bring √F from `gap` to `tolerance`. */
const needed = (gap: number, step: number, tolerance: number) => (gap <= tolerance ? 0 : Math.ceil(Math.log(tolerance / gap) / Math.log(1 - step)));

describe('the defaults, and the property each rests on', () => {
  it('are η = 0.5, K = 50, tolerance 10^-6, smoothing 0.3, floor 0.01', () => {
    expect(EDELEAR_ALLOCATION).toEqual({ step: 0.5, iterations: 50, tolerance: 1e-6, smoothing: 0.3, floor: 0.01 });
    expect([DEFAULT_ALLOCATION_STEP, DEFAULT_ALLOCATION_ITERATIONS, DEFAULT_ALLOCATION_TOLERANCE, DEFAULT_ALLOCATION_SMOOTHING, DEFAULT_ALLOCATION_FLOOR]).toEqual([0.5, 50, 1e-6, 0.3, 0.01]);
  });

  it('K = 50 covers the worst feasible start: √F(X⁰) ≤ √2 needs 21 iterations at η = 0.5 and 50 at η = 0.25', () => {
    // Two points of {Σ X ≤ 1, X ≥ 0} are at most √2 apart (two vertices e_i, e_j).
    expect(needed(Math.SQRT2, 0.5, 1e-6)).toBe(21);
    expect(needed(Math.SQRT2, 0.25, 1e-6)).toBe(50);
    expect(needed(Math.SQRT2, 0.24, 1e-6)).toBeGreaterThan(50);
    // The worst start itself: all of the node to tenant 0, the target all of it to tenant 1.
    const x = Float64Array.of(1, 0);
    const r = iterateAllocation(x, [0, 1], EDELEAR_ALLOCATION);
    expect(r.iterations).toBe(21);
    expect(Math.sqrt(r.objective)).toBeLessThanOrEqual(1e-6);
  });

  it("on the paper's Table 2 instance the iteration reaches the max-min target within 10^-6 in ≤ K iterations, the floor not binding", () => {
    // Demands 30/50/20/40 % of a device. Pooled (140 %): the target is the demand itself, D/140.
    // On one device (100 %): water-filling gives 80/3, 80/3, 20, 80/3 %. Start: equal shares, and
    // (one device) the declared shares D/140 as the paper scenario declares them.
    const demand = [30, 50, 20, 40];
    for (const [capacity, start] of [
      [140, [0.25, 0.25, 0.25, 0.25]],
      [100, [0.25, 0.25, 0.25, 0.25]],
      [100, demand.map((d) => d / 140)],
    ] as const) {
      const target = maxMinByBisection(demand.map((d) => d / capacity), 1);
      expect(distance(maxMinFair(demand.map((d) => d / capacity), 1), target)).toBeLessThan(1e-12);
      const x = Float64Array.from(start);
      const r = iterateAllocation(x, target, EDELEAR_ALLOCATION);
      expect(r.iterations).toBe(needed(distance(start, target), 0.5, 1e-6));
      expect(r.iterations).toBeLessThanOrEqual(DEFAULT_ALLOCATION_ITERATIONS);
      expect(distance(x, target)).toBeLessThanOrEqual(1e-6);
      // The smallest target share is 20/140 = 0.143 or 0.2: well above the 1 % floor.
      expect(Math.min(...target)).toBeGreaterThanOrEqual(20 / 140 - 1e-12);
    }
    // By hand, one device: 100/4 = 25 ≥ 20 meets device 3; 80 left for three claims above 80/3.
    maxMinByBisection([0.3, 0.5, 0.2, 0.4], 1).forEach((x, i) => expect(x).toBeCloseTo([80 / 300, 80 / 300, 0.2, 80 / 300][i], 12));
  });

  it('on 1,000 random instances the policy reaches the max-min target within 10^-6 in at most 21 iterations (K = 50 never binds)', () => {
    const next = uniforms(20240229);
    let most = 0;
    for (let n = 0; n < 1000; n++) {
      const tenants = 1 + Math.floor(next() * 12);
      // Demands up to 0.6 each: some instances fit the node, most do not.
      const demand = Array.from({ length: tenants }, () => (next() < 0.2 ? 0 : next() * 0.6));
      // A feasible start: random shares scaled to a random total ≤ 1.
      const raw = Array.from({ length: tenants }, () => next());
      const total = next();
      const start = raw.map((v) => (v / raw.reduce((a, b) => a + b, 0)) * total);
      const target = maxMinByBisection(demand, 1);
      expect(distance(maxMinFair(demand, 1), target)).toBeLessThan(1e-12);
      const x = Float64Array.from(start);
      const r = iterateAllocation(x, target, EDELEAR_ALLOCATION);
      expect(r.iterations).toBe(needed(distance(start, target), 0.5, 1e-6));
      expect(distance(x, target)).toBeLessThanOrEqual(1e-6);
      expect(x.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-12);
      most = Math.max(most, r.iterations);

      // The whole policy with the floor off, measured demand = these demands (first tick, no
      // averaging yet): over capacity its shares are the target (nothing left to share out);
      // within capacity each tenant gets at least its demand and the node is handed out whole.
      const policy = edelearAllocation({ ...EDELEAR_ALLOCATION, floor: 0 });
      const shares = Float64Array.from(start);
      policy.start(0, shares, new Uint8Array(tenants).fill(1));
      policy.allocate(0, Float64Array.from(demand), shares);
      if (demand.reduce((a, b) => a + b, 0) > 1) expect(distance(shares, target)).toBeLessThanOrEqual(1e-6);
      else if (demand.some((d) => d > 0)) {
        shares.forEach((s, i) => expect(s).toBeGreaterThanOrEqual(demand[i] - 1e-6));
        expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      }
    }
    expect(most).toBeLessThanOrEqual(21);
  });

  it('the smoothing: after demand steps from 0.4 to 0.1 the share follows 0.1 + 0.3 × 0.7^n — half the step covered after 2 intervals, 97 % after 10', () => {
    // Tenant 1 asks the whole node throughout, so the node is over capacity and tenant 0's share is
    // its own averaged demand (max-min: it is the smaller claim, below 1/2); η = 1, no floor.
    const policy = edelearAllocation({ ...EDELEAR_ALLOCATION, step: 1, iterations: 1, floor: 0 });
    const shares = Float64Array.of(0.5, 0.5);
    policy.start(0, shares, Uint8Array.of(1, 1));
    policy.allocate(0, Float64Array.of(0.4, 1), shares);
    expect(shares[0]).toBeCloseTo(0.4, 15);
    for (let n = 1; n <= 10; n++) {
      policy.allocate(0, Float64Array.of(0.1, 1), shares);
      expect(shares[0]).toBeCloseTo(0.1 + 0.3 * 0.7 ** n, 14);
    }
    expect(1 - 0.7 ** 2).toBeGreaterThan(0.5);
    expect(1 - 0.7 ** 10).toBeGreaterThan(0.97);
    // Over independent intervals the average's variance is α / (2 − α) of one interval's: 0.18.
    expect(0.3 / (2 - 0.3)).toBeCloseTo(0.176, 3);
  });
});

describe('the admissible values', () => {
  it('a step above 1 overshoots out of the feasible set, and at 2 it no longer converges: the policy refuses both', () => {
    // From X⁰ = (1, 0) to D* = (0, 1): η = 1.5 gives (−0.5, 1.5), a negative allocation above the node.
    const over = Float64Array.of(1, 0);
    for (let i = 0; i < over.length; i++) over[i] += 1.5 * ([0, 1][i] - over[i]);
    expect([...over]).toEqual([-0.5, 1.5]);
    // At η = 2 the gap keeps its size: X^k − D* = (−1)^k (X⁰ − D*).
    expect(Math.abs(1 - 2) ** 50).toBe(1);
    for (const step of [0, -0.1, 1.5, 2, Number.NaN]) expect(() => edelearAllocation({ ...EDELEAR_ALLOCATION, step })).toThrow(/step must be a step η in \(0, 1\]/);
    expect(() => iterateAllocation(Float64Array.of(1), [0], { step: 1.5, iterations: 1, tolerance: 0 })).toThrow(RangeError);
  });

  it('names the first parameter out of range and what it must be', () => {
    expect(edelearAllocationProblem(EDELEAR_ALLOCATION)).toBeUndefined();
    const cases: [Partial<typeof EDELEAR_ALLOCATION>, string, RegExp][] = [
      [{ iterations: 0 }, 'iterations', /an integer K from 1 to 1000000/],
      [{ iterations: 2.5 }, 'iterations', /an integer K/],
      [{ tolerance: -1e-6 }, 'tolerance', /in \[0, 1\)/],
      [{ tolerance: 1 }, 'tolerance', /in \[0, 1\)/],
      [{ smoothing: 0 }, 'smoothing', /in \(0, 1\]/],
      [{ smoothing: 1.2 }, 'smoothing', /in \(0, 1\]/],
      [{ floor: -0.01 }, 'floor', /in \[0, 1\)/],
      [{ floor: 1 }, 'floor', /below 1\/n/],
    ];
    for (const [change, key, expected] of cases) {
      const problem = edelearAllocationProblem({ ...EDELEAR_ALLOCATION, ...change });
      expect(problem?.key).toBe(key);
      expect(problem?.expected).toMatch(expected);
    }
    // Edges that are admissible.
    for (const change of [{ step: 1 }, { step: 1e-9 }, { iterations: 1 }, { tolerance: 0 }, { smoothing: 1 }, { floor: 0 }]) {
      expect(edelearAllocationProblem({ ...EDELEAR_ALLOCATION, ...change })).toBeUndefined();
    }
  });
});

describe('the floor share', () => {
  it('raises a tenant below it to the floor, taking from the others in proportion to what they hold above it; Σ stays', () => {
    // (0.7, 0.3, 0) with floor 0.1: tenant 2 needs 0.1; above the floor 0.6 and 0.2 are held, so
    // each keeps 1 − 0.1/0.8 of it: 0.1 + 0.6 × 0.875 = 0.625 and 0.1 + 0.2 × 0.875 = 0.275.
    const s = applyFloor(Float64Array.of(0.7, 0.3, 0), [1, 1, 1], 0.1);
    [0.625, 0.275, 0.1].forEach((x, i) => expect(s[i]).toBeCloseTo(x, 15));
    expect(s[0] + s[1] + s[2]).toBeCloseTo(1, 15);
  });

  it('takes from the capacity no one holds first, then from the others', () => {
    // Σ = 0.9: the 0.1 unheld covers tenant 2's 0.05 alone; nobody else moves.
    expect([...applyFloor(Float64Array.of(0.6, 0.3, 0), [1, 1, 1], 0.05)]).toEqual([0.6, 0.3, 0.05]);
    // Σ = 0.95 and 0.1 needed: 0.05 from the unheld, 0.05 from the others (above the floor 0.5 and
    // 0.25: each keeps 1 − 0.05/0.75 of it). Σ becomes 1.
    const s = applyFloor(Float64Array.of(0.6, 0.35, 0), [1, 1, 1], 0.1);
    [0.1 + 0.5 * (1 - 0.05 / 0.75), 0.1 + 0.25 * (1 - 0.05 / 0.75), 0.1].forEach((x, i) => expect(s[i]).toBeCloseTo(x, 15));
    expect(s[0] + s[1] + s[2]).toBeCloseTo(1, 15);
  });

  it('leaves shares at or above the floor exactly as they are, keeps no floor for a tenant that may not use the node, and is off at 0', () => {
    expect([...applyFloor(Float64Array.of(0.5, 0.3, 0.2), [1, 1, 1], 0.2)]).toEqual([0.5, 0.3, 0.2]);
    expect([...applyFloor(Float64Array.of(0.9, 0.1, 0), [1, 1, 0], 0.05)]).toEqual([0.9, 0.1, 0]);
    expect([...applyFloor(Float64Array.of(1, 0), [1, 1], 0)]).toEqual([1, 0]);
    // A tenant that may not use the node but holds a share gives it up first, in proportion.
    const s = applyFloor(Float64Array.of(0.8, 0, 0.2), [1, 1, 0], 0.1);
    // Needed 0.1; held above the floors: 0.7 (tenant 0) and 0.2 (tenant 2, whose floor is 0).
    [0.1 + 0.7 * (1 - 0.1 / 0.9), 0.1, 0.2 * (1 - 0.1 / 0.9)].forEach((x, i) => expect(s[i]).toBeCloseTo(x, 15));
  });

  it('on random shares: nobody below the floor, Σ ≤ 1 and never smaller, the order above the floor kept', () => {
    const next = uniforms(97);
    for (let n = 0; n < 500; n++) {
      const tenants = 1 + Math.floor(next() * 10);
      const floor = (next() * 0.999) / tenants;
      const raw = Array.from({ length: tenants }, () => (next() < 0.3 ? 0 : next()));
      const sum = raw.reduce((a, b) => a + b, 0) || 1;
      const held = next();
      const before = raw.map((v) => (v / sum) * held);
      const after = applyFloor(Float64Array.from(before), new Uint8Array(tenants).fill(1), floor);
      const total = after.reduce((a, b) => a + b, 0);
      expect(total).toBeLessThanOrEqual(1 + 1e-12);
      expect(total).toBeGreaterThanOrEqual(before.reduce((a, b) => a + b, 0) - 1e-12);
      after.forEach((x, i) => {
        expect(x).toBeGreaterThanOrEqual(floor - 1e-15);
        for (let j = 0; j < tenants; j++) if (before[i] > before[j] && before[j] >= floor) expect(x).toBeGreaterThanOrEqual(after[j] - 1e-15);
      });
    }
  });

  it('refuses floors that n tenants cannot all keep (n·floor > 1)', () => {
    expect(() => applyFloor(Float64Array.of(1, 0, 0), [1, 1, 1], 0.4)).toThrow(/exceeds the capacity/);
  });

  it('EDeLeaR applies it from the start: a present tenant declared 0 starts with the floor', () => {
    const policy = edelearAllocation();
    const shares = Float64Array.of(1, 0, 0);
    policy.start(0, shares, Uint8Array.of(1, 1, 0));
    expect([...shares]).toEqual([0.99, 0.01, 0]);
  });
});
