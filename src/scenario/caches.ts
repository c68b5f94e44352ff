import { cachePolicy } from '../policies/caching/registry.ts';
import { type NodeCacheSpec, ResultCaches } from '../world/caches.ts';
import type { NodeSpec } from '../world/node.ts';
import type { WorkloadSpec } from '../world/workload.ts';
import type { Scenario } from './schema.ts';

/**
 * The run's result caches from the nodes' `cache` entries (none without one). Key spaces: a
 * workload entry with `inputs` gets the key space of (model, Zipf exponent, catalog size), so two
 * workloads share cached results exactly when they run the same model on the same declared inputs
 * (the same key means the same input); a workload without `inputs` has all its inputs distinct
 * and never looks up. A cache counted in bytes holds about capacity / (the smallest result of a
 * cacheable workload) entries, which sizes the EDeLeaR policy's frequency sketch.
 */
export function resultCachesOf(s: Scenario, nodes: readonly NodeSpec[], entryOf: readonly number[], workloads: readonly WorkloadSpec[]): ResultCaches | undefined {
  if (!s.nodes.some((n) => n.cache !== undefined)) return undefined;
  const spaces = new Map<string, number>();
  const spaceOf = new Int32Array(workloads.length).fill(-1);
  let smallest = Infinity;
  workloads.forEach((wl, i) => {
    const inputs = s.workloads[wl.group].inputs;
    if (!inputs) return;
    const key = JSON.stringify([wl.model.name, inputs.zipf, inputs.catalog]);
    let space = spaces.get(key);
    if (space === undefined) spaces.set(key, (space = spaces.size));
    spaceOf[i] = space;
    smallest = Math.min(smallest, Math.max(1, wl.resultBytes));
  });
  const caches: NodeCacheSpec[] = [];
  nodes.forEach((_, k) => {
    const c = s.nodes[entryOf[k]].cache;
    if (!c) return;
    const capacity = c.capacity.value;
    const entriesHint = c.capacity.unit === 'entries' ? capacity : Math.min(1e7, Math.max(1, capacity / (Number.isFinite(smallest) ? smallest : 1)));
    caches.push({
      node: k,
      policy: c.policy,
      capacity,
      unit: c.capacity.unit,
      lookupTime: c.lookup,
      lookupEnergy: c.energy,
      make: () => cachePolicy(c.policy, { capacity, entriesHint }),
    });
  });
  return new ResultCaches(nodes.length, caches, spaceOf, Float64Array.from(workloads, (w) => w.resultBytes), s.warmup);
}
