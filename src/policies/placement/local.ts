import type { PlacementPolicy } from './placement.ts';

/** Every request executes on the device that issued it (no offloading). Cost O(1). */
export const localPlacement: PlacementPolicy = {
  name: 'local',
  place: (_view, request) => request.device,
};
