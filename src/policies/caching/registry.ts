import { edelearCache } from './edelear.ts';
import { lfuCache } from './lfu.ts';
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
