import { globMatcher } from '../../world/names.ts';
import { PlacementError, type CandidateSet, type PlacementRequest, type PlacementView } from './placement.ts';

/**
 * The candidate nodes of a request source for a run-time policy: the issuing device when the
 * set names the `device` tier, every node of the other tiers named, and every node matching the
 * names, in scenario order, keeping only those reachable from the device.
 */
export function candidateResolver(set: CandidateSet): (view: PlacementView, request: PlacementRequest) => readonly number[] {
  const matchers = set.nodes.map(globMatcher);
  return (view, request) => {
    const picked: number[] = [];
    view.nodes.forEach((n, k) => {
      if (k === request.device ? set.tiers.includes('device') || matchers.some((m) => m(n.name)) : (n.kind !== 'device' && set.tiers.includes(n.kind)) || matchers.some((m) => m(n.name))) {
        if (k === request.device || Number.isFinite(view.topology.latency(request.device, k, request.inputBytes))) picked.push(k);
      }
    });
    if (picked.length === 0) {
      throw new PlacementError(`no candidate node (tiers ${set.tiers.join(', ') || 'none'}, nodes ${set.nodes.join(', ') || 'none'}) is reachable from ${view.nodes[request.device].name}`);
    }
    return picked;
  };
}
