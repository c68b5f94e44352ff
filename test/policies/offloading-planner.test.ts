import { describe, expect, it } from 'vitest';
import { type LpOptions, LP_DEFAULTS, LpPrograms, lpPlacement, type LpPlacementPolicy, type LpWorkload } from '../../src/policies/offloading/lp.ts';
import { fallbackCandidate } from '../../src/policies/offloading/planner.ts';
import { PlacementError } from '../../src/policies/placement/placement.ts';
import type { LinkSpec } from '../../src/world/link.ts';
import { PlacementTable } from '../../src/world/placement.ts';
import { Topology } from '../../src/world/topology.ts';
import type { WorldView } from '../../src/world/view.ts';
import { node } from '../world/fixtures.ts';

// Three cameras (1 GFLOP/s, one slot) reach an edge server (10 GFLOP/s, one slot, trust 1) and,
// through it, a cloud (100 GFLOP/s, trust 0.2). A request is 0.1 GFLOP with 10 kB in and 400 B
// out, so it takes 0.1 of a camera and 0.01 of the edge per request per second. Hand figures
// (demand.ts, view.ts): a camera's link costs 2 × 1 ms + 8 × 10,400 B / 100 Mbit/s = 2.832 ms,
// so the edge's unloaded latency is 2.832 + 10 = 12.83 ms and its estimate at the 0.8 cap
// (M/D/1 wait 2 × compute on one slot) 2.832 + 30 = 32.83 ms; a camera's own estimate is 300 ms.
const nodes = [
  node('cam-1'),
  node('cam-2'),
  node('cam-3'),
  node('edge', { kind: 'edge', throughput: { fp32: 1e10 } }),
  node('cloud', { kind: 'cloud', throughput: { fp32: 1e11 }, trust: 0.2 }),
];
const EDGE = 3;
const CLOUD = 4;
const link = (a: number, b: number, delay: number): LinkSpec => ({ a, b, bandwidth: 1e8, delay, txEnergyPerBit: 1e-7, rxEnergyPerBit: 5e-8 });
const topology = new Topology(nodes.length, [link(0, EDGE, 0.001), link(1, EDGE, 0.001), link(2, EDGE, 0.001), link(EDGE, CLOUD, 0.02)]);
const buildView = { nodes, topology, nodeIndex: (n: string) => nodes.findIndex((x) => x.name === n) };
const job = (o: Partial<LpWorkload> = {}): LpWorkload => ({ name: 'classify', flops: 1e8, precision: 'fp32', resultBytes: 400, deadline: Infinity, rate: 30, ...o });

/** One placement policy of a program: its workload, lp options, candidate tiers and devices. */
interface Entry {
  readonly workload: LpWorkload;
  readonly options?: Partial<LpOptions>;
  readonly tiers: ('device' | 'edge' | 'cloud')[];
  readonly devices: number[];
}

/**
 * The lp policies of one program as the builder sets them up (candidates asked per device, in
 * order), and a placement table over every instance whose weighted draws are an even grid of
 * 1,000 points, so counting picks reads the installed weights to ±0.001.
 */
function program(entries: Entry[], shared: Partial<LpOptions> = {}) {
  const warnings: string[] = [];
  const programs = new LpPrograms((m) => warnings.push(m));
  const lists: number[][] = [];
  const placed = entries.map((e) => {
    const policy = lpPlacement({ tiers: e.tiers, nodes: [] }, { ...LP_DEFAULTS, ...shared, ...e.options }, e.workload, programs, { interval: true });
    const instances = e.devices.map((device) => {
      lists.push([...policy.candidates(buildView, { device, inputBytes: 10_000 })]);
      return lists.length - 1;
    });
    return { policy, instances: Int32Array.from(instances) };
  });
  const start = [0];
  for (const l of lists) start.push(start[start.length - 1] + l.length);
  let draw = 0;
  const table = new PlacementTable(Int32Array.from(lists.flat()), Int32Array.from(start), () => ((draw++ % 1000) + 0.5) / 1000);
  // One view object for the whole run, as the world has (a new one means another run to a planner).
  const world = view();
  const plan = (measured: WorldView) => {
    Object.assign(world, measured);
    for (const p of placed) p.policy.plan(world, table, p.instances);
  };
  return { placed, table, warnings, plan, planner: placed[0].policy.planner, programs };
}

/** A measured view: nothing queued, every node up unless said; rates and utilizations as given (NaN: not measured). */
function view(o: { down?: number[]; now?: number; rates?: number[]; utilization?: Record<number, number>; shares?: Record<number, number[]> } = {}): WorldView {
  return {
    ...(o.shares ? { tenantShare: (k: number, t: number) => o.shares![k]?.[t] ?? NaN } : {}),
    now: o.now ?? 0,
    nodes,
    isUp: (k: number) => !o.down?.includes(k),
    waiting: () => 0,
    jobs: () => 0,
    arrivalRate: (i: number) => o.rates?.[i] ?? NaN,
    utilization: (k: number) => o.utilization?.[k] ?? NaN,
    batteryLeft: () => Infinity,
    end: Infinity,
  } as unknown as WorldView;
}

/** The share of instance i's requests each of its nodes gets under the installed plan, by node index. */
function shares(table: PlacementTable, i: number): Map<number, number> {
  const out = new Map<number, number>();
  for (let c = 0; c < table.count(i); c++) out.set(table.node(i, c), 0);
  for (let n = 0; n < 1000; n++) {
    const k = table.node(i, table.pick(i));
    out.set(k, out.get(k)! + 1 / 1000);
  }
  return out;
}

/** The node every request of instance i goes to (−1 under a weighted plan). */
const fixedNode = (table: PlacementTable, i: number): number => (table.fixed[i] < 0 ? -1 : table.candidates[table.fixed[i]]);

describe('lp fallback never sends private data to an untrusted node', () => {
  it('with its only trusted candidate down, a private workload stays on it (dropped there as node-down), not on the untrusted cloud', () => {
    // Candidates edge (trust 1, down) and cloud (trust 0.2, up), privacy 0.5: nothing may take
    // the data now; before the fix the fallback fixed the instance on the cloud.
    const { plan, table, warnings } = program([{ workload: job(), options: { privacy: 0.5 }, tiers: ['edge', 'cloud'], devices: [0] }]);
    plan(view({ down: [EDGE] }));
    expect(fixedNode(table, 0)).toBe(EDGE);
    expect(warnings.join('\n')).toMatch(/classify on cam-1: no candidate that may hold its data is up \(down: edge\); its requests stay on edge and are dropped there as node-down rather than sent to cloud \(trust 0\.2 < privacy level 0\.5\)/);
  });

  it('an infeasible program falls back to trusted candidates only: the own device, never the idler untrusted cloud', () => {
    // Energy budget 1 mJ per request: no plan (radio alone is 8.16 mJ). Edge down; the cloud is
    // idle but untrusted, the device is trusted: the fallback is the device.
    const { plan, table, planner } = program([{ workload: job(), options: { privacy: 0.5, energyBudget: 0.001 }, tiers: ['device', 'edge', 'cloud'], devices: [0, 1] }]);
    plan(view({ down: [EDGE] }));
    expect(planner.stats.fallbacks).toBe(1);
    expect([fixedNode(table, 0), fixedNode(table, 1)]).toEqual([0, 1]);
  });
});

describe('lp: an instance without an option falls back alone', () => {
  // A: cam-1 and cam-2 at 30/s each, candidates device, edge, cloud; B: cam-3 at 30/s, edge and
  // cloud only, deadline 20 ms. Privacy 0.5 everywhere (the cloud is out). B's edge estimate
  // (32.8 ms) is over its deadline though its unloaded latency (12.8 ms) is not: B has no option
  // at any tick, but its scenario is not wrong. B falls back to the edge (trusted, up, fits its
  // deadline unloaded), taking 30 × 0.01 = 0.3 of it. A is solved with what is left under the 0.8
  // cap: 0.5 for A's 2 × 0.3 offered, so 5/6 of each camera's requests go to the edge and 1/6
  // stays local (5/s × 0.1 = 0.5 of the camera, under its cap). Latency decides the rest: the edge
  // (32.8 ms) beats the camera (300 ms), so the edge is filled to its cap.
  const entries: Entry[] = [
    { workload: job(), options: { privacy: 0.5 }, tiers: ['device', 'edge', 'cloud'], devices: [0, 1] },
    { workload: job({ name: 'detect', deadline: 0.02 }), options: { privacy: 0.5 }, tiers: ['edge', 'cloud'], devices: [2] },
  ];

  it('the other classes are still solved, with the fallback load taken off the nodes it lands on', () => {
    const { plan, table, planner, warnings } = program(entries);
    plan(view());
    expect(planner.stats.last?.status).toBe('optimal');
    expect(fixedNode(table, 2)).toBe(EDGE);
    for (const i of [0, 1]) {
      const s = shares(table, i);
      expect(s.get(EDGE)).toBeCloseTo(5 / 6, 2);
      expect(s.get(i)).toBeCloseTo(1 / 6, 2);
      expect(s.get(CLOUD)).toBe(0);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/workload detect on cam-3 has no admissible candidate \(trust below its privacy level 0.5: cloud \(trust 0.2\); estimated latency over its 20 ms deadline: edge \(32.8 ms\)\); its requests go to its trusted candidate with the fewest jobs per slot until an option opens/);
  });

  it('a privacy level above every candidate’s trust, the own device not a candidate, is refused when the policy is built', () => {
    const programs = new LpPrograms();
    const policy = lpPlacement({ tiers: ['cloud'], nodes: [] }, { ...LP_DEFAULTS, privacy: 0.5 }, job(), programs, { interval: true });
    expect(() => policy.candidates(buildView, { device: 0, inputBytes: 10_000 })).toThrow(PlacementError);
    expect(() => policy.candidates(buildView, { device: 0, inputBytes: 10_000 })).toThrow(/workload classify on cam-1: its privacy level 0.5 is above the trust of every candidate \(cloud 0.2\) and its own device is not one/);
  });

  it('a deadline below every trusted candidate’s unloaded latency is refused when the policy is built', () => {
    const programs = new LpPrograms();
    const policy = lpPlacement({ tiers: ['edge', 'cloud'], nodes: [] }, { ...LP_DEFAULTS, privacy: 0.5 }, job({ deadline: 0.005 }), programs, { interval: true });
    let error: unknown;
    try {
      policy.candidates(buildView, { device: 0, inputBytes: 10_000 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlacementError);
    expect((error as Error).message).toMatch(/workload classify on cam-1: its 5 ms deadline is below the unloaded latency \(transfer \+ compute\) of every candidate that may hold its data: edge 12.8 ms/);
    expect((error as PlacementError).key).toEqual({ workload: ['deadline'] });
  });
});

describe('lp classes with members of different rates', () => {
  it('two cameras at 54/s and 2/s with a 0.5 cap: feasible, the edge filled to its cap, each camera under its own', () => {
    // Hand plan: the edge (32.8 ms) beats local (300 ms), so it is filled: 0.5 / 0.01 = 50/s of
    // the 56/s; the other 6/s stay local. cam-1 can keep at most 0.5 / 0.1 = 5/s, cam-2 all its
    // 2/s. (Before the fix the class's own devices were bounded at the peak rate, 54/s, for both:
    // 2 × 0.5 / 5.4 = 0.185 members' worth, 5.2/s, so the edge needed 0.508 > 0.5: "infeasible".)
    const { plan, table, planner } = program([{ workload: job(), options: { privacy: 0.5, utilization: 0.5 }, tiers: ['device', 'edge', 'cloud'], devices: [0, 1] }]);
    plan(view({ rates: [54, 2] }));
    expect(planner.stats.fallbacks).toBe(0);
    expect(planner.stats.last).toMatchObject({ status: 'optimal', classes: 1 });
    const [s0, s1] = [shares(table, 0), shares(table, 1)];
    const edgeRate = 54 * s0.get(EDGE)! + 2 * s1.get(EDGE)!;
    expect(edgeRate).toBeGreaterThan(50 - 0.15);
    expect(edgeRate).toBeLessThan(50 + 0.15); // the 1,000-point grid reads shares to ±0.001
    expect(54 * s0.get(0)!).toBeLessThanOrEqual(5 + 0.06);
    expect(2 * s1.get(1)!).toBeLessThanOrEqual(2);
    expect(54 * s0.get(0)! + 2 * s1.get(1)!).toBeCloseTo(6, 0);
  });

  it('integer mode buckets measured rates: three cameras at 29.8, 30 and 30.3/s are one class', () => {
    // Rates within one 5% bucket (1.05^69 = 29.0 < r ≤ 1.05^70 = 30.4) are one class, each member
    // counted at the class's largest rate (30.3/s: 0.303 of the edge). Privacy 0 here (the cloud
    // may take the data). Two fit on the edge (0.606 ≤ 0.8), three do not (0.909); none fits
    // locally whole (3 of a camera): one goes to the cloud. Before the fix: three classes.
    const { plan, table, planner } = program([{ workload: job(), options: { integer: true }, tiers: ['device', 'edge', 'cloud'], devices: [0, 1, 2] }]);
    plan(view({ rates: [29.8, 30, 30.3] }));
    expect(planner.stats.last).toMatchObject({ status: 'optimal', classes: 1 });
    expect([0, 1, 2].map((i) => fixedNode(table, i)).sort()).toEqual([EDGE, EDGE, CLOUD]);
  });
});

describe('lp capacity counts the load from outside the program', () => {
  it('the edge’s measured utilization less the program’s own planned load is other traffic, taken off the cap', () => {
    const { plan, table } = program([{ workload: job(), options: { privacy: 0.5 }, tiers: ['device', 'edge', 'cloud'], devices: [0, 1] }]);
    // t = 0, nothing measured: 2 × 0.3 = 0.6 of the edge fits under 0.8; everything goes there.
    plan(view({ rates: [30, 30] }));
    expect([fixedNode(table, 0), fixedNode(table, 1)]).toEqual([EDGE, EDGE]);
    // t = 5: the edge measured at 0.9 with 0.6 planned: 0.3 is other traffic (a first measurement
    // counts whole), 0.5 is left for 0.6 offered: 5/6 of each camera to the edge, 1/6 local (0.5 of
    // a camera). Before the fix: everything on the edge.
    plan(view({ now: 5, rates: [30, 30], utilization: { [EDGE]: 0.9 } }));
    for (const i of [0, 1]) expect(shares(table, i).get(EDGE)).toBeCloseTo(5 / 6, 2);
    // t = 10: measured 0.8 = the 0.5 planned + the same 0.3: the plan stays.
    plan(view({ now: 10, rates: [30, 30], utilization: { [EDGE]: 0.8 } }));
    for (const i of [0, 1]) expect(shares(table, i).get(EDGE)).toBeCloseTo(5 / 6, 2);
    // t = 15: measured 0.5, the program's own planned load alone (not subtracted twice): the
    // average other traffic falls by the EWMA weight, 0.3 + 0.3 × (0 − 0.3) = 0.21, leaving 0.59 of
    // 0.6 for the cameras (a burst of one interval moves the estimate by 0.3 of itself, no more).
    plan(view({ now: 15, rates: [30, 30], utilization: { [EDGE]: 0.5 } }));
    for (const i of [0, 1]) expect(shares(table, i).get(EDGE)).toBeCloseTo(0.59 / 0.6, 2);
  });

  it('the program’s own load measured alone is not other traffic', () => {
    const { plan, table } = program([{ workload: job(), options: { privacy: 0.5 }, tiers: ['device', 'edge', 'cloud'], devices: [0, 1] }]);
    plan(view({ rates: [30, 30] }));
    plan(view({ now: 5, rates: [30, 30], utilization: { [EDGE]: 0.6, 0: 0, 1: 0 } }));
    expect([fixedNode(table, 0), fixedNode(table, 1)]).toEqual([EDGE, EDGE]);
  });

  it('a camera’s own measured load from outside the program lowers what it may keep', () => {
    // Cap 0.5; cam-1 and cam-2 at 3/s: 0.03 of the edge each, or 0.3 of a camera.
    const { plan, planner, table } = program([{ workload: job({ rate: 3 }), options: { privacy: 0.5, utilization: 0.5 }, tiers: ['device', 'edge'], devices: [0, 1] }]);
    // 2 × 3/s: 0.06 of the edge; local at 3/s would be 0.3 of a camera. Everything on the edge.
    plan(view({ rates: [3, 3] }));
    expect(planner.stats.fallbacks).toBe(0);
    // The edge measured full of other traffic (1.0 with 0.06 planned: 0.94 other → nothing left
    // under the cap), cam-1 measured at 0.4 with nothing planned there (0.1 left: 1/s of its 3/s),
    // cam-2 idle (all 3/s fit). 4/s of 6/s can stay local: infeasible under the cap, a fallback —
    // planned up to 0.99 of the edge (0.05: 5/s more), cam-1 still keeping at most its 1/s.
    plan(view({ now: 5, rates: [3, 3], utilization: { [EDGE]: 1, 0: 0.4, 1: 0 } }));
    expect(planner.stats.fallbacks).toBe(1);
    expect(shares(table, 0).get(0)).toBeLessThanOrEqual(1 / 3 + 0.002);
    expect(shares(table, 1).get(1)).toBeGreaterThan(0);
  });
});

describe('lp rates measured at zero', () => {
  it('an instance measured idle keeps a tenth of its declared rate: it still weighs, so it gets its best option', () => {
    // A: cam-1, cam-2 measured at 30/s; B: cam-3 declared 4/s, measured 0 (say its device was down
    // for the interval). Privacy 0: the cloud is allowed. With weight 0 (before the fix) B's plan is
    // whatever the solver leaves (both leave it on its first option, its own device: 300 ms);
    // floored at 0.4/s it takes the edge (32.8 ms against the cloud's 46.7 ms and its own 300 ms),
    // which has room: 0.6 + 0.004 ≤ 0.8.
    const { plan, table } = program([
      { workload: job(), tiers: ['device', 'edge', 'cloud'], devices: [0, 1] },
      { workload: job({ name: 'detect', rate: 4 }), tiers: ['device', 'edge', 'cloud'], devices: [2] },
    ]);
    plan(view()); // the run's first plan, before any tick (every instance at its declared rate)
    plan(view({ now: 5, rates: [30, 30, 0] }));
    expect(fixedNode(table, 2)).toBe(EDGE);
  });
});

describe('lp warnings', () => {
  it('a planner made without a sink keeps its warnings and writes nothing to standard error', () => {
    const programs = new LpPrograms();
    const policy = lpPlacement({ tiers: ['device', 'edge'], nodes: [] }, { ...LP_DEFAULTS, energyBudget: 0.001 }, job(), programs, { interval: true }) as LpPlacementPolicy;
    const list = policy.candidates(buildView, { device: 0, inputBytes: 10_000 });
    const table = new PlacementTable(Int32Array.from(list), Int32Array.of(0, list.length), () => 0.5);
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => (written.push(String(s)), true)) as typeof process.stderr.write;
    try {
      policy.plan(view(), table, Int32Array.of(0));
    } finally {
      process.stderr.write = write;
    }
    expect(written).toEqual([]);
    expect(programs.messages).toHaveLength(1);
    expect(programs.messages[0]).toMatch(/energy budget/);
  });
});

/** cam-1 as the planner registers it, its candidates itself, the edge and the cloud, with these transfer times (Infinity: no route). */
function camera1(transfer: Float64Array) {
  const figures = {
    nodes: Int32Array.of(0, EDGE, CLOUD),
    transfer,
    compute: Float64Array.of(0.1, 0.01, 0.001),
    deviceEnergy: new Float64Array(3),
    load: Float64Array.of(0.1, 0.01, 0.001),
    exposure: new Float64Array(3),
    trusted: Uint8Array.of(1, 1, 1),
  };
  return { demand: { ...job(), privacy: 0 }, device: 0, figures, inputBytes: 10_000, view: buildView, attachedAt: -1 };
}

describe('lp fallback never picks a candidate it has no route to', () => {
  it('with no deadline, an unreachable edge with no jobs loses to a reachable one with jobs', () => {
    // cam-1's candidates: itself, the edge (no route now: a device that moved, say) and the cloud;
    // the edge has no jobs, the cloud 5 on its one slot. Fewest jobs per slot would pick the edge.
    const x = camera1(Float64Array.of(0, Infinity, 0.05));
    const v = { ...view(), jobs: (k: number) => (k === CLOUD ? 5 : k === 0 ? 9 : 0) } as unknown as WorldView;
    expect(fallbackCandidate(v, x)).toBe(2); // the cloud (5 jobs), not the unreachable edge (0) nor cam-1 (9)
  });

  it('orders by jobs per slot now, then by the utilization a candidate would have with the instance', () => {
    const x = camera1(Float64Array.of(0, 0.003, 0.05));
    const loaded = [0.9, 0.2, 0.5]; // utilization each candidate would have with the instance
    // All idle: the least utilization, the edge.
    expect(fallbackCandidate(view(), x, (c) => loaded[c])).toBe(1);
    // The edge with 2 jobs, the cloud with 1: the cloud, whatever the utilization says (jobs say more at a tick: 186 against 240 ms on paper-edelear.yaml).
    const busy = { ...view(), jobs: (k: number) => (k === EDGE ? 2 : k === CLOUD ? 1 : 3) } as unknown as WorldView;
    expect(fallbackCandidate(busy, x, (c) => loaded[c])).toBe(2);
  });
});

describe('lp: traffic from outside the program at the first solve, before anything is measured', () => {
  it('the declared load of workloads no lp program places (a fixed workload on the edge) is taken off the edge’s cap', () => {
    // Two cameras at 10/s: 0.1 of the edge each. Declared outside load on the edge 0.7: the program
    // may give it 0.1 more (10/s of 20), so half of each camera's requests stay home (5/s × 0.1 =
    // 0.5 of it, under its cap). Before, the first solve saw an idle edge and sent it all (ρ = 0.9).
    const { plan, table, programs } = program([{ workload: job({ rate: 10 }), options: { privacy: 0.5 }, tiers: ['device', 'edge', 'cloud'], devices: [0, 1] }]);
    programs.outside = Float64Array.from(nodes, (_, k) => (k === EDGE ? 0.7 : 0));
    plan(view());
    for (const i of [0, 1]) {
      const s = shares(table, i);
      expect(s.get(EDGE)).toBeCloseTo(0.5, 2);
      expect(s.get(i)).toBeCloseTo(0.5, 2);
    }
  });

  it('a second program (its lp settings differ) takes the first one’s plan as given', () => {
    // cam-1 (program 1) and cam-2 (program 2, a budget that does not bind) at 44/s: 0.44 of the
    // edge each. Program 1 sends cam-1's all to the edge; program 2 may give it 0.8 − 0.44 = 0.36
    // (36/s) and keeps 8/s on cam-2 (0.8 of it, its cap). Before, both filled the edge (ρ = 0.88).
    const { plan, table } = program([
      { workload: job({ rate: 44 }), options: { privacy: 0.5 }, tiers: ['device', 'edge', 'cloud'], devices: [0] },
      { workload: job({ rate: 44 }), options: { privacy: 0.5, energyBudget: 100 }, tiers: ['device', 'edge', 'cloud'], devices: [1] },
    ]);
    plan(view());
    expect(fixedNode(table, 0)).toBe(EDGE);
    const s = shares(table, 1);
    expect(s.get(EDGE)).toBeCloseTo(36 / 44, 2);
    expect(s.get(1)).toBeCloseTo(8 / 44, 2);
  });

  it('a plan that leaves a node offered ρ ≥ 1 is warned of, naming the programs solved apart', () => {
    // At 60/s: program 1 puts 0.6 on the edge; program 2 can place 20/s there under the 0.8 cap, 39/s
    // up to 0.99, and 8/s at home, of 60: no plan. The least overload: a share v of cam-2's requests
    // on the edge (0.6·v of it) and 1 − v at home (6·(1 − v) of cam-2), each at most s above its room
    // (the edge's at 0.99: 0.39; a member's own device keeps its room at the program's cap: 0.8):
    // 0.6·v − s ≤ 0.39 and 6·(1 − v) − s ≤ 0.8, least at 0.6·v − 0.39 = 5.2 − 6·v: v = 5.59 / 6.6 =
    // 0.8470, s = 0.1182 — the edge at ρ = 0.6 + 0.5082 = 1.1082 and cam-2 at 6 × 0.1530 = 0.918,
    // where the greedy fallback sent cam-2 all to the edge (ρ = 1.2 there).
    const { plan, table, warnings } = program([
      { workload: job({ rate: 60 }), options: { privacy: 0.5 }, tiers: ['device', 'edge', 'cloud'], devices: [0] },
      { workload: job({ rate: 60 }), options: { privacy: 0.5, energyBudget: 100 }, tiers: ['device', 'edge', 'cloud'], devices: [1] },
    ]);
    plan(view());
    expect(fixedNode(table, 0)).toBe(EDGE);
    const f = new Float64Array(table.count(1));
    table.fractions(1, f); // the plan's shares, per candidate (cam-2, edge, cloud), within the least-overload slack (1e-6)
    expect([...Array(f.length).keys()].map((c) => table.node(1, c))).toEqual([1, EDGE, CLOUD]);
    expect(f[1]).toBeCloseTo(5.59 / 6.6, 5);
    expect(f[0]).toBeCloseTo(1.01 / 6.6, 5);
    expect(f[2]).toBe(0);
    expect(warnings).toContainEqual(expect.stringMatching(/^lp placement: no plan at t = 0.000 s fits: the admissible nodes cannot take the offered load at utilization ≤ 0.99; planned the plan that overloads least instead, without the budgets: no node offered more than 0.118 of its compute above its room at 0.99 /));
    expect(warnings).toContainEqual(expect.stringMatching(/^lp placement: at t = 0.000 s, the plan offers node edge ρ = 1.108 ≥ 1 \(this program 0.508, traffic from outside it 0.600\): its queue grows until a solve moves the load; the 2 lp programs of this scenario .* are solved one after another, each taking the others' plans as given, not together \(said once\)$/));
  });
  it('in the least-overload plan, members of a class keep at home in proportion to their devices’ room, each device the same excess above it', () => {
    // Declared 6/s each: the start plan sends both cameras to the edge (0.12 of it). Measured at
    // t = 5: 60/s each; cam-1 busy with 0.5 of other work (room 0.3 at the cap 0.8: it keeps 3/s),
    // cam-2 idle (room 0.8: 8/s). The edge takes 99/s up to 0.99: 110 of 120 fit, so the least
    // overload: v members' worth at home with excess e = (6·v − 1.1) / 2 per device, the edge's
    // 0.6·(2 − v) − 0.99, equal at v = 0.76 / 3.6: e = 0.0833. Each camera keeps its room plus
    // e / 0.1 s: cam-1 3.833/s (share 0.0639), cam-2 8.833/s (0.1472) — both at ρ = 0.8833. An equal
    // split (0.1056 each) put cam-1 at 0.5 + 0.633 = 1.133 and cam-2 at 0.633.
    const { plan, table } = program([{ workload: job({ rate: 6 }), options: { privacy: 0.5 }, tiers: ['device', 'edge', 'cloud'], devices: [0, 1] }]);
    plan(view());
    expect([fixedNode(table, 0), fixedNode(table, 1)]).toEqual([EDGE, EDGE]);
    plan(view({ now: 5, rates: [60, 60], utilization: { [EDGE]: 0.12, 0: 0.5, 1: 0 } }));
    const f = new Float64Array(3);
    table.fractions(0, f);
    expect(f[0]).toBeCloseTo(3.8333 / 60, 4);
    table.fractions(1, f);
    expect(f[0]).toBeCloseTo(8.8333 / 60, 4);
  });

  it('in the least-overload plan, a member that keeps all its requests at home takes none of its class’s excess', () => {
    // Declared 6/s each: the start plan sends both to the edge (0.12 of it). Measured at t = 5: cam-1
    // at 2/s (0.2 of itself: it keeps all, at its rate), cam-2 at 60/s (keeps 8/s), the edge 0.5 busy
    // with other work (room 0.49 at 0.99). One class, 31/s a member: 62/s, of which the edge takes
    // 49 and home 10 — no plan. Only cam-2 can take more (its room to grow 5.2): home 3.1·v − e ≤ 1.0, the
    // edge 0.31·(2 − v) − e ≤ 0.49, equal at v = 1.13 / 3.41: e = 0.0273; cam-2 keeps 8 + e / 0.1 =
    // 8.273/s (share 0.1379), cam-1 all its own. Counted over both members (e/2 each, cam-1's share
    // lost at its rate), cam-2 kept 8.25/s (0.1375) and the edge took the rest.
    const { plan, table } = program([{ workload: job({ rate: 6 }), options: { privacy: 0.5 }, tiers: ['device', 'edge', 'cloud'], devices: [0, 1] }]);
    plan(view());
    plan(view({ now: 5, rates: [2, 60], utilization: { [EDGE]: 0.62, 0: 0, 1: 0 } }));
    expect(fixedNode(table, 0)).toBe(0);
    const f = new Float64Array(3);
    table.fractions(1, f);
    const v = 1.13 / 3.41;
    expect(f[0]).toBeCloseTo((8 + (3.1 * v - 1) / 0.1) / 60, 4);
  });

  it('integer mode, which places instances whole, keeps the greedy fallback: cam-2 all to the edge (ρ = 1.2)', () => {
    // As above with program 2 in integer mode: no whole placement fits (cam-2 at home is 6.0 of it,
    // on the edge 0.6 + 0.6); the fewest jobs per slot, then the least utilization with it there:
    // the edge at 1.2 against cam-2 at 6.0.
    const { plan, table, warnings } = program([
      { workload: job({ rate: 60 }), options: { privacy: 0.5 }, tiers: ['device', 'edge', 'cloud'], devices: [0] },
      { workload: job({ rate: 60 }), options: { privacy: 0.5, integer: true }, tiers: ['device', 'edge', 'cloud'], devices: [1] },
    ]);
    plan(view());
    expect([fixedNode(table, 0), fixedNode(table, 1)]).toEqual([EDGE, EDGE]);
    expect(warnings).toContainEqual(expect.stringMatching(/^lp placement: no offloading plan at t = 0.000 s: the admissible nodes cannot take the offered load at utilization ≤ 0.99; each instance goes to its trusted candidate with the fewest jobs per slot/));
  });
});

describe('lp on a partitioned node whose shares stay', () => {
  // The edge is partitioned: tenant 0 (this workload) 0.25, tenant 1 0.75. Two cameras at 15/s
  // offer 0.3 of the edge; the tenant may take 0.25 × 0.8 = 0.2 of it (20/s), so each camera
  // sends 10/s there and keeps 5/s (0.5 of itself). Before, the program saw the whole edge (all
  // 30/s there: 0.3 of the node, 1.2 of the tenant's partition — its queue grew without bound).
  const entries: Entry[] = [{ workload: job({ rate: 15, tenant: 0 }), options: { privacy: 0.5 }, tiers: ['device', 'edge', 'cloud'], devices: [0, 1] }];

  it('the tenant’s share × the cap is a capacity of its own', () => {
    const { plan, table, programs } = program(entries);
    programs.fixedShares = true;
    plan(view({ shares: { [EDGE]: [0.25, 0.75] } }));
    for (const i of [0, 1]) {
      const s = shares(table, i);
      expect(s.get(EDGE)).toBeCloseTo(2 / 3, 2);
      expect(s.get(i)).toBeCloseTo(1 / 3, 2);
    }
  });

  it('a plan that sends a tenant more than its share is warned of, though the node as a whole is far from full', () => {
    // The edge alone (no device, no cloud): 0.3 of the node for a tenant of share 0.25. No plan even
    // up to 0.99 of its share (0.2475); all goes to the edge: the partition at ρ = 0.3 / 0.25 = 1.2,
    // 0.21 of its share above 0.99.
    const { plan, programs, warnings } = program([{ workload: job({ rate: 15, tenant: 0 }), options: { privacy: 0.5 }, tiers: ['edge'], devices: [0, 1] }]);
    programs.fixedShares = true;
    plan(view({ shares: { [EDGE]: [0.25, 0.75] } }));
    expect(warnings).toContainEqual(expect.stringMatching(/^lp placement: no plan at t = 0.000 s fits: the admissible nodes cannot take the offered load at utilization ≤ 0.99 \(on a partitioned node, each workload at its share × 0.99\); planned the plan that overloads least instead, without the budgets: no node offered more than 0.21 of its compute above its room at 0.99 \(a tenant's partition: of its share/));
    expect(warnings).toContainEqual('lp placement: at t = 0.000 s, the plan offers node edge (tenant classify at its share 0.25) ρ = 1.200 ≥ 1: its queue grows until a solve moves the load (said once)');
  });

  it('under an allocation that follows demand (shares not fixed) the node’s one capacity stands', () => {
    const { plan, table } = program(entries);
    plan(view({ shares: { [EDGE]: [0.25, 0.75] } }));
    expect([fixedNode(table, 0), fixedNode(table, 1)]).toEqual([EDGE, EDGE]);
  });
});
