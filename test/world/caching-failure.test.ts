import { describe, expect, it } from 'vitest';
import { lruCache } from '../../src/policies/caching/lru.ts';
import { ResultCaches } from '../../src/world/caches.ts';

describe('a result cache is lost when its node goes down', () => {
  it('a held result is a hit before the node fails and a miss after (the cache starts empty at the repair)', () => {
    // One LRU cache of 10 entries at node 1; instance 0's inputs are key space 0, results 400 B.
    const caches = new ResultCaches(2, [{ node: 1, policy: 'lru', capacity: 10, unit: 'entries', lookupTime: 0, lookupEnergy: 0, make: () => lruCache({ capacity: 10, entriesHint: 10 }) }], Int32Array.of(0), Float64Array.of(400), 0);
    expect(caches.lookup(1, 0, 7, 1)).toBe(false);
    caches.insert(1, 0, 7, 1);
    expect(caches.lookup(1, 0, 7, 2)).toBe(true);
    caches.clear(0); // another node: nothing happens here
    expect(caches.lookup(1, 0, 7, 3)).toBe(true);
    caches.clear(1);
    expect(caches.lookup(1, 0, 7, 4)).toBe(false);
    const [s] = caches.stats();
    expect([s.lookups, s.hits]).toEqual([4, 2]); // counts carry on over the failure
  });
});
