import type { Rng } from '../../core/random.ts';
import { LpPrograms, type LpWorkload, lpPlacement } from '../offloading/lp.ts';
import { fixedPlacement } from './fixed.ts';
import { joinShortestQueuePlacement } from './join-shortest-queue.ts';
import { leastLoadedPlacement } from './least-loaded.ts';
import { localPlacement } from './local.ts';
import { nearestPlacement } from './nearest.ts';
import type { PlacementChoice, PlacementPolicy } from './placement.ts';
import { randomPlacement } from './random.ts';
import { roundRobinPlacement } from './round-robin.ts';

/** What a run-time policy may need beside its choice: whether ticks re-plan, and its random stream. */
export interface PlacementContext {
  /** Whether the scenario sets `policies.interval` (re-planning policies then plan at ticks). */
  readonly interval: boolean;
  /** The `policy` random stream of this policy (for tie-breaking). */
  readonly rng: Rng;
  /** The workload placed (the lp policy needs its work, sizes, deadline and rate). */
  readonly workload?: LpWorkload;
  /** The offloading programs of the build, shared by its lp policies (one per call when omitted). */
  readonly programs?: LpPrograms;
}

/** Turns a scenario's placement choice into the policy that makes it. */
export function placementPolicy(choice: PlacementChoice, context: PlacementContext): PlacementPolicy {
  switch (choice.policy) {
    case 'local':
      return localPlacement;
    case 'fixed':
      return fixedPlacement(choice.node);
    case 'nearest':
      return nearestPlacement(choice.tier);
    case 'random':
      return randomPlacement(choice.among);
    case 'round-robin':
      return roundRobinPlacement(choice.among);
    case 'least-loaded':
      return leastLoadedPlacement(choice.among, { perRequest: !context.interval });
    case 'join-shortest-queue':
      return joinShortestQueuePlacement(choice.among, context.rng);
    case 'lp':
      if (!context.workload) throw new Error('the lp placement needs the workload it places (PlacementContext.workload)');
      return lpPlacement(choice.among, choice.options, context.workload, context.programs ?? new LpPrograms(), { interval: context.interval });
  }
}
