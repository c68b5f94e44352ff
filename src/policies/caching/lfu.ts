import { KeyIndex } from './key-index.ts';
import type { CachePolicy, CacheOptions } from './policy.ts';

/**
 * Least frequently used (in-cache LFU): each entry counts its hits since it was admitted; a
 * miss's result is always admitted with a count of 1, evicting the entry of least count (the
 * least recently used among equal counts) until it fits; an evicted key's count is forgotten.
 * The O(1) scheme of Shah, Mitra & Matani, "An O(1) algorithm for implementing the LFU cache
 * eviction scheme" (2010): a list of frequency nodes in increasing count, each with the list of
 * its entries, so a hit moves its entry to the next count's node (made if missing) and the victim
 * is the tail of the first node. Lookup, insert and each eviction are O(1) amortized (a hash index
 * from key to slot, {@link KeyIndex}; typed arrays doubled when full, slots and frequency nodes
 * recycled).
 */
export class LfuCache implements CachePolicy {
  readonly name = 'lfu';
  private readonly slotOf: KeyIndex;
  // Entries: key, size, frequency node, neighbours within the node's list.
  private keys = new Float64Array(0);
  private sizes = new Float64Array(0);
  private nodeOf = new Int32Array(0);
  private prev = new Int32Array(0);
  private next = new Int32Array(0);
  private freeSlots: number[] = [];
  // Frequency nodes: count, first and last entry, neighbours in the ascending list.
  private count = new Float64Array(0);
  private first = new Int32Array(0);
  private last = new Int32Array(0);
  private lower = new Int32Array(0);
  private higher = new Int32Array(0);
  private freeNodes: number[] = [];
  /** The frequency node of least count; −1 when empty. */
  private least = -1;
  used = 0;
  readonly capacity: number;

  constructor(options: CacheOptions) {
    this.capacity = options.capacity;
    const n = Math.max(16, Math.min(1024, Math.ceil(options.entriesHint) + 1));
    this.slotOf = new KeyIndex(n);
    this.growSlots(n);
    this.growNodes(16);
  }

  get entries(): number {
    return this.slotOf.size;
  }

  lookup(key: number): boolean {
    const s = this.slotOf.get(key);
    if (s < 0) return false;
    this.touch(s);
    return true;
  }

  insert(key: number, size: number): boolean {
    if (size > this.capacity) return false;
    const old = this.slotOf.get(key);
    if (old >= 0) {
      this.touch(old);
      return true;
    }
    while (this.used + size > this.capacity) this.evict();
    if (this.freeSlots.length === 0) this.growSlots(this.keys.length * 2);
    const s = this.freeSlots.pop()!;
    this.keys[s] = key;
    this.sizes[s] = size;
    this.slotOf.set(key, s);
    this.used += size;
    let f = this.least;
    if (f < 0 || this.count[f] !== 1) f = this.newNode(1, -1, f);
    this.attach(s, f);
    return true;
  }

  /** Whether `key` is held, changing nothing (for tests). */
  has(key: number): boolean {
    return this.slotOf.get(key) >= 0;
  }

  /** Count of the entry of `key` (0 when absent); for tests. */
  countOf(key: number): number {
    const s = this.slotOf.get(key);
    return s < 0 ? 0 : this.count[this.nodeOf[s]];
  }

  /** A hit: the entry moves to the node of the next count. */
  private touch(s: number): void {
    const f = this.nodeOf[s];
    const c = this.count[f] + 1;
    let g = this.higher[f];
    if (g < 0 || this.count[g] !== c) g = this.newNode(c, f, g);
    this.detach(s);
    this.attach(s, g);
  }

  private evict(): void {
    const f = this.least;
    const s = this.last[f];
    this.detach(s);
    this.slotOf.delete(this.keys[s]);
    this.used -= this.sizes[s];
    this.freeSlots.push(s);
  }

  /** Puts entry s first in node f's list. */
  private attach(s: number, f: number): void {
    this.nodeOf[s] = f;
    this.prev[s] = -1;
    const h = this.first[f];
    this.next[s] = h;
    if (h >= 0) this.prev[h] = s;
    else this.last[f] = s;
    this.first[f] = s;
  }

  /** Takes entry s out of its node's list, and the node out of the frequency list when it empties. */
  private detach(s: number): void {
    const f = this.nodeOf[s];
    const p = this.prev[s];
    const n = this.next[s];
    if (p >= 0) this.next[p] = n;
    else this.first[f] = n;
    if (n >= 0) this.prev[n] = p;
    else this.last[f] = p;
    if (this.first[f] < 0) {
      const lo = this.lower[f];
      const hi = this.higher[f];
      if (lo >= 0) this.higher[lo] = hi;
      else this.least = hi;
      if (hi >= 0) this.lower[hi] = lo;
      this.freeNodes.push(f);
    }
  }

  /** A new, empty frequency node of count c between `lo` and `hi` (−1: none). */
  private newNode(c: number, lo: number, hi: number): number {
    if (this.freeNodes.length === 0) this.growNodes(this.count.length * 2);
    const f = this.freeNodes.pop()!;
    this.count[f] = c;
    this.first[f] = -1;
    this.last[f] = -1;
    this.lower[f] = lo;
    this.higher[f] = hi;
    if (lo >= 0) this.higher[lo] = f;
    else this.least = f;
    if (hi >= 0) this.lower[hi] = f;
    return f;
  }

  private growSlots(capacity: number): void {
    const old = this.keys.length;
    this.keys = grown(this.keys, capacity);
    this.sizes = grown(this.sizes, capacity);
    this.nodeOf = grown(this.nodeOf, capacity);
    this.prev = grown(this.prev, capacity);
    this.next = grown(this.next, capacity);
    for (let s = capacity - 1; s >= old; s--) this.freeSlots.push(s);
  }

  private growNodes(capacity: number): void {
    const old = this.count.length;
    this.count = grown(this.count, capacity);
    this.first = grown(this.first, capacity);
    this.last = grown(this.last, capacity);
    this.lower = grown(this.lower, capacity);
    this.higher = grown(this.higher, capacity);
    for (let f = capacity - 1; f >= old; f--) this.freeNodes.push(f);
  }
}

function grown<T extends Float64Array | Int32Array>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}

/** A new LFU cache. */
export function lfuCache(options: CacheOptions): LfuCache {
  return new LfuCache(options);
}
