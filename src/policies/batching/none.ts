import type { BatchingPolicy } from './batching.ts';

/**
 * `none`: no batching — every batch is one request, whatever the node's maximum, so the node
 * is first come, first served on its slots (figure for figure the `fcfs` scheduler: t(1) is a
 * request's own compute time). The baseline of issue 10. Cost O(1), no state.
 */
export function noBatching(): BatchingPolicy {
  return { name: 'none', adapts: false, initial: () => 1, next: () => 1 };
}
