import { describe, expect, it } from 'vitest';
import { PROGRESS_STEPS, simulate } from '../../src/metrics/simulate.ts';
import { summarize } from '../../src/metrics/summary.ts';
import { node, spec, workload } from '../world/fixtures.ts';

describe('requests.csv does not reward dropping', () => {
  it('deadline met and energy are reported over generated requests beside the completed-only figures', () => {
    // Three 1 s jobs at t = 0 on one slot with no queue (queueLimit 0): one runs, two are dropped.
    // Deadline 2 s: the one that ran met it. Its energy is (3 W − 1 W) × 1 s = 2 J; the drops spent nothing.
    const s = spec({
      nodes: [node('d', { queueLimit: 0 })],
      workloads: [workload(0, { kind: 'trace', times: new Float64Array(3) }, { deadline: 2 })],
      targets: Int32Array.of(0),
      duration: 10,
    });
    const row = summarize(simulate(s), { scenario: 't', seed: 1 }).requests[0];
    expect(row.generated).toBe(3);
    expect(row.dropped_queue_full).toBe(2);
    expect(row.deadline_met_of_completed).toBe(1);
    expect(row.deadline_met_of_generated).toBeCloseTo(1 / 3, 15);
    expect(row.energy_per_completed_mean_J).toBeCloseTo(2, 12);
    expect(row.energy_per_generated_J).toBeCloseTo(2 / 3, 12);
  });
});

describe('nodes.csv energy', () => {
  it("an idle node's compute energy is exactly 0 J, and a busy node's is its dynamic power × busy time", () => {
    // Device d sends a 1 s job every 3 s (t = 0.1, 3.1, …, 87.1: 30 jobs, each done by t + 1.011)
    // over a link to e, paying radio energy; d itself never computes.
    const s = spec({
      nodes: [node('d', { power: { idle: 1.1, busy: 3.3 } }), node('e', { throughput: { fp32: 1e9 }, power: { idle: 0.7, busy: 2.9 } })],
      links: [{ a: 0, b: 1, bandwidth: 1e6, delay: 0.003, txEnergyPerBit: 1e-7, rxEnergyPerBit: 3e-8 }],
      workloads: [workload(0, { kind: 'periodic', period: 3, offset: 0.1 })],
      targets: Int32Array.of(1),
      duration: 90,
    });
    const [d, e] = summarize(simulate(s), { scenario: 't', seed: 1 }).nodes;
    expect(d.served).toBe(0);
    expect(Object.is(d.energy_compute_J, 0)).toBe(true);
    expect(d.utilization_ratio).toBe(0);
    expect(Number(d.energy_radio_tx_J)).toBeGreaterThan(0);
    // 30 jobs of 1 s each at e: (2.9 − 0.7) W × 30 s.
    expect(e.served).toBe(30);
    expect(e.energy_compute_J).toBeCloseTo(2.2 * 30, 9);
    expect(e.utilization_ratio).toBeCloseTo(30 / 90, 12);
  });
});

describe('progress while simulating', () => {
  it('is told the simulated time 999 times, rising to the end, and changes no figure, not even the event count', () => {
    const s = () => spec({ nodes: [node('d')], workloads: [workload(0, { kind: 'poisson', rate: 0.5 })], targets: Int32Array.of(0), duration: 500 });
    const times: number[] = [];
    const shown = summarize(simulate(s(), { progress: (now) => times.push(now) }), { scenario: 't', seed: 1 });
    const bare = summarize(simulate(s()), { scenario: 't', seed: 1 });
    expect(shown).toEqual(bare);
    expect(times).toHaveLength(PROGRESS_STEPS - 1);
    expect(times[0]).toBe(0.5);
    expect(times[times.length - 1]).toBeCloseTo(499.5, 9);
    expect(times.every((t, i) => i === 0 || t > times[i - 1])).toBe(true);
  });
});
