import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ObjectiveError, parseObjective } from '../../src/policies/offloading/objective.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const weightsOf = (text: string) => {
  const o = parseObjective(text);
  return [o.weights.latency, o.weights.energy, o.weights.exposure, o.constant];
};

describe('objective expressions', () => {
  it('reads linear expressions over latency, energy and exposure into weights', () => {
    expect(weightsOf('latency')).toEqual([1, 0, 0, 0]);
    expect(weightsOf(' energy ')).toEqual([0, 1, 0, 0]);
    expect(weightsOf('latency + 0.2 * energy')).toEqual([1, 0.2, 0, 0]);
    expect(weightsOf('(latency + exposure / 1e6) / 2')).toEqual([0.5, 0, 0.5e-6, 0]);
    expect(weightsOf('2^-1 * energy + latency - 3')).toEqual([1, 0.5, 0, -3]);
    expect(weightsOf('3 latency - (energy - 2 energy)')).toEqual([3, 1, 0, 0]); // implicit multiplication
  });

  it('rejects what is not linear in the terms, saying why', () => {
    const bad: [string, RegExp][] = [
      ['latency * energy', /not linear.*multiplies latency by energy/],
      ['latency / energy', /divides by energy/],
      ['latency ^ 2', /raises latency to a power/],
      ['max(latency, energy)', /calls a function/],
      ['latency / 0', /divides by zero/],
      ['cost + latency', /names "cost", which is not a term; expected latency, energy, exposure/],
      ['latency +', /cannot read the objective/],
      ['3', /names none of the terms/],
      ['latency > energy', /operator ">"/],
      // A constant that overflows would make the objective infinite; a negative weight rewards what it should cost.
      ['latency + 2^10000', /2 \^ 10000 is not a finite number/],
      ['latency * 1e200 * 1e200', /is not a finite number/],
      ['energy - latency', /negative weight on latency \(-1\): an objective minimizes, so this would reward latency/],
      ['2^-1 * energy - latency + 3', /negative weight on latency/],
    ];
    for (const [text, message] of bad) expect(() => parseObjective(text), text).toThrow(message);
    expect(() => parseObjective('latency * energy')).toThrow(ObjectiveError);
  });

  it('a scenario with a non-linear objective is an input error at the objective', () => {
    const file = join(import.meta.dirname, '../../scenarios/default.yaml');
    const set = ['policies.placement={"lp":{"tier":["device","edge"],"objective":"latency * energy"}}'];
    expect(() => loadScenario(file, set)).toThrow(InputError);
    try {
      loadScenario(file, set);
    } catch (e) {
      const problems = (e as InputError).problems;
      expect(problems.map((p) => p.path).join(' ')).toMatch(/policies\.placement\.lp\.objective/);
      expect(problems.map((p) => p.message).join(' ')).toMatch(/not linear/);
    }
  });
});
