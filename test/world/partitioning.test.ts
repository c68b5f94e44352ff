import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/metrics/simulate.ts';
import { summarize } from '../../src/metrics/summary.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { partitioningRows } from '../../src/report/partitioning.ts';
import { runWarnings } from '../../src/cli/warnings.ts';
import { ResultCaches } from '../../src/world/caches.ts';
import type { NodeSpec } from '../../src/world/node.ts';
import type { Partitioning } from '../../src/world/partitioning.ts';
import type { WorkloadSpec } from '../../src/world/workload.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HAND = 'test/fixtures/good/partitioning.yaml';
const catalog = loadCatalog();

function run(file: string, overrides: string[] = [], trace = false) {
  const spec = buildWorldSpec(loadScenario(join(ROOT, file), overrides), catalog);
  const result = simulate(spec, { trace });
  return { spec, result, trace: result.metrics.trace ?? [], part: result.world.partitioning };
}

// Trace columns: 3 node, 7 latency, 8 node wait, 9 link wait, 10 transfer, 11 compute, 12 energy.
describe('one split request by hand (test/fixtures/good/partitioning.yaml): cam —10 Mbit/s, 1 ms— edge', () => {
  const { trace, result, part } = run(HAND, [], true);

  it('edelear splits after layer a (k = 1) and the request costs the hand sum', () => {
    expect(part?.splitOf[0]).toBe(1);
    const [r] = trace;
    // cam computes a: 0.1 GFLOP at 1 GFLOP/s = 0.1 s; a's output 10 kB up: 80,000 bit / 10 Mbit/s + 1 ms
    // = 0.009 s; edge computes b and c: 2 GFLOP at 10 GFLOP/s = 0.2 s; the 1 kB result down:
    // 8,000 bit / 10 Mbit/s + 1 ms = 0.0018 s. Latency = 0.1 + 0.009 + 0.2 + 0.0018 = 0.3108 s.
    expect(r[3]).toBe('edge');
    expect(r[7]).toBeCloseTo(0.3108, 12);
    expect(r[10]).toBeCloseTo(0.009 + 0.0018, 12);
    expect(r[11]).toBeCloseTo(0.1 + 0.2, 12);
    // Request energy: cam compute 2 W × 0.1 s = 0.2 J, its radio 80,000 bit × 100 nJ + 8,000 bit × 50 nJ
    // = 0.0084 J; edge compute 10 W × 0.2 s = 2 J, its radio 80,000 × 50 nJ + 8,000 × 100 nJ = 0.0048 J.
    expect(r[12]).toBeCloseTo(0.2 + 0.0084 + 2 + 0.0048, 12);
  });

  it("the device's energy is its part's compute and its radio (no idle power in the fixture)", () => {
    expect(result.world.energy(0)).toBeCloseTo(0.2 + 0.008 + 0.0004, 12); // 0.2084 J
    expect(result.world.energy(1)).toBeCloseTo(2 + 0.004 + 0.0008, 12); // 2.0048 J
    expect(result.world.meters.totals(0).served).toBe(1);
    expect(result.world.meters.totals(1).served).toBe(1);
  });

  it('all-remote is the plan without partitioning: the 1 MB input up (0.801 s), 0.21 s at the edge, 0.0018 s down', () => {
    const { trace: t, part: p } = run(HAND, ['policies.partitioning=all-remote'], true);
    expect(p?.splitOf[0]).toBe(0);
    expect(t[0][7]).toBeCloseTo(0.801 + 0.21 + 0.0018, 12);
    const { trace: none } = run(HAND, ['policies.partitioning=null'], true);
    expect(none[0]).toEqual(t[0]);
  });

  it('all-local runs the whole model on the camera: 2.1 GFLOP at 1 GFLOP/s, nothing sent', () => {
    const { trace: t, result: r } = run(HAND, ['policies.partitioning=all-local'], true);
    expect(t[0][3]).toBe('cam');
    expect(t[0][7]).toBeCloseTo(2.1, 12);
    expect(t[0][12]).toBeCloseTo(4.2, 12); // 2 W × 2.1 s
    expect(r.world.meters.totals(1).served).toBe(0);
  });
});

describe('the chosen split moves from all remote to all local as the access link slows', () => {
  // latency(k) = device(k) + [k < 3](8·live(k)/B + 0.002 + server(k) + 8,000/B), live = 1 MB, 10 kB, 100 kB;
  // device 0, 0.1, 1.1, 2.1 s; server 0.21, 0.2, 0.1 s. k = 1 beats k = 0 once 7,920,000 bit / B > 0.01 s + 0.08 bit... :
  // 1 Gbit/s: k0 0.220 < k1 0.302; 100 Mbit/s: k0 0.2921 < k1 0.3029; 10 Mbit/s: k1 0.3108 (k0 1.0128);
  // 1 Mbit/s: k1 0.39; 100 kbit/s: k1 1.182 < local 2.1; 10 kbit/s: k1 9.1 > local 2.1.
  const bandwidths = ['1 Gbit/s', '100 Mbit/s', '10 Mbit/s', '1 Mbit/s', '100 kbit/s', '10 kbit/s', '1 kbit/s'];
  const splitAt = (bw: string, extra: string[] = []) => run(HAND, [`links[0].bandwidth=${bw}`, ...extra]).part!.splitOf[0];

  it('edelear: 0, 0, 1, 1, 1, 3, 3', () => {
    expect(bandwidths.map((b) => splitAt(b))).toEqual([0, 0, 1, 1, 1, 3, 3]);
  });

  it('a device with parallel: false only runs all or nothing: 0 while 1.0128 s remote beats 2.1 s local, then 3', () => {
    // k = 0 at B: 8,008,000 bit / B + 0.212 s ≤ 2.1 s while B ≥ 4.24 Mbit/s.
    expect(bandwidths.map((b) => splitAt(b, ['nodes[0].parallel=false']))).toEqual([0, 0, 0, 3, 3, 3, 3]);
  });

  it('energy objective: the camera spends least sending a (0.2084 J) — k = 1 at every bandwidth (J/bit does not move with it)', () => {
    // Device energy: k0 8,000,000 bit × 100 nJ + 0.0004 = 0.8004 J; k1 0.2 + 0.008 + 0.0004 = 0.2084 J;
    // k2 2.2 + 0.08 + 0.0004 = 2.2804 J; k3 2 W × 2.1 s = 4.2 J.
    const obj = 'policies.partitioning={ edelear: { objective: energy } }';
    expect(bandwidths.map((b) => splitAt(b, [obj]))).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });
});

describe('re-decided at every policies.interval from the measured queue', () => {
  it("an overloaded edge server cannot drive requests onto a camera that cannot take them: the device's own load bars the splits it would overload; without an interval the split stays", () => {
    // A request every 0.15 s: split at k = 1 the edge needs 0.2 s each (ρ = 1.33), so its queue grows
    // and its expected wait with it. An idle-device model would move the whole interval's requests
    // to the camera (all local, 2.1 s) once that wait outweighs the 1.79 s a local run costs more —
    // but every request of the interval then runs there: utilization 2.1 s / 0.15 s = 14 (k = 3) or
    // 1.1 s / 0.15 s = 7.3 (k = 2), an unstable queue, so neither is allowed. k = 1 keeps the camera
    // at 0.1 / 0.15 = 0.67 and beats k = 0 (whose edge part and wait are no shorter), so every
    // request is split at k = 1.
    const load = ['workloads[0].arrivals={ periodic: 0.15 s }', 'duration=60 s'];
    const ticking = run(HAND, [...load, 'policies.interval=1 s']).part!;
    expect(ticking.born[0]).toBeGreaterThan(300);
    expect(ticking.local[0]).toBe(0);
    expect(ticking.split[0]).toBe(ticking.born[0]);
    expect(ticking.kSum[0]).toBe(ticking.born[0]);
    const once = run(HAND, load).part!;
    expect(once.split[0]).toBe(once.born[0]);
    expect(once.local[0]).toBe(0);
  });

  it("at the start the declared rate loads both ends: all local would queue on the camera, k = 1 at the edge, so k = 2; the ticks, from the measured load at both ends, keep k = 2", () => {
    // The camera at 10 GFLOP/s, a request every 0.25 s (4/s, declared), Pollaczek–Khinchine waits
    // (deterministic service) W = λ·S² / (2(1 − ρ)) at each end from the declared load:
    //   k = 3: 0.21 s on the camera at ρ = 0.84, W = 4 × 0.21² / 0.32 = 0.551 s: 0.761 s;
    //   k = 1: 0.2208 s (0.01 + 0.009 + 0.2 + 0.0018), the edge's 0.2 s part at ρ = 0.8, W = 0.4 s: 0.621 s;
    //   k = 2: 0.11 s on the camera (ρ 0.44, W = 0.0432), 100 kB up 0.081 s, the edge's 0.1 s part
    //   (ρ 0.4, W = 0.0333), 0.0018 s down: 0.369 s — the least; k = 0 sends 1 MB: 1.56 s.
    // Idle (no declared load) all local wins (0.21 s). Decided once, k = 2 for the run. With ticks
    // every 2 s the same figures come from the measured rates (world/partitioning.ts
    // `predictServerLoads`): the edge's measured utilization 0.4 less the pair's own measured
    // parts (8 requests × 0.1 s / 2 s = 0.4) is 0, plus its 4/s at the split it holds, so k = 2
    // again at every tick. Reading the edge's queue alone (before) made k = 1 the least from the
    // first tick on (232 requests at k = 1, the edge at ρ = 0.8).
    const busy = ['nodes[0].compute={ fp32: 10 GFLOP/s }', 'workloads[0].arrivals={ periodic: 0.25 s }', 'duration=60 s'];
    const once = run(HAND, busy).part!;
    expect(once.born[0]).toBe(240); // t = 0, 0.25, …, 59.75 s (none at 60 s, the end: it could never be served)
    expect(once.kSum[0]).toBe(240 * 2);
    expect(once.bytesSum[0]).toBe(240 * 100_000);
    const t = run(HAND, [...busy, 'policies.interval=2 s']).part!;
    expect(t.local[0]).toBe(0);
    expect(t.split[0]).toBe(240);
    expect(t.kSum[0]).toBe(240 * 2);
    expect(t.bytesSum[0]).toBe(240 * 100_000);
    // Other work on the edge (a workload of its own, never split: chain3 whole, 0.21 s) enters at
    // the ticks through the edge's measured utilization, less the pair's own measured parts.
    // Every 1 s (u_o = 0.21): k = 2 holds the edge at ρ = 0.21 + 0.4 = 0.61, W = (0.21 × 0.21 +
    // 4 × 0.1²) / (2 × 0.39) = 0.108 s, 0.445 s in all; k = 1 (ρ 1.01) and k = 0 (1.05) are out; all
    // local 0.761 s: k = 2 throughout (the pair's parts counted twice would rule k = 2 out too).
    const other = (period: string) => run(HAND, [...busy, 'policies.interval=2 s', `workloads[1]={ name: e, on: edge, model: chain3, arrivals: { periodic: ${period} } }`]).part!;
    expect(other('1 s').kSum[0]).toBe(240 * 2);
    // Every 0.323 s (u_o ≈ 0.65): k = 2 would hold the edge at ρ ≈ 1.05, out; all local (0.761 s) at
    // every tick (and from the start, which counts it too: before, 8 requests at k = 2 in the first interval).
    const heavy = other('0.323 s');
    expect(heavy.kSum[0]).toBe(240 * 3); // all local from the start (below) and at every tick
    expect(heavy.local[0]).toBe(240);
    // Decided once, the start now counts that workload's declared load too (1/0.323 s × 0.21 s = 0.65
    // of the edge: it is never split, a workload computing where it is): k = 2 would hold the edge
    // at ρ 1.05, so all local from the start (before, k = 2 for the run, blind to it).
    const onceHeavy = run(HAND, [...busy, 'workloads[1]={ name: e, on: edge, model: chain3, arrivals: { periodic: 0.323 s } }']).part!;
    expect(onceHeavy.kSum[0]).toBe(240 * 3);
    expect(onceHeavy.local[0]).toBe(240);
    // At 1 s (0.21 of the edge) k = 2 still fits (ρ 0.61), as without the other workload.
    expect(run(HAND, [...busy, 'workloads[1]={ name: e, on: edge, model: chain3, arrivals: { periodic: 1 s } }']).part!.kSum[0]).toBe(240 * 2);
    // A batching edge (max 16) is read by its queue at the ticks, not its load: its busy time is
    // batched, a request's 0.2 s part at k = 1 is not — at 8/s that load (ρ = 1.6) ruled k = 1 out at
    // every tick and forced k = 2, which loads the camera to ρ 0.88 (helper-73: 787 ms against 424 ms
    // mean over 300 s, seed 1). With the queue, k = 1 from the first tick on nearly throughout.
    const batched = run(HAND, ['nodes[0].compute={ fp32: 10 GFLOP/s }', 'nodes[1].scheduler={ batching: { max: 16, fixedShare: 0.8 } }', 'workloads[0].arrivals={ poisson: 8/s }', 'duration=60 s', 'policies.interval=2 s']).part!;
    expect(batched.kSum[0] / batched.born[0]).toBeLessThan(1.1);
    // A camera with a request every 100 s (ρ = 0.0021) is as good as idle: all local (k = 3) wins.
    const idle = run(HAND, ['nodes[0].compute={ fp32: 10 GFLOP/s }', 'workloads[0].arrivals={ periodic: 100 s }', 'duration=1000 s']).part!;
    expect(idle.local[0]).toBe(idle.born[0]);
    expect(idle.born[0]).toBe(10);
    // The counts are folded in at each decision and at the warm-up's end (world/partitioning.ts
    // `fold`), not per request: a warm-up of 0.9 s drops exactly the requests born at 0, 0.25, 0.5
    // and 0.75 s, each split at k = 2 and sending b's 100 kB, and changes nothing else.
    const w = run(HAND, [...busy, 'policies.interval=2 s', 'warmup=0.9 s']).part!;
    expect(w.born[0]).toBe(240 - 4);
    expect(w.local[0]).toBe(0);
    expect(w.split[0]).toBe(t.split[0] - 4);
    expect(w.kSum[0]).toBe(t.kSum[0] - 4 * 2);
    expect(w.bytesSum[0]).toBe(t.bytesSum[0] - 4 * 100_000);
  });
});

describe('the start decision over several pairs (test/fixtures/good/partitioning-order.yaml): passes until no split changes', () => {
  it("camA does not stay all local for camB's load that camB takes home", () => {
    // Pass 1 counts every pair at k = 0: the edge at 1 × 0.21 + 4 × 0.21 = 1.05. camA (5 GFLOP/s,
    // 1/s), decided first, sees 0.84 of camB's there: k = 0 and 1 out (ρ ≥ 1), k = 2 waits 1.55 s,
    // so all local (0.42 s + 0.15 s). camB (20 GFLOP/s, 4/s) then finds the edge empty but all local
    // is faster for it (0.105 s, ρ 0.42: 0.143 s). Pass 2: camA against an empty edge — k = 0:
    // 0.009 + 0.21 + 1 × 0.21² / (2 × 0.79) + 0.00108 = 0.24799 s; k = 1: 0.02 + 0.0002 + 0.0018 +
    // 0.2 + 1 × 0.2² / (2 × 0.8) + 0.00108 = 0.24808 s; all local 0.572 s: k = 0. One pass left the
    // edge idle and wa's mean at 596 ms (241 ms with the passes; helper-71's measurement).
    // (k = 0 wins by 0.1 ms: the test asks only that camA uses the edge.)
    const { part, result } = run('test/fixtures/good/partitioning-order.yaml');
    expect(part!.splitOf[0]).toBeLessThan(3);
    expect(part!.splitOf[1]).toBe(3);
    expect(result.world.meters.totals(2).served).toBeGreaterThan(30); // wa's ≈ 60 requests in 60 s, all on the edge
    // Pass 1 changed camA (to all local) and camB (k = 0 → 3), pass 2 camA back (to the edge), pass 3 nothing.
    expect(part!.startPasses).toBe(3);
    expect(part!.warnings.size).toBe(0);
  });

  it("four cameras sharing an access point's uplink (test/fixtures/good/partitioning-uplink.yaml): the start counts the link's load, so one splits and the uplink is not held at ρ 0.96", () => {
    // Per camera at 30/s, the 20 Mbit/s uplink hop: the input 160 kbit (8 ms), a's output 80 kbit (4 ms).
    // Pass 1, cam-1 against three inputs (ρ 0.72, Σ λ s² = 90 × 0.008² = 0.00576): k = 0 holds the hop
    // at 0.96, W = (0.00576 + 30 × 0.008²) / (2 × 0.04) = 0.096 s, ≈ 0.109 s in all; k = 1 computes a
    // (20 ms, the camera at ρ 0.6, W = 30 × 0.02² / 0.8 = 0.015 s), the hop at 0.84, W = (0.00576 +
    // 30 × 0.004²) / 0.32 = 0.0195 s: ≈ 0.063 s; all local (0.22 s at 30/s) is out. cam-2..4 then see the
    // hop at 0.60: k = 0 (W 0.0195 s, ≈ 0.032 s) beats k = 1 (≈ 0.052 s). Pass 2 changes nothing.
    const { part, result } = run('test/fixtures/good/partitioning-uplink.yaml');
    expect(Array.from(part!.splitOf)).toEqual([1, 0, 0, 0]);
    const remote = run('test/fixtures/good/partitioning-uplink.yaml', ['policies.partitioning=all-remote']).result;
    // The same requests (common random numbers): all inputs sent hold the hop at 0.96 — 131 ms mean,
    // against 41 ms with the split (seed 1, measured; ratio asserted loosely).
    expect(result.metrics.all.generated).toBe(remote.metrics.all.generated);
    expect(result.metrics.all.latency.mean).toBeLessThan(0.5 * remote.metrics.all.latency.mean);
    // Re-decided every 2 s, from the links' measured load (not their backlogs alone: then every
    // camera saw the uplink idle at each tick and sent its input, 128 ms mean): about one camera's
    // requests split at any time (which one may change), and the mean stays near the start's.
    const ticking = run('test/fixtures/good/partitioning-uplink.yaml', ['policies.interval=2 s']);
    const t = ticking.part!;
    const splitShare = t.kSum.reduce((a, b) => a + b, 0) / t.born.reduce((a, b) => a + b, 0);
    expect(splitShare).toBeGreaterThan(0.15);
    expect(splitShare).toBeLessThan(0.35);
    expect(ticking.result.metrics.all.latency.mean).toBeLessThan(0.5 * remote.metrics.all.latency.mean);
    // An analytic uplink does not queue (its delay follows its model, not what is sent): no load is
    // counted on it, so every camera sends its input, at the start and at every tick (helper-75: a
    // split there gained nothing, 278 against 269 ms).
    const analytic = 'links[1].analytic={ model: edgecloudsim-mm1, meanSize: { up: 20 kB, down: 1 kB }, meanInterarrival: 33 ms, maxDelay: 5 s }';
    for (const extra of [[], ['policies.interval=2 s']]) expect(run('test/fixtures/good/partitioning-uplink.yaml', [analytic, ...extra]).part!.kSum.every((k) => k === 0)).toBe(true);
  });

  it('passes that run out while a split still changes are warned of after the run (the cap lowered to 2: its last pass moved camA)', () => {
    const spec = buildWorldSpec(loadScenario(join(ROOT, 'test/fixtures/good/partitioning-order.yaml')), catalog);
    const capped = { ...spec, partitioning: { ...spec.partitioning!, startPasses: 2 } };
    const { world } = simulate(capped);
    expect(world.partitioning!.startPasses).toBe(2);
    expect([...world.partitioning!.warnings.values()]).toEqual([
      "model partitioning's start splits were still changing after 2 passes over the 2 pairs that may be split (1 changed in the last pass): the run starts from the last pass's splits, which may load a device or server more than a settled choice would; they hold for the run (no policies.interval)",
    ]);
    expect(runWarnings(world).get('partitioning/start-passes')).toContain('after 2 passes');
  });
});

describe("a partitioned server (test/fixtures/good/partitioning-tenants.yaml): the split sees the tenant's share and queue, not the whole node", () => {
  const TENANTS = 'test/fixtures/good/partitioning-tenants.yaml';
  /**
   * Brute force over k from the cost formula and the fixture's figures (not the code under test):
   * latency(k) = device(1..k) + [k < 3] (1 ms + 8·live(k) / 10 Mbit/s + wait + server(k+1..3) / speed
   * + 1 ms + 8·1 kB / 10 Mbit/s); layers 0.1, 1, 1 GFLOP, the camera 5 GFLOP/s, the edge 10 GFLOP/s on
   * one slot (speed: slot-speeds its part gets, the tenant's share × 1 slot), live 1 MB, 10 kB, 100 kB.
   */
  const bruteForce = (speed: number, wait = 0) => {
    const flops = [0.1e9, 1e9, 1e9];
    const live = [1e6, 1e4, 1e5];
    const values = [0, 1, 2, 3].map((k) => {
      const device = flops.slice(0, k).reduce((a, b) => a + b, 0) / 5e9;
      if (k === 3) return device;
      const server = flops.slice(k).reduce((a, b) => a + b, 0) / 10e9 / speed;
      return device + 0.001 + (8 * live[k]) / 1e7 + wait + server + 0.001 + (8 * 1000) / 1e7;
    });
    return { k: values.indexOf(Math.min(...values)), values };
  };
  const splitAt = (extra: string[] = []) => run(TENANTS, extra).part!.splitOf[0]; // pair 0: w → edge

  it('at start: the whole node would split after a (k = 1, 0.2308 s); at w\'s share 0.25 the edge part takes 4 × as long and all local wins (0.42 s): the world runs all local', () => {
    const whole = bruteForce(1);
    const share = bruteForce(0.25);
    // By hand: whole 1.0128, 0.2308, 0.4028, 0.42 s; at 0.25: 1.6428, 0.8308, 0.7028, 0.42 s.
    expect(whole.values.map((v) => +v.toFixed(6))).toEqual([1.0128, 0.2308, 0.4028, 0.42]);
    expect(share.values.map((v) => +v.toFixed(6))).toEqual([1.6428, 0.8308, 0.7028, 0.42]);
    expect([whole.k, share.k]).toEqual([1, 3]);
    const { part, trace } = run(TENANTS, [], true);
    expect(part!.splitOf[0]).toBe(share.k);
    const w = trace.find((r) => r[1] === 'w')!;
    expect(w[3]).toBe('cam');
    expect(w[7]).toBeCloseTo(share.values[3], 12);
    // The same edge not partitioned (first come, first served on its slot): the whole-node figures, k = 1.
    expect(splitAt(['nodes[1].scheduler=fcfs'])).toBe(whole.k);
    // w with the 0.75 share: 1.0828, 0.2975, 0.4361, 0.42 s → k = 1.
    expect(bruteForce(0.75).k).toBe(1);
    expect(splitAt(['nodes[1].scheduler={ partitioned: { w: 0.75, other: 0.25 } }'])).toBe(1);
  });

  it("at start, at the 0.25 share, the declared rate loads the camera and w's partition alike", () => {
    // w declared at 2/s (Pollaczek–Khinchine waits, deterministic service, from the declared load):
    // all local holds the camera at ρ = 2 × 0.42 = 0.84, W = 2 × 0.42² / (2 × 0.16) = 1.1025 s:
    // 1.5225 s; k = 2: 0.22 s on the camera (W = 2 × 0.22² / (2 × 0.56) = 0.0864 s) and 0.4 s in the
    // partition at ρ = 0.8 (W = 2 × 0.4² / (2 × 0.2) = 0.8 s): 0.7028 + 0.0864 + 0.8 = 1.589 s;
    // k = 1 holds the partition at ρ = 2 × 0.8 = 1.6 (not allowed). All local.
    expect(bruteForce(0.25).values[2] + (2 * 0.22 ** 2) / (2 * 0.56) + (2 * 0.4 ** 2) / (2 * 0.2)).toBeCloseTo(1.5892, 4);
    expect(splitAt(['workloads[0].arrivals={ periodic: 0.5 s }'])).toBe(3);
    // At 3.33/s (every 0.3 s) every split holds one end at ρ ≥ 1: all local the camera at 1.4, k = 2
    // the partition at 1.33 (the camera at 0.73), k = 1 the partition at 2.67, k = 0 at 2.8. The least
    // loaded busier end: k = 2. (Device load alone chose k = 1, its partition at 2.67: 19.1 s mean
    // latency and 74 of 201 requests served in 60 s, against 8.1 s and 149 at k = 2.)
    expect(splitAt(['workloads[0].arrivals={ periodic: 0.3 s }'])).toBe(2);
  });

  it("the share in force: declared 0.75 (k = 1), but the allocation's start shares (equal: 0.5 each) give k = 3 (0.4308 s split against 0.42 s local)", () => {
    expect(bruteForce(0.5).values[1]).toBeCloseTo(0.4308, 12);
    expect(bruteForce(0.5).k).toBe(3);
    expect(splitAt(['nodes[1].scheduler={ partitioned: { w: 0.75, other: 0.25 } }', 'policies.allocation=equal'])).toBe(3);
  });

  it("at the ticks the wait is the tenant's own queue: a flooded other tenant does not push w off the edge", () => {
    // `other` (share 0.25) gets a request every 0.1 s at the edge, 2.1 GFLOP at 2.5 GFLOP/s = 0.84 s each: its
    // queue grows by ≈ 8.8 jobs a second. w (share 0.75) has one request at t = 0, done by 0.3 s, so
    // at every tick its own queue is empty: wait 0, k = 1 (0.2975 s; the device's load of one request is
    // negligible). The whole node's FCFS wait would count the other tenant's jobs: (jobs − 1 + 1) × 0.21 s
    // on its one slot, which exceeds the 0.1225 s all local is worse by from the first tick on (≥ 1 job).
    const { part, result } = run(TENANTS, [
      'nodes[1].scheduler={ partitioned: { w: 0.75, other: 0.25 } }',
      'workloads[1].arrivals={ periodic: 0.1 s }',
      'policies.interval=1 s',
    ]);
    const jobs = result.world.meters.jobs(1);
    expect(jobs).toBeGreaterThanOrEqual(80); // 100 born by 10 s, 11 served (10 / 0.84)
    expect(bruteForce(0.75, 0).k).toBe(1);
    expect(bruteForce(1, 1 * 0.21).k).toBe(3); // what one queued job of the other tenant would do under the whole-node figures
    expect(part!.splitOf[0]).toBe(1);
  });
});

describe('result caches keep working before a split plan', () => {
  it("a hit on the camera's own cache saves the whole split plan: 0.3108 s and 2.2132 J", () => {
    const { result, trace } = run(
      HAND,
      ['nodes[0].cache={ capacity: 10, policy: lru }', 'workloads[0].inputs={ zipf: 0, catalog: 1 }', 'workloads[0].arrivals={ periodic: 1 s }', 'duration=3.5 s'],
      true,
    );
    expect(trace.map((r) => r[7] as number)).toEqual([expect.closeTo(0.3108, 12), 0, 0, 0]);
    const [cam] = (result.world.spec.cache as ResultCaches).stats();
    expect([cam.lookups, cam.hits]).toEqual([4, 3]);
    expect(cam.latencySaved).toBeCloseTo(3 * 0.3108, 12);
    expect(cam.energySaved).toBeCloseTo(3 * 2.2132, 12);
  });
});

describe('all-remote equals the run without partitioning, figure for figure', () => {
  for (const [file, extra] of [
    ['scenarios/default.yaml', ['duration=60 s']],
    ['test/fixtures/good/compare.yaml', ['policies.placement={ least-loaded: { tier: [device, edge, cloud] } }', 'policies.interval=5 s']],
  ] as const) {
    it(`${file}`, () => {
      const tables = (o: string[]) => {
        const r = run(file, [...extra, ...o]);
        const t = summarize(r.result, { scenario: 'x', seed: 1 });
        return { requests: t.requests, nodes: t.nodes, links: t.links, run: t.run };
      };
      expect(tables(['policies.partitioning=all-remote'])).toEqual(tables([]));
    });
  }

  it('edelear on a zoo model (MobileNetV2 on default.yaml) conserves requests and splits where the envelope says', () => {
    const { result, part, spec } = run('scenarios/default.yaml', ['duration=60 s', 'policies.partitioning=edelear', 'policies.interval=5 s']);
    expect(result.world.completedCount).toBeGreaterThan(0);
    expect(part).toBeDefined();
    for (let p = 0; p < spec.placement.candidates.length; p++) expect(part!.splitOf[p]).toBeGreaterThanOrEqual(0);
  });
});

describe('bad partitioning settings', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/edelear.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  const cases: [string, RegExp][] = [
    ['policies.partitioning=neurosurgeon', /policies\.partitioning: expected one of edelear, all-local, all-remote/],
    ['policies.partitioning={ edelear: { objective: speed } }', /policies\.partitioning/],
    ['policies.partitioning={ edelear: { objective: { latency: 0, energy: 0 } } }', /policies\.partitioning/],
    ['policies.partitioning={ edelear: { objective: { latency: -1 } } }', /policies\.partitioning/],
    // One error, the weight's (helper-86: "both are 0" followed it).
    ['policies.partitioning={ edelear: { objective: { latency: -1, energy: 1 } } }', /^error: \S+: policies\.partitioning\.edelear\.objective\.latency: expected a number ≥ 0, got number -1 \(from --set\)$(?![\s\S]*both are 0)/m],
    ['policies.partitioning={ edelear: { k: 3 } }', /policies\.partitioning/],
    ['nodes[0].parallel=sometimes', /nodes\[0\]\.parallel: /],
    // A name written as a mapping: it takes no settings (only edelear does).
    ['policies.partitioning={ all-local: {} }', /policies\.partitioning\.all-local: "all-local" takes no settings: write it as a bare name \(policies\.partitioning: all-local\), not as a mapping; only \{ edelear: \{ … \} \} takes settings/],
    // all-local on a camera whose 2 kB cannot hold chain3's 3 × 1,000 fp32 weights (12,000 B).
    ['nodes[0].memory=2 kB', /policies\.partitioning: expected every device to run its workloads' models under all-local, but cam cannot: its memory \(2000 B\) cannot hold chain3's weights with a request's input and activations \(12000 \+ 1000000 \+ 100000 = 1112000 B\)/],
  ];
  for (const [set, message] of cases) {
    it(`--set ${set}: exit 2 naming the path`, () => {
      const r = cli('validate', HAND, '--set', set, ...(set.startsWith('nodes[0].memory') ? ['--set', 'policies.partitioning=all-local'] : []));
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  }

  /** `edelear run` of the hand fixture with these --sets: its exit, stderr, and the lines of partitioning.csv and nodes.csv. */
  function runHand(...sets: string[]) {
    const out = mkdtempSync(join(tmpdir(), 'edelear-partitioning-'));
    try {
      const r = cli('run', HAND, '--out', out, '--no-charts', '--quiet', ...sets.flatMap((x) => ['--set', x]));
      const lines = (file: string) => (r.status === 0 ? readFileSync(join(out, file), 'utf8').trim().split('\n') : []);
      return { status: r.status, stderr: r.stderr, partitioning: lines('partitioning.csv'), nodes: lines('nodes.csv') };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }

  it('edelear run writes partitioning.csv: the split, its layer, the bytes sent and the share split', () => {
    const r = runHand();
    expect(r.status).toBe(0);
    const [header, row] = r.partitioning;
    expect(header).toBe(
      'scenario,seed,workload,server,policy,pairs,parallel,layers,k_at_end,layer_at_end,bytes_sent_at_end,splits_at_end,requests,answered_on_device,split_share,local_share,remote_share,k_mean,bytes_sent_mean',
    );
    expect(row).toBe('partitioning,1,w,edge,edelear,1,yes,3,1,a,10000,1 (1 pair),1,0,1,0,0,1,10000');
  });

  it("requests its device's own cache answered ran none of the split: counted apart, not as split", () => {
    // Four requests of one input (1 s apart): the first misses the camera's cache and is split (k = 1); the other three hit it at birth.
    const r = runHand('nodes[0].cache={ capacity: 10, policy: lru }', 'workloads[0].inputs={ zipf: 0, catalog: 1 }', 'workloads[0].arrivals={ periodic: 1 s }', 'duration=3.5 s');
    expect(r.status).toBe(0);
    // requests 1 (ran the plan), answered_on_device 3, split_share 1 of 1, k_mean 1, 10 kB sent.
    expect(r.partitioning[1]).toBe('partitioning,1,w,edge,edelear,1,yes,3,1,a,10000,1 (1 pair),1,3,1,0,0,1,10000');
  });

  it('a device whose memory cannot hold the weights is never split under edelear: a warning, all sent whole, no weights held', () => {
    const r = runHand('nodes[0].memory=2 kB');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("warning: test/fixtures/good/partitioning.yaml:26: policies.partitioning: w's requests from cam are never split: its memory (2000 B) cannot hold chain3's weights with a request's input and activations (12000 + 1000000 + 100000 = 1112000 B), so every one is sent whole");
    // k = 0: the 1 MB input sent whole (the plan without partitioning, 1.0128 s by hand in the fixture's header).
    expect(r.partitioning[1]).toBe('partitioning,1,w,edge,edelear,1,no,3,0,(input: all remote),1000000,0 (1 pair),1,0,0,0,1,0,1000000');
    const column = r.nodes[0].split(',').indexOf('memory_peak_bytes');
    // The camera holds no weights and runs nothing: its peak memory is 0 (it was 12,000 B of weights it never held).
    expect(r.nodes.find((l) => l.includes(',cam,'))!.split(',')[column]).toBe('0');
    const strict = cli('validate', HAND, '--strict', '--set', 'nodes[0].memory=2 kB');
    expect(strict.status).toBe(2);
    expect(strict.stderr).toContain('(an error under --strict)');
  });
});

describe('partitioning.csv: the splits at the end, most pairs first', () => {
  it('two pairs at k = 21 and two at 0 of one workload and server: k_at_end 0 (the tie to the smaller k), splits_at_end lists both', () => {
    // A stand-in for the world's Partitioning: four pairs of one workload with one server, 10 requests each, none answered on the device.
    const choice = { layers: 54, liveBytes: Float64Array.from({ length: 55 }, (_, k) => 1000 * (55 - k)), layerNames: Array.from({ length: 55 }, (_, k) => `l${k}`), deviceSeconds: new Float64Array(55) };
    const splitOf = Int32Array.from([21, 0, 21, 0]);
    const part = {
      spec: { policy: 'edelear', choices: [choice, choice, choice, choice] },
      splitOf,
      born: Float64Array.from([10, 10, 10, 10]),
      answered: new Float64Array(4),
      split: Float64Array.from([10, 0, 10, 0]),
      local: new Float64Array(4),
      kSum: Float64Array.from([210, 0, 210, 0]),
      bytesSum: Float64Array.from([340_000, 550_000, 340_000, 550_000]),
      pairsWithChoice: () => [0, 1, 2, 3].map((pair) => ({ pair, instance: pair })),
    } as unknown as Partitioning;
    const workloads = [0, 1, 2, 3].map(() => ({ name: 'detect', group: 0 })) as unknown as WorkloadSpec[];
    const nodes = [{ name: 'edge' }] as unknown as NodeSpec[];
    const [row] = partitioningRows(part, workloads, [0, 0, 0, 0], nodes, { scenario: 's', seed: 1 });
    expect(row).toMatchObject({ pairs: 4, k_at_end: 0, splits_at_end: '0 (2 pairs); 21 (2 pairs)', requests: 40, split_share: 0.5, remote_share: 0.5, k_mean: 10.5 });
    splitOf[1] = 21;
    const [three] = partitioningRows(part, workloads, [0, 0, 0, 0], nodes, { scenario: 's', seed: 1 });
    expect(three).toMatchObject({ k_at_end: 21, layer_at_end: 'l21', splits_at_end: '21 (3 pairs); 0 (1 pair)' });
  });
});
