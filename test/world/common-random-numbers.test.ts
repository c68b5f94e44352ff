import { describe, expect, it } from 'vitest';
import { exponential } from '../../src/core/distributions.ts';
import { simulate } from '../../src/metrics/simulate.ts';
import { node, spec, workload } from './fixtures.ts';

/**
 * Common random numbers: two arms on one seed see the same arrivals and give each request the
 * same compute-time factor, even when one arm drops requests the other serves (the factor is
 * drawn at birth, not when a compute starts, so a drop does not shift the draws of later requests).
 */
describe('common random numbers across arms', () => {
  const arm = (queueLimit: number) =>
    simulate(
      spec({
        nodes: [node('d', { queueLimit })],
        // ρ = 0.8 with exponential compute times (mean 1 s): an M/M/1 queue.
        workloads: [workload(0, { kind: 'poisson', rate: 0.8 }, { serviceVariability: exponential(1) })],
        targets: Int32Array.of(0),
        duration: 2_000,
      }),
      { trace: true },
    );
  const unbounded = arm(Infinity);
  const bounded = arm(1); // at most one request waiting: the rest are dropped as queue-full

  it('a request served in both arms has the same compute time in both', () => {
    const computeByBirth = (rows: NonNullable<typeof unbounded.metrics.trace>) =>
      new Map(rows.filter((row) => row[6] === 'completed').map((row) => [row[4], row[11]]));
    const a = computeByBirth(unbounded.metrics.trace!);
    const b = computeByBirth(bounded.metrics.trace!);
    expect(bounded.metrics.all.dropped['queue-full']).toBeGreaterThan(50); // M/M/1/2 at ρ = 0.8 loses ρ²/(1 + ρ + ρ²) = 26% of ≈ 1,600
    let shared = 0;
    for (const [born, compute] of b) {
      if (!a.has(born)) continue;
      shared++;
      expect(compute).toBe(a.get(born));
    }
    expect(shared).toBe(b.size); // every request the bounded arm served, the unbounded one served too
  });
});
