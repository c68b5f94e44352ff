import { ADAPTIVE_BATCHING, adaptiveBatching, type AdaptiveBatchingOptions } from './adaptive.ts';
import type { BatchingPolicy } from './batching.ts';
import { fixedBatching } from './fixed.ts';
import { noBatching } from './none.ts';

/** Batching policies a scenario may name in `nodes[i].scheduler.batching.policy`. */
export const BATCHING_POLICIES = ['none', 'fixed', 'adaptive'] as const;
/** One of {@link BATCHING_POLICIES}. */
export type BatchingName = (typeof BATCHING_POLICIES)[number];

/** The batching policy of this name; `adaptive` takes its AIMD parameters, the others have none. */
export function batchingPolicy(name: BatchingName, adaptive: AdaptiveBatchingOptions = ADAPTIVE_BATCHING): BatchingPolicy {
  switch (name) {
    case 'none':
      return noBatching();
    case 'fixed':
      return fixedBatching();
    case 'adaptive':
      return adaptiveBatching(adaptive);
  }
}
