/**
 * The popularity counter of the EDeLeaR cache: a count-min sketch (Cormode & Muthukrishnan,
 * J. Algorithms 55(1), 2005) of 4 rows of 4-bit saturating counters (kept in bytes, capped at
 * 15), aged by TinyLFU's reset (Einziger, Friedman & Manes, "TinyLFU: A Highly Efficient Cache
 * Admission Policy", ACM Transactions on Storage 13(4), 2017, §3.3): after W = 10 × (entries
 * the cache holds) additions every counter is halved, so the sketch estimates each key's
 * frequency in a sliding sample of recent requests. Memory is bounded and fixed at build:
 * 4 × width bytes with width the power of two ≥ 4 × entries (16 bytes per cached entry), whatever
 * the number of distinct keys seen. `add` and `estimate` are O(1); the reset is O(4 × width) once
 * every W additions, so O(1) amortized: with width < 8 × entries it is fewer than 3.2 counter
 * writes per addition.
 *
 * Layout: a key's 4 counters share one 64-byte block (one cache line), as in Caffeine's
 * FrequencySketch (B. Manes, github.com/ben-manes/caffeine, "block-based" since version 3): the
 * key's hash picks the block, and row r's counter is one of the 16 bytes of the block's r-th
 * quarter, picked by 4 more bits of the hash. Each row is still a hash of the key into width
 * counters (width / 16 blocks × 16), so the count-min bound holds; the rows share the block, so
 * their collisions are correlated (the price of touching one cache line instead of 4: a run with
 * thousands of small caches finds them cold in memory at every lookup).
 */
export class FrequencySketch {
  /** One row of {@link SketchRows}: the same table, hashes and resets. */
  private readonly rows: SketchRows;
  /** Additions between two resets (TinyLFU's sample size W). */
  readonly sample: number;

  constructor(entries: number) {
    this.rows = new SketchRows(entries, 1);
    this.sample = this.rows.sample;
  }

  /** Counts one request for `key`. */
  add(key: number): void {
    this.rows.add(0, key);
  }

  /** Estimated requests for `key` in the recent sample (never below the truth up to the cap of 15 and the halvings). */
  estimate(key: number): number {
    return this.rows.estimate(0, key);
  }
}

/** A sketch's width (counters per row: the power of two ≥ 4 × entries, at least 16) and sample W (10 × entries), for a cache of about `entries` entries. */
export function sketchGeometry(entries: number): { width: number; sample: number } {
  const n = Math.max(1, Math.ceil(entries));
  let width = 16;
  while (width < 4 * n) width *= 2;
  return { width, sample: 10 * n };
}

/**
 * Many frequency sketches of one geometry in one table (a {@link FrequencySketch} is one row), row r's 4 × width bytes at
 * r × 4 × width (a multiple of 64: each block one cache line when the buffer is aligned), its
 * additions since its reset in `additions[r]` (or in its owner's row header). The same hashes, blocks, counters and resets as
 * a FrequencySketch of `entries`, so row r estimates exactly what that sketch would after the same
 * calls (`test/policies/caching-bank.test.ts`); a cache bank ({@link LruBank}) keeps its rows'
 * sketches here, so a lookup touches its row's block and nothing per cache object.
 */
export class SketchRows {
  readonly table: Uint8Array;
  /** Row r's additions since its reset: `additions[r × stride + offset]`. */
  private readonly additions: Int32Array;
  private readonly stride: number;
  private readonly offset: number;
  private readonly rowBytes: number;
  private readonly blockMask: number;
  readonly sample: number;

  constructor(
    entries: number,
    rows: number,
    /** Where each row's count of additions lives, when its owner keeps it beside its own header (one line fewer a lookup); else an array of its own. */
    counts?: { readonly array: Int32Array; readonly stride: number; readonly offset: number },
  ) {
    const { width, sample } = sketchGeometry(entries);
    this.rowBytes = 4 * width;
    this.blockMask = width / 16 - 1;
    this.sample = sample;
    this.table = new Uint8Array(rows * this.rowBytes);
    this.additions = counts?.array ?? new Int32Array(rows);
    this.stride = counts?.stride ?? 1;
    this.offset = counts?.offset ?? 0;
    if (this.additions.length < (rows - 1) * this.stride + this.offset + 1) throw new Error(`a sketch of ${rows} rows needs its counts array to reach element ${(rows - 1) * this.stride + this.offset}`);
  }

  /** Counts one request for `key` in row r. */
  add(r: number, key: number): void {
    const h = hash(key);
    const t = this.table;
    const block = r * this.rowBytes + ((h & this.blockMask) << 6);
    const g = rehash(h);
    for (let row = 0; row < 4; row++) {
      const i = block + (row << 4) + ((g >>> (row << 2)) & 15);
      if (t[i] < 15) t[i]++;
    }
    if (++this.additions[r * this.stride + this.offset] >= this.sample) this.reset(r);
  }

  /** Row r's estimate for `key`. */
  estimate(r: number, key: number): number {
    const h = hash(key);
    const t = this.table;
    const block = r * this.rowBytes + ((h & this.blockMask) << 6);
    const g = rehash(h);
    let min = 15;
    for (let row = 0; row < 4; row++) {
      const c = t[block + (row << 4) + ((g >>> (row << 2)) & 15)];
      if (c < min) min = c;
    }
    return min;
  }

  /** Empties row r (its cache's node went down, or a new run). */
  clear(r: number): void {
    this.table.fill(0, r * this.rowBytes, (r + 1) * this.rowBytes);
    this.additions[r * this.stride + this.offset] = 0;
  }

  private reset(r: number): void {
    const t = this.table;
    for (let i = r * this.rowBytes, end = i + this.rowBytes; i < end; i++) t[i] >>>= 1;
    this.additions[r * this.stride + this.offset] >>>= 1;
  }
}

/** A 32-bit hash of a key (an integer below 2^53): both halves mixed by murmur3's finalizer. */
function hash(key: number): number {
  const lo = key >>> 0;
  const hi = Math.floor(key / 4294967296) >>> 0;
  return fmix(lo ^ Math.imul(hi ^ 0x9e3779b9, 0x85ebca6b));
}

/** The bits picking a key's counter within each quarter of its block: a second mix of its hash, independent of the block's bits. */
function rehash(h: number): number {
  return fmix(h ^ 0x27d4eb2f) >>> 0;
}

/** murmur3's 32-bit finalizer (Appleby, MurmurHash3, public domain). */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
