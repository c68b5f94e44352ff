import { describe, expect, it } from 'vitest';
import { EDELEAR_ALLOCATION, edelearAllocation } from '../../src/policies/allocation/edelear.ts';
import { iterateAllocation } from '../../src/policies/allocation/iteration.ts';
import { ALLOCATION_POLICIES, allocationPolicy } from '../../src/policies/allocation/registry.ts';
import { squareRootAssignment } from '../../src/policies/allocation/square-root.ts';
import { maxMinFair } from '../../src/policies/allocation/water-filling.ts';

// The paper's Table 2 (../shared/reference/edelear-paper.md §III.B), in % of a device.
const demand = [30, 50, 20, 40];
const available = [40, 30, 50, 20];

/**
 * EDeLeaR's allocation of one node (or one pooled capacity) whose declared and measured demands
 * are `d`, as fractions of it: the default parameters (floor 1 % included) but a tolerance of
 * 10⁻¹² (41 iterations of η = 0.5 at most, within K = 50), so shares match to 9 digits.
 */
function edelearShares(d: readonly number[], options = { ...EDELEAR_ALLOCATION, tolerance: 1e-12 }): number[] {
  const policy = edelearAllocation(options);
  const shares = Float64Array.from(d);
  policy.start(0, shares, new Uint8Array(d.length).fill(1));
  policy.allocate(0, Float64Array.from(d), shares);
  return [...shares];
}

describe("the paper's Table 2", () => {
  it('with the four devices pooled (140 % available for 140 % demanded) every demand is allocated: 30 / 50 / 20 / 40', () => {
    const pooled = available.reduce((a, b) => a + b, 0); // 140
    // Σ X ≤ 140 and X_i ≥ D_i with Σ D = 140 leave one allocation: X = D.
    expect([...maxMinFair(demand, pooled)]).toEqual([30, 50, 20, 40]);
    // The policy on the pooled capacity: demands as fractions of it; nothing is left over to share
    // out, and the floor (1 % of the pool) does not bind: the smallest share is 20/140 = 14 %.
    const shares = edelearShares(demand.map((d) => d / pooled)).map((s) => s * pooled);
    shares.forEach((s, i) => expect(s).toBeCloseTo([30, 50, 20, 40][i], 9));
  });

  it('not pooled, each device meets what its own capacity allows: 30 / 30 / 20 / 20 (devices 2 and 4 short by 20)', () => {
    // One tenant per capacity: the water level is the capacity itself, so X_i = min(D_i, A_i).
    const alone = demand.map((d, i) => maxMinFair([d], available[i])[0]);
    expect(alone).toEqual([30, 30, 20, 20]);
  });

  it('the four demands on one device (100 %) get the max-min fair split: 26.67 / 26.67 / 20 / 26.67', () => {
    // Water-filling by hand: 100 / 4 = 25 ≥ 20, so device 3's 20 is met; 80 left for three
    // claims all above 80 / 3 = 26.67, so each of them gets 80 / 3.
    const level = (100 - 20) / 3;
    const fair = [level, level, 20, level];
    [...maxMinFair(demand, 100)].forEach((x, i) => expect(x).toBeCloseTo(fair[i], 12));
    // The policy on one node (capacity 1): over capacity, nothing is left to share out; the floor
    // (1 %) does not bind, the smallest share being 20 %.
    edelearShares(demand.map((d) => d / 100)).forEach((s, i) => expect(s * 100).toBeCloseTo(fair[i], 9));
  });
});

describe('max-min fairness (water-filling)', () => {
  it('meets the claims that fit, caps the others at one level, and uses the whole capacity', () => {
    // By hand, smallest claim first: 16/5 = 3.2 ≥ 1, 15/4 = 3.75 ≥ 2 and 13/3 = 4.33 ≥ 3 are met;
    // the 10 left go to the claims of 8 and 9 at the level 10/2 = 5.
    expect([...maxMinFair([8, 1, 9, 2, 3], 16)]).toEqual([5, 1, 5, 2, 3]);
    expect([...maxMinFair([0, 4], 2)]).toEqual([0, 2]);
    expect([...maxMinFair([1, 2], 10)]).toEqual([1, 2]);
    // Tied claims at the level: 2 is met (2·3 ≤ 9), the two 4s share the 7 left at 3.5 each.
    expect([...maxMinFair([2, 4, 4], 9)]).toEqual([2, 3.5, 3.5]);
    // A claim exactly at the level (3·3 = 9 of 9): met, and so are the rest at 3.
    expect([...maxMinFair([3, 3, 4], 9)]).toEqual([3, 3, 3]);
    expect(() => maxMinFair([-1], 1)).toThrow(/≥ 0/);
  });

  it('is max-min fair on many instances: feasible, no claim exceeded, and every short claimant at the highest level', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let n = 0; n < 200; n++) {
      const claims = Array.from({ length: 1 + (n % 9) }, () => next() * 10);
      const capacity = next() * 40;
      const x = maxMinFair(claims, capacity);
      const total = claims.reduce((a, b) => a + b, 0);
      expect(x.reduce((a, b) => a + b, 0)).toBeCloseTo(Math.min(total, capacity), 9);
      const top = Math.max(...x);
      claims.forEach((c, i) => {
        expect(x[i]).toBeLessThanOrEqual(c + 1e-12);
        // Max-min: one who gets less than it asks is not below anyone.
        if (x[i] < c - 1e-9) expect(x[i]).toBeCloseTo(top, 9);
      });
    }
  });
});

describe("the paper's iteration", () => {
  it('follows its closed form X^k = D + (1 − η)^k (X⁰ − D) and F(X^k) = (1 − η)^{2k} F(X⁰)', () => {
    const start = [0.25, 0.25, 0.25, 0.25];
    const target = [0.1, 0.5, 0.3, 0.05];
    const f0 = start.reduce((f, x, i) => f + (target[i] - x) ** 2, 0);
    for (const [step, k] of [[0.5, 3], [0.2, 7], [1, 1]] as const) {
      const x = Float64Array.from(start);
      const r = iterateAllocation(x, target, { step, iterations: k, tolerance: 0 });
      expect(r.iterations).toBe(k);
      x.forEach((xi, i) => expect(xi).toBeCloseTo(target[i] + (1 - step) ** k * (start[i] - target[i]), 14));
      expect(r.objective).toBeCloseTo((1 - step) ** (2 * k) * f0, 14);
      // Every iterate stays feasible: a convex combination of two allocations within capacity.
      expect(x.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-12);
    }
  });

  it('stops at the first k with √F(X^k) ≤ tolerance, k = ⌈ln(tol / √F⁰) / ln(1 − η)⌉', () => {
    const start = [0.5, 0.5];
    const target = [1, 0];
    const tol = 1e-6;
    const f0 = 0.5;
    const k = Math.ceil(Math.log(tol / Math.sqrt(f0)) / Math.log(1 - 0.3));
    const r = iterateAllocation(Float64Array.from(start), target, { step: 0.3, iterations: 1000, tolerance: tol });
    expect(r.iterations).toBe(k); // 38
    expect(Math.sqrt(r.objective)).toBeLessThanOrEqual(tol);
    // K caps it: 10 iterations leave √F = 0.7^10 √F⁰.
    const capped = iterateAllocation(Float64Array.from(start), target, { step: 0.3, iterations: 10, tolerance: tol });
    expect(capped.iterations).toBe(10);
    expect(Math.sqrt(capped.objective)).toBeCloseTo(0.7 ** 10 * Math.sqrt(f0), 14);
  });
});

describe("Kleinrock's square-root assignment of what is left", () => {
  it('hands out the whole capacity and minimizes the mean M/M/1 response time Σ X_i / (s_i − X_i) (checked on a grid)', () => {
    const x = [0.2, 0.6];
    const s = squareRootAssignment(x, 1);
    expect(s[0] + s[1]).toBeCloseTo(1, 15);
    // The best split on a grid of 10^5 points of s_0 in (0.2, 0.4) (s_1 = 1 − s_0).
    const cost = (s0: number) => x[0] / (s0 - x[0]) + x[1] / (1 - s0 - x[1]);
    let best = NaN;
    let bestCost = Infinity;
    for (let j = 1; j < 100_000; j++) {
      const s0 = 0.2 + (0.2 * j) / 100_000;
      if (cost(s0) < bestCost) [best, bestCost] = [s0, cost(s0)];
    }
    expect(s[0]).toBeCloseTo(best, 5);
    expect([...squareRootAssignment([0, 0.5], 1)]).toEqual([0, 1]);
    expect([...squareRootAssignment([0, 0], 1)]).toEqual([0, 0]);
  });
});

describe('baselines and the registry', () => {
  it('equal gives 1/n to each tenant that may use the node; static keeps the declared shares; none has no partitions', () => {
    expect([...ALLOCATION_POLICIES]).toEqual(['edelear', 'equal', 'static', 'none']);
    const shares = Float64Array.of(0.7, 0.1, 0.2, 0);
    allocationPolicy('equal').start(0, shares, Uint8Array.of(1, 1, 0, 1));
    expect([...shares]).toEqual([1 / 3, 1 / 3, 0, 1 / 3]);
    const declared = Float64Array.of(0.7, 0.1, 0.2);
    allocationPolicy('static').start(0, declared, Uint8Array.of(1, 1, 1));
    expect([...declared]).toEqual([0.7, 0.1, 0.2]);
    expect(ALLOCATION_POLICIES.map((n) => [allocationPolicy(n).reallocates, allocationPolicy(n).partitions])).toEqual([
      [true, true],
      [false, true],
      [false, true],
      [false, false],
    ]);
  });

  it('EDeLeaR starts from the declared shares and moves toward the measured demand, leaving shares alone where nothing was asked for', () => {
    const policy = edelearAllocation({ ...EDELEAR_ALLOCATION, iterations: 1, tolerance: 0 });
    const shares = Float64Array.of(0.5, 0.5);
    policy.start(3, shares, Uint8Array.of(1, 1));
    policy.allocate(3, Float64Array.of(0, 0), shares);
    // X = ½ (0.5, 0.5) + ½ (0, 0) = (0.25, 0.25); the 0.5 left over is shared out by √X: equally.
    expect([...shares]).toEqual([0.5, 0.5]);
    const idle = edelearAllocation();
    const untouched = Float64Array.of(0.3, 0.2);
    idle.start(0, Float64Array.of(0, 0), Uint8Array.of(1, 1));
    idle.allocate(0, Float64Array.of(0, 0), untouched);
    expect([...untouched]).toEqual([0.3, 0.2]);
  });
});
