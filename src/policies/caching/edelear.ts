import { FrequencySketch } from './frequency-sketch.ts';
import { LruCache } from './lru.ts';
import type { CachePolicy, CacheOptions } from './policy.ts';

/**
 * EDeLeaR's result cache: reuse results for repeated inputs (Farooq & Khan 2024, §III.D,
 * "Cached_Result = Compute(Shared_Input)"), admitting by observed popularity. The paper gives
 * the principle, not the algorithm; this is TinyLFU's admission (Einziger, Friedman & Manes,
 * "TinyLFU: A Highly Efficient Cache Admission Policy", ACM ToS 13(4), 2017) over an LRU cache:
 * every lookup counts one request for its key in a bounded-memory frequency sketch
 * ({@link FrequencySketch}: count-min, 4-bit counters, halved every 10 × entries requests); a
 * miss's result is admitted at once while it fits, and otherwise only when its key's estimated
 * frequency beats that of every entry LRU would evict to make room for it (one entry when sizes
 * are equal) — then those are evicted and it is admitted, else the cache is left as it is. Under
 * independent requests this keeps the most popular keys (the sketch approximates frequencies in
 * the recent sample), so its hit ratio exceeds LRU's and approaches perfect LFU's. Lookup and
 * insert are O(1) amortized: the sketch's 4 counters, the LRU's map and list, and per admission
 * the victims it evicts (each entry is evicted once; a refused admission looks at as many as its
 * size needs).
 */
export class EdelearCache implements CachePolicy {
  readonly name = 'edelear';
  private readonly lru: LruCache;
  private readonly sketch: FrequencySketch;
  /** A victim's observed popularity (made once: inserts run per request). */
  private readonly popularity = (key: number): number => this.sketch.estimate(key);

  constructor(options: CacheOptions) {
    this.lru = new LruCache(options);
    this.sketch = new FrequencySketch(options.entriesHint);
  }

  get entries(): number {
    return this.lru.entries;
  }

  get used(): number {
    return this.lru.used;
  }

  /** Whether `key` is held, changing nothing (for tests). */
  has(key: number): boolean {
    return this.lru.has(key);
  }

  /** The sketch's estimate for `key` (for tests). */
  estimate(key: number): number {
    return this.sketch.estimate(key);
  }

  lookup(key: number): boolean {
    this.sketch.add(key);
    return this.lru.lookup(key);
  }

  insert(key: number, size: number): boolean {
    const lru = this.lru;
    if (size > lru.capacity) return false;
    if (lru.lookup(key)) return true;
    if (!lru.fits(size)) {
      const f = this.sketch.estimate(key);
      if (!lru.victimsBelow(size, f, this.popularity)) return false;
      while (!lru.fits(size)) lru.evict();
    }
    lru.add(key, size);
    return true;
  }
}

/** A new EDeLeaR cache. */
export function edelearCache(options: CacheOptions): EdelearCache {
  return new EdelearCache(options);
}
