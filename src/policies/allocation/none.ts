import type { AllocationPolicy } from './allocation.ts';

/**
 * Baseline: no allocation. Nodes declared partitioned are built as first come, first served
 * nodes (the fcfs scheduler): every job, whatever its tenant, takes the next free slot in order
 * of arrival, so no tenant is held back by a share nor protected by one. Cost nothing.
 */
export function noAllocation(): AllocationPolicy {
  return { name: 'none', reallocates: false, partitions: false, start() {}, allocate() {} };
}
