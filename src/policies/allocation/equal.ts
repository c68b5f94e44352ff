import type { AllocationPolicy } from './allocation.ts';

/**
 * Baseline: equal shares. Each tenant that may use a node (a workload group placed there, or
 * processes where declared a share) gets 1/n of it, for the whole run, whatever it asks for;
 * a node no tenant may use keeps its declared shares. Cost O(tenants) per node, once.
 */
export function equalAllocation(): AllocationPolicy {
  return {
    name: 'equal',
    reallocates: false,
    partitions: true,
    start(_k, shares, present) {
      let n = 0;
      for (let t = 0; t < present.length; t++) n += present[t];
      if (n === 0) return;
      for (let t = 0; t < present.length; t++) shares[t] = present[t] / n;
    },
    allocate() {},
  };
}
