import { InputError } from './errors.ts';

/**
 * The seeds of `count` replications: first, first + 1, …, first + count − 1. Each must be a safe
 * integer (≤ 2^53 − 1): beyond it first + r rounds, two replications get one seed, and an
 * interval over them counts one run twice. `where` names what set the first seed, for the error.
 */
export function replicationSeeds(first: number, count: number, where: { file: string; path: string; line?: number; what: string }): number[] {
  const last = first + (count - 1); // not (first + count) − 1: that sum may round down into range
  if (!Number.isSafeInteger(last)) {
    throw new InputError(where.file, [
      {
        path: where.path,
        line: where.line,
        message: `expected the last seed, ${where.what} + replications − 1 = ${first} + ${count - 1}, to be at most ${Number.MAX_SAFE_INTEGER} (2^53 − 1, the largest integer a seed can be exactly); got ${first} with ${count} replications: choose a first seed of at most ${Number.MAX_SAFE_INTEGER - count + 1}`,
      },
    ]);
  }
  return Array.from({ length: count }, (_, r) => first + r);
}
