import type { PlacementTable } from '../../world/placement.ts';
import type { WorldView } from '../../world/view.ts';
import { candidateResolver } from './candidates.ts';
import type { CandidateSet, PlacementPolicy } from './placement.ts';

/**
 * Requests go to the up candidate with the fewest jobs per slot (waiting and in service) at
 * decision time. With `policies.interval` the decision is taken at every tick for every
 * instance and requests follow it until the next (the re-planned form: cheap, but herds
 * between ticks); without it, at every request. Ties go to the candidate after the instance's
 * index (mod the ties), so instances spread over equally loaded nodes. Cost per tick
 * O(Σ candidates) — instances with the same candidates are decided together — or
 * O(candidates) per request.
 */
export function leastLoadedPlacement(among: CandidateSet, options: { perRequest: boolean }): PlacementPolicy {
  /** Instances grouped by their candidate list (computed at the first plan). */
  let groups: Int32Array[] | undefined;
  /** Room for the tied candidates (at most every node). */
  let tied = new Int32Array(0);
  return {
    name: 'least-loaded',
    replans: !options.perRequest,
    candidates: candidateResolver(among),
    plan(view, table, instances) {
      if (options.perRequest) {
        for (const i of instances) table.setAsk(i);
        return;
      }
      groups ??= groupByCandidates(table, instances);
      if (tied.length < view.nodes.length) tied = new Int32Array(view.nodes.length);
      for (const group of groups) {
        const ties = leastLoaded(view, table, group[0], tied);
        for (const i of group) table.setSingle(i, ties > 0 ? tied[i % ties] : 0);
      }
    },
    choose(view, table, i) {
      if (tied.length < view.nodes.length) tied = new Int32Array(view.nodes.length);
      return leastLoaded(view, table, i, tied) > 0 ? tied[0] : 0;
    },
  };
}

/**
 * The candidates of instance i with the fewest jobs per slot among those up, written to
 * `tied` in candidate order; returns how many there are (0 when none is up).
 */
export function leastLoaded(view: WorldView, table: PlacementTable, i: number, tied: Int32Array): number {
  const n = table.count(i);
  let best = Infinity;
  let ties = 0;
  for (let c = 0; c < n; c++) {
    const k = table.node(i, c);
    if (!view.isUp(k)) continue;
    const load = view.jobs(k) / view.nodes[k].slots;
    if (load < best) {
      best = load;
      ties = 0;
    }
    if (load === best) tied[ties++] = c;
  }
  return ties;
}

function groupByCandidates(table: PlacementTable, instances: Int32Array): Int32Array[] {
  const byKey = new Map<string, number[]>();
  for (const i of instances) {
    const key = table.candidates.subarray(table.start[i], table.start[i + 1]).join(',');
    let g = byKey.get(key);
    if (!g) byKey.set(key, (g = []));
    g.push(i);
  }
  return [...byKey.values()].map((g) => Int32Array.from(g));
}
