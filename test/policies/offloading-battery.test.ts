import { describe, expect, it } from 'vitest';
import { LP_DEFAULTS, LpPrograms, lpPlacement } from '../../src/policies/offloading/lp.ts';
import { batteryEnergyPerRequest } from '../../src/policies/offloading/view.ts';
import type { LinkSpec } from '../../src/world/link.ts';
import { PlacementTable } from '../../src/world/placement.ts';
import { Topology } from '../../src/world/topology.ts';
import type { WorldView } from '../../src/world/view.ts';
import type { NodeSpec } from '../../src/world/node.ts';
import { node } from '../world/fixtures.ts';

// A camera as fast as the edge server (10 GFLOP/s each, one slot; idle 1 W, busy 3 W) on a
// battery, 1 ms and 100 Mbit/s from the edge. A request is 0.1 GFLOP with 10 kB in and 400 B out:
// 10 ms of compute anywhere. Hand figures (demand.ts, view.ts): locally it waits less (no link:
// 10 × (1 + 0.8 / (2 × 0.2)) = 30 ms against 2.832 + 30 = 32.83 ms at the edge), so with energy
// to spare all of it stays local; locally it costs the camera (3 − 1) W × 10 ms = 0.02 J, sent
// to the edge 8 × (10,000 × 1e-7 + 400 × 5e-8) = 0.00816 J of radio.
const nodes = [node('cam', { throughput: { fp32: 1e10 }, battery: 1e6 }), node('edge', { kind: 'edge', throughput: { fp32: 1e10 } })];
const EDGE = 1;
const link = (a: number, b: number): LinkSpec => ({ a, b, bandwidth: 1e8, delay: 0.001, txEnergyPerBit: 1e-7, rxEnergyPerBit: 5e-8 });
const topology = new Topology(nodes.length, [link(0, EDGE)]);
const buildView = { nodes, topology, nodeIndex: (n: string) => nodes.findIndex((x) => x.name === n) };

function planWith(batteryLeft: number, now = 0, end = 1000) {
  const warnings: string[] = [];
  const programs = new LpPrograms((m) => warnings.push(m));
  const policy = lpPlacement({ tiers: ['device', 'edge'], nodes: [] }, { ...LP_DEFAULTS }, { name: 'classify', flops: 1e8, precision: 'fp32', resultBytes: 400, deadline: Infinity, rate: 30 }, programs, { interval: true });
  const candidates = [...policy.candidates(buildView, { device: 0, inputBytes: 10_000 })];
  let draw = 0;
  const table = new PlacementTable(Int32Array.from(candidates), Int32Array.from([0, candidates.length]), () => ((draw++ % 1000) + 0.5) / 1000);
  const view = {
    now,
    end,
    nodes,
    isUp: () => true,
    waiting: () => 0,
    jobs: () => 0,
    arrivalRate: () => NaN,
    utilization: () => NaN,
    batteryLeft: (k: number) => (k === 0 ? batteryLeft : Infinity),
  } as unknown as WorldView;
  policy.plan(view, table, Int32Array.from([0]));
  const local = new Float64Array(candidates.length);
  table.fractions(0, local);
  return { share: (k: number) => local[candidates.indexOf(k)], planner: policy.planner, warnings, view };
}

describe('lp placement keeps a battery alive to the end of the run', () => {
  it('the energy a battery allows per request: (left / time to the end − idle power) / rate', () => {
    // 1,360 J over 1,000 s is 1.36 W; 1 W of it idles; 0.36 W over 30 requests/s = 0.012 J each.
    expect(batteryEnergyPerRequest(planWith(1360).view, 0, 30)).toBeCloseTo(0.012, 12);
    expect(batteryEnergyPerRequest(planWith(1360).view, EDGE, 30)).toBe(Infinity); // no battery
  });

  it('with energy to spare, everything stays on the (faster) camera', () => {
    const { share, planner } = planWith(1e6);
    expect(planner.stats.last?.status).toBe('optimal');
    expect(share(0)).toBe(1);
  });

  it('a battery that allows 0.012 J per request keeps 32.4 % local and sends the rest to the edge', () => {
    // Local share f: 0.02 f + 0.00816 (1 − f) ≤ 0.012 → f ≤ 0.00384 / 0.01184 = 0.3243 (the
    // program keeps as much local as the battery allows: local is the lower latency).
    const { share, planner } = planWith(1360);
    expect(planner.stats.last?.status).toBe('optimal');
    expect(share(0)).toBeCloseTo(0.00384 / 0.01184, 6);
    expect(share(EDGE)).toBeCloseTo(1 - 0.00384 / 0.01184, 6);
  });

  it('a battery that cannot last at any option holds the class to its least-energy option, with a warning', () => {
    // (1,005 J / 1,000 s − 1 W) / 30 = 0.000167 J per request: below even the radio's 0.00816 J.
    const { share, planner, warnings } = planWith(1005);
    expect(planner.stats.last?.status).toBe('optimal');
    expect(share(EDGE)).toBeCloseTo(1, 9);
    expect(warnings.join('\n')).toMatch(/battery of cam .* cannot last to the end of the run \(1000 s\) at any option/);
  });
});

/**
 * Cameras (given as nodes) each with one or more lp instances of one workload over [device, edge],
 * planned once at t = 0 of a 1,000 s run; returns each instance's local share.
 */
function planMany(cams: NodeSpec[], edge: NodeSpec, instances: { workload: string; device: number }[], left: (k: number) => number) {
  const all = [...cams, edge];
  const e = cams.length;
  const topology = new Topology(all.length, cams.map((_, k) => link(k, e)));
  const view0 = { nodes: all, topology, nodeIndex: (n: string) => all.findIndex((x) => x.name === n) };
  const warnings: string[] = [];
  const programs = new LpPrograms((m) => warnings.push(m));
  const policies = new Map<string, ReturnType<typeof lpPlacement>>();
  const lists = instances.map((x) => {
    let policy = policies.get(x.workload);
    if (!policy) policies.set(x.workload, (policy = lpPlacement({ tiers: ['device', 'edge'], nodes: [] }, { ...LP_DEFAULTS }, { name: x.workload, flops: 1e8, precision: 'fp32', resultBytes: 400, deadline: Infinity, rate: 30 }, programs, { interval: true })));
    return { policy, candidates: [...policy.candidates(view0, { device: x.device, inputBytes: 10_000 })] };
  });
  const start = [0];
  for (const l of lists) start.push(start[start.length - 1] + l.candidates.length);
  const table = new PlacementTable(Int32Array.from(lists.flatMap((l) => l.candidates)), Int32Array.from(start), () => 0.5);
  const view = { now: 0, end: 1000, nodes: all, isUp: () => true, waiting: () => 0, jobs: () => 0, arrivalRate: () => NaN, utilization: () => NaN, batteryLeft: left } as unknown as WorldView;
  for (const policy of policies.values()) policy.plan(view, table, Int32Array.from(lists.flatMap((l, i) => (l.policy === policy ? [i] : []))));
  const local = lists.map((l, i) => {
    const out = new Float64Array(l.candidates.length);
    table.fractions(i, out);
    return out[l.candidates.indexOf(instances[i].device)];
  });
  return { local, warnings, planner: lists[0].policy.planner };
}

describe('lp battery rows, case by case (review of 2026-11-27)', () => {
  const fast = (name: string, battery?: number) => node(name, { throughput: { fp32: 1e10 }, ...(battery === undefined ? {} : { battery }) });
  const edge = node('edge', { kind: 'edge', throughput: { fp32: 1e10 }, slots: 4 });

  it('instances sharing one battery share its spare power: two workloads at 30/s on a camera with 0.72 W to spare keep 32.4 % local each, not 32.4 % of 0.72 W each', () => {
    // 1,720 J over 1,000 s: 1.72 W, 1 W idles, 0.72 W over 60 requests/s = 0.012 J each: f = 0.00384 / 0.01184 for both.
    const { local } = planMany([fast('cam', 1e6)], edge, [{ workload: 'a', device: 0 }, { workload: 'b', device: 0 }], (k) => (k === 0 ? 1720 : Infinity));
    const f = 0.00384 / 0.01184;
    expect(local[0]).toBeCloseTo(f, 6);
    expect(local[1]).toBeCloseTo(f, 6);
    // The device's draw for requests: 60/s × (0.02 f + 0.00816 (1 − f)) = 0.72 W, its spare power.
    expect(60 * (0.02 * f + 0.00816 * (1 - f))).toBeCloseTo(0.72, 9);
  });

  it('a camera with energy to spare is not grouped with one that cannot last (it stays local)', () => {
    // cam-2 allows 0.98 J per request (local costs 0.02 J); cam-1's 900 J cannot even idle to the end.
    const { local } = planMany([fast('cam-1', 1e6), fast('cam-2', 1e6)], edge, [{ workload: 'a', device: 0 }, { workload: 'a', device: 1 }], (k) => (k === 0 ? 900 : k === 1 ? (1 + 0.98 * 30) * 1000 : Infinity));
    expect(local[0]).toBeCloseTo(0, 9); // held to its least-energy option, the edge
    expect(local[1]).toBeCloseTo(1, 9);
  });

  it('alike battery cameras keep within each one’s battery even when one can keep less locally (every member takes the class’s split)', () => {
    const { local } = planMany([fast('cam-1', 1e6), fast('cam-2', 1e6)], edge, [{ workload: 'a', device: 0 }, { workload: 'a', device: 1 }], (k) => (k <= 1 ? 1360 : Infinity));
    for (const f of local) expect(0.02 * f + 0.00816 * (1 - f)).toBeLessThanOrEqual(0.012 + 1e-9);
  });

  it('a battery that cannot last does not make the program infeasible for everyone: its class is placed as without a battery when the edge cannot take it', () => {
    // The edge (2 GFLOP/s) can take 0.8 / 0.05 = 16 of cam-1's 30 requests/s: holding cam-1 to the edge is infeasible.
    const slowEdge = node('edge', { kind: 'edge', throughput: { fp32: 2e9 } });
    const { local, planner, warnings } = planMany([fast('cam-1', 1e6), node('cam-2', { throughput: { fp32: 5e9 } })], slowEdge, [{ workload: 'a', device: 0 }, { workload: 'a', device: 1 }], (k) => (k === 0 ? 1005 : Infinity));
    expect(planner.stats.last?.status).toBe('optimal');
    expect(planner.stats.fallbacks).toBe(0);
    expect(local[0]).toBeCloseTo(1, 9); // as without a battery: local is its best
    expect(warnings.join('\n')).toMatch(/cannot last to the end of the run/);
  });
});
