import { candidateResolver } from './candidates.ts';
import type { CandidateSet, PlacementPolicy } from './placement.ts';

/**
 * Each instance sends its requests to its candidates in turn (cyclic splitting; with Poisson
 * arrivals over n servers each sees Erlang-n inter-arrival times). Blind to state, as the
 * baseline is: a request whose turn falls on a down candidate is dropped there. Cost O(1) per request.
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
