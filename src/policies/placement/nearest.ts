import type { NodeKind } from '../../world/node.ts';
import { staticPlacement } from '../../world/placement.ts';
import { PlacementError, type PlacementPolicy } from './placement.ts';

/**
 * Each device's requests execute on the node of a tier with the least unloaded route
 * latency for the request's payload (ties: the first such node in the scenario).
 * Cost: one shortest-path tree per node of the tier, cached by the topology.
 */
export function nearestPlacement(tier: NodeKind): PlacementPolicy {
  return {
    ...staticPlacement,
    name: `nearest:${tier}`,
    candidates(view, request) {
      if (view.nodes[request.device].kind === tier) return [request.device];
      let best = -1;
      let bestLatency = Infinity;
      view.nodes.forEach((n, k) => {
        if (n.kind !== tier) return;
        const l = view.topology.latency(request.device, k, request.inputBytes);
        if (l < bestLatency) {
          bestLatency = l;
          best = k;
        }
      });
      if (best < 0) {
        const any = view.nodes.some((n) => n.kind === tier);
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
