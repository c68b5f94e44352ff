import type { NodeKind, NodeSpec } from '../../world/node.ts';
import type { Topology } from '../../world/topology.ts';

/** What a placement policy sees of the world when it plans. */
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

/** The placement decision point: which node executes a workload instance's requests. */
export interface PlacementPolicy {
  readonly name: string;
  /** Returns the executing node's index; throws {@link PlacementError} when it cannot place. */
  place(view: PlacementView, request: PlacementRequest): number;
}

/** A placement that cannot be made (no such node, no node of a tier reachable…). */
export class PlacementError extends Error {}

/** How a scenario names a placement policy. */
export type PlacementChoice =
  | { readonly policy: 'local' }
  | { readonly policy: 'fixed'; readonly node: string }
  | { readonly policy: 'nearest'; readonly tier: NodeKind };
