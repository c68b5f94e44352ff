import type { CacheStore } from '../../world/observer.ts';

/**
 * The caching decision point: what a node's result cache keeps. The world's run-time interface
 * ({@link CacheStore}: `lookup(key)` → hit, `insert(key, size)` of a missed key's result →
 * admitted) plus a name. A key is a number (the world packs a workload's key space and the
 * input's rank into one, `world/caches.ts`); sizes are in the cache's capacity unit (1 per entry
 * for a capacity in entries, result bytes for a capacity in bytes). A result larger than the
 * whole capacity is never admitted. One file per policy, a registry by name (`registry.ts`),
 * selected by a node's `cache.policy`.
 */
export interface CachePolicy extends CacheStore {
  readonly name: string;
}

/** What every policy is built with. */
export interface CacheOptions {
  /** Capacity, in entries or bytes (the unit the sizes given to `insert` use). */
  readonly capacity: number;
  /** About how many entries the capacity holds (sizes the EDeLeaR policy's frequency sketch); the capacity itself when it counts entries. */
  readonly entriesHint: number;
}
