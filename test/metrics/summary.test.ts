import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/metrics/simulate.ts';
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
