/**
 * `caches.csv`: one row per result cache (nodes with `cache:`), over the measurement window
 * (lookups made from the end of warm-up on), and the console's line about them. Written by
 * `edelear run` beside nodes.csv when some node has a cache.
 */
import type { Row } from '../metrics/summary.ts';
import type { CacheStats } from '../world/caches.ts';
import type { NodeSpec } from '../world/node.ts';

/** Columns of caches.csv. */
export const CACHE_COLUMNS = [
  'scenario',
  'seed',
  'node',
  'kind',
  'policy',
  'capacity',
  'capacity_unit',
  'lookup_s',
  'lookup_energy_J',
  'lookups',
  'hits',
  'hit_ratio',
  'results_offered',
  'results_admitted',
  'latency_saved_s',
  'latency_saved_per_hit_s',
  'energy_saved_J',
  'energy_saved_per_hit_J',
  'entries_at_end',
  'used_at_end',
] as const;

/** caches.csv's rows: one per cache, in the order of the nodes. */
export function cacheRows(stats: readonly CacheStats[], nodes: readonly NodeSpec[], labels: { scenario: string; seed: number }): Row[] {
  return stats.map((c) => ({
    scenario: labels.scenario,
    seed: labels.seed,
    node: nodes[c.node].name,
    kind: nodes[c.node].kind,
    policy: c.policy,
    capacity: c.capacity,
    capacity_unit: c.unit,
    lookup_s: c.lookupTime,
    lookup_energy_J: c.lookupEnergy,
    lookups: c.lookups,
    hits: c.hits,
    // The paper's "caching efficiency" (Table 4): hits per lookup.
    hit_ratio: c.lookups > 0 ? c.hits / c.lookups : NaN,
    results_offered: c.offered,
    results_admitted: c.admitted,
    latency_saved_s: c.latencySaved,
    latency_saved_per_hit_s: c.hits > 0 ? c.latencySaved / c.hits : NaN,
    energy_saved_J: c.energySaved,
    energy_saved_per_hit_J: c.hits > 0 ? c.energySaved / c.hits : NaN,
    entries_at_end: c.entries,
    used_at_end: c.used,
  }));
}

/** The console's line: caches, lookups, hit ratio over all of them, and what the hits saved. */
export function cacheSummaryLine(stats: readonly CacheStats[]): string {
  let lookups = 0;
  let hits = 0;
  let seconds = 0;
  let joules = 0;
  for (const c of stats) {
    lookups += c.lookups;
    hits += c.hits;
    seconds += c.latencySaved;
    joules += c.energySaved;
  }
  const ratio = lookups > 0 ? `${((100 * hits) / lookups).toFixed(1)} %` : '–';
  const n = stats.length;
  return `caches: ${n.toLocaleString('en-US')} cache${n === 1 ? '' : 's'}, ${lookups.toLocaleString('en-US')} lookups, hit ratio ${ratio}, hits saved ${seconds.toPrecision(4)} s of latency and ${joules.toPrecision(4)} J gross (unloaded plan figures, before what misses paid for their lookups; caches.csv)`;
}
