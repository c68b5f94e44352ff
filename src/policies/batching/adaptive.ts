import type { BatchingPolicy } from './batching.ts';

/** Parameters of the adaptive (AIMD) batch sizing. */
export interface AdaptiveBatchingOptions {
  /** The bound before the first batch (an integer ≥ 1; capped at the node's maximum). */
  readonly start: number;
  /** Added to the bound after a full batch that met the objective. */
  readonly increase: number;
  /** The bound is multiplied by this (then floored, at least 1) after a batch that missed the objective, in (0, 1). */
  readonly decrease: number;
}

/**
 * Clipper's settings: additive increase by a fixed amount until a batch's processing latency
 * exceeds the objective, then a small multiplicative backoff cutting the batch size by 10 %
 * (Crankshaw et al., "Clipper: A Low-Latency Online Prediction Serving System", NSDI 2017,
 * §4.3.1 "Dynamic Batch Size"); start at 1, increase by 1.
 */
export const ADAPTIVE_BATCHING: AdaptiveBatchingOptions = { start: 1, increase: 1, decrease: 0.9 };

/**
 * `adaptive` (EDeLeaR's): the bound on the batch size moves by additive increase /
 * multiplicative decrease against the latency objective, as Clipper's AIMD batching does
 * (Crankshaw et al., NSDI 2017, §4.3): after each batch of a queue (per node and workload), if
 * its compute time t(b) exceeded the objective, bound ← max(1, ⌊bound · decrease⌋); else, if
 * the batch was full (b = bound: it tested the bound), bound ← min(max, bound + increase); a
 * partial batch within the objective says nothing about a larger one and leaves it. Like
 * Clipper it measures the batch's processing time, not the requests' queueing: under overload a
 * queue-inclusive latency would shrink batches and throughput just when they are needed. With a
 * deterministic t(b) the bound settles into a saw-tooth whose top is b* + 1 (b*: the largest
 * batch meeting the objective), every batch of b* or less meeting it. The objective is the
 * node's `objective`, else the workload's deadline. Cost O(1) per batch; one integer of state
 * per queue, kept by the scheduler.
 */
export function adaptiveBatching(options: AdaptiveBatchingOptions = ADAPTIVE_BATCHING): BatchingPolicy {
  const { start, increase, decrease } = options;
  return {
    name: 'adaptive',
    adapts: true,
    initial: (max) => Math.min(start, max),
    next: (bound, size, seconds, objective, max) => {
      if (seconds > objective) return Math.max(1, Math.floor(bound * decrease));
      if (size >= bound) return Math.min(max, bound + increase);
      return bound;
    },
  };
}
