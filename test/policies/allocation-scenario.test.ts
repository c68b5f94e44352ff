import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EDELEAR_ALLOCATION } from '../../src/policies/allocation/edelear.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { scenarioJsonSchema } from '../../src/scenario/schema.ts';

// policies.allocation in the scenario file: the short form `edelear` and the long form
// `{ edelear: { step, iterations, tolerance, smoothing, floor } }`, on
// scenarios/validation/partitioned.yaml (one node partitioned { a: 0.5, b: 0.5 }: tenants a and b
// may use it, processes — declared nothing — may not).

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FILE = 'scenarios/validation/partitioned.yaml';
const file = fileURLToPath(new URL(`../../${FILE}`, import.meta.url));
const load = (policies: object) => loadScenario(file, [`policies=${JSON.stringify({ interval: '5 s', ...policies })}`]);
const build = (policies: object) => buildWorldSpec(load(policies), loadCatalog());

/** The first problem of loading and building with these policies: its path and message. */
function problem(policies: object): { path: string; message: string } {
  try {
    build(policies);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.problems[0];
  }
  throw new Error('expected an InputError');
}

describe('policies.allocation: the short and the long form', () => {
  it('the short form `edelear` keeps working: the name, and the default parameters beside it', () => {
    const s = load({ allocation: 'edelear' }).scenario;
    expect(s.policies.allocation).toBe('edelear');
    expect(s.policies.allocationParameters).toEqual(EDELEAR_ALLOCATION);
    expect(build({ allocation: 'edelear' }).allocation).toMatchObject({ name: 'edelear', reallocates: true, partitions: true });
    // The other names take no parameters.
    for (const name of ['equal', 'static', 'none']) {
      const p = load({ allocation: name }).scenario.policies;
      expect(p.allocation).toBe(name);
      expect(p.allocationParameters).toBeUndefined();
    }
    expect(load({}).scenario.policies.allocation).toBeUndefined();
  });

  it('the long form sets each parameter, the omitted ones taking their defaults; the policy is still named edelear', () => {
    const s = load({ allocation: { edelear: { step: 0.25, iterations: 50, tolerance: 1e-6, floor: 0.02 } } }).scenario;
    expect(s.policies.allocation).toBe('edelear');
    expect(s.policies.allocationParameters).toEqual({ step: 0.25, iterations: 50, tolerance: 1e-6, smoothing: 0.3, floor: 0.02 });
    // `{ edelear: {} }` is the short form: equal validated scenarios (compare runs them once).
    expect(JSON.stringify(load({ allocation: { edelear: {} } }).scenario)).toBe(JSON.stringify(load({ allocation: 'edelear' }).scenario));
  });

  it('the built policy runs with the parameters given: a floor of 0.3 gives tenant b 0.3 of the node at the start', () => {
    // Tenants a, b may use the node (declared 0.5 each); a start where b holds nothing.
    const policy = build({ allocation: { edelear: { floor: 0.3 } } }).allocation!;
    const shares = Float64Array.of(1, 0, 0);
    policy.start(0, shares, Uint8Array.of(1, 1, 0));
    [0.7, 0.3, 0].forEach((x, i) => expect(shares[i]).toBeCloseTo(x, 15));
    // And the step: η = 1, K = 1 moves the allocation to the measured demand in one tick.
    const exact = build({ allocation: { edelear: { step: 1, iterations: 1, floor: 0 } } }).allocation!;
    const s2 = Float64Array.of(0.5, 0.5, 0);
    exact.start(0, s2, Uint8Array.of(1, 1, 0));
    exact.allocate(0, Float64Array.of(0.9, 0.6, 0), s2);
    // Over capacity: the max-min fair split of 1 between claims 0.9 and 0.6 is 0.5 / 0.5.
    [0.5, 0.5, 0].forEach((x, i) => expect(s2[i]).toBeCloseTo(x, 15));
  });

  it('is described in the JSON Schema: the names, and the long form with each default', () => {
    const schema = scenarioJsonSchema() as Record<string, any>;
    const allocation = schema.properties.policies.properties.allocation;
    expect(allocation.description).toMatch(/floor/);
    const [names, long] = allocation.anyOf;
    expect(names.enum).toEqual(['edelear', 'equal', 'static', 'none']);
    const params = long.properties.edelear.properties;
    expect(Object.keys(params)).toEqual(['step', 'iterations', 'tolerance', 'smoothing', 'floor']);
    expect(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, (v as { default: number }).default]))).toEqual(EDELEAR_ALLOCATION);
    expect(long.properties.edelear.additionalProperties).toBe(false);
  });
});

describe('bad allocation parameters are refused at load, naming the path and what was expected', () => {
  const at = 'policies.allocation.edelear';
  const cases: [object, string, RegExp][] = [
    [{ step: -0.5 }, `${at}.step`, /expected a step η in \(0, 1\].*, got number -0.5/],
    [{ step: 0 }, `${at}.step`, /expected a step η in \(0, 1\].*at 0 nothing moves.*, got number 0/],
    [{ step: 1.5 }, `${at}.step`, /expected a step η in \(0, 1\].*above 1 the iterates overshoot.*, got number 1.5/],
    [{ step: 'half' }, `${at}.step`, /expected a number, got string "half"/],
    [{ iterations: 0 }, `${at}.iterations`, /expected an integer K from 1 to 1000000.*, got number 0/],
    [{ iterations: 2.5 }, `${at}.iterations`, /expected an integer K.*, got number 2.5/],
    [{ tolerance: -1 }, `${at}.tolerance`, /expected a tolerance in \[0, 1\).*, got number -1/],
    [{ smoothing: 0 }, `${at}.smoothing`, /expected a weight in \(0, 1\].*, got number 0/],
    [{ floor: -0.1 }, `${at}.floor`, /expected a floor in \[0, 1\).*, got number -0.1/],
    [{ floor: 1 }, `${at}.floor`, /expected a floor in \[0, 1\).*, got number 1/],
    [{ iteration: 50 }, `${at}.iteration`, /unknown key "iteration" \(did you mean "iterations"\?\); expected one of: step, iterations, tolerance, smoothing, floor/],
    [{ eta: 0.5 }, `${at}.eta`, /unknown key "eta" \(a typo\?\); expected one of: step, iterations, tolerance, smoothing, floor/],
  ];
  for (const [edelear, path, message] of cases) {
    it(`${JSON.stringify(edelear)} → ${path}`, () => {
      expect(() => load({ allocation: { edelear } })).toThrow(InputError);
      const p = problem({ allocation: { edelear } });
      expect(p.path).toBe(path);
      expect(p.message).toMatch(message);
    });
  }

  it('a mapping for another policy or a misspelt name, and an unknown name', () => {
    expect(problem({ allocation: { edelaer: {} } })).toMatchObject({ path: 'policies.allocation.edelaer', message: expect.stringMatching(/unknown key "edelaer" \(did you mean "edelear"\?\)/) });
    // A name written as a mapping: it takes no settings (it was called an unknown key, then listed as expected).
    expect(problem({ allocation: { equal: {} } })).toMatchObject({
      path: 'policies.allocation.equal',
      message: expect.stringMatching(/^"equal" takes no settings: write it as a bare name \(policies\.allocation: equal\), not as a mapping; only \{ edelear: \{ … \} \} takes settings/),
    });
    expect(problem({ allocation: 'fair' })).toMatchObject({
      path: 'policies.allocation',
      message: expect.stringMatching(/expected one of "edelear", "equal", "static", "none" or \{ edelear: \{ step, iterations, tolerance, smoothing, floor \} \}/),
    });
  });

  it('a floor ≥ 1/n for the n tenants of a partitioned node is refused when the scenario is built', () => {
    // Tenants a and b may use the node (processes were declared nothing): floors below 1/2 only.
    expect(problem({ allocation: { edelear: { floor: 0.5 } } })).toEqual({
      path: 'policies.allocation.edelear.floor',
      line: undefined,
      // The scenario's policies come from --set (this file's `build`): the build's problems say so, as the loader's do.
      message: 'expected a floor below 1/2 = 0.5: node server has 2 tenants that may use it, and 2 floors of 0.5 would leave nothing to allocate by demand (0 keeps none); got 0.5 (from --set)',
    });
    expect(build({ allocation: { edelear: { floor: 0.49 } } }).allocation?.name).toBe('edelear');
  });

  it('the command exits 2 with the path and the expectation, as other scenario errors do', () => {
    const r = spawnSync(process.execPath, ['bin/edelear.js', 'validate', FILE, '--set', 'policies={ interval: 5 s, allocation: { edelear: { step: 2 } } }'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: scenarios\/validation\/partitioned\.yaml: policies\.allocation\.edelear\.step: expected a step η in \(0, 1\].*, got number 2 \(from --set\)$/m);
    const floor = spawnSync(process.execPath, ['bin/edelear.js', 'validate', FILE, '--set', 'policies={ interval: 5 s, allocation: { edelear: { floor: 0.6 } } }'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(floor.status).toBe(2);
    expect(floor.stderr).toMatch(/policies\.allocation\.edelear\.floor: expected a floor below 1\/2/);
  });
});
