import type { AllocationPolicy } from './allocation.ts';

/**
 * Baseline: static shares from declared demand. Each tenant keeps, for the whole run, the share
 * the scenario declares for it on the node (tenants not named share what is left equally) —
 * the behaviour of a partitioned node without an allocation policy. Cost nothing.
 */
export function staticAllocation(): AllocationPolicy {
  return { name: 'static', reallocates: false, partitions: true, start() {}, allocate() {} };
}
