import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deterministic } from '../../src/core/distributions.ts';
import { RandomStreams } from '../../src/core/random.ts';
import { confidenceInterval, type Estimate } from '../../src/metrics/confidence.ts';
import { simulate } from '../../src/metrics/simulate.ts';
import { summarize } from '../../src/metrics/summary.ts';
import { RandomWaypoint } from '../../src/policies/mobility/random-waypoint.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'edelear-mobility-'));
const catalog = loadCatalog();

/** Writes a scenario to a temporary file and returns its path. */
function scenarioFile(name: string, text: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

function expectHolds(e: Estimate, theory: number, relative: number): void {
  expect(theory).toBeGreaterThanOrEqual(e.low);
  expect(theory).toBeLessThanOrEqual(e.high);
  expect(Math.abs(e.mean - theory) / theory).toBeLessThan(relative);
}

/** The stationary law of a transition matrix (rows sum to 1), by power iteration to 1e-14. */
function stationary(P: number[][]): number[] {
  const n = P.length;
  let pi = new Array<number>(n).fill(1 / n);
  for (let it = 0; it < 100_000; it++) {
    const next = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) next[j] += pi[i] * P[i][j];
    const change = next.reduce((m, x, j) => Math.max(m, Math.abs(x - pi[j])), 0);
    pi = next;
    if (change < 1e-14) break;
  }
  return pi;
}

/** Nodes and links of `devices` devices behind `places` access points, all joined to one edge. */
function world(devices: number, places: number, edge = '{ fp32: 1000 GFLOP/s }, slots: 1000'): string {
  return `
nodes:
  - { name: dev, kind: device, count: ${devices}, compute: { fp32: 1 GFLOP/s }, memory: 1 GB, power: { idle: 0 W, busy: 0 W } }
  - { name: ap, kind: gateway, count: ${places}, compute: { fp32: 1 GFLOP/s }, memory: 1 GB, power: { idle: 0 W, busy: 0 W } }
  - { name: edge, kind: edge, compute: ${edge}, memory: 10000 GB, power: { idle: 0 W, busy: 0 W } }
links:
  - { between: [dev-*, ap-*], pairing: round-robin, bandwidth: 1 Tbit/s, delay: 0 s }
  - { between: [ap-*, edge], bandwidth: 1 Tbit/s, delay: 0 s }
`;
}

/** Each place's share of device-time over [warmup, end] on `seeds` replications of a scenario. */
function placeShares(file: string, seeds: number): number[][] {
  const loaded = loadScenario(file);
  return Array.from({ length: seeds }, (_, s) => {
    const { world } = simulate(buildWorldSpec(loaded, catalog, s + 1));
    const t = Array.from(world.mobility!.placeSeconds);
    const total = t.reduce((a, b) => a + b, 0);
    return t.map((x) => x / total);
  });
}

describe('nomadic mobility against its semi-Markov closed form', () => {
  it("EdgeCloudSim app1's 14 places (uniform over the others): time shares π_i·d_i / Σ π_j·d_j with π uniform — 15.8 / 9.5 / 3.8 %", () => {
    // edge_devices.xml @ 0c82e35b: places 0–1 attractiveness 0 (L1), 2–5 L2, 6–13 L3; means 500/300/120 s (default_config.properties).
    const d = [500, 500, 300, 300, 300, 300, 120, 120, 120, 120, 120, 120, 120, 120];
    const n = d.length;
    const P = d.map((_, i) => d.map((__, j) => (i === j ? 0 : 1 / (n - 1))));
    const pi = stationary(P);
    const norm = pi.reduce((a, p, j) => a + p * d[j], 0);
    const theory = pi.map((p, i) => (p * d[i]) / norm);
    expect(theory[0]).toBeCloseTo(500 / 3160, 12); // π uniform: d_i / Σ d = 500 / (2·500 + 4·300 + 8·120)
    const file = scenarioFile(
      'app1-places',
      `name: app1-places
duration: 40000 s
warmup: 4000 s
${world(300, 14)}
mobility:
  model: nomadic
  start: uniform
  placeTypes:
    - { name: L1, dwell: { exponential: { mean: 500 s } } }
    - { name: L2, dwell: { exponential: { mean: 300 s } } }
    - { name: L3, dwell: { exponential: { mean: 120 s } } }
  places:
    - { accessPoint: [ap-1, ap-2], type: L1 }
    - { accessPoint: [ap-3, ap-4, ap-5, ap-6], type: L2 }
    - { accessPoint: [ap-7, ap-8, ap-9, ap-10, ap-11, ap-12, ap-13, ap-14], type: L3 }
`,
    );
    // The model's own closed form (what the check of the declared load spreads a moving device's traffic by) is this one.
    const closed = Array.from(buildWorldSpec(loadScenario(file), catalog).mobility!.model.timeShares!()!);
    closed.forEach((x, i) => expect(x).toBeCloseTo(theory[i], 12));
    const runs = placeShares(file, 8);
    // One place of each type; three intervals at 1 − 0.05/3 each (Bonferroni).
    for (const i of [0, 2, 6]) expectHolds(confidenceInterval(runs.map((r) => r[i]), 1 - 0.05 / 3), theory[i], 0.03);
  });

  it('by attractiveness, dwell means 400/200/100 s: the shares of the embedded chain (solved here) times the dwell means', () => {
    const d = [400, 200, 100, 100];
    const w = [3, 2, 1, 1];
    const W = w.reduce((a, b) => a + b, 0);
    // Next place among the others in proportion to their weight.
    const P = w.map((wi, i) => w.map((wj, j) => (i === j ? 0 : wj / (W - wi))));
    const pi = stationary(P);
    const norm = pi.reduce((a, p, j) => a + p * d[j], 0);
    const theory = pi.map((p, i) => (p * d[i]) / norm);
    const file = scenarioFile(
      'attractiveness',
      `name: attractiveness
duration: 60000 s
warmup: 5000 s
${world(100, 4)}
mobility:
  model: nomadic
  next: by-attractiveness
  placeTypes:
    - { name: big, dwell: { exponential: { mean: 400 s } }, attractiveness: 3 }
    - { name: mid, dwell: { exponential: { mean: 200 s } }, attractiveness: 2 }
    - { name: small, dwell: { exponential: { mean: 100 s } }, attractiveness: 1 }
  places:
    - { accessPoint: ap-1, type: big }
    - { accessPoint: ap-2, type: mid }
    - { accessPoint: [ap-3, ap-4], type: small }
`,
    );
    // π_i ∝ w_i (W − w_i), the closed form the model gives, is the embedded chain's law solved here.
    const closed = Array.from(buildWorldSpec(loadScenario(file), catalog).mobility!.model.timeShares!()!);
    closed.forEach((x, i) => expect(x).toBeCloseTo(theory[i], 12));
    const runs = placeShares(file, 20);
    // Four intervals at once: each at 1 − 0.05/4 (Bonferroni), so that all four hold with probability ≥ 95 %.
    for (let i = 0; i < 4; i++) expectHolds(confidenceInterval(runs.map((r) => r[i]), 1 - 0.05 / 4), theory[i], 0.03);
  });

  it('a request of fixed duration t = 30 s at places of mean dwell d = 100 s is lost as `moved` with probability 1 − e^(−t/d)', () => {
    const t = 30;
    const dwell = 100;
    const theory = 1 - Math.exp(-t / dwell); // memoryless dwell: the residual stay is Exp(d) at a Poisson birth (PASTA)
    const file = scenarioFile(
      'moved-loss',
      `name: moved-loss
duration: 20000 s
warmup: 1000 s
${world(20, 2)}
models:
  - { name: task, input: 1 kB, layers: [{ name: t, flops: 30 GFLOP, output: 1 kB }] }
workloads:
  - { on: dev-*, model: task, arrivals: { poisson: 0.05/s }, placement: { fixed: edge } }
mobility:
  model: nomadic
  placeTypes: [{ name: P, dwell: { exponential: { mean: ${dwell} s } } }]
  places: [{ accessPoint: ap-*, type: P }]
`,
    );
    // 30 GFLOP on a 1 GFLOP/s slot: 30 s; links of 1 Tbit/s with no delay add 4 × 8 ns.
    const loaded = loadScenario(file);
    const shares = Array.from({ length: 10 }, (_, s) => {
      const row = summarize(simulate(buildWorldSpec(loaded, catalog, s + 1)), { scenario: 'moved-loss', seed: s + 1 }).requests.at(-1)!;
      expect(Number(row.latency_mean_s)).toBeCloseTo(t, 6);
      const moved = Number(row.dropped_moved);
      expect(Number(row.dropped)).toBe(moved);
      return moved / (moved + Number(row.completed));
    });
    expectHolds(confidenceInterval(shares), theory, 0.03);
  });

  it('a run with mobility draws the same arrivals as without (common random numbers)', () => {
    const base = `name: crn
duration: 2000 s
${world(10, 2)}
models:
  - { name: task, input: 1 kB, layers: [{ name: t, flops: 1 GFLOP, output: 1 kB }] }
workloads:
  - { on: dev-*, model: task, arrivals: { poisson: 0.5/s }, computeTime: exponential, placement: { fixed: edge } }
`;
    const mobile = `${base}mobility:
  model: nomadic
  inFlight: delivered
  placeTypes: [{ name: P, dwell: { exponential: { mean: 50 s } } }]
  places: [{ accessPoint: ap-*, type: P }]
`;
    const row = (text: string, name: string) => summarize(simulate(buildWorldSpec(loadScenario(scenarioFile(name, text)), catalog, 3)), { scenario: 'crn', seed: 3 }).requests.at(-1)!;
    const a = row(base, 'crn-still');
    const b = row(mobile, 'crn-moving');
    expect(b.generated).toBe(a.generated);
    // Delivered through the new place over links with no delay: every request's figures are the same.
    expect(b.completed).toBe(a.completed);
    expect(b.compute_mean_s).toBe(a.compute_mean_s);
  });
});

describe('random waypoint against its stationary position density', () => {
  /** Time-average share of positions in a region, per device (independent streams), sampled every `step` s after `warm` s. */
  function shares(o: { width: number; height: number; devices: number; end: number; inside: (x: number, y: number) => boolean }): number[] {
    const model = new RandomWaypoint({ width: o.width, height: o.height, speedMin: 1, speedMax: 2, pause: deterministic(0), update: 1, range: 1, at: Float64Array.of(0, 0), devices: o.devices });
    const streams = new RandomStreams(7);
    const step = 10;
    const warm = 20_000; // some 100 legs: the start's uniform position is forgotten
    return Array.from({ length: o.devices }, (_, j) => {
      const rng = streams.stream('mobility', j);
      model.start(j, 0, rng);
      let inside = 0;
      let count = 0;
      for (let t = warm; t < o.end; t += step) {
        const p = model.position(j, t, rng);
        if (o.inside(p[0], p[1])) inside++;
        count++;
      }
      return inside / count;
    });
  }

  it('on a line of length a with no pause: P(a/4 < x < 3a/4) = ∫ 6x(a − x)/a³ dx = 11/16 (Bettstetter, Resta & Santi 2003), not the uniform ½', () => {
    const a = 1000;
    const F = (x: number) => 3 * (x / a) ** 2 - 2 * (x / a) ** 3; // CDF of f(x) = 6x(a − x)/a³
    const theory = F((3 * a) / 4) - F(a / 4);
    expect(theory).toBeCloseTo(11 / 16, 12);
    const e = confidenceInterval(shares({ width: a, height: 0, devices: 40, end: 400_000, inside: (x) => x > a / 4 && x < (3 * a) / 4 }));
    expectHolds(e, theory, 0.02);
    expect(e.low).toBeGreaterThan(0.6); // far from the uniform law's 0.5: denser at the centre
  });

  it('on a square: the share in the central quarter matches a long independent sample of the stationary law (a uniform point of a length-biased leg)', () => {
    const a = 1000;
    const central = (x: number, y: number) => x > a / 4 && x < (3 * a) / 4 && y > a / 4 && y < (3 * a) / 4;
    // Palm calculus: the time-stationary position is a uniform point on a leg drawn with probability ∝ its length
    // (speeds are independent of the leg), legs between two uniform points. Accept-reject against the diagonal.
    const rng = new RandomStreams(11).stream('mobility', 'independent');
    let hits = 0;
    let n = 0;
    while (n < 1_000_000) {
      const x0 = rng() * a;
      const y0 = rng() * a;
      const x1 = rng() * a;
      const y1 = rng() * a;
      if (rng() * a * Math.SQRT2 > Math.hypot(x1 - x0, y1 - y0)) continue;
      const f = rng();
      if (central(x0 + f * (x1 - x0), y0 + f * (y1 - y0))) hits++;
      n++;
    }
    const p = hits / n; // ± 2·√(p(1 − p)/n) ≈ ± 0.001
    expect(p).toBeGreaterThan(0.3); // uniform would be 0.25
    const e = confidenceInterval(shares({ width: a, height: a, devices: 40, end: 400_000, inside: central }));
    expect(p).toBeGreaterThanOrEqual(e.low - 2 * Math.sqrt((p * (1 - p)) / n));
    expect(p).toBeLessThanOrEqual(e.high + 2 * Math.sqrt((p * (1 - p)) / n));
    expect(Math.abs(e.mean - p) / p).toBeLessThan(0.02);
  });
});
