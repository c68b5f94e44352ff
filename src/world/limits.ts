import type { Links } from './links.ts';
import type { NodeMeters } from './meters.ts';

/** Requests alive at once past which a run stops, unless a scenario says otherwise (limits.requestsInFlight). */
export const DEFAULT_MAX_IN_FLIGHT = 10_000_000;

/** Where requests pile up at `now`: the node with the most jobs and the link with the longest backlog. */
export function pileUp(meters: NodeMeters, links: Links, now: number): string {
  const nodes = meters.nodes;
  let node = 0;
  for (let k = 1; k < nodes.length; k++) if (meters.jobs(k) > meters.jobs(node)) node = k;
  const where = [`${meters.jobs(node).toLocaleString('en-US')} at node ${nodes[node].name}`];
  let link = -1;
  let backlog = 0;
  for (let d = 0; d < links.count; d++) {
    const b = links.backlog(d, now);
    if (b > backlog) [link, backlog] = [d, b];
  }
  if (link >= 0) where.push(`link ${nodes[links.sender(link)].name}→${nodes[links.receiver(link)].name} has ${backlog.toPrecision(3)} s of transfers queued`);
  return where.join('; ');
}
