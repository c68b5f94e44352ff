import { staticPlacement } from '../../world/placement.ts';
import { PlacementError, type PlacementPolicy } from './placement.ts';

/** Every request executes on one named node (full offloading to it). Cost O(1). */
export function fixedPlacement(nodeName: string): PlacementPolicy {
  return {
    ...staticPlacement,
    name: `fixed:${nodeName}`,
    candidates(view) {
      const k = view.nodeIndex(nodeName);
      if (k === undefined) {
        const similar = view.nodes.filter((n) => n.name.startsWith(`${nodeName}-`)).map((n) => n.name);
        const hint = similar.length > 0 ? ` (did you mean ${similar.slice(0, 3).join(', ')}${similar.length > 3 ? ', …' : ''}, or { nearest: ${view.nodes[view.nodeIndex(similar[0])!].kind} }?)` : '';
        throw new PlacementError(`no node named "${nodeName}"${hint}`);
      }
      return [k];
    },
  };
}
