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

/** A latency-minimizing program at utilization 0.99 over these classes, each node's room given, no budgets. */
function atRoom(classes: OffloadingClass[], room: number[]): OffloadingProblem {
  return {
    classes,
    nodeCount: room.length,
    utilization: 0.99,
    capacity: Float64Array.from(room),
    energyBudget: Infinity,
    privacyBudget: Infinity,
    objective: { weights: { latency: 1, energy: 0, exposure: 0 }, constant: 0, text: 'latency' },
    integer: false,
  };
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

  it('fills no node past its room when another can take the load: the excess stays where it must be', () => {
    // X (one member) can only use A: 1.5 of it, room 0.99, so s* = 0.51 there. Y (two members, 0.6
    // of B or of C per member's worth) fits: B and C have room 0.99 each. With s alone held at
    // 0.51, the objective (B is faster) piled both of Y's members on B (1.2: 0.21 above its room);
    // the least total overload keeps B at its room — 0.99 / 0.6 = 1.65 members there, 0.35 on C.
    const A = 1;
    const B = 2;
    const C = 3;
    const piling = atRoom([{ members: 1, rate: 1, ...option([A], [1.5], [0.1]) }, { members: 2, rate: 1, ...option([B, C], [0.6, 0.6], [0.01, 0.2]) }], [0, 0.99, 0.99, 0.99]);
    const p = leastOverload(piling, (lp) => solve(lp));
    expect(p.excess).toBeCloseTo(0.51, 6);
    expect(p.result.values[p.first[1]]).toBeCloseTo(1.65, 4);
    expect(p.result.values[p.first[1] + 1]).toBeCloseTo(0.35, 4);
  });

  it("a tenant's row counts its excess in its partition's terms", () => {
    // One class of one member, 0.5 of an edge whose node room is 0.99 but whose tenant (share σ =
    // 0.2 / 0.99) may take only 0.2, or 1.0 of its own device with room 0.5. At own share a the
    // partition is offered 0.5·(1 − a) / σ of itself, e_t = (0.3 − 0.5·a) / σ above 0.99, and the
    // device e = a − 0.5 above its room: equal at a = (0.3 + 0.5·σ) / (0.5 + σ) = 0.5712, s* =
    // 0.0712. Counted in the node's terms (e_t = 0.3 − 0.5·a) the partition took 0.0333 of the
    // node above its room, ρ 1.155 of itself, while the device stayed at 0.0333 above its room.
    const sigma = 0.2 / 0.99;
    const tenant: OffloadingProblem = {
      ...atRoom([{ members: 1, rate: 1, ownCapacity: 0.5, tenant: 0, ...option([OWN_DEVICE, EDGE], [1.0, 0.5], [0.3, 0.1]) }], [0, 0.99]),
      tenantCapacity: (node, t) => (node === EDGE && t === 0 ? 0.2 : undefined),
    };
    const p = leastOverload(tenant, (lp) => solve(lp));
    const a = (0.3 + 0.5 * sigma) / (0.5 + sigma);
    expect(p.excess).toBeCloseTo(a - 0.5, 5);
    expect(p.result.values[p.first[0]]).toBeCloseTo(a, 5);
    expect(p.ownExcess[0]).toBeCloseTo(a - 0.5, 5);
    expect((0.5 * (1 - p.result.values[p.first[0]])) / sigma).toBeCloseTo(0.99 + (a - 0.5), 4); // the partition's ρ
  });

  it('a class whose members all keep every request at home keeps its bound: the excess goes elsewhere', () => {
    // One member at 5/s: its own device (1.0 of it for all its requests, bound 0.5) or the edge (2.5
    // of it, room 0.5). Its member keeps every request it may already (no room to grow: ownHeadrooms
    // empty): the bound stays, the edge takes the other half, 1.25 of itself, 0.75 above its room.
    const kept = atRoom([{ members: 1, rate: 5, ownCapacity: 0.5, ownHeadrooms: new Float64Array(0), ...option([OWN_DEVICE, EDGE], [0.2, 0.5], [0.1, 0.3]) }], [0, 0.5]);
    const p = leastOverload(kept, (lp) => solve(lp));
    expect(p.result.values[p.first[0]]).toBeCloseTo(0.5, 6);
    expect(p.excess).toBeCloseTo(0.75, 6);
    expect(p.ownExcess[0]).toBe(0);
    // With room to grow ((5 − 2.5)/s × 0.2 s = 0.5 of the device), it takes its share of the excess:
    // a·1.0 − 0.5 = 2.5·(1 − a) − 0.5 at a = 5/7.
    const grows = leastOverload({ ...kept, classes: [{ ...kept.classes[0], ownHeadrooms: Float64Array.of(0.5) }] }, (lp) => solve(lp));
    expect(grows.result.values[grows.first[0]]).toBeCloseTo(5 / 7, 5);
    expect(grows.excess).toBeCloseTo(5 / 7 - 0.5, 5);
  });

  it("a battery row stays: the class keeps to its frugal option, the node it needs takes the excess", () => {
    // One member at 5/s: its own device (1 J a request, room 0.5 of 1.0) or the edge (0.1 J, 1.5
    // of it, room 0.99); the battery allows 0.1 J a request: only the edge meets it. All to the
    // edge, s* = 1.5 − 0.99 = 0.51. Dropping the row put 0.34 on the device at 1 J, with excess 0.
    const battery = atRoom([{ members: 1, rate: 5, ownCapacity: 0.5, energyCap: 0.1, ...option([OWN_DEVICE, EDGE], [0.2, 0.3], [0.3, 0.1]), energy: Float64Array.from([1, 0.1]) }], [0, 0.99]);
    const p = leastOverload(battery, (lp) => solve(lp));
    expect(p.excess).toBeCloseTo(0.51, 5);
    expect(p.result.values[p.first[0] + 1]).toBeCloseTo(1, 5);
  });

  it('a forced overload on a small partition does not loosen every other row: the rest are held to their own least worst excess', () => {
    // A has only the edge: 0.05 of it, its tenant's share 0.01 (room 0.0099): ρ 5 of the partition,
    // 4.01 above 0.99 — forced. B (rate 1, 1.0 of its own device or of the cloud) splits a at home
    // (room 0.5) and 1 − a to the cloud (room 0.1): the least total is indifferent to a, and with
    // every row held only to 4.01 the objective sent B where it liked. The rows left below 4.01 get
    // their own worst excess: a − 0.5 = 0.9 − a at a = 0.7, 0.2 above room at home and on the cloud.
    const small: OffloadingProblem = {
      ...atRoom(
        [
          { members: 1, rate: 1, tenant: 0, ...option([EDGE], [0.05], [0.1]) },
          { members: 1, rate: 1, ownCapacity: 0.5, ownHeadrooms: Float64Array.of(0.5), ...option([OWN_DEVICE, CLOUD], [1, 1], [0.3, 0.1]) },
        ],
        [0, 0.99, 0.1],
      ),
      tenantCapacity: (node, t) => (node === EDGE && t === 0 ? 0.0099 : undefined),
    };
    const p = leastOverload(small, (lp) => solve(lp));
    expect(p.excess).toBeCloseTo((0.05 - 0.0099) / 0.01, 4);
    expect(p.result.values[p.first[1]]).toBeCloseTo(0.7, 5);
    expect(p.result.values[p.first[1] + 1]).toBeCloseTo(0.3, 5);
  });

  it("each member's device takes the excess only up to its own room to grow: the one with more takes more, and s* stays true", () => {
    // Two members at 1/s, 1.0 of their own device per member's worth, keeping 0.9 and 0.1 (ownCapacity
    // 1 member's worth; rooms to grow 0.1 and 0.9), or the edge (1.0 per member's worth, room 0.5).
    // The first takes min(e, 0.1) = 0.1, the second e: home 1.1 + e, the edge 0.9 − e, 0.4 − e above
    // its room: e = 0.2 = s*, 1.3 members' worth at home. One excess for both (e = 1/6 each) gave the
    // first more than all its requests, and the planner sent the shortfall to the edge, past s*; the
    // least room (0.1) for both made s* 0.3 and, with the own device the only option, no plan at all.
    const members = atRoom([{ members: 2, rate: 1, ownCapacity: 1, ownHeadrooms: Float64Array.of(0.1, 0.9), ...option([OWN_DEVICE, EDGE], [1, 1], [0.1, 0.2]) }], [0, 0.5]);
    const p = leastOverload(members, (lp) => solve(lp));
    expect(p.excess).toBeCloseTo(0.2, 5);
    expect(p.ownExcess[0]).toBeCloseTo(0.2, 5);
    expect(p.result.values[p.first[0]]).toBeCloseTo(1.3, 5);
    // Home the only option: both devices take all their requests, 0.1 and 0.9 above their rooms.
    const home = leastOverload(atRoom([{ ...members.classes[0], ...option([OWN_DEVICE], [1], [0.1]) }], [0, 0.5]), (lp) => solve(lp));
    expect(home.result.status).toBe('optimal');
    expect(home.excess).toBeCloseTo(0.9, 5);
  });
});
