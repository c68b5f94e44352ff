import { fixedPlacement } from './fixed.ts';
import { localPlacement } from './local.ts';
import { nearestPlacement } from './nearest.ts';
import type { PlacementChoice, PlacementPolicy } from './placement.ts';

/** Turns a scenario's placement choice into the policy that makes it. */
export function placementPolicy(choice: PlacementChoice): PlacementPolicy {
  switch (choice.policy) {
    case 'local':
      return localPlacement;
    case 'fixed':
      return fixedPlacement(choice.node);
    case 'nearest':
      return nearestPlacement(choice.tier);
  }
}
