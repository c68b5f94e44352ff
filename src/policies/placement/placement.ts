import type { NodeKind, NodeSpec } from '../../world/node.ts';
import type { LpOptions } from '../offloading/lp.ts';
import type { PlacementPolicy as RunTimePlacement } from '../../world/placement.ts';
import type { Topology } from '../../world/topology.ts';

/** What a placement policy sees of the world when it is built (names, tiers, routes). */
export interface PlacementView {
  readonly nodes: readonly NodeSpec[];
  readonly topology: Topology;
  /** Node index by name, undefined when there is no such node. */
  nodeIndex(name: string): number | undefined;
}

/** A request source to place: the issuing device and the payload it sends. */
export interface PlacementRequest {
  readonly device: number;
  readonly inputBytes: number;
}

/**
 * The placement decision point: which node executes a workload instance's requests. When the
 * world is built, a policy names each instance's candidate nodes; while it runs, the world asks
 * it (the run-time interface of src/world/placement.ts) which candidate the next requests take.
 */
export interface PlacementPolicy extends RunTimePlacement {
  /** The candidate nodes of a request source; throws {@link PlacementError} when there are none. */
  candidates(view: PlacementView, request: PlacementRequest): readonly number[];
}

/**
 * A placement that cannot be made (no such node, no node of a tier reachable…). The scenario
 * builder reports it at the placement entry, or where `key` says the cause is: a path under the
 * placement entry (`{ placement: ['lp', 'privacy'] }`) or under the workload (`{ workload: ['deadline'] }`).
 */
export class PlacementError extends Error {
  constructor(
    message: string,
    readonly key?: { readonly placement: readonly PropertyKey[] } | { readonly workload: readonly PropertyKey[] },
  ) {
    super(message);
  }
}

/** Which nodes a run-time policy chooses among: nodes of some tiers (`device`: the issuing device itself) and named nodes. */
export interface CandidateSet {
  readonly tiers: readonly NodeKind[];
  /** Node names or patterns with *. */
  readonly nodes: readonly string[];
}

/** How a scenario names a placement policy. */
export type PlacementChoice =
  | { readonly policy: 'local' }
  | { readonly policy: 'fixed'; readonly node: string }
  | { readonly policy: 'nearest'; readonly tier: NodeKind }
  | { readonly policy: 'random' | 'round-robin' | 'least-loaded' | 'join-shortest-queue'; readonly among: CandidateSet }
  | { readonly policy: 'lp'; readonly among: CandidateSet; readonly options: LpOptions };
