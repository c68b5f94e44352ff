import type { CacheRows } from '../../world/caches.ts';
import { SketchRows } from './frequency-sketch.ts';
import { RowIndex } from './row-index.ts';

/**
 * A row's header, 32 bytes (two rows a 64-byte line): most and least recently used slots (−1:
 * empty), entries held, first free slot (−1: none), its sketch's additions since the last reset
 * (EDeLeaR), as Int32s; and the least recently used entry's key, as the Float64 at byte 24.
 */
const HEAD = 0;
const TAIL = 1;
const ENTRIES = 2;
const FREE = 3;
const ADDITIONS = 4;
/** Int32s per row header; the tail's key is Float64 element 4r + 3 of the same buffer. */
const HEADER = 8;
const TAIL_KEY = 3;

/**
 * Many LRU caches — or EDeLeaR caches, LRU with TinyLFU admission — of one capacity in entries,
 * in shared typed arrays: cache (row) r's slot s is the 16-byte record r × slots + s of the slot
 * array — its key (a Float64), then its previous and next slots (two Int16s) — its key index is
 * row r of a {@link RowIndex}, its frequency sketch row r of a {@link SketchRows}, its header 32
 * bytes (head, tail, count, free list, the sketch's additions and the tail's key). A lookup reads
 * its row's header, one line of index cells, the key's slot (key and links on one line) and
 * (EDeLeaR) one sketch block; an insert the EDeLeaR cache refuses reads the header (with the key
 * LRU would evict), the index line and two sketch blocks: no object per cache, nothing allocated
 * after the bank is made — with 10^4 device caches every one of these lines is cold at each
 * request, so the layout is what a request pays (bench/instructions.ts counts the lines).
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
  /** Slot g = r·slots + s: its key at [2g]; the other 8 bytes hold its links ({@link link}). */
  private readonly slot: Float64Array;
  /** The same buffer as Int16s: slot g's previous (more recent) at [8g + 4], next (less recent) at [8g + 5]; −1 at the ends. */
  private readonly link: Int16Array;
  private readonly header: Int32Array;
  /** The same buffer as Float64s: row r's tail key at [4r + 3]. */
  private readonly headerKey: Float64Array;
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
    this.slot = new Float64Array(2 * rows * capacity);
    this.link = new Int16Array(this.slot.buffer);
    const head = new ArrayBuffer(4 * HEADER * rows);
    this.header = new Int32Array(head);
    this.headerKey = new Float64Array(head);
    this.index = new RowIndex(capacity, rows, 2);
    this.sketch = name === 'edelear' ? new SketchRows(capacity, rows, { array: this.header, stride: HEADER, offset: ADDITIONS }) : undefined;
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
    return this.index.get(r, key, this.slot, r * this.slots) >= 0;
  }

  /** Row r's sketch estimate for `key` (EDeLeaR; for tests). */
  estimate(r: number, key: number): number {
    return this.sketch?.estimate(r, key) ?? 0;
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
      if (sketch !== undefined && sketch.estimate(r, this.headerKey[(h >> 1) + TAIL_KEY]) >= sketch.estimate(r, key)) return false;
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
    const s = this.index.get(r, key, this.slot, base);
    if (s < 0) return false;
    if (s !== this.header[HEADER * r + HEAD]) {
      this.unlink(r, s);
      this.pushFront(r, s, key);
    }
    return true;
  }

  /** Evicts row r's least recently used entry. */
  private evict(r: number): void {
    const h = HEADER * r;
    const base = r * this.slots;
    const s = this.header[h + TAIL];
    const key = this.headerKey[(h >> 1) + TAIL_KEY];
    this.unlink(r, s);
    this.index.delete(r, key, this.slot, base);
    this.header[h + ENTRIES]--;
    this.link[8 * (base + s) + 5] = this.header[h + FREE];
    this.header[h + FREE] = s;
  }

  /** Adds `key`, absent, at row r's front (room made). */
  private add(r: number, key: number): void {
    const h = HEADER * r;
    const base = r * this.slots;
    let s = this.header[h + FREE];
    if (s >= 0) this.header[h + FREE] = this.link[8 * (base + s) + 5];
    else s = this.header[h + ENTRIES];
    this.slot[2 * (base + s)] = key;
    this.index.set(r, key, s);
    this.header[h + ENTRIES]++;
    this.pushFront(r, s, key);
  }

  /** Puts slot s, holding `key`, at row r's front. */
  private pushFront(r: number, s: number, key: number): void {
    const l = this.link;
    const h = HEADER * r;
    const base = 8 * r * this.slots;
    const head = this.header[h + HEAD];
    l[base + 8 * s + 4] = -1;
    l[base + 8 * s + 5] = head;
    if (head >= 0) l[base + 8 * head + 4] = s;
    else {
      this.header[h + TAIL] = s;
      this.headerKey[(h >> 1) + TAIL_KEY] = key;
    }
    this.header[h + HEAD] = s;
  }

  private unlink(r: number, s: number): void {
    const l = this.link;
    const h = HEADER * r;
    const base = 8 * r * this.slots;
    const p = l[base + 8 * s + 4];
    const n = l[base + 8 * s + 5];
    if (p >= 0) l[base + 8 * p + 5] = n;
    else this.header[h + HEAD] = n;
    if (n >= 0) l[base + 8 * n + 4] = p;
    else {
      // The new least recently used entry: its key, on the line just written, kept in the header.
      this.header[h + TAIL] = p;
      if (p >= 0) this.headerKey[(h >> 1) + TAIL_KEY] = this.slot[base / 4 + 2 * p];
    }
  }

  private clearHeader(r: number): void {
    const h = HEADER * r;
    this.header[h + HEAD] = -1;
    this.header[h + TAIL] = -1;
    this.header[h + ENTRIES] = 0;
    this.header[h + FREE] = -1;
  }
}
