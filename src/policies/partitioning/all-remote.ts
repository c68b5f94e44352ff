/** Baseline: no split, the whole model on the server (k = 0: the input is sent), whatever the network. */
import type { SplitProfile } from './cost.ts';
import type { PartitioningPolicy } from './policy.ts';

/** Always k = 0. */
export class AllRemotePartitioning implements PartitioningPolicy {
  readonly name = 'all-remote';
  constructor(readonly profile: SplitProfile) {}
  /** 0. O(1). */
  choose(): number {
    return 0;
  }
}
