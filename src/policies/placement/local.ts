import { staticPlacement } from '../../world/placement.ts';
import type { PlacementPolicy } from './placement.ts';

/** Every request executes on the device that issued it (no offloading). Cost O(1). */
export const localPlacement: PlacementPolicy = {
  ...staticPlacement,
  name: 'local',
  candidates: (_view, request) => [request.device],
};
