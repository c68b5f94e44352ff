/**
 * The partitioning decision point: where to split a model between the device a request is born
 * on and a server. A policy is built over one (model, device, server) {@link SplitProfile} and an
 * objective, and answers `choose(state)` — the number of layers the device runs (0 = all remote,
 * L = all local) — from the network and the server's queue as they are now, so it re-decides
 * whenever they change (at each monitoring tick, or per request).
 */
import type { SplitObjective, SplitProfile, SplitState } from './cost.ts';

/** A split-point policy over one (model, device, server) profile. */
export interface PartitioningPolicy {
  readonly name: string;
  readonly profile: SplitProfile;
  /** Layers the device runs for the state now: 0 … L. */
  choose(state: SplitState): number;
}

/** Builds a policy over a profile for an objective. */
export type PartitioningFactory = (profile: SplitProfile, objective: SplitObjective) => PartitioningPolicy;
