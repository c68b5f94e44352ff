import { candidateResolver } from './candidates.ts';
import type { CandidateSet, PlacementPolicy } from './placement.ts';

/**
 * Each request executes on a candidate drawn uniformly at random (the classic random-split
 * baseline: a Poisson stream split at random over n identical servers gives n independent
 * M/M/1 queues at λ/n). Draws come from the instance's `policy` stream, so arrivals and inputs
 * keep common random numbers across compared policies. Blind to state, as the baseline is: a
 * request drawn to a candidate that is down is dropped there. Cost O(candidates) per request
 * (a cumulative-weights scan), nothing per tick.
 */
export function randomPlacement(among: CandidateSet): PlacementPolicy {
  return {
    name: 'random',
    replans: false,
    candidates: candidateResolver(among),
    plan(_view, table, instances) {
      for (const i of instances) {
        const n = table.count(i);
        if (n === 1) table.setSingle(i, 0);
        else table.setWeights(i, new Float64Array(n).fill(1));
      }
    },
    choose: () => 0,
  };
}
