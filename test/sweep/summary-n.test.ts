import { describe, expect, it } from 'vitest';
import { summaryRows } from '../../src/sweep/summary.ts';
import type { Sweep } from '../../src/sweep/schema.ts';
import type { RunRecord } from '../../src/sweep/store.ts';

describe("summary.csv's NAME_n", () => {
  it('counts the replications that have the figure: a run where nothing completed has no latency, and the estimate is of the others', () => {
    const record = (id: string, latency: number): RunRecord => ({ id, seed: 1, scenario: 's', overrides: [], figures: { latency_mean_s: latency, throughput_per_s: 1 }, warnings: [], events: 0, simulationSeconds: 0, code: 'c' });
    const finished = new Map([['a', record('a', 2)], ['b', record('b', NaN)], ['c', record('c', 4)]]);
    const sweep = { parameters: [], points: [[]], metrics: ['latency_mean_s', 'throughput_per_s'] } as unknown as Sweep;
    const [row] = summaryRows(sweep, [{ point: 0, policy: 'p', runs: ['a', 'b', 'c'].map((id) => ({ id, seed: 1, overrides: [] })) }], finished);
    expect(row.replications).toBe(3);
    expect(row.latency_mean_s_n).toBe(2);
    expect(row.latency_mean_s_mean).toBe(3); // (2 + 4) / 2: seed b has none
    expect(row.throughput_per_s_n).toBe(3);
  });
});
