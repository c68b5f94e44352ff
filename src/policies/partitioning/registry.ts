/** Partitioning policies by name: EDeLeaR's split choice and the no-split baselines. */
import { AllLocalPartitioning } from './all-local.ts';
import { AllRemotePartitioning } from './all-remote.ts';
import { EdelearPartitioning } from './edelear.ts';
import type { PartitioningFactory } from './policy.ts';

/** Every partitioning policy, by the name a scenario will give it. */
export const PARTITIONING_POLICIES = {
  edelear: (profile, objective) => new EdelearPartitioning(profile, objective),
  'all-local': (profile) => new AllLocalPartitioning(profile),
  'all-remote': (profile) => new AllRemotePartitioning(profile),
} as const satisfies Record<string, PartitioningFactory>;

/** A partitioning policy's name. */
export type PartitioningPolicyName = keyof typeof PARTITIONING_POLICIES;
