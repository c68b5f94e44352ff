import { candidateResolver } from './candidates.ts';
import type { CandidateSet, PlacementPolicy } from './placement.ts';

/**
 * Each instance sends its requests to its candidates in turn (cyclic splitting; with Poisson
 * arrivals over n servers each sees Erlang-n inter-arrival times). Cost O(1) per request.
 */
export function roundRobinPlacement(among: CandidateSet): PlacementPolicy {
  return {
    name: 'round-robin',
    replans: false,
    candidates: candidateResolver(among),
    plan(_view, table, instances) {
      for (const i of instances) table.setRotation(i);
    },
    choose: () => 0,
  };
}
