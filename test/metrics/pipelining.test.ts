import { describe, expect, it } from 'vitest';
import { PIPELINING_SOURCE, pipeliningRows, type PipeliningInput } from '../../src/metrics/pipelining.ts';
import type { LinkSpec } from '../../src/world/link.ts';
import { DnnModel } from '../../src/world/model.ts';
import type { NodeSpec } from '../../src/world/node.ts';

/**
 * A hand-made 3-layer chain: 4, 2 and 2 GFLOP; outputs 1 MB, 0.5 MB and 1 kB; a 1 MB input.
 * Split after layer k, the live tensor is layer k's output (the input at k = 0).
 */
const model = new DnnModel({
  name: 'three',
  inputBytes: 1e6,
  layers: [
    { name: 'l1', type: 'conv', flops: 4e9, params: 0, outputBytes: 1e6 },
    { name: 'l2', type: 'conv', flops: 2e9, params: 0, outputBytes: 5e5 },
    { name: 'l3', type: 'dense', flops: 2e9, params: 0, outputBytes: 1e3 },
  ],
});
const FLOPS = [4e9, 2e9, 2e9];
const LIVE = [1e6, 1e6, 5e5, 1e3];

const node = (name: string, kind: NodeSpec['kind'], fp32: number): NodeSpec => ({ name, kind, throughput: { fp32 }, slots: 1, memory: 4e9, power: { idle: 1, busy: 2 }, trust: 1 });
/** Devices A (4 GFLOP/s), B and C (2 GFLOP/s) behind a hub (not an issuing device): every pair meets over two 100 Mbit/s hops. */
const nodes = [node('A', 'device', 4e9), node('hub', 'edge', 1e9), node('B', 'device', 2e9), node('C', 'device', 2e9)];
const link = (a: number, b: number, delay: number): LinkSpec => ({ a, b, bandwidth: 1e8, delay, txEnergyPerBit: 0, rxEnergyPerBit: 0 });
const links = [link(0, 1, 0.002), link(2, 1, 0.003), link(3, 1, 0.004)];
const workload = (name: string, device: number) => ({ name, device, model, precision: 'fp32' as const, variant: 'fp32', variantFlops: model.flops, inputBytes: 1e6 });

function input(parallel: boolean[]): PipeliningInput {
  return { scenario: 'fixture', nodes, parallel, links, workloads: [workload('wa', 0), workload('wb', 2), workload('wc', 3)] };
}

/**
 * Brute force from the definitions: every prefix of the usable chain and every way to cut the 3
 * layers into contiguous runs on it (empty runs relay). Device stage occupancy = latency =
 * FLOPs / throughput (one slot); a hop between consecutive devices is the two 100 Mbit/s links of
 * the route via the hub: 50 Mbit/s with the two delays summed; its occupancy 8·bytes / 5e7, its
 * latency that + delay. The least bottleneck, then the least latency.
 */
function bruteForce(throughput: readonly number[], delays: readonly number[]): { bottleneck: number; latency: number; cuts: number[] } {
  let best = { bottleneck: Infinity, latency: Infinity, cuts: [] as number[] };
  const walk = (j: number, a: number, bottleneck: number, latency: number, cuts: number[]): void => {
    for (let b = a; b <= 3; b++) {
      const t = FLOPS.slice(a, b).reduce((s, f) => s + f, 0) / throughput[j];
      const bn = Math.max(bottleneck, t);
      if (b === 3) {
        const better = bn < best.bottleneck * (1 - 1e-12) || (bn <= best.bottleneck * (1 + 1e-12) && latency + t < best.latency);
        if (better) best = { bottleneck: bn, latency: latency + t, cuts: [...cuts, b] };
      }
      if (j + 1 < throughput.length) {
        const busy = (8 * LIVE[b]) / 5e7;
        walk(j + 1, b, Math.max(bn, busy), latency + t + delays[j] + busy, [...cuts, b]);
      }
    }
  };
  walk(0, 0, 0, 0, []);
  return best;
}

describe('pipelining.csv rows', () => {
  it('the pipeline over A, B, C equals the brute force over all contiguous stage assignments (and the hand count)', () => {
    const rows = pipeliningRows(input([true, true, true, true]));
    const wa = rows.find((r) => r.workload === 'wa' && r.plan === 'pipeline')!;
    expect(wa).toMatchObject({ chain: 'A, B, C', parallel: 'A: yes; B: yes; C: yes', single_device: 'A', note: '', source: PIPELINING_SOURCE });
    // A → B via the hub: delays 2 + 3 ms; B → C: 3 + 4 ms.
    const brute = bruteForce([4e9, 2e9, 2e9], [0.005, 0.007]);
    expect(wa.bottleneck_s).toBeCloseTo(brute.bottleneck, 12);
    expect(wa.latency_s).toBeCloseTo(brute.latency, 12);
    // By hand: one layer each, 1 s per stage; transfers 8 Mbit and 4 Mbit at 50 Mbit/s = 0.16 s and 0.08 s.
    // Latency 3 × 1 + 0.005 + 0.16 + 0.007 + 0.08 = 3.252 s; bottleneck 1 s; A alone 2 s: speed-up 2.
    expect(brute.cuts).toEqual([1, 2, 3]);
    expect(wa).toMatchObject({ stages: 'A: layer 1; B: 2; C: 3', devices_used: 3 });
    expect(wa.latency_s).toBeCloseTo(3.252, 12);
    expect(wa.bottleneck_s).toBeCloseTo(1, 12);
    expect(wa.throughput_per_s).toBeCloseTo(1, 12);
    expect([wa.single_device_latency_s, wa.single_device_throughput_per_s, wa.throughput_speedup]).toEqual([2, 0.5, expect.closeTo(2, 12)]);
    // Then each device alone: the whole model, 8 GFLOP / its throughput.
    expect(rows.filter((r) => r.workload === 'wa' && r.plan === 'device alone').map((r) => [r.chain, r.stages, r.latency_s, r.throughput_speedup])).toEqual([
      ['A', 'A: layers 1–3 (whole model)', 2, 1],
      ['B', 'B: layers 1–3 (whole model)', 4, 0.5],
      ['C', 'C: layers 1–3 (whole model)', 4, 0.5],
    ]);
    // B's workload: its chain starts on B (it holds the input), then A and C in node order.
    const wb = rows.find((r) => r.workload === 'wb' && r.plan === 'pipeline')!;
    const bb = bruteForce([2e9, 4e9, 2e9], [0.005, 0.006]);
    expect(wb.chain).toBe('B, A, C');
    expect(wb.bottleneck_s).toBeCloseTo(bb.bottleneck, 12);
    expect(wb.latency_s).toBeCloseTo(bb.latency, 12);
    expect(wb.devices_used).toBe(bb.cuts.length);
  });

  it('a device with parallel: false runs the whole model when first, and ends the chain when later', () => {
    const rows = pipeliningRows(input([true, true, false, true]));
    const wa = rows.find((r) => r.workload === 'wa' && r.plan === 'pipeline')!;
    // The chain A, B (no), C: only A may take a stage — the whole model, 2 s.
    expect(wa).toMatchObject({ parallel: 'A: yes; B: no; C: yes', stages: 'A: layers 1–3 (whole model)', devices_used: 1, latency_s: 2, throughput_speedup: 1 });
    expect(wa.note).toContain('B has parallel: false: the chain ends before it');
    const wb = rows.find((r) => r.workload === 'wb' && r.plan === 'pipeline')!;
    expect(wb).toMatchObject({ chain: 'B, A, C', stages: 'B: layers 1–3 (whole model)', devices_used: 1, latency_s: 4, single_device: 'A', throughput_speedup: 0.5 });
    expect(wb.note).toBe('B has parallel: false: it runs the whole model (no pipeline)');
    expect(rows.find((r) => r.workload === 'wb' && r.plan === 'device alone' && r.chain === 'B')).toMatchObject({ parallel: 'no', note: 'B has parallel: false: it runs the whole model' });
  });

  it('an unreachable device ends the chain before it', () => {
    const rows = pipeliningRows({ ...input([true, true, true, true]), links: [link(0, 1, 0.002), link(2, 1, 0.003)] });
    const wa = rows.find((r) => r.workload === 'wa' && r.plan === 'pipeline')!;
    const brute = bruteForce([4e9, 2e9], [0.005]);
    expect(wa.bottleneck_s).toBeCloseTo(brute.bottleneck, 12);
    expect(wa.note).toBe('C is unreachable from B: the chain ends before it');
  });
});
