import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runComparison } from '../../src/cli/compare.ts';
import { simulate } from '../../src/metrics/simulate.ts';
import { summarize } from '../../src/metrics/summary.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import type { Arm } from '../../src/scenario/compare-arms.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import type { LpPlacementPolicy } from '../../src/policies/offloading/lp.ts';
import { lpScenarioFile } from './offloading-scenario.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'edelear-lp-run-'));

/** The problems of the InputError that building the scenario throws, as "path: message". */
function buildProblems(file: string): string[] {
  try {
    buildWorldSpec(loadScenario(file), loadCatalog());
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}

describe('lp: what can never be placed is refused when the scenario is built', () => {
  it('a privacy level above every candidate’s trust, at policies.placement.lp.privacy', () => {
    const file = lpScenarioFile('privacy', { placement: '{ lp: { tier: cloud, privacy: 0.5 } }' });
    const [problem, ...rest] = buildProblems(file);
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^policies\.placement\.lp\.privacy: workload classify on cam-1: its privacy level 0.5 is above the trust of every candidate \(cloud 0.2\) and its own device is not one/);
  });

  it('… at the workload’s own placement when it has one', () => {
    const file = lpScenarioFile('privacy-own', { placement: 'local', workload: ', placement: { lp: { tier: cloud, privacy: 0.9 } }' });
    expect(buildProblems(file)[0]).toMatch(/^workloads\[0\]\.placement\.lp\.privacy: workload classify on cam-1: its privacy level 0.9 is above the trust of every candidate \(cloud 0.2\)/);
  });

  it('a deadline below every trusted candidate’s unloaded latency, at the workload’s deadline', () => {
    // The edge: 2 × 1 ms + 8 × 10,400 B / 100 Mbit/s + 10 ms = 12.8 ms unloaded; the cloud is untrusted.
    const file = lpScenarioFile('deadline', { placement: '{ lp: { tier: [edge, cloud], privacy: 0.5 } }', workload: ', deadline: 5 ms' });
    expect(buildProblems(file)[0]).toMatch(/^workloads\[0\]\.deadline: workload classify on cam-1: its 5 ms deadline is below the unloaded latency \(transfer \+ compute\) of every candidate that may hold its data: edge 12.8 ms/);
  });
});

describe('lp in a run', () => {
  /** The cameras' lp program beside a sensor whose 30/s go to the edge by a fixed placement (0.3 of it). */
  const SENSOR_ON_EDGE = {
    placement: '{ lp: { tier: [device, edge, cloud], privacy: 0.5 } }',
    nodes: '  - { name: sensor, kind: device, compute: { fp32: 1 GFLOP/s }, memory: 1 GiB, power: { idle: 1 W, busy: 3 W } }\n',
    links: '  - { between: [sensor, edge], bandwidth: 100 Mbit/s, delay: 1 ms }\n',
    workloads: '  - { name: background, on: sensor, model: job, arrivals: { poisson: 30/s }, placement: { fixed: edge } }\n',
  };

  it('a non-lp workload pinned on the edge is counted: the lp keeps the edge near its 0.8 cap instead of saturating it', () => {
    // A sensor sends 30/s of the same job to the edge (fixed placement): 0.3 of it. The cameras
    // offer 4 × 30/s × 10 ms = 1.2 of the edge. Before the fix the program planned 0.8 for itself
    // on top (1.1 offered: the edge saturates, ~100% busy); after it, it measures 0.3 of other
    // traffic and plans 0.5 for itself.
    const file = lpScenarioFile('other-traffic', SENSOR_ON_EDGE);
    const r = simulate(buildWorldSpec(loadScenario(file), loadCatalog()));
    const edge = summarize(r, { scenario: 'other-traffic', seed: 3 }).nodes.find((n) => n.node === 'edge')!;
    expect(Number(edge.utilization_ratio)).toBeGreaterThan(0.7);
    expect(Number(edge.utilization_ratio)).toBeLessThan(0.9);
    expect(Number(edge.served)).toBeGreaterThan(0);
  });

  it('… and without policies.interval too: the one solve, at the start, counts its declared load (before: the edge saturated for the whole run)', () => {
    // The same, planned once: 0.3 declared on the edge by the sensor, so the program plans 0.5 there.
    const file = lpScenarioFile('other-traffic-once', { ...SENSOR_ON_EDGE, interval: null });
    const spec = buildWorldSpec(loadScenario(file), loadCatalog());
    const r = simulate(spec);
    const planner = (spec.placement.policies.find((p) => p.name === 'lp') as LpPlacementPolicy).planner;
    expect(planner.stats.solves).toBe(1);
    expect(planner.warnings.size).toBe(0);
    const edge = summarize(r, { scenario: 'other-traffic-once', seed: 3 }).nodes.find((n) => n.node === 'edge')!;
    // 0.3 + 0.5 = 0.8 planned; measured over 100 s of Poisson traffic.
    expect(Number(edge.utilization_ratio)).toBeGreaterThan(0.75);
    expect(Number(edge.utilization_ratio)).toBeLessThan(0.85);
  });
});

const edelear = (args: string[]) => spawnSync(process.execPath, ['bin/edelear.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

describe('lp warnings reach the command’s warnings', () => {
  // A 20 ms deadline with the edge and the untrusted cloud as candidates (privacy 0.5): the edge's
  // unloaded latency (2.832 + 10 = 12.8 ms) meets it, so the build accepts it, but its estimate at
  // the cap (2.832 + 30 = 32.8 ms) does not, so every solve finds the class without an option and
  // falls it back to the edge, with one warning per planner.
  const fallback = (name: string) => lpScenarioFile(name, { placement: '{ lp: { tier: [edge, cloud], privacy: 0.5 } }', workload: ', deadline: 20 ms', rate: '10/s' });

  it('edelear run --strict: the planner’s warning is an error after the run (exit 2), not a line written behind the command’s back', () => {
    const r = edelear(['run', fallback('strict'), '--strict', '--quiet', '--no-charts', '--out', join(dir, 'strict-out')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/lp placement: .*workload classify on cam-1 has no admissible candidate.*\(an error under --strict\)/);
    expect(r.stderr).not.toMatch(/^warning: lp placement/m);
  });

  it('edelear compare attributes them to the arm, once per arm whatever the seeds', () => {
    const file = fallback('compare');
    const arms: Arm[] = [
      { name: 'EDeLeaR', role: 'reference', overrides: [], description: 'as written' },
      { name: 'all-local', role: 'baseline', overrides: ['policies.placement=local'], description: 'local' },
    ];
    const told: [string, string][] = [];
    runComparison(file, arms, { set: [], replications: 3, strict: false, warn: (arm, m) => told.push([arm, m]) });
    // One planner per seed (each run is built anew), each warning once: one message for the arm, not three.
    expect(told).toHaveLength(1);
    expect(told[0][0]).toBe('EDeLeaR');
    expect(told[0][1]).toMatch(/^lp placement: .*workload classify on cam-1 has no admissible candidate.* \(on 3 of 3 seeds\)$/);
  });
});
