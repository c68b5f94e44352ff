import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/scenario/errors.ts';
import { replicationSeeds } from '../../src/scenario/seeds.ts';

describe('the seeds of replications', () => {
  const where = { file: 's.yaml', path: 'seed', line: 3, what: 'the seed' };
  it('are first … first + n − 1', () => {
    expect(replicationSeeds(7, 3, where)).toEqual([7, 8, 9]);
    expect(replicationSeeds(Number.MAX_SAFE_INTEGER - 2, 3, where)).toEqual([9007199254740989, 9007199254740990, 9007199254740991]);
  });
  it('refuse a last seed beyond 2^53 − 1, where first + r rounds and two replications would share a seed (9007199254740991 + 1 and + 2 are both 9007199254740992)', () => {
    expect(Number.MAX_SAFE_INTEGER + 1).toBe(Number.MAX_SAFE_INTEGER + 2); // why: the run would count one seed twice
    for (const first of [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1]) {
      expect(() => replicationSeeds(first, 3, where)).toThrow(InputError);
      expect(() => replicationSeeds(first, 3, where)).toThrow(/choose a first seed of at most 9007199254740989/);
    }
    // (first + 3) − 1 would round back into range here: 9007199254740990 + 3 is 9007199254740992 in floating point.
    expect(() => replicationSeeds(9007199254740990, 3, where)).toThrow(/the seed \+ replications − 1 = 9007199254740990 \+ 2, to be at most 9007199254740991/);
  });
});
