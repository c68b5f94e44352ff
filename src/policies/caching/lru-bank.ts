import type { CacheRows } from '../../world/caches.ts';
import { SketchRows } from './frequency-sketch.ts';
import { RowIndex } from './row-index.ts';

/** Header fields of a row: most and least recently used slots (−1: empty), entries held, first free slot (−1: none). */
const HEAD = 0;
const TAIL = 1;
const ENTRIES = 2;
const FREE = 3;
const HEADER = 4;

/**
 * Many LRU caches — or EDeLeaR caches, LRU with TinyLFU admission — of one capacity in entries,
 * in shared typed arrays: cache (row) r's slot s is element r × slots + s of the key array and of
 * the link array (previous and next side by side), its key index is row r of a {@link RowIndex},
 * its frequency sketch row r of a {@link SketchRows}, its head, tail, count and free list four
 * Int32s. A lookup reads its row's header, one line of index cells, the key's slot and links, and
 * (EDeLeaR) one sketch block: no object per cache, nothing allocated after the bank is made.
 * Every cache behaves exactly as an {@link LruCache} (or {@link EdelearCache}) of that capacity
 * whose results each take 1: the same hits, admissions and evictions after the same calls
 * (`test/policies/caching-bank.test.ts` runs them side by side on random traces). Slots are
 * recycled through a list threaded through the `next` links; a row's slots in use are 0..entries−1
 * while that list is empty. Lookup, insert and eviction are O(1) expected (the sketch's halving
 * O(width) every 10 × capacity additions of its row). A bank is for entry-counted caches: every
 * result takes 1 (`insert`'s size must be 1).
 */
export class LruBank implements CacheRows {
  readonly slots: number;
  private readonly keys: Float64Array;
  /** Slot s of row r: [2(r·slots + s)] = previous (more recent), [+1] = next (less recent); −1 at the ends. */
  private readonly link: Int16Array;
  private readonly header: Int32Array;
  private readonly index: RowIndex;
  /** EDeLeaR's popularity counts (absent for LRU). */
  private readonly sketch: SketchRows | undefined;

  constructor(
    readonly name: 'lru' | 'edelear',
    /** Entries each cache holds. */
    readonly capacity: number,
    /** Caches in the bank. */
    readonly rows: number,
  ) {
    if (!(Number.isInteger(capacity) && capacity >= 1 && capacity < 32768)) throw new Error(`a cache bank holds 1 to 32,767 entries a cache, got ${capacity}`);
    this.slots = capacity;
    this.keys = new Float64Array(rows * capacity);
    this.link = new Int16Array(2 * rows * capacity);
    this.header = new Int32Array(HEADER * rows);
    this.index = new RowIndex(capacity, rows);
    this.sketch = name === 'edelear' ? new SketchRows(capacity, rows) : undefined;
    for (let r = 0; r < rows; r++) this.clearHeader(r);
  }

  entries(r: number): number {
    return this.header[HEADER * r + ENTRIES];
  }

  used(r: number): number {
    return this.header[HEADER * r + ENTRIES];
  }

  /** Whether row r holds `key`, changing nothing (for tests). */
  has(r: number, key: number): boolean {
    return this.index.get(r, key, this.keys, r * this.slots) >= 0;
  }

  /** Row r's sketch estimate for `key` (EDeLeaR; for tests). */
  estimate(r: number, key: number): number {
    return this.sketch?.estimate(r, key) ?? 0;
  }

  touchKey(r: number, key: number): number {
    const sketch = this.sketch;
    if (sketch === undefined) return this.index.touch(r, key);
    // EDeLeaR's admission, when the result comes back, also estimates the entry LRU would evict.
    const tail = this.header[HEADER * r + TAIL];
    return this.index.touch(r, key) + sketch.touch(r, key) + (tail >= 0 ? sketch.touch(r, this.keys[r * this.slots + tail]) : 0);
  }

  lookup(r: number, key: number): boolean {
    this.sketch?.add(r, key);
    return this.touch(r, key);
  }

  insert(r: number, key: number, size: number): boolean {
    if (size !== 1) throw new Error(`a cache bank counts entries: every result takes 1, got ${size}`);
    if (this.touch(r, key)) return true;
    const h = HEADER * r;
    if (this.header[h + ENTRIES] + 1 > this.capacity) {
      const sketch = this.sketch;
      // EDeLeaR: admitted only when the key's estimate beats the one entry LRU would evict.
      if (sketch !== undefined && sketch.estimate(r, this.keys[r * this.slots + this.header[h + TAIL]]) >= sketch.estimate(r, key)) return false;
      this.evict(r);
    }
    this.add(r, key);
    return true;
  }

  clear(r: number): void {
    this.clearHeader(r);
    this.index.clear(r);
    this.sketch?.clear(r);
  }

  /** Whether row r holds `key`, moving it to the front when it does (LRU's lookup, without counting a request). */
  private touch(r: number, key: number): boolean {
    const base = r * this.slots;
    const s = this.index.get(r, key, this.keys, base);
    if (s < 0) return false;
    if (s !== this.header[HEADER * r + HEAD]) {
      this.unlink(r, s);
      this.pushFront(r, s);
    }
    return true;
  }

  /** Evicts row r's least recently used entry. */
  private evict(r: number): void {
    const h = HEADER * r;
    const base = r * this.slots;
    const s = this.header[h + TAIL];
    this.unlink(r, s);
    this.index.delete(r, this.keys[base + s], this.keys, base);
    this.header[h + ENTRIES]--;
    this.link[2 * (base + s) + 1] = this.header[h + FREE];
    this.header[h + FREE] = s;
  }

  /** Adds `key`, absent, at row r's front (room made). */
  private add(r: number, key: number): void {
    const h = HEADER * r;
    const base = r * this.slots;
    let s = this.header[h + FREE];
    if (s >= 0) this.header[h + FREE] = this.link[2 * (base + s) + 1];
    else s = this.header[h + ENTRIES];
    this.keys[base + s] = key;
    this.index.set(r, key, s);
    this.header[h + ENTRIES]++;
    this.pushFront(r, s);
  }

  private pushFront(r: number, s: number): void {
    const l = this.link;
    const h = HEADER * r;
    const base = 2 * r * this.slots;
    const head = this.header[h + HEAD];
    l[base + 2 * s] = -1;
    l[base + 2 * s + 1] = head;
    if (head >= 0) l[base + 2 * head] = s;
    else this.header[h + TAIL] = s;
    this.header[h + HEAD] = s;
  }

  private unlink(r: number, s: number): void {
    const l = this.link;
    const h = HEADER * r;
    const base = 2 * r * this.slots;
    const p = l[base + 2 * s];
    const n = l[base + 2 * s + 1];
    if (p >= 0) l[base + 2 * p + 1] = n;
    else this.header[h + HEAD] = n;
    if (n >= 0) l[base + 2 * n] = p;
    else this.header[h + TAIL] = p;
  }

  private clearHeader(r: number): void {
    const h = HEADER * r;
    this.header[h + HEAD] = -1;
    this.header[h + TAIL] = -1;
    this.header[h + ENTRIES] = 0;
    this.header[h + FREE] = -1;
  }
}
