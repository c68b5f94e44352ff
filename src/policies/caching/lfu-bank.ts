import type { CacheRows } from '../../world/caches.ts';
import { RowIndex } from './row-index.ts';

/** Header fields of a row: the frequency node of least count (−1: empty), entries held, first free slot and free node (−1: none), nodes ever used. */
const LEAST = 0;
const ENTRIES = 1;
const FREE_SLOT = 2;
const FREE_NODE = 3;
const NODES_MADE = 4;
const HEADER = 5;

/**
 * Many in-cache LFU caches of one capacity in entries, in shared typed arrays: the layout of
 * {@link LfuCache} (Shah, Mitra & Matani's O(1) LFU: frequency nodes in increasing count, each
 * with the list of its entries, newest first; the victim is the last entry of the first node) with
 * row r's slots at r × slots and its nodes at r × (slots + 1) (a row never needs more: at most one
 * node per entry held, and one made before a hit's entry leaves its node), its key index row r
 * of a {@link RowIndex}. Every cache behaves exactly as an LfuCache of that capacity whose
 * results each take 1 (`test/policies/caching-bank.test.ts`). Slots and nodes are recycled
 * through lists threaded through `next` and `higher`. Lookup, insert and eviction are O(1)
 * expected. Every result takes 1 (`insert`'s size must be 1).
 */
export class LfuBank implements CacheRows {
  readonly name = 'lfu';
  readonly slots: number;
  private readonly nodes: number;
  private readonly keys: Float64Array;
  /** Slot s of row r at i = r·slots + s: [3i] = its node, [3i + 1] = previous, [3i + 2] = next within the node (−1 at the ends). */
  private readonly entry: Int16Array;
  /** Node f of row r at i = r·nodes + f: its count. */
  private readonly count: Float64Array;
  /** Node f at i: [4i] = first entry, [4i + 1] = last, [4i + 2] = lower node, [4i + 3] = higher (−1: none). */
  private readonly node: Int16Array;
  private readonly header: Int32Array;
  private readonly index: RowIndex;

  constructor(
    /** Entries each cache holds. */
    readonly capacity: number,
    readonly rows: number,
  ) {
    if (!(Number.isInteger(capacity) && capacity >= 1 && capacity < 32767)) throw new Error(`a cache bank holds 1 to 32,766 entries a cache, got ${capacity}`);
    this.slots = capacity;
    this.nodes = capacity + 1;
    this.keys = new Float64Array(rows * this.slots);
    this.entry = new Int16Array(3 * rows * this.slots);
    this.count = new Float64Array(rows * this.nodes);
    this.node = new Int16Array(4 * rows * this.nodes);
    this.header = new Int32Array(HEADER * rows);
    this.index = new RowIndex(capacity, rows);
    for (let r = 0; r < rows; r++) this.clearHeader(r);
  }

  entries(r: number): number {
    return this.header[HEADER * r + ENTRIES];
  }

  used(r: number): number {
    return this.header[HEADER * r + ENTRIES];
  }

  lookup(r: number, key: number): boolean {
    const s = this.index.get(r, key, this.keys, r * this.slots);
    if (s < 0) return false;
    this.touch(r, s);
    return true;
  }

  insert(r: number, key: number, size: number): boolean {
    if (size !== 1) throw new Error(`a cache bank counts entries: every result takes 1, got ${size}`);
    const h = HEADER * r;
    const base = r * this.slots;
    const old = this.index.get(r, key, this.keys, base);
    if (old >= 0) {
      this.touch(r, old);
      return true;
    }
    while (this.header[h + ENTRIES] + 1 > this.capacity) this.evict(r);
    let s = this.header[h + FREE_SLOT];
    if (s >= 0) this.header[h + FREE_SLOT] = this.entry[3 * (base + s) + 2];
    else s = this.header[h + ENTRIES];
    this.keys[base + s] = key;
    this.index.set(r, key, s);
    this.header[h + ENTRIES]++;
    let f = this.header[h + LEAST];
    if (f < 0 || this.count[r * this.nodes + f] !== 1) f = this.newNode(r, 1, -1, f);
    this.attach(r, s, f);
    return true;
  }

  clear(r: number): void {
    this.clearHeader(r);
    this.index.clear(r);
  }

  /** Whether row r holds `key`, changing nothing (for tests). */
  has(r: number, key: number): boolean {
    return this.index.get(r, key, this.keys, r * this.slots) >= 0;
  }

  /** Count of the entry of `key` in row r (0 when absent); for tests. */
  countOf(r: number, key: number): number {
    const s = this.index.get(r, key, this.keys, r * this.slots);
    return s < 0 ? 0 : this.count[r * this.nodes + this.entry[3 * (r * this.slots + s)]];
  }

  /** A hit: slot s moves to the node of the next count. */
  private touch(r: number, s: number): void {
    const nb = r * this.nodes;
    const f = this.entry[3 * (r * this.slots + s)];
    const c = this.count[nb + f] + 1;
    let g = this.node[4 * (nb + f) + 3];
    if (g < 0 || this.count[nb + g] !== c) g = this.newNode(r, c, f, g);
    this.detach(r, s);
    this.attach(r, s, g);
  }

  private evict(r: number): void {
    const h = HEADER * r;
    const base = r * this.slots;
    const s = this.node[4 * (r * this.nodes + this.header[h + LEAST]) + 1];
    this.detach(r, s);
    this.index.delete(r, this.keys[base + s], this.keys, base);
    this.header[h + ENTRIES]--;
    this.entry[3 * (base + s) + 2] = this.header[h + FREE_SLOT];
    this.header[h + FREE_SLOT] = s;
  }

  /** Puts slot s first in node f's list. */
  private attach(r: number, s: number, f: number): void {
    const e = this.entry;
    const nd = this.node;
    const i = 3 * (r * this.slots + s);
    const n = 4 * (r * this.nodes + f);
    e[i] = f;
    e[i + 1] = -1;
    const first = nd[n];
    e[i + 2] = first;
    if (first >= 0) e[3 * (r * this.slots + first) + 1] = s;
    else nd[n + 1] = s;
    nd[n] = s;
  }

  /** Takes slot s out of its node's list, and the node out of the frequency list when it empties. */
  private detach(r: number, s: number): void {
    const e = this.entry;
    const nd = this.node;
    const sb = r * this.slots;
    const nb = r * this.nodes;
    const i = 3 * (sb + s);
    const f = e[i];
    const n = 4 * (nb + f);
    const p = e[i + 1];
    const q = e[i + 2];
    if (p >= 0) e[3 * (sb + p) + 2] = q;
    else nd[n] = q;
    if (q >= 0) e[3 * (sb + q) + 1] = p;
    else nd[n + 1] = p;
    if (nd[n] < 0) {
      const lo = nd[n + 2];
      const hi = nd[n + 3];
      if (lo >= 0) nd[4 * (nb + lo) + 3] = hi;
      else this.header[HEADER * r + LEAST] = hi;
      if (hi >= 0) nd[4 * (nb + hi) + 2] = lo;
      nd[n + 3] = this.header[HEADER * r + FREE_NODE];
      this.header[HEADER * r + FREE_NODE] = f;
    }
  }

  /** A new, empty node of count c between `lo` and `hi` (−1: none) in row r. */
  private newNode(r: number, c: number, lo: number, hi: number): number {
    const h = HEADER * r;
    const nb = r * this.nodes;
    const nd = this.node;
    let f = this.header[h + FREE_NODE];
    if (f >= 0) this.header[h + FREE_NODE] = nd[4 * (nb + f) + 3];
    else f = this.header[h + NODES_MADE]++;
    const n = 4 * (nb + f);
    this.count[nb + f] = c;
    nd[n] = -1;
    nd[n + 1] = -1;
    nd[n + 2] = lo;
    nd[n + 3] = hi;
    if (lo >= 0) nd[4 * (nb + lo) + 3] = f;
    else this.header[h + LEAST] = f;
    if (hi >= 0) nd[4 * (nb + hi) + 2] = f;
    return f;
  }

  private clearHeader(r: number): void {
    const h = HEADER * r;
    this.header[h + LEAST] = -1;
    this.header[h + ENTRIES] = 0;
    this.header[h + FREE_SLOT] = -1;
    this.header[h + FREE_NODE] = -1;
    this.header[h + NODES_MADE] = 0;
  }
}
