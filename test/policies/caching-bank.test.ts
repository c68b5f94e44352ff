import { describe, expect, it } from 'vitest';
import { zipf } from '../../src/core/distributions.ts';
import { RandomStreams } from '../../src/core/random.ts';
import { SketchRows, FrequencySketch } from '../../src/policies/caching/frequency-sketch.ts';
import { EdelearCache } from '../../src/policies/caching/edelear.ts';
import { LfuBank } from '../../src/policies/caching/lfu-bank.ts';
import { LfuCache } from '../../src/policies/caching/lfu.ts';
import { LruBank } from '../../src/policies/caching/lru-bank.ts';
import { LruCache } from '../../src/policies/caching/lru.ts';
import { cacheBank, cachePolicy, CACHING_POLICIES, type CachingName } from '../../src/policies/caching/registry.ts';
import { RowIndex } from '../../src/policies/caching/row-index.ts';
import { ResultCaches, type CacheRows, type NodeCacheSpec } from '../../src/world/caches.ts';

/** The one-cache-per-object reference: a store with `has` (changes nothing). */
type Reference = LruCache | LfuCache | EdelearCache;
/** A bank with `has`. */
type Bank = LruBank | LfuBank;

function reference(name: CachingName, capacity: number): Reference {
  const options = { capacity, entriesHint: capacity };
  return name === 'lru' ? new LruCache(options) : name === 'lfu' ? new LfuCache(options) : new EdelearCache(options);
}

function bank(name: CachingName, capacity: number, rows: number): Bank {
  return name === 'lfu' ? new LfuBank(capacity, rows) : new LruBank(name, capacity, rows);
}

/**
 * Runs one random trace on `rows` reference caches and on a bank of as many rows, side by side,
 * checking after every call that both answered the same, hold the same entries (so every
 * eviction is the same), and — LFU — the same counts, EDeLeaR the same sketch estimates. Returns
 * the hits and evictions seen, so the caller checks the trace exercised both.
 */
function sideBySide(name: CachingName, capacity: number, rows: number, calls: number, seed: number): { hits: number; evictions: number; refused: number } {
  const rng = new RandomStreams(seed).stream('policy', `bank-${name}-${capacity}`);
  const ranks = zipf(0.8, Math.max(8, 6 * capacity));
  const refs = Array.from({ length: rows }, () => reference(name, capacity));
  const b = bank(name, capacity, rows);
  /** Keys each reference may hold. */
  const held = Array.from({ length: rows }, () => new Set<number>());
  let hits = 0;
  let evictions = 0;
  let refused = 0;
  /** Fails the test at the first call where the two differ (a plain comparison: expect() per call is slow). */
  let n = 0;
  const same = (what: string, a: unknown, b: unknown) => {
    if (a !== b) throw new Error(`call ${n}, ${what}: bank ${String(a)}, reference ${String(b)}`);
  };
  for (; n < calls; n++) {
    const r = Math.floor(rng() * rows);
    const u = rng();
    // Keys as the world packs them (key space × 2^24 + rank, three spaces), and now and then any key below 2^53.
    const key = u < 0.97 ? Math.floor(rng() * 3) * 16_777_216 + ranks.sample(rng) : Math.floor(rng() * 2 ** 53);
    const op = rng();
    const ref = refs[r];
    if (op < 0.001) {
      refs[r] = reference(name, capacity);
      b.clear(r);
      held[r].clear();
      same('b.entries', b.entries(r), 0);
      continue;
    }
    let admitted: boolean | undefined;
    if (op < 0.85) {
      // As the world does: a lookup, and the result offered after a miss.
      const hit = ref.lookup(key);
      same('b.lookup', b.lookup(r, key), hit);
      if (hit) hits++;
      else admitted = ref.insert(key, 1);
    } else if (op < 0.95) {
      admitted = ref.insert(key, 1); // a result offered again (another request's)
    } else {
      const hit = ref.lookup(key);
      same('b.lookup', b.lookup(r, key), hit);
    }
    if (admitted !== undefined) {
      same('b.insert', b.insert(r, key, 1), admitted);
      if (!admitted) refused++;
      held[r].add(key);
    }
    same('b.entries', b.entries(r), ref.entries);
    same('b.used', b.used(r), ref.used);
    for (const k of held[r]) {
      const has = ref.has(k);
      same('b.has', b.has(r, k), has);
      if (!has) {
        held[r].delete(k);
        if (k !== key || admitted === true) evictions++;
      }
    }
    if (ref instanceof LfuCache) for (const k of held[r]) same('countOf', (b as LfuBank).countOf(r, k), ref.countOf(k));
    if (ref instanceof EdelearCache) same('estimate', (b as LruBank).estimate(r, key), ref.estimate(key));
  }
  return { hits, evictions, refused };
}

describe('cache banks: many caches of one size in shared arrays behave exactly as one object each', () => {
  for (const name of CACHING_POLICIES) {
    for (const capacity of [1, 3, 50]) {
      it(`${name}, ${capacity} entries: the same hits, admissions, evictions${name === 'lfu' ? ' and counts' : name === 'edelear' ? ' and sketch estimates' : ''} on a random trace over 7 caches`, () => {
        const calls = capacity === 50 ? 40_000 : 20_000;
        const seen = sideBySide(name, capacity, 7, calls, capacity);
        // The trace exercised what it compares: hits and evictions by the hundred, EDeLeaR's refusals too.
        expect(seen.hits).toBeGreaterThan(calls / 50);
        expect(seen.evictions).toBeGreaterThan(calls / 50);
        if (name === 'edelear') expect(seen.refused).toBeGreaterThan(calls / 50);
        else expect(seen.refused).toBe(0);
      });
    }
  }

  it("a sketch row estimates exactly what a FrequencySketch of the same entries does, through its halvings", () => {
    const rng = new RandomStreams(5).stream('policy', 'sketch-rows');
    const rows = new SketchRows(50, 3);
    const own = [new FrequencySketch(50), new FrequencySketch(50), new FrequencySketch(50)];
    expect(rows.sample).toBe(own[0].sample);
    for (let n = 0; n < 20_000; n++) {
      const r = Math.floor(rng() * 3);
      const key = Math.floor(rng() * 400) * 2_654_435_761;
      rows.add(r, key);
      own[r].add(key);
      expect(rows.estimate(r, key)).toBe(own[r].estimate(key));
      const other = Math.floor(rng() * 400) * 2_654_435_761;
      expect(rows.estimate((r + 1) % 3, other)).toBe(own[(r + 1) % 3].estimate(other));
    }
  });

  it('the row index agrees with a Map per row over random sets and deletes (keys up to 2^53, clustered and spread)', () => {
    const rng = new RandomStreams(3).stream('policy', 'row-index');
    const slots = 40;
    const index = new RowIndex(slots, 3);
    const keys = new Float64Array(3 * slots);
    const maps = [new Map<number, number>(), new Map<number, number>(), new Map<number, number>()];
    for (let n = 0; n < 100_000; n++) {
      const r = Math.floor(rng() * 3);
      const map = maps[r];
      const key = rng() < 0.8 ? Math.floor(rng() * 100) : Math.floor(rng() * 2 ** 53);
      if (map.has(key)) {
        index.delete(r, key, keys, r * slots);
        map.delete(key);
      } else if (map.size < slots) {
        const used = new Set(map.values());
        let s = 0;
        while (used.has(s)) s++;
        keys[r * slots + s] = key;
        index.set(r, key, s);
        map.set(key, s);
      }
      if (n % 500 === 0) for (let k = 0; k < 100; k++) expect(index.get(r, k, keys, r * slots)).toBe(map.get(k) ?? -1);
    }
    for (let r = 0; r < 3; r++) for (const [k, s] of maps[r]) expect(index.get(r, k, keys, r * slots)).toBe(s);
  });

  it('ResultCaches gives the same counts with its caches in banks as with a store each (lookups, inserts and a failure)', () => {
    const rng = new RandomStreams(9).stream('policy', 'result-caches-bank');
    const ranks = zipf(0.8, 300);
    // Nodes 0–5 with caches: 0–3 EDeLeaR of 20 (one bank), 4 LRU of 20, 5 LFU of 20.
    const policies: CachingName[] = ['edelear', 'edelear', 'edelear', 'edelear', 'lru', 'lfu'];
    const specs = (shared: boolean): NodeCacheSpec[] =>
      policies.map((policy, k) => ({
        node: k,
        policy,
        capacity: 20,
        unit: 'entries',
        lookupTime: 0,
        lookupEnergy: 0,
        make: () => cachePolicy(policy, { capacity: 20, entriesHint: 20 }),
        shared: shared ? { bank: k < 4 ? 0 : k - 3, row: k < 4 ? k : 0 } : undefined,
      }));
    const makeBanks: (() => CacheRows)[] = [() => cacheBank('edelear', 20, 4), () => cacheBank('lru', 20, 1), () => cacheBank('lfu', 20, 1)];
    const banked = new ResultCaches(7, specs(true), Int32Array.of(0, 1), Float64Array.of(400, 400), 0, makeBanks);
    const own = new ResultCaches(7, specs(false), Int32Array.of(0, 1), Float64Array.of(400, 400), 0);
    for (let n = 0; n < 30_000; n++) {
      const k = Math.floor(rng() * 6);
      const instance = rng() < 0.5 ? 0 : 1;
      const key = ranks.sample(rng);
      const hit = own.lookup(k, instance, key, n);
      expect(banked.lookup(k, instance, key, n)).toBe(hit);
      if (!hit) {
        own.insert(k, instance, key, n);
        banked.insert(k, instance, key, n);
      }
      if (n === 15_000) {
        own.clear(2);
        banked.clear(2);
      }
    }
    const a = banked.stats();
    expect(a).toEqual(own.stats());
    // Every cache saw hits and filled up (30,000 calls over 6 caches of 20, keys from 2 × 300).
    for (const s of a) {
      expect(s.hits).toBeGreaterThan(500);
      expect(s.entries).toBe(20);
    }
  });
});
