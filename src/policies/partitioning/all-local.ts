/** Baseline: no split, the whole model on the device (k = L), whatever the network. */
import type { SplitProfile } from './cost.ts';
import type { PartitioningPolicy } from './policy.ts';

/** Always k = L. */
export class AllLocalPartitioning implements PartitioningPolicy {
  readonly name = 'all-local';
  constructor(readonly profile: SplitProfile) {}
  /** L. O(1). */
  choose(): number {
    return this.profile.layers;
  }
}
