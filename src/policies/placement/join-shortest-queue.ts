import type { Rng } from '../../core/random.ts';
import { candidateResolver } from './candidates.ts';
import type { CandidateSet, PlacementPolicy } from './placement.ts';

/**
 * Join the shortest queue: each request goes to the up candidate with the fewest jobs
 * (waiting and in service) at its arrival, ties broken uniformly at random from the policy
 * stream (Winston 1977: optimal among non-anticipating policies for identical exponential
 * servers). Cost O(candidates) per request.
 */
export function joinShortestQueuePlacement(among: CandidateSet, tieBreak: Rng): PlacementPolicy {
  let tied = new Int32Array(8);
  return {
    name: 'join-shortest-queue',
    replans: false,
    candidates: candidateResolver(among),
    plan(_view, table, instances) {
      for (const i of instances) table.setAsk(i);
    },
    choose(view, table, i) {
      const n = table.count(i);
      if (tied.length < n) tied = new Int32Array(n);
      let best = Infinity;
      let ties = 0;
      for (let c = 0; c < n; c++) {
        const k = table.node(i, c);
        if (!view.isUp(k)) continue;
        const q = view.jobs(k);
        if (q < best) {
          best = q;
          ties = 0;
        }
        if (q === best) tied[ties++] = c;
      }
      if (ties <= 1) return ties === 1 ? tied[0] : 0;
      return tied[Math.floor(tieBreak() * ties)];
    },
  };
}
