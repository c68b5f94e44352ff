import type { BatchingPolicy } from './batching.ts';

/**
 * `fixed`: Triton's dynamic batcher as configured — batches up to the node's maximum batch
 * size, preferred sizes sent at once, a partial batch sent when its oldest request has waited the
 * maximum queue delay (NVIDIA Triton Inference Server user guide, "Batchers: Dynamic Batcher",
 * docs.nvidia.com/deeplearning/triton-inference-server/user-guide/docs/batcher.html). The bound
 * never moves. Cost O(1), no state.
 */
export function fixedBatching(): BatchingPolicy {
  return { name: 'fixed', adapts: false, initial: (max) => max, next: (bound) => bound };
}
