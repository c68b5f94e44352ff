import { KeyIndex } from './key-index.ts';
import type { CachePolicy, CacheOptions } from './policy.ts';

/**
 * Least recently used: a hit moves the entry to the front; a miss's result is always admitted,
 * evicting from the back (the least recently used) until it fits. A hash index from key to slot
 * ({@link KeyIndex}) and a doubly linked list over typed arrays (an entry's key and size side by
 * side, its two links side by side; slots recycled through a free list): lookup, insert and each
 * eviction are O(1) amortized (the arrays double when full). The classical policy; its hit ratio
 * under independent requests is Che's approximation (Che, Tung & Wang, IEEE JSAC 20(7), 2002),
 * checked in `test/policies/caching.test.ts`.
 */
export class LruCache implements CachePolicy {
  readonly name: string = 'lru';
  private readonly index: KeyIndex;
  /** Slot s: [2s] = key, [2s + 1] = size. */
  private entry = new Float64Array(0);
  /** Slot s: [2s] = previous (more recent), [2s + 1] = next (less recent); −1 at the ends. */
  private link = new Int32Array(0);
  private free = new Int32Array(0);
  private freeCount = 0;
  /** Most and least recently used slots; −1 when empty. */
  private head = -1;
  private tail = -1;
  used = 0;
  readonly capacity: number;

  constructor(options: CacheOptions) {
    this.capacity = options.capacity;
    const n = Math.max(16, Math.min(1024, Math.ceil(options.entriesHint) + 1));
    this.index = new KeyIndex(n);
    this.grow(n);
  }

  get entries(): number {
    return this.index.size;
  }

  lookup(key: number): boolean {
    const s = this.index.get(key);
    if (s < 0) return false;
    if (s !== this.head) {
      this.unlink(s);
      this.pushFront(s);
    }
    return true;
  }

  insert(key: number, size: number): boolean {
    if (size > this.capacity) return false;
    if (this.lookup(key)) return true;
    while (this.used + size > this.capacity) this.evict();
    this.add(key, size);
    return true;
  }

  /** Whether `key` is held, changing nothing (for tests). */
  has(key: number): boolean {
    return this.index.get(key) >= 0;
  }

  /** Whether a result of `size` fits without evicting. */
  fits(size: number): boolean {
    return this.used + size <= this.capacity;
  }

  /**
   * Whether every entry that would be evicted to make room for `size` (from the least recently
   * used on) has a score below `score` (as `scoreOf` gives it); false when they cannot make room.
   */
  victimsBelow(size: number, score: number, scoreOf: (key: number) => number): boolean {
    let freed = 0;
    for (let s = this.tail; s >= 0; s = this.link[2 * s]) {
      if (scoreOf(this.entry[2 * s]) >= score) return false;
      freed += this.entry[2 * s + 1];
      if (this.used - freed + size <= this.capacity) return true;
    }
    return false;
  }

  /** Evicts the least recently used entry. */
  evict(): void {
    const s = this.tail;
    this.unlink(s);
    this.index.delete(this.entry[2 * s]);
    this.used -= this.entry[2 * s + 1];
    this.free[this.freeCount++] = s;
  }

  /** Adds `key` at the front (it must be absent; room must have been made). */
  add(key: number, size: number): void {
    if (this.freeCount === 0) this.grow(2 * (this.entry.length >> 1));
    const s = this.free[--this.freeCount];
    this.entry[2 * s] = key;
    this.entry[2 * s + 1] = size;
    this.index.set(key, s);
    this.used += size;
    this.pushFront(s);
  }

  private pushFront(s: number): void {
    const l = this.link;
    l[2 * s] = -1;
    l[2 * s + 1] = this.head;
    if (this.head >= 0) l[2 * this.head] = s;
    this.head = s;
    if (this.tail < 0) this.tail = s;
  }

  private unlink(s: number): void {
    const l = this.link;
    const p = l[2 * s];
    const n = l[2 * s + 1];
    if (p >= 0) l[2 * p + 1] = n;
    else this.head = n;
    if (n >= 0) l[2 * n] = p;
    else this.tail = p;
  }

  private grow(slots: number): void {
    const old = this.entry.length >> 1;
    const entry = new Float64Array(2 * slots);
    entry.set(this.entry);
    const link = new Int32Array(2 * slots);
    link.set(this.link);
    const free = new Int32Array(slots);
    free.set(this.free.subarray(0, this.freeCount));
    this.entry = entry;
    this.link = link;
    this.free = free;
    for (let s = slots - 1; s >= old; s--) this.free[this.freeCount++] = s;
  }
}

/** A new LRU cache. */
export function lruCache(options: CacheOptions): LruCache {
  return new LruCache(options);
}
