import type { NodeKind } from '../../world/node.ts';
import { staticPlacement } from '../../world/placement.ts';
import { PlacementError, type PlacementPolicy } from './placement.ts';

/**
 * Each device's requests execute on the node of a tier with the least unloaded route
 * latency for the request's payload (ties: the first such node in the scenario).
 * Cost: one Dijkstra from all the tier's nodes at once per payload size (Topology.nearest),
 * then O(1) per device.
 */
export function nearestPlacement(tier: NodeKind): PlacementPolicy {
  let tierNodes: number[] | undefined;
  return {
    ...staticPlacement,
    name: `nearest:${tier}`,
    candidates(view, request) {
      if (view.nodes[request.device].kind === tier) return [request.device];
      // The tier's nodes, found once; then one search from all of them answers every device.
      tierNodes ??= view.nodes.flatMap((n, k) => (n.kind === tier ? [k] : []));
      const best = view.topology.nearest(request.device, tierNodes, request.inputBytes);
      if (best < 0) {
        const any = tierNodes.length > 0;
        throw new PlacementError(
          any
            ? `no ${tier} node is reachable from ${view.nodes[request.device].name}: the topology is disconnected (add a link)`
            : `the scenario has no node of kind ${tier}`,
        );
      }
      return [best];
    },
  };
}
