import type { AllocationPolicy as RunTimeAllocation } from '../../world/allocation.ts';

/**
 * The allocation decision point: what share of a partitioned node's compute each tenant gets.
 * While the run goes, the world asks it through the run-time interface of
 * src/world/allocation.ts (shares at the start, and at every monitoring tick when it
 * re-allocates); when the world is built, {@link partitions} says whether nodes declared
 * partitioned stay so.
 */
export interface AllocationPolicy extends RunTimeAllocation {
  /** Whether nodes declared partitioned keep their partitions (false: they serve every job first come, first served on their slots). */
  readonly partitions: boolean;
}
