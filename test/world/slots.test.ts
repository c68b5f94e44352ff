import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/metrics/simulate.ts';
import { node, spec, workload } from './fixtures.ts';

/*
 * Schedulers and energy on a node of two slots (2 GFLOP/s in all, 1 GFLOP/s a slot: a fixture job
 * of 1 GFLOP is one slot-second), three jobs born at t = 0 on the device itself. With one slot,
 * `/ slots` in the busy power and `waiting = jobs − slots` cannot be told from their mistakes
 * (a mutation review found both surviving every other test); these figures are worked by hand.
 */
const three = workload(0, { kind: 'trace', times: Float64Array.of(0, 0, 0) });
const END = 5; // TraceRow's `end`

describe('a node of two slots', () => {
  it('FCFS: two jobs run 0–1 s, the third waits 1 s and runs 1–2 s; ∫ busy slots dt = 3, ∫ waiting dt = 1; energy over 10 s = 1 W · 10 s + (3 − 1) W / 2 slots · 3 slot-s = 13 J', () => {
    const r = simulate(spec({ nodes: [node('d', { slots: 2, throughput: { fp32: 2e9 } })], workloads: [three], targets: Int32Array.of(0), duration: 10 }), { trace: true });
    expect(r.metrics.trace!.map((t) => t[END])).toEqual([1, 1, 2]);
    const totals = r.world.meters.totals(0);
    expect([totals.busyArea, totals.queueArea]).toEqual([3, 1]);
    expect(r.world.meters.energy(0)).toBeCloseTo(13, 12);
  });

  it('processor sharing: three jobs share two slots, each at min(1, 2/3) of a slot, so each ends at 1.5 s; ∫ busy slots dt = 2 · 1.5 = 3, none waiting', () => {
    const r = simulate(spec({ nodes: [node('d', { scheduler: 'processor-sharing', slots: 2, throughput: { fp32: 2e9 } })], workloads: [three], targets: Int32Array.of(0), duration: 10 }), { trace: true });
    expect(r.metrics.trace!.map((t) => t[END])).toEqual([1.5, 1.5, 1.5]);
    expect(r.world.meters.totals(0).busyArea).toBeCloseTo(3, 12);
    expect(r.world.meters.totals(0).queueArea).toBe(0);
  });

  it('partitioned, shares 0.5 / 0.5: one tenant\'s job runs at 0.5 × 2 slots = one slot\'s speed, so 1 slot-second ends at 1 s', () => {
    const one = workload(0, { kind: 'trace', times: Float64Array.of(0) });
    const r = simulate(spec({ nodes: [node('d', { scheduler: 'partitioned', shares: [0.5, 0.5], slots: 2, throughput: { fp32: 2e9 } })], workloads: [one], targets: Int32Array.of(0), duration: 10 }), { trace: true });
    expect(r.metrics.trace![0][END]).toBe(1);
  });
});
