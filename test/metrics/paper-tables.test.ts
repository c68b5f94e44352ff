import { describe, expect, it } from 'vitest';
import { latencyAwareCounts, paperContext, plannersOf } from '../../src/cli/paper.ts';
import { paperRun, table2Rows, table3Rows, table4Rows, table5Rows } from '../../src/metrics/paper-tables.ts';
import { cacheRows } from '../../src/report/caches.ts';
import { batchingRows } from '../../src/report/batches.ts';
import { ResultCaches } from '../../src/world/caches.ts';
import { PlanSampler } from '../../src/metrics/plan-sampler.ts';
import { simulate } from '../../src/metrics/simulate.ts';
import { summarize } from '../../src/metrics/summary.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import type { World } from '../../src/world/world.ts';

/** The paper's scenario, short: 60 s after 10 s of warm-up (its plans re-solved every 5 s). */
const SCENARIO = 'scenarios/paper-edelear.yaml';
const SHORT = ['duration=60 s', 'warmup=10 s'];

function build(set: readonly string[], seed = 1) {
  const loaded = loadScenario(SCENARIO, [...SHORT, ...set]);
  return { loaded, spec: buildWorldSpec(loaded, loadCatalog(), seed) };
}

/** The plans in force, read by hand at the start and after every tick (a process step at the tick's time): time, LP plan per instance, shares per partitioned node. */
interface Snapshot {
  readonly t: number;
  readonly plans: Float64Array[];
  readonly shares: Float64Array[];
}

function recordByHand(world: World, log: Snapshot[]): void {
  const planner = plannersOf(world.spec)[0];
  const p = world.spec.placement;
  const read = (t: number) => {
    const plans = world.spec.workloads.map((_, i) => {
      const out = new Float64Array(p.start[i + 1] - p.start[i]);
      expect(planner.planOf(i, out)).toBe(true);
      return out;
    });
    const a = world.allocationState!;
    const shares = [...a.nodes].map((k) => {
      const out = new Float64Array(a.tenants);
      a.sharesOf(k, out);
      return out;
    });
    log.push({ t, plans, shares });
  };
  read(0);
  const step = (t: number) =>
    world.at(t, (now) => {
      read(now);
      if (now + world.spec.interval! < world.spec.duration) step(now + world.spec.interval!);
    });
  step(world.spec.interval!);
}

/** The time-weighted mean over [warmup, end] of a value held from each snapshot's time to the next's. */
function timeWeighted(log: readonly Snapshot[], warmup: number, end: number, value: (s: Snapshot) => number): number {
  let sum = 0;
  log.forEach((s, j) => {
    const to = j + 1 < log.length ? log[j + 1].t : end;
    const from = Math.max(s.t, warmup);
    if (to > from) sum += (to - from) * value(s);
  });
  return sum / (end - warmup);
}

describe("the paper's Table 3: the offloading plan per device and node", () => {
  it("equals the planner's solution when the plan is made once (no tick in the run)", () => {
    const { loaded, spec } = build(['policies.interval=10 min']);
    const sampler = new PlanSampler();
    const result = simulate(spec, { attach: (w) => sampler.attach(w) });
    const plans = sampler.finish(result.world.end);
    expect(plans.samples).toBe(1);
    expect(sampler.events).toBe(0);
    const planner = plannersOf(spec)[0];
    const ctx = paperContext(loaded.scenario, spec, loadCatalog());
    const rows = table3Rows(ctx, [paperRun(1, spec.placement, summarize(result, { scenario: 's', seed: 1 }), plans, planner.stats)], '1');
    expect(rows).toHaveLength(12); // 4 devices × (own device, edge, cloud)
    spec.workloads.forEach((w, i) => {
      const solution = new Float64Array(3);
      expect(planner.planOf(i, solution)).toBe(true);
      expect(solution.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      const s = spec.placement.start[i];
      for (let c = 0; c < 3; c++) {
        expect(plans.placement[s + c]).toBeCloseTo(solution[c], 12);
        const node = spec.nodes[spec.placement.candidates[s + c]].name;
        const row = rows.find((r) => r.workload === w.name && String(r.node).startsWith(node))!;
        expect(row.fraction_mean).toBeCloseTo(solution[c], 12);
      }
    });
    // Privacy: devices 2 and 4 (levels 0.80, 0.75) may not use the cloud (trust 0.7); the plan sends them nothing there.
    for (const w of ['classify-2', 'classify-4']) {
      const cloud = rows.find((r) => r.workload === w && r.node === 'cloud')!;
      expect([cloud.trusted, cloud.fraction_mean]).toEqual(['no', 0]);
    }
    // The program's inputs, by hand: device 1 computes locally in 601,548,544 FLOP / 3.024 GFLOP/s,
    // at 3.7 W × 0.4 of dynamic power: 0.2944 J (the scenario's comments).
    const own = rows.find((r) => r.workload === 'classify-1' && r.node === 'dev-1 (own device)')!;
    expect(own.lp_compute_s).toBeCloseTo(601_548_544 / 3.024e9, 12);
    expect(own.lp_device_energy_J).toBeCloseTo((0.4 * 3.7 * 601_548_544) / 3.024e9, 9);
    expect([own.demand_share_of_reference, own.device_capacity_share_of_reference]).toEqual([(3.77 * 601_548_544) / 7.56e9, 0.4]);
    expect(own.energy_budget_J).toBe(0.3343);
  });

  it("is the time-weighted mean of the plans the planner installed at each tick, and Table 2 that of the allocator's shares", () => {
    const { loaded, spec } = build([]);
    const sampler = new PlanSampler();
    const log: Snapshot[] = [];
    const result = simulate(spec, {
      attach: (w) => {
        sampler.attach(w);
        recordByHand(w, log);
      },
    });
    const plans = sampler.finish(result.world.end);
    const { warmup } = spec;
    const end = result.world.end;
    expect(log.map((s) => s.t)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
    expect(plans.samples).toBe(log.length);
    // Placement: each (instance, candidate) pair.
    spec.workloads.forEach((_, i) => {
      for (let c = 0; c < 3; c++) {
        expect(plans.placement[spec.placement.start[i] + c]).toBeCloseTo(
          timeWeighted(log, warmup, end, (s) => s.plans[i][c]),
          12,
        );
      }
    });
    // Allocation: the one partitioned node (the edge), its four workload tenants and processes.
    const a = plans.allocation!;
    expect([a.policy, [...a.nodes].map((k) => spec.nodes[k].name), a.tenants]).toEqual(['edelear', ['edge'], 5]);
    for (let t = 0; t < a.tenants; t++) expect(a.shares[t]).toBeCloseTo(timeWeighted(log, warmup, end, (s) => s.shares[0][t]), 12);
    for (const s of log) expect(s.shares[0].reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(1 + 1e-9);
    // Table 2 over this run: one row per workload tenant (processes hold no share), shares summing to ≤ 1.
    const ctx = paperContext(loaded.scenario, spec, loadCatalog());
    const run = paperRun(1, spec.placement, summarize(result, { scenario: 's', seed: 1 }), plans, { solves: 0, fallbacks: 0 });
    const rows = table2Rows(ctx, [run], '1');
    expect(rows.map((r) => r.tenant)).toEqual(['classify-1', 'classify-2', 'classify-3', 'classify-4']);
    rows.forEach((r, t) => expect(r.allocated_share_mean).toBeCloseTo(a.shares[t], 15));
    expect(rows.reduce((x, r) => x + Number(r.allocated_share_mean), 0)).toBeLessThanOrEqual(1 + 1e-9);
    expect(rows.map((r) => r.declared_share)).toEqual([0.214, 0.357, 0.143, 0.286]);
    expect(rows.map((r) => r.device_capacity_share_of_reference)).toEqual([0.4, 0.3, 0.5, 0.2]);
    // The demand measured at the ticks in the window: what the edge's tenants asked for, each a fraction of it.
    expect(a.ticks).toBe(9); // the ticks at 15, 20, …, 55 s measure intervals inside [10, 60]
    for (const r of rows) expect(Number(r.offered_share_mean)).toBeGreaterThanOrEqual(0);
  });

  it('reading the plans changes nothing in the run', () => {
    const plain = summarize(simulate(build([]).spec), { scenario: 's', seed: 1 });
    const sampler = new PlanSampler();
    const sampled = simulate(build([]).spec, { attach: (w) => sampler.attach(w) });
    expect(summarize(sampled, { scenario: 's', seed: 1 }).requests).toEqual(plain.requests);
    expect(summarize(sampled, { scenario: 's', seed: 1 }).nodes).toEqual(plain.nodes);
    expect(sampler.events).toBe(11);
  });
});

describe("Table 4 from the paper scenario's runs", () => {
  it("per device: its link delay as set, its cache's hit ratio and its batcher's mean batch size as caches.csv and batching.csv give them, pooled over seeds", () => {
    const runs = [1, 2].map((seed) => {
      const { loaded, spec } = build([], seed);
      const result = simulate(spec);
      const tables = summarize(result, { scenario: 's', seed });
      const caches = cacheRows((result.world.spec.cache as ResultCaches).stats(), spec.nodes, { scenario: 's', seed });
      const batches = batchingRows(result.world.batchCounts(), spec.nodes, { scenario: 's', seed });
      return { loaded, spec, record: paperRun(seed, spec.placement, tables, undefined, { solves: 0, fallbacks: 0 }, latencyAwareCounts(result.world)), caches, batches };
    });
    const ctx = paperContext(runs[0].loaded.scenario, runs[0].spec, loadCatalog());
    const rows = table4Rows(ctx, runs.map((r) => r.record), '1..2');
    expect(rows.map((r) => [r.workload, r.devices, r.network_latency_s, r.network_links_to, r.parallelization, r.cache_capacity, r.max_batch_size, r.n])).toEqual([
      ['classify-1', 'dev-1', '0.01', 'edge', 'enabled', '500 entries', 32, 2],
      ['classify-2', 'dev-2', '0.015', 'edge', 'enabled', '500 entries', 16, 2],
      ['classify-3', 'dev-3', '0.02', 'edge', 'disabled', '', '', 2],
      ['classify-4', 'dev-4', '0.012', 'edge', 'enabled', '500 entries', 64, 2],
    ]);
    const mean = (xs: number[]) => (xs[0] + xs[1]) / 2;
    for (const [i, device] of [[0, 'dev-1'], [1, 'dev-2'], [3, 'dev-4']] as const) {
      const hit = runs.map((r) => Number(r.caches.find((c) => c.node === device)!.hit_ratio));
      expect(rows[i].caching_efficiency_mean).toBeCloseTo(mean(hit), 15);
      expect(rows[i].cache_lookups_mean).toBe(mean(runs.map((r) => Number(r.caches.find((c) => c.node === device)!.lookups))));
      const size = runs.map((r) => Number(r.batches.find((b) => b.node === device)?.batch_size_mean ?? NaN));
      if (size.every(Number.isFinite)) expect(rows[i].batch_size_mean).toBeCloseTo(mean(size), 15);
      // The seeds behind each figure: a batcher that formed no batch on a seed gives none (batching.csv: blank mean and max).
      expect(rows[i].batch_size_n).toBe(size.filter(Number.isFinite).length);
      expect(rows[i].caching_efficiency_n).toBe(hit.filter(Number.isFinite).length);
    }
    // batching.csv of a batcher that formed no batch: no mean and no largest size (the largest read 0).
    const none = batchingRows([{ node: 0, spec: runs[0].spec.nodes.find((n) => n.batching)!.batching!, bySize: new Float64Array(33) }], runs[0].spec.nodes, { scenario: 's', seed: 1 });
    expect([none[0].batches, none[0].batch_size_mean, none[0].batch_size_max]).toEqual([0, NaN, NaN]);
    // A seed whose dev-1 batcher formed no batch gives no batch size: batch_size_n counts 1 of the 2 seeds (n stays 2).
    const second = runs[1].record;
    const idle = { ...second, batches: new Map([...second.batches!].map(([d, b]) => [d, d === 'dev-1' ? { batches: 0, requests: 0 } : b])) };
    const withIdle = table4Rows(ctx, [runs[0].record, idle], '1..2');
    expect([withIdle[0].n, withIdle[0].batch_size_n, withIdle[0].caching_efficiency_n]).toEqual([2, 1, 2]);
    const first = runs[0].record.batches!.get('dev-1')!;
    expect(first.batches).toBeGreaterThan(0);
    expect(withIdle[0].batch_size_mean).toBeCloseTo(first.requests / first.batches, 15); // the one seed's figure
    // Device 3: no cache, no batcher — blank, the paper's "–"; none of its requests came from a cache.
    expect([rows[2].caching_efficiency_mean, rows[2].batch_size_mean, rows[2].served_from_cache_share_mean, rows[2].caching_efficiency_n, rows[2].batch_size_n]).toEqual([NaN, NaN, 0, '', '']);
  });
});

describe("Table 5's share of requests placed below their data's privacy level", () => {
  it('is, for a policy asked at each request (least-loaded without policies.interval: no plan), the share of the requests born in the window it sent there, counted by hand (helper-88: it was blank)', () => {
    const reference = build([]);
    const leastLoaded = [0, 1, 2, 3].map((i) => `workloads[${i}].placement={ least-loaded: { tier: [device, edge, cloud] } }`);
    const { spec } = build(['policies={ allocation: static }', ...leastLoaded]);
    // Every choice the policy makes for a request born in the window, by hand.
    const counts = new Float64Array(spec.placement.candidates.length);
    const policies = spec.placement.policies.map((p) => ({
      ...p,
      choose: (...args: Parameters<typeof p.choose>) => {
        const [view, table, i] = args;
        const c = p.choose(...args);
        if (view.now >= spec.warmup) counts[table.start[i] + c]++;
        return c;
      },
    }));
    const counted = { ...spec, placement: { ...spec.placement, policies } };
    const sampler = new PlanSampler();
    const result = simulate(counted, { attach: (w) => sampler.attach(w) });
    const plans = sampler.finish(result.world.end);
    const { start, candidates } = spec.placement;
    const untrustedByHand = spec.workloads.map((_, i) => {
      let all = 0;
      let cloud = 0;
      for (let c = start[i]; c < start[i + 1]; c++) {
        all += counts[c];
        if (spec.nodes[candidates[c]].name === 'cloud') cloud += counts[c];
      }
      expect(all).toBeGreaterThan(100);
      for (let c = start[i]; c < start[i + 1]; c++) {
        expect(plans.placement[c]).toBeCloseTo(counts[c] / all, 15);
        expect(plans.measured[c]).toBe(1);
      }
      return cloud / all;
    });
    // The cloud's trust, 0.7, is below devices 2 and 4's privacy levels (0.80, 0.75), not 1's (0.70) or 3's (0.60); the edge's 0.9 is above all.
    const ctx = paperContext(reference.loaded.scenario, reference.spec, loadCatalog());
    const run = paperRun(1, spec.placement, summarize(result, { scenario: 's', seed: 1 }), plans, { solves: 0, fallbacks: 0 });
    const rows = table5Rows(ctx, [{ arm: 'least-loaded', role: 'baseline', runs: [run] }], '1');
    expect(rows.map((r) => r.untrusted_share_mean)).toEqual([0, untrustedByHand[1], 0, untrustedByHand[3]]);
    expect(untrustedByHand[1] + untrustedByHand[3]).toBeGreaterThan(0); // least-loaded does use the cloud here
  });
});
