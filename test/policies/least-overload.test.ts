import { describe, expect, it } from 'vitest';
import { OWN_DEVICE, type OffloadingClass, type OffloadingProblem } from '../../src/policies/offloading/formulation.ts';
import { leastOverload } from '../../src/policies/offloading/least-overload.ts';
import { solve } from '../../src/policies/offloading/solver.ts';

const EDGE = 1;
const CLOUD = 2;
const FAR = 3;
const NEAR = 4;

function option(nodes: number[], load: number[], latency: number[]): Pick<OffloadingClass, 'nodes' | 'load' | 'latency' | 'energy' | 'exposure'> {
  return { nodes: Int32Array.from(nodes), load: Float64Array.from(load), latency: Float64Array.from(latency), energy: new Float64Array(nodes.length), exposure: new Float64Array(nodes.length) };
}

// A: one member at 10/s, its own device (1.0 of it for all its requests, room 0.5: ownCapacity
// 0.5) or the edge (0.5 of it). B: two members at 5/s, the edge (0.3 of it per member's worth) or
// the cloud (0.2). C: one member at 1/s, two idle nodes, NEAR faster than FAR. Rooms: edge 0.3,
// cloud 0.1, FAR and NEAR 10.
const problem: OffloadingProblem = {
  classes: [
    { members: 1, rate: 10, ownCapacity: 0.5, ...option([OWN_DEVICE, EDGE], [0.1, 0.05], [0.2, 0.1]) },
    { members: 2, rate: 5, ...option([EDGE, CLOUD], [0.06, 0.04], [0.1, 0.15]) },
    { members: 1, rate: 1, ...option([FAR, NEAR], [0.01, 0.01], [0.5, 0.1]) },
  ],
  nodeCount: 5,
  utilization: 0.99,
  capacity: Float64Array.from([0, 0.3, 0.1, 10, 10]),
  energyBudget: 0.01, // far below any plan: dropped
  privacyBudget: Infinity,
  objective: { weights: { latency: 1, energy: 0, exposure: 0 }, constant: 0, text: 'latency' },
  integer: false,
};

/** The worst excess of a plan of A (a = its own-device share) and B (b = members' worth on the edge), by the rows' arithmetic. */
function excess(a: number, b: number): number {
  const own = 1.0 * a - 0.5;
  const edge = 0.5 * (1 - a) + 0.3 * b - 0.3;
  const cloud = 0.2 * (2 - b) - 0.1;
  return Math.max(0, own, edge, cloud);
}

describe('the plan that overloads least (least-overload.ts)', () => {
  const r = leastOverload(problem, (lp) => solve(lp));
  const v = r.result.values;
  const at = (ci: number, k: number) => v[r.first[ci] + k];

  it('its excess is the least a brute-force search over every plan of A and B finds', () => {
    // Brute force: A's own share a in [0, 1] and B's edge worth b in [0, 2], on a grid of 1/2000.
    let best = Infinity;
    for (let i = 0; i <= 2000; i++) for (let j = 0; j <= 4000; j++) best = Math.min(best, excess(i / 2000, j / 2000));
    // By hand: a = 0.5 + s, then the edge's and the cloud's rows equal s at 0.5·(0.5 − s) + 0.3·b − 0.3 = s
    // and 0.3 − 0.2·b = s: b = (0.3 − s) / 0.2, so 0.25 − 0.5·s + 1.5·(0.3 − s) − 0.3 = s: s = 0.4 / 3.
    expect(best).toBeCloseTo(0.4 / 3, 3);
    expect(r.result.status).toBe('optimal');
    expect(r.excess).toBeCloseTo(0.4 / 3, 6);
    // The plan itself: within the second solve's slack of it (EXCESS_SLACK, 1e-6).
    expect(excess(at(0, 0), at(1, 0))).toBeCloseTo(0.4 / 3, 5);
  });

  it('every class is placed in full, the budget dropped, and the rest is the cheapest: C on NEAR', () => {
    expect(at(0, 0) + at(0, 1)).toBeCloseTo(1, 9);
    expect(at(1, 0) + at(1, 1)).toBeCloseTo(2, 9);
    expect(at(2, 1)).toBeCloseTo(1, 9);
    expect(at(2, 0)).toBeCloseTo(0, 9);
  });

  it('a program that fits has excess 0 and the program’s own optimum', () => {
    const fits: OffloadingProblem = { ...problem, capacity: Float64Array.from([0, 10, 10, 10, 10]), energyBudget: Infinity };
    const f = leastOverload(fits, (lp) => solve(lp));
    expect(f.excess).toBe(0);
    // Every class on its fastest option: A on the edge, B on the edge, C on NEAR.
    expect(f.result.values[f.first[0] + 1]).toBeCloseTo(1, 9);
    expect(f.result.values[f.first[1] + 0]).toBeCloseTo(2, 9);
    expect(f.result.values[f.first[2] + 1]).toBeCloseTo(1, 9);
  });
});
