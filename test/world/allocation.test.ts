import { describe, expect, it } from 'vitest';
import { RunMetrics } from '../../src/metrics/collectors.ts';
import { EDELEAR_ALLOCATION, edelearAllocation } from '../../src/policies/allocation/edelear.ts';
import { allocationPolicy } from '../../src/policies/allocation/registry.ts';
import type { AllocationPolicy } from '../../src/world/allocation.ts';
import { DnnModel } from '../../src/world/model.ts';
import { World, type WorldSpec } from '../../src/world/world.ts';
import { node, spec, workload } from './fixtures.ts';

/** The policy, with every set of shares it answers at a tick kept (one partitioned node: one entry per tick). */
function recording(policy: AllocationPolicy): { policy: AllocationPolicy; shares: number[][] } {
  const shares: number[][] = [];
  return {
    shares,
    policy: {
      ...policy,
      allocate(k, offered, s) {
        policy.allocate(k, offered, s);
        shares.push([...s]);
      },
    },
  };
}

/** Periodic arrival times t0, t0 + period, … below `end`. */
function every(period: number, t0: number, end: number): Float64Array {
  return Float64Array.from({ length: Math.ceil((end - t0) / period) }, (_, n) => t0 + n * period);
}

/** One 1 s job (1 GFLOP on a 1 GFLOP/s, 1-slot node, computed where it is born) at t = 0, tenant 0 of two (the workload, processes). */
function oneJob(extra: Partial<WorldSpec>): WorldSpec {
  return { ...spec({ nodes: [node('d', { scheduler: 'partitioned', shares: [0.5, 0.5] })], workloads: [workload(0, { kind: 'trace', times: Float64Array.of(0) })], targets: Int32Array.of(0), duration: 10 }), ...extra };
}

describe('allocation at the monitoring tick', () => {
  it('a share changed at a tick re-times the job in service: 1 s of work at share 0.5, then 1.0 from t = 1 s, ends at 1.5 s', () => {
    // By t = 1 s half the work is done at half speed; the 0.5 s left take 0.5 s at full speed.
    const wholeNode: AllocationPolicy = { name: 'test', reallocates: true, start() {}, allocate: (_k, _o, s) => s.set([1, 0]) };
    const s = oneJob({ interval: 1, allocation: wholeNode });
    const metrics = new RunMetrics(s, 0, { trace: true });
    const world = new World(s, metrics);
    world.run();
    expect(metrics.trace![0][7]).toBeCloseTo(1.5, 12);
    // Meters: half a slot busy for 1 s, a whole one for 0.5 s; energy = 1 W × 10 s + (3 − 1) W × 1 slot-s.
    expect(world.meters.totals(0).busyArea).toBeCloseTo(0.5 * 1 + 1 * 0.5, 12);
    expect(world.energyAt(0, 10)).toBeCloseTo(12, 12);
  });

  it('a tenant without a share waits, counted as waiting, until a tick gives it one: its 1 s job born at 0 ends at 2 + 1 s', () => {
    const late: AllocationPolicy = { name: 'test', reallocates: true, start: (_k, s) => s.set([0, 1]), allocate: (_k, _o, s) => s.set([1, 0]) };
    const s = oneJob({ interval: 2, allocation: late });
    const metrics = new RunMetrics(s, 0, { trace: true });
    const world = new World(s, metrics);
    world.run();
    expect(metrics.trace![0][7]).toBeCloseTo(3, 12);
    // Its node wait is the 2 s before service, its compute the 1 s in service (trace: latency, node wait, compute).
    expect([metrics.trace![0][8], metrics.trace![0][11]]).toEqual([2, 1]);
    // One job waiting for 2 s, then one slot busy for 1 s.
    expect(world.meters.totals(0).queueArea).toBeCloseTo(2, 12);
    expect(world.meters.totals(0).busyArea).toBeCloseTo(1, 12);
  });

  it('a job paused in service by a share of 0 counts the pause as node wait, as the meters count it waiting: 0.5 s served, paused 1 → 3 s, then 0.5 s at full speed', () => {
    // Share 0.5 in [0, 1] does half of the 1 s of work; ticks at 1 and 2 give the tenant 0, the tick at 3 the whole node.
    let tick = 0;
    const pausing: AllocationPolicy = { name: 'test', reallocates: true, start() {}, allocate: (_k, _o, s) => s.set(++tick <= 2 ? [0, 1] : [1, 0]) };
    const s = oneJob({ interval: 1, allocation: pausing });
    const metrics = new RunMetrics(s, 0, { trace: true });
    const world = new World(s, metrics);
    world.run();
    const row = metrics.trace![0];
    expect(row[7]).toBeCloseTo(3.5, 12);
    expect(row[8]).toBeCloseTo(2, 12); // the pause, 1 → 3 s
    expect(row[11]).toBeCloseTo(1.5, 12); // in service: 1 s at half speed, 0.5 s at full
    expect(world.meters.totals(0).queueArea).toBeCloseTo(2, 12);
  });

  it("EDeLeaR's first tick gives the tenant that asked for the whole node all of it but the processes' floor, 0.99: the job ends at 1 + 0.5 / 0.99 s", () => {
    // At t = 1 s the workload offered 1 s of work in 1 s (demand 1), processes nothing. The
    // iteration from the declared (0.5, 0.5) toward (1, 0) with η = 0.5 stops once √F ≤ 10^-6,
    // after ⌈log2(√0.5 / 10^-6)⌉ = 20 iterations (K = 50 does not bind): X = (1, 0) + 2^-20 (−0.5,
    // 0.5), nothing left to share out. The processes were declared 0.5, so they may use the node and
    // keep the 1 % floor, taken from the workload: its share is 1 − 0.01.
    const r = recording(edelearAllocation());
    const s = oneJob({ interval: 1, allocation: r.policy });
    const metrics = new RunMetrics(s, 0, { trace: true });
    new World(s, metrics).run();
    expect(r.shares[0][0]).toBeCloseTo(0.99, 15);
    expect(r.shares[0][1]).toBeCloseTo(0.01, 15);
    expect(metrics.trace![0][7]).toBeCloseTo(1 + 0.5 / 0.99, 12);
  });

  it('a small K damps a tick: K = 10 iterations of η = 0.5 leave 2^-10 of the gap, the job ends at 1 + 0.5 / (1 − 2^-11) s', () => {
    // Without a floor, X = (1, 0) + 2^-10 (−0.5, 0.5) is the share: nothing is left to share out.
    const r = recording(edelearAllocation({ ...EDELEAR_ALLOCATION, iterations: 10, floor: 0 }));
    const s = oneJob({ interval: 1, allocation: r.policy });
    const metrics = new RunMetrics(s, 0, { trace: true });
    new World(s, metrics).run();
    const share = 1 - 0.5 * 2 ** -10;
    expect(r.shares[0][0]).toBeCloseTo(share, 15);
    expect(metrics.trace![0][7]).toBeCloseTo(1 + 0.5 / share, 12);
  });

  it('equal shares are set when the run starts: a 1 s job of one of three tenants takes 3 s', () => {
    // Tenants a, b (both placed on the node) and processes (declared 0.2 > 0): 1/3 each.
    const s: WorldSpec = {
      ...spec({
        nodes: [node('d', { scheduler: 'partitioned', shares: [0.7, 0.1, 0.2] })],
        workloads: [workload(0, { kind: 'trace', times: Float64Array.of(0) }), workload(0, { kind: 'trace', times: Float64Array.of(50) }, { name: 'b', group: 1 })],
        targets: Int32Array.of(0, 0),
        duration: 100,
      }),
      allocation: allocationPolicy('equal'),
    };
    const metrics = new RunMetrics(s, 0, { trace: true });
    new World(s, metrics).run();
    expect(metrics.trace!.map((t) => t[7])).toEqual([3, 3]);
  });
});

describe("EDeLeaR's allocation in a run", () => {
  it("the paper's Table 2 pooled: four workloads on one node of 140 % of a device get 30 / 50 / 20 / 40 % of a device", () => {
    // The pooled node computes 1.4 GFLOP/s, 140 % of a 1 GFLOP/s device; workload i sends a 1 GFLOP
    // job every 100 / D_i s (D = 30, 50, 20, 40 %), so it asks D_i % of a device, D_i / 140 of the
    // node. With 10 s intervals each interval holds exactly 3, 5, 2 and 4 jobs.
    // The node declares the shares D / ΣD to the four and none to processes, as
    // scenarios/paper-edelear.yaml does: processes may not use it, so no floor is kept for them,
    // and the four's shares (≥ 20/140 = 14 %) are above the 1 % floor — it does not bind.
    const demand = [30, 50, 20, 40];
    const duration = 200;
    const pooled = (shares?: number[]): WorldSpec => ({
      ...spec({
        nodes: [node('pool', { throughput: { fp32: 1.4e9 }, scheduler: 'partitioned', shares })],
        workloads: demand.map((d, g) => workload(0, { kind: 'trace', times: every(100 / d, 0.1, duration) }, { name: `device-${g + 1}`, group: g })),
        targets: new Int32Array(4),
        duration,
      }),
      interval: 10,
    });
    const s = pooled([...demand.map((d) => d / 140), 0]);
    const r = recording(edelearAllocation());
    new World({ ...s, allocation: r.policy }, new RunMetrics(s, 0)).run();
    const last = r.shares[r.shares.length - 1];
    // To 140 × 10^-6: the iteration stops once √F ≤ 10^-6 (of the node).
    last.slice(0, 4).forEach((x, i) => expect(x * 140).toBeCloseTo(demand[i], 3));
    expect(last[4]).toBe(0); // processes asked for nothing and may not use the node

    // Where processes may use the node too (declared shares equal: 1/5 each), the floor binds for
    // them: they keep 1 %, taken from the four in proportion to what each holds above 1 %,
    // s_i = 0.01 + (D_i/140 − 0.01)(1 − 0.01 / 0.96) — 0.96 = Σ (D_i/140 − 0.01), to the
    // iteration's 10^-6 (processes' allocation is within it of 0).
    const withProcesses = pooled();
    const r2 = recording(edelearAllocation());
    new World({ ...withProcesses, allocation: r2.policy }, new RunMetrics(withProcesses, 0)).run();
    const last2 = r2.shares[r2.shares.length - 1];
    last2.slice(0, 4).forEach((x, i) => expect(x).toBeCloseTo(0.01 + (demand[i] / 140 - 0.01) * (1 - 0.01 / 0.96), 5));
    expect(last2[4]).toBe(0.01);
  });

  it("when a workload's demand falls, the shares follow its measured demand (EWMA) by the square-root rule", () => {
    // Node of 1 GFLOP/s; 1 s jobs. Workload a asks 0.2 of it throughout (a job every 5 s); b asks
    // 0.6 (a job every 5/3 s) until t = 200 s, then 0.1 (one every 10 s). Ticks every 10 s, one
    // iteration of step 1 (X = the fair demand at once), so the shares are Kleinrock's split of the
    // measured demand D, an EWMA with weight 0.3 started at the first interval's measure:
    // D_b = 0.6 until 200 s, then 0.1 + 0.5 × 0.7^n at the n-th tick after it.
    const duration = 400;
    // Processes are declared no share (so they may not use the node and keep no floor).
    const s: WorldSpec = {
      ...spec({
        nodes: [node('d', { scheduler: 'partitioned', shares: [0.5, 0.5, 0] })],
        workloads: [
          workload(0, { kind: 'trace', times: every(5, 0.1, duration) }, { name: 'a' }),
          workload(0, { kind: 'trace', times: Float64Array.from([...every(5 / 3, 0.1, 200), ...every(10, 200.1, duration)]) }, { name: 'b', group: 1 }),
        ],
        targets: Int32Array.of(0, 0),
        duration,
      }),
      interval: 10,
    };
    const r = recording(edelearAllocation({ ...EDELEAR_ALLOCATION, step: 1, iterations: 1, tolerance: 0 }));
    new World({ ...s, allocation: r.policy }, new RunMetrics(s, 0)).run();
    // s_i = D_i + (1 − Σ D) √D_i / Σ √D_j (processes: D = 0).
    const kleinrock = (a: number, b: number) => [a + ((1 - a - b) * Math.sqrt(a)) / (Math.sqrt(a) + Math.sqrt(b)), b + ((1 - a - b) * Math.sqrt(b)) / (Math.sqrt(a) + Math.sqrt(b))];
    // Tick 20 at t = 200 s: the interval (190, 200] still had six jobs of b.
    const before = kleinrock(0.2, 0.6); // 0.2732, 0.7268
    r.shares[19].slice(0, 2).forEach((x, i) => expect(x).toBeCloseTo(before[i], 12));
    for (const n of [1, 5, 19]) {
      const expected = kleinrock(0.2, 0.1 + 0.5 * 0.7 ** n);
      r.shares[19 + n].slice(0, 2).forEach((x, i) => expect(x).toBeCloseTo(expected[i], 12));
    }
    // a's share grew from 0.27 toward 0.2 + 0.7 √0.2 / (√0.2 + √0.1) = 0.61.
    expect(r.shares[38][0]).toBeGreaterThan(0.6);
    expect(r.shares.every((x) => x[2] === 0)).toBe(true);
  });
});

describe('starvation of a tenant measured idle, and the floor share', () => {
  // A 1 GFLOP/s, 1-slot node partitioned between workloads a and b (processes declared no share:
  // they may not use it). a sends a 1 s job every 2 s from t = 0.1 s, so it asks half the node in
  // every 10 s interval; b is silent until one 0.02 s job (20 MFLOP) at t = 25 s.
  const small = new DnnModel({ name: 'small', inputBytes: 1000, layers: [{ name: 'l', type: 'custom', flops: 2e7, params: 1000, outputBytes: 400 }] });
  const s: WorldSpec = {
    ...spec({
      nodes: [node('d', { scheduler: 'partitioned', shares: [0.5, 0.5, 0] })],
      workloads: [workload(0, { kind: 'trace', times: every(2, 0.1, 100) }, { name: 'a' }), workload(0, { kind: 'trace', times: Float64Array.of(25) }, { name: 'b', group: 1, model: small })],
      targets: Int32Array.of(0, 0),
      duration: 100,
    }),
    interval: 10,
  };
  /** b's job: when it ended, and the shares set at each tick. */
  const runB = (policy: AllocationPolicy) => {
    const r = recording(policy);
    const metrics = new RunMetrics(s, 0, { trace: true });
    new World({ ...s, allocation: r.policy }, metrics).run();
    const row = metrics.trace!.find((t) => t[1] === 'b')!;
    return { end: row[5], shares: r.shares };
  };

  it('the partitioned scheduler is not work-conserving: a 1 s job alone on a node shared half and half takes 2 s', () => {
    // Tenant 0's share is 0.5 whatever tenant 1 does: the idle half is not lent.
    const s1 = oneJob({});
    const metrics = new RunMetrics(s1, 0, { trace: true });
    new World(s1, metrics).run();
    expect(metrics.trace![0][7]).toBe(2);
  });

  it('a job\'s compute is its time in service at its share, its node wait the time before: 1 s jobs at t = 0 and 0.5 s on half the node', () => {
    // Served one at a time at share 0.5: the first in [0, 2] (wait 0, compute 2), the second in
    // [2, 4] (wait 2 − 0.5 = 1.5, compute 2). Before, compute read the full-speed 1 s and the wait
    // took the rest (1 and 2.5), so λ × wait was not the tenant's mean queue.
    const two = { ...oneJob({}), workloads: [workload(0, { kind: 'trace', times: Float64Array.of(0, 0.5) })] };
    const metrics = new RunMetrics(two, 0, { trace: true });
    new World(two, metrics).run();
    expect(metrics.trace!.map((t) => [t[7], t[8], t[11]])).toEqual([
      [2, 0, 2],
      [3.5, 1.5, 2],
    ]);
  });

  it('without a floor, b gets share 0 at the ticks that measured it idle, and its 0.02 s job waits for the tick at 30 s', () => {
    // η = 1, K = 1: the allocation is the fair demand at once. Ticks 10 and 20 measured b at 0, so
    // X_b = 0 and the square-root rule gives it 0. At 30 s b had offered 0.02 s in 10 s: its
    // demand (EWMA, weight 0.3, from its first measure 0) is 0.3 × 0.002 = 6·10^-4; a's is 0.5. b's
    // share is then 6·10^-4 + (1 − 0.5006)·√(6·10^-4) / (√0.5 + √(6·10^-4)) and the job, untouched
    // until then, ends at 30 + 0.02 / that share = 31.1547 s: 6.15 s for 0.02 s of work.
    const { end, shares } = runB(edelearAllocation({ ...EDELEAR_ALLOCATION, step: 1, iterations: 1, tolerance: 0, floor: 0 }));
    expect(shares[0][1]).toBe(0);
    expect(shares[1][1]).toBe(0);
    const d = 0.3 * 0.002;
    const share = d + ((1 - 0.5 - d) * Math.sqrt(d)) / (Math.sqrt(0.5) + Math.sqrt(d));
    expect(end).toBeCloseTo(30 + 0.02 / share, 9);
  });

  it("without a floor, the default iteration leaves b a share below 10^-3, so its job still ends only after the tick at 30 s", () => {
    // From the declared 0.5, 19 halvings bring X_b within 10^-6 of 0 (X_b = 0.5 · 2^-19); the
    // square-root rule then gives it ≈ 0.5 · √X_b / √0.5 ≈ 7·10^-4 of the node: 5 s before the
    // tick do 0.0035 s of its 0.02 s.
    const { end, shares } = runB(edelearAllocation({ ...EDELEAR_ALLOCATION, floor: 0 }));
    expect(shares[1][1]).toBeLessThan(1e-3);
    expect(end).toBeGreaterThan(30);
  });

  it('with the default floor of 1 %, b keeps 0.01 of the node (taken from a: 0.99) and its job ends at 25 + 0.02 / 0.01 = 27 s, before the tick', () => {
    const { end, shares } = runB(edelearAllocation());
    for (const tick of shares.slice(0, 2)) {
      expect(tick[0]).toBeCloseTo(0.99, 12);
      expect(tick[1]).toBe(0.01);
      expect(tick[2]).toBe(0);
    }
    expect(end).toBeCloseTo(27, 12);
    // Σ shares ≤ 1 at every tick.
    for (const tick of shares) expect(tick.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-12);
  });
});
