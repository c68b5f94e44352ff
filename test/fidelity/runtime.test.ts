import { describe, expect, it } from 'vitest';
import { confidenceInterval } from '../../src/metrics/confidence.ts';
import { allRequests, estimate, replicate, validationScenario, workloadRow } from './replicate.ts';

/**
 * Fidelity of the run-time decision points: placement decided per request, and the
 * processor-sharing and partitioned node schedulers, against closed forms. Each mean over 20
 * replications must hold the closed form inside its 95% confidence interval and lie within
 * 3% of it (the half-widths here are 1–2.5%).
 */
function expectMatches(e: { mean: number; low: number; high: number }, theory: number): void {
  expect(theory).toBeGreaterThanOrEqual(e.low);
  expect(theory).toBeLessThanOrEqual(e.high);
  expect(Math.abs(e.mean - theory) / theory).toBeLessThan(0.03);
}

/** Mean time at the node (waiting + computing) of a requests.csv row. */
const sojourn = (r: Record<string, string | number>): number => Number(r.node_wait_mean_s) + Number(r.compute_mean_s);

describe('run-time placement', () => {
  it('a Poisson stream split at random over two identical exponential servers gives two M/M/1 queues at λ/2', () => {
    const runs = replicate(validationScenario('random-split'), 20);
    // λ = 1.2, μ = 1: each server at λ/2 = 0.6 has mean sojourn 1/(1 − 0.6) = 2.5 s and Lq = 0.6²/0.4 = 0.9.
    expectMatches(estimate(runs, (t) => sojourn(allRequests(t))), 2.5);
    for (const k of [1, 2]) {
      expectMatches(estimate(runs, (t) => Number(t.nodes[k].utilization_ratio)), 0.6);
      expectMatches(estimate(runs, (t) => Number(t.nodes[k].queue_length_mean)), 0.9);
    }
  });

  it('join-shortest-queue beats random on the same seeds (paired differences)', () => {
    const random = replicate(validationScenario('random-split'), 10);
    const jsq = replicate(validationScenario('random-split'), 10, ['policies.placement={"join-shortest-queue":{"tier":"edge"}}']);
    // Common random numbers: the same arrivals and compute times, so the counts are identical.
    random.forEach((t, i) => expect(allRequests(jsq[i]).generated).toBe(allRequests(t).generated));
    const diff = confidenceInterval(random.map((t, i) => sojourn(allRequests(jsq[i])) - sojourn(allRequests(t))));
    // The whole 95% interval of the paired difference lies below zero: JSQ is better on these seeds.
    expect(diff.high).toBeLessThan(0);
  });
});

describe('node schedulers', () => {
  it('M/G/1 processor sharing: E[T | x] = x / (1 − ρ) for two job sizes mixed in one node', () => {
    const runs = replicate(validationScenario('ps-two-sizes'), 20);
    // ρ = 0.6 × 0.5 + 0.2 × 2 = 0.7 (scenarios/validation/ps-two-sizes.yaml).
    expectMatches(estimate(runs, (t) => Number(workloadRow(t, 'small').latency_mean_s)), 0.5 / 0.3);
    expectMatches(estimate(runs, (t) => Number(workloadRow(t, 'large').latency_mean_s)), 2 / 0.3);
    expectMatches(estimate(runs, (t) => Number(t.nodes[0].utilization_ratio)), 0.7);
  });

  it('a tenant of share s on a partitioned node behaves as M/M/1 with rate s·μ', () => {
    const runs = replicate(validationScenario('partitioned'), 20);
    // s = 0.5, μ = 1/s: tenant a at λ = 0.25 → 1/(0.5 − 0.25) = 4 s; tenant b at λ = 0.3 → 1/(0.5 − 0.3) = 5 s.
    expectMatches(estimate(runs, (t) => Number(workloadRow(t, 'a').latency_mean_s)), 4);
    expectMatches(estimate(runs, (t) => Number(workloadRow(t, 'b').latency_mean_s)), 5);
    // Utilization = Σ_t ρ_t s_t = 0.5 × 0.5 + 0.6 × 0.5.
    expectMatches(estimate(runs, (t) => Number(t.nodes[0].utilization_ratio)), 0.55);
  });
});
