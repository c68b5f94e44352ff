import type { CacheRows } from '../../world/caches.ts';
import { edelearCache } from './edelear.ts';
import { LfuBank } from './lfu-bank.ts';
import { lfuCache } from './lfu.ts';
import { LruBank } from './lru-bank.ts';
import { lruCache } from './lru.ts';
import type { CacheOptions, CachePolicy } from './policy.ts';

/** Caching policies a scenario may name in a node's `cache.policy`. */
export const CACHING_POLICIES = ['lru', 'lfu', 'edelear'] as const;
/** One of {@link CACHING_POLICIES}. */
export type CachingName = (typeof CACHING_POLICIES)[number];

/** A new, empty cache of this policy (each run gets its own). */
export function cachePolicy(name: CachingName, options: CacheOptions): CachePolicy {
  switch (name) {
    case 'lru':
      return lruCache(options);
    case 'lfu':
      return lfuCache(options);
    case 'edelear':
      return edelearCache(options);
  }
}

/** Largest capacity, in entries, a cache bank holds (its links are 16-bit). */
export const BANK_CAPACITY = 32_766;

/**
 * A new bank of `rows` empty caches of this policy, each of `capacity` entries (an integer from 1
 * to {@link BANK_CAPACITY}): the same behaviour, cache by cache, as `rows` caches from
 * {@link cachePolicy} whose results each take 1, in shared arrays (`lru-bank.ts`, `lfu-bank.ts`).
 */
export function cacheBank(name: CachingName, capacity: number, rows: number): CacheRows {
  switch (name) {
    case 'lru':
    case 'edelear':
      return new LruBank(name, capacity, rows);
    case 'lfu':
      return new LfuBank(capacity, rows);
  }
}
