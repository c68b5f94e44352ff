import { hash } from './key-index.ts';

/**
 * The key → slot maps of many small caches in one Int32Array (a cache bank's rows,
 * {@link LruBank}, {@link LfuBank}): row r owns `cells` consecutive cells (the power of two ≥ 2 ×
 * its slots, at least 16, so the load stays ≤ ½), open addressing with linear probing and
 * backward-shift deletion (Knuth, TAOCP vol. 3, §6.4, Algorithm R), as {@link KeyIndex} — but a
 * cell is 4 bytes and holds no key: the key's hash's low 16 bits (its home cell and a
 * fingerprint) above slot + 1 (0: empty), and a probe whose fingerprint matches reads the key from
 * the bank's key array to confirm. A miss reads one line of cells (16 per 64-byte line); a hit
 * that line and the key's. Nothing is allocated per cache, the table never grows (a row holds at
 * most its slots). get, set and delete are O(1) expected. Slots < 2^15. The key of slot s of a
 * row whose slots start at `base` is `keys[(base + s) × keyStride]` (a stride of 2 when each key
 * sits beside its slot's links, {@link LruBank}).
 */
export class RowIndex {
  readonly table: Int32Array;
  readonly cells: number;
  private readonly mask: number;

  constructor(
    slots: number,
    rows: number,
    /** Numbers from one slot's key to the next in the key arrays given to get and delete. */
    readonly keyStride = 1,
  ) {
    if (!(Number.isInteger(slots) && slots >= 1 && slots < 32768)) throw new Error(`a row index holds 1 to 32,767 slots a row, got ${slots}`);
    let n = 16;
    while (n < 2 * slots) n *= 2;
    this.cells = n;
    this.mask = n - 1;
    this.table = new Int32Array(rows * n);
  }

  /** The slot of `key` in row r, −1 when absent; `keys[(base + slot) × keyStride]` is the key in each slot. */
  get(r: number, key: number, keys: Float64Array, base: number): number {
    const t = this.table;
    const o = r * this.cells;
    const h = hash(key);
    const f = h & 0xffff;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const c = t[o + i];
      if (c === 0) return -1;
      if (c >>> 16 === f) {
        const s = (c & 0xffff) - 1;
        if (keys[(base + s) * this.keyStride] === key) return s;
      }
    }
  }

  /** Maps `key`, absent from row r, to `slot`. */
  set(r: number, key: number, slot: number): void {
    const t = this.table;
    const o = r * this.cells;
    const h = hash(key);
    let i = h & this.mask;
    while (t[o + i] !== 0) i = (i + 1) & this.mask;
    t[o + i] = ((h & 0xffff) << 16) | (slot + 1);
  }

  /** Removes `key` from row r (it must be there). */
  delete(r: number, key: number, keys: Float64Array, base: number): void {
    const t = this.table;
    const o = r * this.cells;
    const mask = this.mask;
    const h = hash(key);
    const f = h & 0xffff;
    let i = h & mask;
    for (; ; i = (i + 1) & mask) {
      const c = t[o + i];
      if (c === 0) return;
      if (c >>> 16 === f && keys[(base + (c & 0xffff) - 1) * this.keyStride] === key) break;
    }
    // Backward shift: move up every later cell of the run whose home is not between the hole and it.
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const c = t[o + j];
      if (c === 0) break;
      const home = (c >>> 16) & mask;
      if (i <= j ? home > i && home <= j : home > i || home <= j) continue;
      t[o + i] = c;
      i = j;
    }
    t[o + i] = 0;
  }

  /** Empties row r. */
  clear(r: number): void {
    this.table.fill(0, r * this.cells, (r + 1) * this.cells);
  }
}
