/**
 * A hash map from keys (integers in [0, 2^53)) to slots (integers ≥ 0), for the caches' lookups:
 * open addressing with linear probing over one Float64Array of (key, slot) pairs, so a probe reads
 * one cache line, and deletion by backward shift (Knuth, TAOCP vol. 3, §6.4, Algorithm R), so no
 * tombstones build up. The table doubles when it is half full: get, set and delete are O(1)
 * expected, amortized. It replaced a JavaScript Map, whose lookups cost 5× as much with 100 caches
 * of 500 entries in one process (its entries are scattered on the heap: cache misses).
 */
export class KeyIndex {
  /** Pairs: [2i] = key (−1 when empty), [2i + 1] = slot. */
  private table: Float64Array;
  private mask: number;
  /** Keys held. */
  size = 0;

  constructor(expected = 16) {
    let n = 16;
    while (n < 2 * expected) n *= 2;
    this.table = new Float64Array(2 * n).fill(-1);
    this.mask = n - 1;
  }

  /** The slot of `key`, −1 when absent. */
  get(key: number): number {
    const t = this.table;
    for (let i = hash(key) & this.mask; ; i = (i + 1) & this.mask) {
      const k = t[2 * i];
      if (k === key) return t[2 * i + 1];
      if (k === -1) return -1;
    }
  }

  /** Sets the slot of `key` (added when absent). */
  set(key: number, slot: number): void {
    if (2 * (this.size + 1) > this.mask + 1) this.grow();
    const t = this.table;
    for (let i = hash(key) & this.mask; ; i = (i + 1) & this.mask) {
      const k = t[2 * i];
      if (k === key) {
        t[2 * i + 1] = slot;
        return;
      }
      if (k === -1) {
        t[2 * i] = key;
        t[2 * i + 1] = slot;
        this.size++;
        return;
      }
    }
  }

  /** Removes `key` (nothing when absent). */
  delete(key: number): void {
    const t = this.table;
    const mask = this.mask;
    let i = hash(key) & mask;
    for (; ; i = (i + 1) & mask) {
      const k = t[2 * i];
      if (k === key) break;
      if (k === -1) return;
    }
    this.size--;
    // Backward shift: move up every later key of the run whose home is not between the hole and it.
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const k = t[2 * j];
      if (k === -1) break;
      const home = hash(k) & mask;
      if (i <= j ? home > i && home <= j : home > i || home <= j) continue;
      t[2 * i] = k;
      t[2 * i + 1] = t[2 * j + 1];
      i = j;
    }
    t[2 * i] = -1;
  }

  private grow(): void {
    const old = this.table;
    const n = 2 * (this.mask + 1);
    this.table = new Float64Array(2 * n).fill(-1);
    this.mask = n - 1;
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== -1) this.set(old[i], old[i + 1]);
  }
}

/** A 32-bit hash of a key below 2^53: its two halves mixed by murmur3's finalizer (Appleby, public domain). */
export function hash(key: number): number {
  let h = (key >>> 0) ^ Math.imul((key / 4294967296) >>> 0, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
