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
  /** On a partitioned node, the tenant (workload group, or the processes after them) whose partition was saturated; absent for a whole node or link. */
  readonly tenant?: number;
  /** Busy share of the measurement window (a node: of its slots' time). */
  readonly utilization: number;
  /** At the end: a node's jobs beyond its slots (waiting, or sharing them); a link's seconds of transmission reserved and not yet sent. */
  readonly backlog: number;
  /** A node's jobs at the end less at the window's start, and jobs it served in the window; a link: 0. */
  readonly growth: number;
  readonly served: number;
}

/** Busy share of the window from which a node or link may count as saturated: one offered ρ > 1 idles only while its queue first builds. */
export const SATURATED_UTILIZATION = 0.99;

/**
 * Growth of a node's jobs over the window, in standard deviations of a stable count: it counts as
 * saturated when its jobs grew by at least this × √(jobs served). A stable queue's growth over
 * a window stays of the order of its stationary spread, whatever the window; an overloaded one's
 * grows as (ρ − 1) × served, so with √served the rule flags any ρ > 1 once the run is long enough
 * (a share of served would miss ρ < 1 + that share however long the run: helper-77). Measured on
 * 1,000 M/M/1 queues (scenarios/bench/mm1-10k.yaml, `nodes[0].count=1000`, no warm-up) and on
 * single queues near ρ = 1: the figures are in docs/design.md.
 */
export const SATURATED_GROWTH = 3;

/**
 * The nodes without a bound on their queue (no queue limit, no admission control: with one, the
 * excess is dropped and counted) busy ≥ {@link SATURATED_UTILIZATION} of the window whose jobs
 * grew over it by at least 10 a slot and {@link SATURATED_GROWTH} × √(jobs served), with at least
 * 10 a slot beyond their slots at the end (a queue that grew, not one that happened to be long);
 * and the queueing links without `maxWait` busy ≥ {@link SATURATED_UTILIZATION} of the window with at least 1 s and 1 % of
 * the window of transmission still reserved at the end (a stable link's backlog is a few
 * transfers, milliseconds). Nothing for a window of 0. O(nodes + links).
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
    const busy = t.busyArea - w.busyArea;
    const utilization = busyShare(busy, node.slots * window);
    if (!(utilization >= SATURATED_UTILIZATION)) return;
    const jobs = meters.jobs(k);
    const backlog = Math.max(0, jobs - node.slots);
    const growth = jobs - meters.jobsAtWarmup(k);
    const served = t.served - w.served;
    if (backlog >= 10 * node.slots && growth >= 10 * node.slots && growth >= SATURATED_GROWTH * Math.sqrt(served)) nodes.push({ index: k, utilization, backlog, growth, served });
  });
  // A tenant's partition (one server at its share, FCFS) by the same rule, on a node not saturated as a whole: a node can idle in
  // one partition while another's queue grows (helper-77). Its busy share is the time it served (jobs, and a share > 0).
  const whole = new Set(nodes.map((o) => o.index));
  spec.nodes.forEach((node, k) => {
    if (node.scheduler !== 'partitioned' || whole.has(k) || node.queueLimit !== undefined || spec.admission?.governs(k)) return;
    for (let t = 0; t < (node.shares?.length ?? 0); t++) {
      const q = world.tenantWindow(k, t);
      if (!q) continue;
      const utilization = busyShare(q.serving, window);
      if (!(utilization >= SATURATED_UTILIZATION)) continue;
      const backlog = Math.max(0, q.jobs - 1);
      const growth = q.jobs - q.jobsAtStart;
      if (backlog >= 10 && growth >= 10 && growth >= SATURATED_GROWTH * Math.sqrt(q.completed)) nodes.push({ index: k, tenant: t, utilization, backlog, growth, served: q.completed });
    }
  });
  spec.links.forEach((l, i) => {
    if (l.analytic !== undefined || l.maxWait !== undefined) return; // its delay follows its model, or its backlog is bounded (the excess dropped as link-congested)
    for (const d of [2 * i, 2 * i + 1]) {
      const utilization = busyShare(world.linkBusyUntil(d, end) - world.links.busyAtWarmup(d), window);
      if (!(utilization >= SATURATED_UTILIZATION)) continue;
      const backlog = world.links.backlog(d, end);
      if (backlog >= 1 && backlog >= 0.01 * window) links.push({ index: d, utilization, backlog, growth: 0, served: 0 });
    }
  });
  return { nodes, links };
}
