import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { canonicalJson, runId, runIdOfJson } from '../../src/sweep/run-id.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { grid, loadSweep, rangeValues, SWEEP_METRICS } from '../../src/sweep/schema.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { planSweep, pointOverrides, sweepWording } from '../../src/sweep/plan.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';

const dir = mkdtempSync(join(tmpdir(), 'edelear-sweep-schema-'));
function sweepFile(text: string, name = 'sweep.yaml'): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The problems of a file that does not load, as `path: message` lines with their line numbers. */
function problems(text: string): { path: string; line?: number; message: string }[] {
  const file = sweepFile(text);
  try {
    loadSweep(file);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).file).toBe(file);
    return [...(e as InputError).problems];
  }
  throw new Error('expected the sweep file to be refused');
}

describe('ranges', () => {
  it('spaces a linear range evenly: 2, 5, 8 (from + (to − from)·i/(steps − 1))', () => {
    expect(rangeValues({ from: 2, to: 8, steps: 3, scale: 'linear' })).toEqual([2, 5, 8]);
  });
  it('keeps 12 significant digits: 0.1 … 0.3 in 3 steps is 0.1, 0.2, 0.3 (0.1 + 0.2 alone is 0.30000000000000004)', () => {
    expect(rangeValues({ from: 0.1, to: 0.3, steps: 3, scale: 'linear' })).toEqual([0.1, 0.2, 0.3]);
  });
  it('spaces a log range by a constant ratio: 1, 10, 100, 1000', () => {
    expect(rangeValues({ from: 1, to: 1000, steps: 4, scale: 'log' })).toEqual([1, 10, 100, 1000]);
  });
  it('keeps the unit as written: "2/s" to "8/s"', () => {
    expect(rangeValues({ from: '2/s', to: '8/s', steps: 4, scale: 'linear' })).toEqual(['2/s', '4/s', '6/s', '8/s']);
    expect(rangeValues({ from: '1 Mbit/s', to: '100 Mbit/s', steps: 3, scale: 'log' })).toEqual(['1 Mbit/s', '10 Mbit/s', '100 Mbit/s']);
  });
  it('refuses mixed units and non-positive log bounds', () => {
    expect(rangeValues({ from: '1 ms', to: '1 s', steps: 3, scale: 'linear' })).toMatch(/same unit, got "ms" and "s"/);
    expect(rangeValues({ from: 0, to: 10, steps: 3, scale: 'log' })).toMatch(/above 0 on a log scale/);
  });
});

describe('the design', () => {
  it('crosses the lists with the first varying slowest (nested loops in the file order)', () => {
    expect(grid([[1, 2], ['a', 'b', 'c']])).toEqual([[1, 'a'], [1, 'b'], [1, 'c'], [2, 'a'], [2, 'b'], [2, 'c']]);
  });
  it('reads a grid: parameters in file order, EDeLeaR first, every metric by default, the scenario relative to the sweep file', () => {
    const s = loadSweep(sweepFile('scenario: ../x.yaml\nparameters:\n  duration: [1 min, 2 min]\n  workloads[0].arrivals.poisson: { from: 1/s, to: 3/s, steps: 3 }\npolicies: [all-cloud]\n'));
    expect(s.parameters).toEqual(['duration', 'workloads[0].arrivals.poisson']);
    expect(s.points).toHaveLength(6);
    expect(s.points[1]).toEqual(['1 min', '2/s']);
    expect(s.policies).toEqual(['EDeLeaR', 'all-cloud']);
    expect(s.replications).toBe(5);
    expect(s.metrics).toEqual(SWEEP_METRICS);
    expect(s.scenario).toBe(join(dir, '..', 'x.yaml'));
    expect(s.name).toBe('sweep');
  });
  it('refuses more than 100,000 points before making them (10^8 steps ran out of memory after 95 s): a range\'s steps, and the grid\'s product', () => {
    expect(problems('scenario: x.yaml\nparameters:\n  duration: { from: 5 s, to: 10 s, steps: 100000000 }\n')).toEqual([
      { path: 'parameters.duration.steps', line: 3, message: 'expected at most 100,000 steps (a sweep of more points than that is a study of its own: split it)' },
    ]);
    expect(problems('scenario: x.yaml\nparameters:\n  duration: { from: 5 s, to: 10 s, steps: 1000 }\n  seed: { from: 1, to: 1000, steps: 1000 }\n')).toEqual([
      { path: 'parameters', line: 3, message: 'expected at most 100,000 points, got 1000 × 1000 = 1,000,000 (the grid crosses every parameter\'s values): fewer steps, or design: points' },
    ]);
  });
  it('a scenario file given as a sweep file is named for what it is', () => {
    expect(problems('name: x\nduration: 1 min\nnodes: []\nworkloads: []\n')).toEqual([
      { path: '', line: 1, message: expect.stringMatching(/^expected a sweep file .*got a scenario file .*run it with `edelear run FILE` or `edelear compare FILE`/) },
    ]);
  });
  it('EDeLeaR and as-written name one arm, the scenario as written: either stands for it, both is one arm named twice', () => {
    expect(loadSweep(sweepFile('scenario: x.yaml\nparameters:\n  duration: [1 min]\npolicies: [as-written, all-cloud]\n')).policies).toEqual(['as-written', 'all-cloud']);
    expect(problems('scenario: x.yaml\nparameters:\n  duration: [1 min]\npolicies: [EDeLeaR, As-Written]\n')).toEqual([
      { path: 'policies[1]', line: 4, message: '"As-Written" is named twice (EDeLeaR and as-written both name the scenario as written); expected each arm once' },
    ]);
  });
  it('labels the reference by what the point\'s scenario is: as-written where it uses none of EDeLeaR\'s policies (default.yaml places by nearest), EDeLeaR where it uses one (lp placement)', () => {
    const file = sweepFile(`scenario: ${JSON.stringify(join(process.cwd(), 'scenarios/default.yaml'))}\nreplications: 1\nparameters:\n  policies.placement: [{ nearest: edge }, { lp: { tier: [device, edge, cloud] } }]\npolicies: [EDeLeaR]\n`, 'labels.yaml');
    const plan = planSweep(loadSweep(file), loadCatalog(), 1);
    expect(plan.cells.map((c) => [c.point, c.policy, c.runs[0].error])).toEqual([[0, 'as-written', undefined], [1, 'EDeLeaR', undefined]]);
  });
  it('reads points: the union of their keys, blank where a point leaves the scenario as it is', () => {
    const s = loadSweep(sweepFile('scenario: x.yaml\ndesign: points\npoints:\n  - { duration: 1 min }\n  - { duration: 2 min, seed: 4 }\n'));
    expect(s.parameters).toEqual(['duration', 'seed']);
    expect(s.points).toEqual([['1 min', undefined], ['2 min', 4]]);
    expect(pointOverrides(s.parameters, s.points[0])).toEqual(['duration="1 min"']);
    expect(pointOverrides(s.parameters, s.points[1])).toEqual(['duration="2 min"', 'seed=4']);
  });
});

describe('bad sweep files name the file, the path inside it and the line', () => {
  it('an unknown key, at its own line, with the nearest known one (in a range too, before what it makes missing)', () => {
    expect(problems('scenario: x.yaml\nreplication: 3\n')).toEqual([
      { path: 'replication', line: 2, message: 'unknown key "replication" (did you mean "replications"?); expected one of: name, description, scenario, seed, replications, design, parameters, points, policies, metrics' },
    ]);
    expect(problems('scenario: x.yaml\nparameters:\n  duration: { from: 1 s, to: 2 s, step: 3 }\n')).toEqual([
      { path: 'parameters.duration.step', line: 3, message: 'unknown key "step" (did you mean "steps"?); expected one of: from, to, steps, scale' },
      { path: 'parameters.duration.steps', line: 3, message: 'expected the number of values (an integer ≥ 2), got nothing' },
    ]);
    // A range's own problem, not "neither a list nor a range".
    expect(problems('scenario: x.yaml\nparameters:\n  duration: { from: 1 s, to: 2 s, steps: 2.5 }\n')).toEqual([{ path: 'parameters.duration.steps', line: 3, message: 'expected an integer ≥ 2' }]);
  });
  it('a missing scenario', () => {
    expect(problems('replications: 3\n')).toEqual([{ path: 'scenario', line: 1, message: expect.stringMatching(/expected the base scenario's path .*got nothing/) }]);
  });
  it('a range with one step, a bad path, an unknown metric', () => {
    const p = problems('scenario: x.yaml\nparameters:\n  duration: { from: 1, to: 2, steps: 1 }\nmetrics: [latency]\n');
    expect(p).toContainEqual({ path: 'parameters.duration.steps', line: 3, message: 'expected at least 2 steps (the two ends)' });
    const q = problems('scenario: x.yaml\nparameters:\n  "nodes.0.count": [1]\nmetrics: [latency]\n');
    expect(q).toContainEqual({ path: 'parameters["nodes.0.count"]', line: 3, message: expect.stringMatching(/expected a scenario path such as nodes\[0\]\.count/) });
    expect(q).toContainEqual({ path: 'metrics[0]', line: 4, message: expect.stringMatching(/^expected one of: latency_mean_s, .*; got "latency"$/) });
  });
  it('points without design: points, and design: points without points', () => {
    expect(problems('scenario: x.yaml\npoints: [{ duration: 1 }]\n')).toEqual([{ path: 'points', line: 2, message: expect.stringMatching(/design: points/) }]);
    expect(problems('scenario: x.yaml\ndesign: points\n')).toEqual([{ path: 'points', line: 2, message: expect.stringMatching(/expected a list of points/) }]);
  });
  it('parameters that overlap, a path inside learning, and more runs than a sweep may plan (review findings: rows labelled with values never run; 10^9 replications ran out of memory)', () => {
    expect(problems('scenario: x.yaml\nparameters:\n  workloads[0].arrivals.poisson: [2/s, 8/s]\n  workloads[0].arrivals: [{ poisson: 5/s }]\n')).toEqual([
      { path: 'parameters["workloads[0].arrivals.poisson"]', line: 3, message: 'expected parameters that do not overlap: "workloads[0].arrivals.poisson" lies inside "workloads[0].arrivals", whose values replace it at every point' },
    ]);
    expect(problems('scenario: x.yaml\nparameters:\n  learning.rounds: [1, 2]\n')).toEqual([{ path: 'parameters["learning.rounds"]', line: 3, message: expect.stringMatching(/^expected a path outside learning: a sweep simulates the inference workloads only/) }]);
    expect(problems('scenario: x.yaml\nreplications: 1000000000\n')).toEqual([{ path: 'replications', line: 2, message: 'expected at most 1,000,000 replications' }]);
    // 2,000 points × 1 arm × 1,000 replications.
    expect(problems('scenario: x.yaml\nreplications: 1000\nparameters:\n  duration: { from: 1, to: 2000, steps: 2000 }\n')).toEqual([
      { path: 'replications', line: 2, message: 'expected at most 1,000,000 runs, got 2,000 points × 1 arm × 1,000 replications = 2,000,000: fewer of them, or several sweeps' },
    ]);
  });
  it('says what a value of the wrong type is (it said "got something else")', () => {
    expect(problems('scenario: x.yaml\nreplications: "3"\nseed: 1.5\nparameters: [duration]\n')).toEqual([
      { path: 'seed', line: 3, message: 'expected an integer, got number 1.5' },
      { path: 'replications', line: 2, message: 'expected a number, got string "3"' },
      { path: 'parameters', line: 4, message: 'expected a mapping of scenario path → values, got a list' },
    ]);
  });
  it('a file that is not YAML, and one that is not there', () => {
    expect(problems('scenario: [x\n')[0].message).toMatch(/^not valid YAML/);
    expect(() => loadSweep(join(dir, 'none.yaml'))).toThrow(/none\.yaml: cannot read the sweep file \(ENOENT: no such file\)/);
  });
  it('a file with a byte that is not UTF-8 (Latin-1 "é" on line 2), naming the line', () => {
    const file = join(dir, 'latin1.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from('scenario: x.yaml\n# caf'), Buffer.from([0xe9]), Buffer.from('\nparameters: { duration: [1] }\n')]));
    expect(() => loadSweep(file)).toThrow(/latin1\.yaml:2: bytes that are not UTF-8 on this line .*expected UTF-8/);
  });
});

describe('run ids', () => {
  it('hash the scenario and seed whatever the order of the keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: 2 } })).toBe('{"a":{"c":2,"d":[3,{"e":2,"f":1}]},"b":1}');
    expect(runId({ x: 1, y: 2 }, 7)).toBe(runId({ y: 2, x: 1 }, 7));
    expect(runId({ x: 1, y: 2 }, 7)).not.toBe(runId({ x: 1, y: 2 }, 8));
    // sha256('{"scenario":{"x":1},"seed":7}'), first 16 hex digits (sha256sum of that text).
    expect(runId({ x: 1 }, 7)).toBe('b7515eae9fab8e5f');
  });

  it('from a scenario\'s canonical JSON made once are the ids of the definition, sha256 of canonicalJson({ scenario, seed })', () => {
    const scenario = loadScenario(join(import.meta.dirname, '../../scenarios/default.yaml'), ['workloads[0].arrivals.poisson="7/s"']).scenario;
    const json = canonicalJson(scenario);
    for (const seed of [0, 1, 9, 123_456_789]) {
      expect(runIdOfJson(json, seed)).toBe(createHash('sha256').update(canonicalJson({ scenario, seed })).digest('hex').slice(0, 16));
    }
  });
});

describe("a loader's message in a sweep's words", () => {
  it('names the point or arm where it named --set, which sweep does not have', () => {
    expect(sweepWording('f.yaml: duration: expected a time (from --set)')).toBe("f.yaml: duration: expected a time (from the sweep's point or arm)");
    expect(sweepWording('f.yaml:3: nodes[0].count: expected ≥ 1 (in the file as changed by --set duration=1 s, --set x=2)')).toBe("f.yaml:3: nodes[0].count: expected ≥ 1 (in the scenario as the sweep's point and arm change it)");
  });
});
