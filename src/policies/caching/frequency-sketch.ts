/**
 * The popularity counter of the EDeLeaR cache: a count-min sketch (Cormode & Muthukrishnan,
 * J. Algorithms 55(1), 2005) of 4 rows of 4-bit saturating counters (kept in bytes, capped at
 * 15), aged by TinyLFU's reset (Einziger, Friedman & Manes, "TinyLFU: A Highly Efficient Cache
 * Admission Policy", ACM Transactions on Storage 13(4), 2017, §3.3): after W = 10 × (entries
 * the cache holds) additions every counter is halved, so the sketch estimates each key's
 * frequency in a sliding sample of recent requests. Memory is bounded and fixed at build:
 * 4 × width bytes with width the power of two ≥ 4 × entries (16 bytes per cached entry), whatever
 * the number of distinct keys seen. `add` and `estimate` are O(1) (4 hashes); the reset is
 * O(4 × width) once every W additions, so O(1) amortized: with width < 8 × entries it is fewer
 * than 3.2 counter writes per addition.
 */
export class FrequencySketch {
  private readonly table: Uint8Array;
  private readonly mask: number;
  /** Additions since the last reset. */
  private additions = 0;
  /** Additions between two resets (TinyLFU's sample size W). */
  readonly sample: number;

  constructor(entries: number) {
    const n = Math.max(1, Math.ceil(entries));
    let width = 16;
    while (width < 4 * n) width *= 2;
    this.mask = width - 1;
    this.table = new Uint8Array(4 * width);
    this.sample = 10 * n;
  }

  /** Counts one request for `key`. */
  add(key: number): void {
    const h = hash(key);
    const t = this.table;
    const w = this.mask + 1;
    for (let row = 0; row < 4; row++) {
      const i = row * w + (rowHash(h, row) & this.mask);
      if (t[i] < 15) t[i]++;
    }
    if (++this.additions >= this.sample) this.reset();
  }

  /** Estimated requests for `key` in the recent sample (never below the truth up to the cap of 15 and the halvings). */
  estimate(key: number): number {
    const h = hash(key);
    const t = this.table;
    const w = this.mask + 1;
    let min = 15;
    for (let row = 0; row < 4; row++) {
      const c = t[row * w + (rowHash(h, row) & this.mask)];
      if (c < min) min = c;
    }
    return min;
  }

  /** Halves every counter (TinyLFU's reset), so old popularity fades. */
  private reset(): void {
    const t = this.table;
    for (let i = 0; i < t.length; i++) t[i] >>>= 1;
    this.additions >>>= 1;
  }
}

/** A 32-bit hash of a key (an integer below 2^53): both halves mixed by murmur3's finalizer. */
function hash(key: number): number {
  const lo = key >>> 0;
  const hi = Math.floor(key / 4294967296) >>> 0;
  return fmix(lo ^ Math.imul(hi ^ 0x9e3779b9, 0x85ebca6b));
}

/** Row `row`'s index hash from the key's hash (each row its own odd multiplier and mix). */
function rowHash(h: number, row: number): number {
  return fmix(h ^ Math.imul(row + 1, 0x27d4eb2f)) >>> 0;
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
