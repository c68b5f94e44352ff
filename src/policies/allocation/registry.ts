import type { AllocationPolicy } from './allocation.ts';
import { edelearAllocation } from './edelear.ts';
import { equalAllocation } from './equal.ts';
import { noAllocation } from './none.ts';
import { staticAllocation } from './static.ts';

/** Allocation policies a scenario may name in `policies.allocation`. */
export const ALLOCATION_POLICIES = ['edelear', 'equal', 'static', 'none'] as const;
/** One of {@link ALLOCATION_POLICIES}. */
export type AllocationName = (typeof ALLOCATION_POLICIES)[number];

/** A new allocation policy of this name (each run gets its own: EDeLeaR keeps state per node). */
export function allocationPolicy(name: AllocationName): AllocationPolicy {
  switch (name) {
    case 'edelear':
      return edelearAllocation();
    case 'equal':
      return equalAllocation();
    case 'static':
      return staticAllocation();
    case 'none':
      return noAllocation();
  }
}
