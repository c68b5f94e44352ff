import type { AllocationPolicy } from './allocation.ts';
import { EDELEAR_ALLOCATION, type EdelearAllocationOptions, edelearAllocation } from './edelear.ts';
import { equalAllocation } from './equal.ts';
import { noAllocation } from './none.ts';
import { staticAllocation } from './static.ts';

/** Allocation policies a scenario may name in `policies.allocation`. */
export const ALLOCATION_POLICIES = ['edelear', 'equal', 'static', 'none'] as const;
/** One of {@link ALLOCATION_POLICIES}. */
export type AllocationName = (typeof ALLOCATION_POLICIES)[number];

/**
 * A new allocation policy of this name (each run gets its own: EDeLeaR keeps state per node);
 * `edelear` takes its parameters (the scenario's `policies.allocation: { edelear: { … } }`), the
 * others have none.
 */
export function allocationPolicy(name: AllocationName, edelear: EdelearAllocationOptions = EDELEAR_ALLOCATION): AllocationPolicy {
  switch (name) {
    case 'edelear':
      return edelearAllocation(edelear);
    case 'equal':
      return equalAllocation();
    case 'static':
      return staticAllocation();
    case 'none':
      return noAllocation();
  }
}
