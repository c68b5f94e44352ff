import { globMatcher } from '../../world/names.ts';
import type { NodeSpec } from '../../world/node.ts';
import { PlacementError, type CandidateSet, type PlacementRequest, type PlacementView } from './placement.ts';

/**
 * The candidate nodes of a request source for a run-time policy: the issuing device when the
 * set names the `device` tier, every node of the other tiers named, and every node matching the
 * names, in scenario order, keeping only those reachable from the device. The nodes the set
 * names are found once (the first time), so resolving each source costs O(candidates), not
 * O(nodes).
 */
export function candidateResolver(set: CandidateSet): (view: PlacementView, request: PlacementRequest) => readonly number[] {
  const matchers = set.nodes.map(globMatcher);
  const named = (n: NodeSpec): boolean => matchers.some((m) => m(n.name));
  const itself = set.tiers.includes('device');
  /** Nodes the set names whatever the source: other tiers, and names. */
  let fixed: number[] | undefined;
  return (view, request) => {
    fixed ??= view.nodes.flatMap((n, k) => ((n.kind !== 'device' && set.tiers.includes(n.kind)) || named(n) ? [k] : []));
    const device = request.device;
    const picked: number[] = [];
    let placedDevice = !(itself || named(view.nodes[device]));
    for (const k of fixed) {
      if (!placedDevice && device <= k) {
        picked.push(device);
        placedDevice = true;
        if (k === device) continue;
      }
      if (k !== device && view.topology.connected(device, k)) picked.push(k);
    }
    if (!placedDevice) picked.push(device);
    if (picked.length === 0) {
      throw new PlacementError(`no candidate node (tiers ${set.tiers.join(', ') || 'none'}, nodes ${set.nodes.join(', ') || 'none'}) is reachable from ${view.nodes[device].name}`);
    }
    return picked;
  };
}
