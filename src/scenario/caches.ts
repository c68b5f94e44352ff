import { BANK_CAPACITY, cacheBank, cachePolicy, type CachingName } from '../policies/caching/registry.ts';
import { type CacheRows, type NodeCacheSpec, ResultCaches } from '../world/caches.ts';
import type { NodeSpec } from '../world/node.ts';
import type { WorkloadSpec } from '../world/workload.ts';
import type { Scenario } from './schema.ts';

/**
 * The run's result caches from the nodes' `cache` entries (none without one). Key spaces: a
 * workload entry with `inputs` gets the key space of (model, Zipf exponent, catalog size), so two
 * workloads share cached results exactly when they run the same model on the same declared inputs
 * (the same key means the same input); a workload without `inputs` has all its inputs distinct
 * and never looks up. A cache counted in bytes holds about capacity / (the smallest result of a
 * cacheable workload) entries, which sizes the EDeLeaR policy's frequency sketch. Caches counted
 * in entries (up to {@link BANK_CAPACITY}) of one policy and capacity share a bank, one row each
 * (`cacheBank`: the same behaviour as a store each, in shared arrays); the others get a store each.
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
  /** Banks (policy, capacity, rows so far), and their index by policy and capacity. */
  const bankSpecs: { policy: CachingName; capacity: number; rows: number }[] = [];
  const bankOf = new Map<string, number>();
  nodes.forEach((_, k) => {
    const c = s.nodes[entryOf[k]].cache;
    if (!c) return;
    const capacity = c.capacity.value;
    const entriesHint = c.capacity.unit === 'entries' ? capacity : Math.min(1e7, Math.max(1, capacity / (Number.isFinite(smallest) ? smallest : 1)));
    let shared: NodeCacheSpec['shared'];
    if (c.capacity.unit === 'entries' && capacity <= BANK_CAPACITY) {
      const name = `${c.policy} ${capacity}`;
      let b = bankOf.get(name);
      if (b === undefined) {
        bankOf.set(name, (b = bankSpecs.length));
        bankSpecs.push({ policy: c.policy, capacity, rows: 0 });
      }
      shared = { bank: b, row: bankSpecs[b].rows++ };
    }
    caches.push({
      shared,
      node: k,
      policy: c.policy,
      capacity,
      unit: c.capacity.unit,
      lookupTime: c.lookup,
      lookupEnergy: c.energy,
      make: () => cachePolicy(c.policy, { capacity, entriesHint }),
    });
  });
  const makeBanks = bankSpecs.map(({ policy, capacity, rows }) => (): CacheRows => cacheBank(policy, capacity, rows));
  return new ResultCaches(nodes.length, caches, spaceOf, Float64Array.from(workloads, (w) => w.resultBytes), s.warmup, makeBanks);
}
