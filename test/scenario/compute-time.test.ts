import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Distribution, erlang, exponential, gamma, lognormalMeanCv, paretoUnitMean, truncatedNormalMeanSd, uniformUnitMean } from '../../src/core/distributions.ts';
import { RandomStreams } from '../../src/core/random.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import type { WorldSpec } from '../../src/world/world.ts';

// How a scenario's computeTime becomes the workload's serviceVariability (a mean-1 multiplier
// of FLOPs / throughput), and how normal inter-arrival times are fitted. The laws' moments are
// tested in test/core/distributions.test.ts; here: the wiring, and that the four original laws
// draw exactly what they always drew (existing runs stay byte-identical).

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GOOD = 'test/fixtures/good/minimal.yaml';
process.chdir(ROOT);

function build(...overrides: string[]): WorldSpec {
  return buildWorldSpec(loadScenario(GOOD, overrides), loadCatalog());
}

function variabilityOf(computeTime: string): Distribution | undefined {
  const spec = build(`workloads[0].computeTime=${computeTime}`);
  // One multiplier per scenario workload, shared by its devices (cam-1, cam-2).
  expect(spec.workloads).toHaveLength(2);
  expect(spec.workloads[1].serviceVariability).toBe(spec.workloads[0].serviceVariability);
  return spec.workloads[0].serviceVariability;
}

/** The first n draws of d from a fixed stream. */
function draws(d: Distribution, n = 1000): number[] {
  const rng = new RandomStreams(11).stream('service', 0);
  return Array.from({ length: n }, () => d.sample(rng));
}

describe('computeTime → serviceVariability', () => {
  it('deterministic (the default) is no multiplier', () => {
    expect(build().workloads[0].serviceVariability).toBeUndefined();
    expect(variabilityOf('deterministic')).toBeUndefined();
  });

  it.each<[string, Distribution]>([
    ['exponential', exponential(1)],
    ['{gamma: {cv: 0.5}}', gamma(4, 0.25)],
    ['{gamma: {cv: 2}}', gamma(0.25, 4)],
    ['{lognormal: {cv: 0.7}}', lognormalMeanCv(1, 0.7)],
  ])('%s draws exactly what it always drew', (c, reference) => {
    expect(draws(variabilityOf(c)!)).toEqual(draws(reference));
  });

  it.each<[string, Distribution]>([
    ['{uniform: {cv: 0.3}}', uniformUnitMean(0.3)],
    ['{normal: {cv: 0.4}}', truncatedNormalMeanSd(1, 0.4)],
    ['{erlang: {k: 4}}', erlang(4, 1)],
    ['{pareto: {shape: 2.5}}', paretoUnitMean(2.5)],
  ])('%s is the mean-1 law', (c, reference) => {
    const d = variabilityOf(c)!;
    expect(d.mean).toBeCloseTo(1, 14);
    expect(draws(d)).toEqual(draws(reference));
  });

  it('uniform stays on [1 − √3·cv, 1 + √3·cv]; at cv = 1/√3 that is [0, 2]', () => {
    const w = Math.sqrt(3) * 0.3;
    for (const x of draws(variabilityOf('{uniform: {cv: 0.3}}')!)) expect(x >= 1 - w && x <= 1 + w).toBe(true);
    expect(variabilityOf(`{uniform: {cv: ${1 / Math.sqrt(3)}}}`)).toBeDefined();
  });

  it('empirical: the column divided by its mean (0.6, 0.9, 1.2, 3.3 → mean 1.5)', () => {
    const d = variabilityOf('{empirical: {file: compute-times.csv, column: gflop}}')!;
    expect(d.mean).toBeCloseTo(1, 14);
    const seen = new Set(draws(d));
    expect([...seen].sort((a, b) => a - b)).toEqual([0.6 / 1.5, 0.9 / 1.5, 1.2 / 1.5, 3.3 / 1.5]);
  });
});

describe('normal inter-arrival times: the declared mean and sd are the ones produced', () => {
  // Before the fit: a normal resampled until ≥ 0 with the untruncated mean kept: mean 1.028 s
  // (0.973 arrivals/s) for sd 0.5 s, and 1.288 s (0.78/s) for sd 1 s (now refused: sd ≥ mean).
  it('mean 1 s, sd 0.5 s: sample mean and sd within 5 standard errors over 200,000 draws', () => {
    const spec = build('workloads[0].arrivals={interarrival: {normal: {mean: 1 s, sd: 0.5 s}}}');
    const a = spec.workloads[0].arrivals;
    expect(a.kind).toBe('renewal');
    if (a.kind !== 'renewal') return;
    expect(a.interarrival.mean).toBe(1);
    const n = 200_000;
    const rng = new RandomStreams(5).stream('arrivals', 0);
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = a.interarrival.sample(rng);
      s += x;
      s2 += x * x;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    expect(Math.abs(mean - 1)).toBeLessThan(5 * Math.sqrt(0.25 / n));
    // Var of the sample variance ≈ (μ₄ − σ⁴)/n; μ₄ of this truncated normal is 0.1727 (by quadrature), under the normal's 3σ⁴ = 0.1875: use 3σ⁴.
    expect(Math.abs(variance - 0.25)).toBeLessThan(5 * Math.sqrt((3 * 0.0625 - 0.0625) / n));
  });
});
