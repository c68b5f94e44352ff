import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/metrics/simulate.ts';
import { adaptiveBatching } from '../../src/policies/batching/adaptive.ts';
import { fixedBatching } from '../../src/policies/batching/fixed.ts';
import { noBatching } from '../../src/policies/batching/none.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import type { NodeSpec } from '../../src/world/node.ts';
import type { BatchingSpec } from '../../src/world/schedulers/batching.ts';
import type { ArrivalSpec } from '../../src/world/workload.ts';
import { node, spec, workload } from './fixtures.ts';

// The fixture's job is 1 GFLOP: at 10^12 FLOP/s one request computes in w = 1 ms on the node's slot.
const W = 1e-3;
const FAST = { fp32: 1e12 };

/** A node batching with these settings (one workload: tenants = the workload and processes). */
function batchingNode(b: Partial<BatchingSpec>, extra: Partial<NodeSpec> = {}): NodeSpec {
  const batching: BatchingSpec = { sizer: fixedBatching(), max: 8, preferred: [], delay: 0, fixedShare: 0.5, objectives: [Infinity, Infinity], ...b };
  return node('n', { throughput: FAST, scheduler: 'batching', batching, ...extra });
}

/** The batch cost of b equal requests of work w: t(b) = w·(α + (1 − α)·b). */
const cost = (b: number, alpha: number, w = W): number => w * (alpha + (1 - alpha) * b);

function run(n: NodeSpec, arrivals: ArrivalSpec, duration: number, trace = false) {
  return simulate(spec({ nodes: [n], workloads: [workload(0, arrivals)], targets: Int32Array.of(0), duration }), { trace });
}

const column = { end: 5, outcome: 6, nodeWait: 8, compute: 11, energy: 12 } as const;

describe('dynamic batching (Triton semantics)', () => {
  it('(a) under light load no request waits longer than the maximum queue delay, and a lone request waits exactly that', () => {
    // Poisson at 10/s against 1,000/s at batch 1 (1 % of capacity); delay 5 ms ≥ t(8) = 4.5 ms, so a
    // request's delay never ends while another batch holds the one slot.
    const delay = 5e-3;
    const r = run(batchingNode({ max: 8, delay }), { kind: 'poisson', rate: 10 }, 1000, true);
    const rows = r.metrics.trace!.filter((row) => row[column.outcome] === 'completed');
    expect(rows.length).toBeGreaterThan(9000);
    const waits = rows.map((row) => row[column.nodeWait] as number);
    expect(Math.max(...waits)).toBeLessThanOrEqual(delay + 1e-12);
    // P(no other arrival within 5 ms of a request) = e^(−10·0.005) ≈ 0.951 for the first of a batch: most wait the full delay.
    const lone = waits.filter((x) => Math.abs(x - delay) < 1e-12).length / waits.length;
    expect(lone).toBeGreaterThan(0.88);
    expect(lone).toBeLessThan(0.97);
  });

  it('(b) under heavy load throughput rises with the max batch size as the profile says: b / t(b) with the nvidia-t4 batch cost', () => {
    const t4 = loadCatalog().profiles.get('nvidia-t4')!.batching!;
    // t0 = 0.8343 ms, t1 = 0.1657 ms (MLPerf v0.7 T4 ResNet-50: SingleStream 1.000 ms, Offline 6035.6 samples/s).
    expect(t4.fixedShare).toBeCloseTo(0.8343 / 1.0, 4);
    const duration = 5;
    const rates: number[] = [];
    for (const max of [1, 8, 32]) {
      // 10,000 requests/s arrive: more than any batch size can serve, so the queue is ample after the first batches.
      const r = run(batchingNode({ max, fixedShare: t4.fixedShare }), { kind: 'periodic', period: 1e-4, offset: 0 }, duration);
      const rate = r.world.completedCount / duration;
      const capacity = max / cost(max, t4.fixedShare); // 1000, 3704.0, 5214.6 /s
      expect(Math.abs(rate - capacity) / capacity).toBeLessThan(0.005);
      rates.push(rate);
    }
    expect(rates[1]).toBeGreaterThan(3.6 * rates[0]);
    expect(rates[2]).toBeGreaterThan(1.4 * rates[1]);
  });

  it('(c) the batcher never forms a batch above the maximum: every request served is in a counted batch of size ≤ max', () => {
    // Bursty arrivals (MMPP 50/s ↔ 3,000/s) with preferred sizes and a delay: batches of every size occur.
    const max = 12;
    const r = run(batchingNode({ max, preferred: [4, 8], delay: 2e-3 }), { kind: 'mmpp', rates: [50, 3000], sojourn: [0.5, 0.5] }, 200);
    const [c] = r.world.batchCounts();
    expect(c.bySize.length).toBe(max + 1);
    let requests = 0;
    c.bySize.forEach((n, b) => (requests += n * b));
    // A batch above max would be missing from the counts (its index is beyond the array): the sums would differ.
    const computing = r.world.meters.busy(0) > 0 ? r.world.meters.jobs(0) - r.world.meters.waiting(0) : 0;
    expect(requests).toBe(r.world.meters.totals(0).served + computing);
    expect(c.bySize[max]).toBeGreaterThan(0);
    // Triton's rule: before the oldest request's delay runs out only preferred sizes leave; once it has,
    // whatever is queued up to the maximum — so under bursts every size from 1 to 12 occurs, the preferred most.
    const formed = [...c.bySize].flatMap((n, b) => (n > 0 ? [b] : []));
    expect(formed[formed.length - 1]).toBe(max);
    expect(c.bySize[4]).toBeGreaterThan(c.bySize[3] + c.bySize[5]); // the preferred size 4 is what the slow phase forms
  });

  it('a queue limit counts the requests waiting for a slot, not those inside the running batch', () => {
    // One slot, max 8, delay 1 ms, queue limit 8: 8 requests at t = 0 find 0…7 waiting and leave as one
    // batch (t(8) = 4.5 ms); 9 more at 0.1 … 0.9 ms find 0 … 8 waiting: the first 8 queue, the ninth is
    // dropped. (Counting jobs − slots, as for FCFS, the batch's 8 would drop 8 of the 9.)
    const times = Float64Array.from([...Array(8).fill(0), ...Array.from({ length: 9 }, (_, i) => (i + 1) * 1e-4)]);
    const r = run(batchingNode({ max: 8, delay: 1e-3 }, { queueLimit: 8 }), { kind: 'trace', times }, 1);
    expect(r.metrics.all.dropped['queue-full']).toBe(1);
    expect(r.metrics.all.completed).toBe(16);
  });

  it('(c2) Triton’s order (GetDynamicBatch): an expired delay sends everything up to the maximum; a queue beyond the maximum sends the largest preferred size', () => {
    // One slot, α = 0.5, w = 1 ms, preferred [4, 8], max 12, delay 2 ms. 4 requests at 0 → a batch of 4 at once
    // (t(4) = 2.5 ms); 6 at 0.1 ms wait; at 2.5 ms their oldest has waited 2.4 ms > 2 ms: all 6 leave together
    // (not 4 then 2, which would keep 2 of them waiting t(4) more past their delay).
    const expired = run(batchingNode({ max: 12, preferred: [4, 8], delay: 2e-3 }), { kind: 'trace', times: Float64Array.from([0, 0, 0, 0, ...Array(6).fill(1e-4)]) }, 1, true);
    expect([...expired.world.batchCounts()[0].bySize].flatMap((n, b) => (n > 0 ? [[b, n]] : []))).toEqual([
      [4, 1],
      [6, 1],
    ]);
    // 4 at 0, then 17 at 0.1 ms with a 50 ms delay: at 2.5 ms 17 wait, none expired: the largest preferred size ≤ 12, 8
    // (t(8) = 4.5 ms, to 7 ms), then 8 again (to 11.5 ms), and the last 1 when its delay runs out at 50.1 ms.
    const long = run(batchingNode({ max: 12, preferred: [4, 8], delay: 0.05 }), { kind: 'trace', times: Float64Array.from([0, 0, 0, 0, ...Array(17).fill(1e-4)]) }, 1, true);
    expect([...long.world.batchCounts()[0].bySize].flatMap((n, b) => (n > 0 ? [[b, n]] : []))).toEqual([
      [1, 1],
      [4, 1],
      [8, 2],
    ]);
  });

  it('(d) preferred sizes are honoured: the largest preferred size the queue can form is sent at once, the rest after the delay', () => {
    // Hand-worked, one slot, α = 0.5, w = 1 ms, max 32, preferred [8, 16], delay 50 ms:
    // 8 requests at t = 0 → a batch of 8 the moment the 8th arrives (t(8) = 4.5 ms);
    // 20 more at t = 1 ms wait for the slot; at 4.5 ms the queue holds 20 → the largest preferred ≤ 20: 16
    // (t(16) = 8.5 ms, ends 13 ms); the 4 left are below every preferred size: sent when the oldest has
    // waited 50 ms, at 51 ms (t(4) = 2.5 ms, ends 53.5 ms).
    const times = Float64Array.from([...Array(8).fill(0), ...Array(20).fill(1e-3)]);
    const r = run(batchingNode({ max: 32, preferred: [8, 16], delay: 0.05 }), { kind: 'trace', times }, 1, true);
    const [c] = r.world.batchCounts();
    expect([...c.bySize].flatMap((n, b) => (n > 0 ? [[b, n]] : []))).toEqual([
      [4, 1],
      [8, 1],
      [16, 1],
    ]);
    const ends = r.metrics.trace!.map((row) => row[column.end] as number);
    const count = (t: number) => ends.filter((e) => Math.abs(e - t) < 1e-12).length;
    expect([count(cost(8, 0.5)), count(cost(8, 0.5) + cost(16, 0.5)), count(0.051 + cost(4, 0.5))]).toEqual([8, 16, 4]);
    // Every request of a batch completes at its end; its compute is the batch's t(b), its wait the time to the batch's start.
    const row16 = r.metrics.trace!.find((row) => Math.abs((row[column.end] as number) - 0.013) < 1e-12)!;
    expect(row16[column.compute]).toBeCloseTo(cost(16, 0.5), 12);
    expect(row16[column.nodeWait]).toBeCloseTo(4.5e-3 - 1e-3, 12);
  });

  it('a batch that cannot grow is not held: a bound below every preferred size sends it at once (helper-86: an adaptive bound under the preferred size made every batch wait the whole delay)', () => {
    // Bound 4 (a sizer holding it there), max 8, preferred [8], delay 50 ms: 4 requests at t = 0 can never
    // make the preferred 8, so they go at once (t(4) = 2.5 ms at α = 0.5), not after the 50 ms delay.
    const capped = { name: 'capped', adapts: false, initial: () => 4, next: () => 4 };
    const times = Float64Array.from(Array(4).fill(0));
    const r = run(batchingNode({ sizer: capped, max: 8, preferred: [8], delay: 0.05 }), { kind: 'trace', times }, 1, true);
    const ends = r.metrics.trace!.map((row) => row[column.end] as number);
    expect(ends).toEqual(Array(4).fill(cost(4, 0.5)));
  });

  it('keeps the meters exact: busy slot time is Σ t(b) over the batches, and the requests share each batch’s dynamic energy', () => {
    const alpha = 0.5;
    // Poisson at 1,500/s for 19 s (times from a fixed-seed LCG), the run 20 s: every batch has ended by then.
    const times: number[] = [];
    let seed = 12345;
    for (let t = 0; ; ) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      t += -Math.log((seed + 1) / 2147483649) / 1500;
      if (t > 19) break;
      times.push(t);
    }
    const r = run(batchingNode({ max: 16, preferred: [4, 8], delay: 3e-3, fixedShare: alpha }), { kind: 'trace', times: Float64Array.from(times) }, 20, true);
    const [c] = r.world.batchCounts();
    let busy = 0;
    c.bySize.forEach((n, b) => (busy += n * cost(b, alpha)));
    const m = r.world.meters;
    expect(m.busy(0)).toBe(0);
    expect(m.totals(0).busyArea).toBeCloseTo(busy, 9);
    // Dynamic energy: (busy − idle) / slots × busy slot-seconds = 2 W × Σ t(b); the requests' shares add up to it.
    const rows = r.metrics.trace!.filter((row) => row[column.outcome] === 'completed');
    const shared = rows.reduce((s, row) => s + (row[column.energy] as number), 0);
    expect(rows.length).toBe(m.totals(0).served);
    expect(shared).toBeCloseTo(2 * busy, 9);
  });

  it('(e) adaptive AIMD settles on the largest batch meeting the objective (hand-worked saw-tooth 18, 19, 20)', () => {
    // w = 10 ms, α = 0.5: t(b) = 5 ms + 5 ms·b. Objective 102 ms: t(19) = 100 ms meets it, t(20) = 105 ms does not,
    // so b* = 19. Under an ample queue every batch is full: the bound climbs 1, 2, …, 20; 20 misses → ⌊0.9·20⌋ = 18;
    // then 18 → 19 → 20 → 18 … (Clipper's +1 / ×0.9).
    const w = 0.01;
    const sizer = adaptiveBatching({ start: 1, increase: 1, decrease: 0.9 });
    const n = batchingNode({ sizer, max: 32, fixedShare: 0.5, objectives: [0.102, Infinity] }, { throughput: { fp32: 1e11 } });
    const r = run(n, { kind: 'periodic', period: 1e-3, offset: 0 }, 30);
    const [c] = r.world.batchCounts();
    for (let b = 1; b <= 17; b++) expect(c.bySize[b]).toBe(1);
    for (let b = 21; b <= 32; b++) expect(c.bySize[b]).toBe(0);
    const [n18, n19, n20] = [c.bySize[18], c.bySize[19], c.bySize[20]];
    expect(n19).toBeGreaterThan(50);
    // The ramp passes 18, 19, 20 once, then each cycle forms 18, 19, 20 in turn: counts equal to within the cycle cut by the end.
    expect(n18).toBeGreaterThanOrEqual(n19);
    expect(n19).toBeGreaterThanOrEqual(n20);
    expect(n20).toBeGreaterThanOrEqual(n18 - 1);
    // The saw-tooth's top is b* + 1 = 20, the only size missing the objective; its mean over a cycle is b* = 19.
    expect(Math.max(...[...c.bySize].flatMap((x, b) => (x > 0 ? [b] : [])))).toBe(20);
    expect(cost(19, 0.5, w)).toBeLessThanOrEqual(0.102);
    expect(cost(20, 0.5, w)).toBeGreaterThan(0.102);
  });

  it('(g) M/D/1 at ρ = 0.8: `none` is the fcfs scheduler figure for figure on the same seed', () => {
    const arrivals: ArrivalSpec = { kind: 'poisson', rate: 0.8 };
    const fcfs = simulate(spec({ nodes: [node('d')], workloads: [workload(0, arrivals)], targets: Int32Array.of(0), duration: 20_000 }), { trace: true });
    const none = run(node('d', { scheduler: 'batching', batching: { sizer: noBatching(), max: 1, preferred: [], delay: 0, fixedShare: 0.834, objectives: [Infinity, Infinity] } }), arrivals, 20_000, true);
    expect(none.metrics.trace!.length).toBeGreaterThan(15_000);
    expect(none.metrics.trace).toEqual(fcfs.metrics.trace);
    expect(none.world.meters.totals).toEqual(fcfs.world.meters.totals);
    expect(none.metrics.all.nodeWait.mean).toBe(fcfs.metrics.all.nodeWait.mean);
    // Pollaczek–Khinchine: mean wait ρ / (2μ(1 − ρ)) = 2 s for 1 s jobs; within 10 % on 16,000 requests.
    expect(none.metrics.all.nodeWait.mean).toBeGreaterThan(1.8);
    expect(none.metrics.all.nodeWait.mean).toBeLessThan(2.2);
  });

  it('a batching node that fails loses its queued and computing requests, and conservation holds', () => {
    const r = run(batchingNode({ max: 8, delay: 2e-3 }, { failures: { mtbf: 5, mttr: 1 } }), { kind: 'poisson', rate: 3000 }, 60);
    expect(r.metrics.all.dropped['node-down']).toBeGreaterThan(0);
    expect(r.world.generatedCount).toBe(r.world.completedCount + r.world.droppedCount + r.world.inFlight);
    expect(r.world.inFlightByEvents()).toBe(r.world.inFlight);
  });
});
