import type { World } from '../world/world.ts';
import { busyShare } from './busy-share.ts';

/**
 * Nodes and links a run found saturated: busy (almost) all of the measurement window with a
 * backlog at its end. The build's check (world/offered-load.ts) reads the declared load, split
 * evenly over candidates; this reads what happened, so it also catches what run-time decisions
 * did — a policy that piled requests on one node, splits that sent more bytes than the input, a
 * device all-local partitioning overloads. A queue offered ρ ≥ 1 grows for the whole run, so the
 * latencies through it depend on the run's length and there is no steady state to report; one at
 * ρ just below 1 needs far longer than most runs to settle (M/M/1 at ρ = 0.99: a relaxation time
 * of the order of 1 / (μ (1 − √ρ)²) ≈ 40,000 service times; Morse, 1955). Either way the figures
 * through it are not the steady-state ones, which is what the warning says.
 */
export interface Saturated {
  /** Directed link (2i: link i from a to b) or node index. */
  readonly index: number;
  /** Busy share of the measurement window (a node: of its slots' time). */
  readonly utilization: number;
  /** At the end: a node's jobs waiting (not in service); a link's seconds of transmission reserved and not yet sent. */
  readonly backlog: number;
  /** A node's mean queue length over the window (jobs waiting), for comparison; a link: 0. */
  readonly meanQueue: number;
}

/** Busy share from which a node or link counts as saturated (with a backlog at the end). */
export const SATURATED_UTILIZATION = 0.99;

/**
 * The nodes without a bound on their queue (no queue limit, no admission control: with one, the
 * excess is dropped and counted) busy ≥ {@link SATURATED_UTILIZATION} of the window whose jobs waiting at the end are
 * at least 10 per slot and above the window's mean (a queue that grew rather than one that
 * happened to be long), and the queueing links without `maxWait` busy that long with at least 1 s and 1 % of the
 * window of transmission still reserved at the end. Nothing for a window of 0. O(nodes + links).
 */
export function saturation(world: World): { nodes: Saturated[]; links: Saturated[] } {
  const { spec, meters } = world;
  const end = world.end;
  const window = end - spec.warmup;
  const nodes: Saturated[] = [];
  const links: Saturated[] = [];
  if (!(window > 0)) return { nodes, links };
  spec.nodes.forEach((node, k) => {
    // A bounded queue (a queue limit, admission control) does not grow: its excess is dropped, and counted so in requests.csv.
    if (node.queueLimit !== undefined || spec.admission?.governs(k)) return;
    const t = meters.totals(k);
    const w = meters.totalsAtWarmup(k);
    const utilization = busyShare(t.busyArea - w.busyArea, node.slots * window);
    if (!(utilization >= SATURATED_UTILIZATION)) return;
    const waiting = meters.waiting(k);
    const meanQueue = (t.queueArea - w.queueArea) / window;
    if (waiting >= 10 * node.slots && waiting > meanQueue) nodes.push({ index: k, utilization, backlog: waiting, meanQueue });
  });
  spec.links.forEach((l, i) => {
    if (l.analytic !== undefined || l.maxWait !== undefined) return; // its delay follows its model, or its backlog is bounded (the excess dropped as link-congested)
    for (const d of [2 * i, 2 * i + 1]) {
      const utilization = busyShare(world.linkBusyUntil(d, end) - world.links.busyAtWarmup(d), window);
      if (!(utilization >= SATURATED_UTILIZATION)) continue;
      const backlog = world.links.backlog(d, end);
      if (backlog >= 1 && backlog >= 0.01 * window) links.push({ index: d, utilization, backlog, meanQueue: 0 });
    }
  });
  return { nodes, links };
}
