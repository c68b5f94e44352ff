import type { CacheStore, ResultCache } from './observer.ts';

/** One node's result cache, as the scenario declares it. */
export interface NodeCacheSpec {
  /** The node holding it. */
  readonly node: number;
  /** The policy's name (for reports). */
  readonly policy: string;
  /** Capacity, in `unit`s. */
  readonly capacity: number;
  /** `entries`: every result takes 1; `bytes`: a result takes its workload's result bytes. */
  readonly unit: 'entries' | 'bytes';
  /** Time of a lookup, hit or miss, s. */
  readonly lookupTime: number;
  /** Energy of a lookup, charged to the request, J. */
  readonly lookupEnergy: number;
  /** A new, empty store of the policy (each run starts empty); used when `shared` is absent. */
  readonly make: () => CacheStore;
  /** Where the cache lives when it shares a bank with others of its policy and size: bank (an index into `ResultCaches`' `makeBanks`) and row. */
  readonly shared?: { readonly bank: number; readonly row: number };
}

/**
 * Many result caches of one policy and capacity in shared arrays, cache `row` of them each
 * (`policies/caching`'s banks): what {@link CacheStore} is to one cache. A bank holds entry-counted
 * caches (every size given is 1).
 */
export interface CacheRows {
  lookup(row: number, key: number): boolean;
  insert(row: number, key: number, size: number): boolean;
  entries(row: number): number;
  used(row: number): number;
  /** Empties cache `row`. */
  clear(row: number): void;
  /** Reads what a lookup of `key` in cache `row` will read first (world/warm.ts); changes nothing. */
  touchKey?(row: number, key: number): number;
}

/** The caches that share no bank, one {@link CacheStore} each (made at first use: each run, and after a failure, starts empty). */
class OwnStores implements CacheRows {
  private readonly stores: (CacheStore | undefined)[];

  constructor(private readonly make: readonly (() => CacheStore)[]) {
    this.stores = new Array<CacheStore | undefined>(make.length);
  }

  lookup(row: number, key: number): boolean {
    return (this.stores[row] ??= this.make[row]()).lookup(key);
  }

  insert(row: number, key: number, size: number): boolean {
    return (this.stores[row] ??= this.make[row]()).insert(key, size);
  }

  entries(row: number): number {
    return this.stores[row]?.entries ?? 0;
  }

  used(row: number): number {
    return this.stores[row]?.used ?? 0;
  }

  clear(row: number): void {
    this.stores[row] = undefined; // made again, empty, at its next lookup
  }
}

/** What one cache measured over the window (lookups made at or after the warm-up). */
export interface CacheStats extends Omit<NodeCacheSpec, 'make' | 'shared'> {
  readonly lookups: number;
  readonly hits: number;
  /** Results offered on their way back, and those the policy admitted. */
  readonly offered: number;
  readonly admitted: number;
  /** Σ over hits of the latency and energy saved against the plan without caches, s and J. */
  readonly latencySaved: number;
  readonly energySaved: number;
  /** Entries held and capacity units used at the end of the run. */
  readonly entries: number;
  readonly used: number;
}

/**
 * Packing of a result's cache key: the workload's key space × 2^24 + the input's rank (catalogs
 * have at most 10^7 < 2^24 inputs), exact in a double for up to 2^29 key spaces.
 */
const KEY_SPACE = 16_777_216;

/** Fields of a cache's record in {@link ResultCaches}: lookup time (s) and energy (J), then its counts over the window. */
const TIME = 0;
const ENERGY = 1;
const LOOKUPS = 2;
const HITS = 3;
const OFFERED = 4;
const ADMITTED = 5;
const LATENCY_SAVED = 6;
const ENERGY_SAVED = 7;
/** Numbers per cache record: 8 doubles, 64 bytes. */
const STRIDE = 8;
/** Fields of a node's place in {@link ResultCaches}: its cache (−1: none), the cache's bank and row. */
const CACHE = 0;
const BANK = 1;
const ROW = 2;
const PLACE = 3;

/**
 * The run's result caches: one {@link CacheStore} per node that declares one, with its counts.
 * A result's key is (key space, input rank): workloads share a key space — and so results — when
 * they run the same model on the same declared inputs (`scenario/build.ts` numbers them), so a
 * cache at a gateway serves every device of a fleet. A hit's savings are the request's own plan
 * figures, unloaded (`world/plans.ts` compiles them into the lookup stage): what the plan without
 * any cache costs — every transfer out and back at its bandwidth and delay, the compute at its work
 * × the request's compute factor, their radio and dynamic compute energy — less what the hit cost
 * — the transfers up to the cache and back, and every lookup up to and including it. Queueing a
 * hit avoided is not counted (it depends on the load): the saving is a lower bound of the latency
 * saved, and exact for energy (idle power is the nodes' whatever the requests do).
 *
 * Where a cache's entries live: caches of one policy and capacity in entries share a bank
 * (`NodeCacheSpec.shared`; the build puts them there), one row each, so a lookup at one of 10^4
 * device caches touches its row's few lines of shared arrays and no object of its own; the others
 * (capacity in bytes) have a store each, made at its first use. A node's cache, bank and row sit
 * side by side (`place`), its cache's figures and counts in one record (`data`).
 */
export class ResultCaches implements ResultCache {
  /** Node k: place[3k] = its cache j (−1: none), [3k + 1] = the bank holding it, [3k + 2] = its row there. */
  private readonly place: Int32Array;
  /** This run's banks: those the spec makes, then the caches' own stores (last). */
  private banks: CacheRows[] = [];
  /** The caches without a bank: how to make each one's store. */
  private readonly ownMakes: readonly (() => CacheStore)[];
  /**
   * Cache j's figures and counts side by side, data[j·STRIDE + field] (one 64-byte line: a lookup,
   * its time and energy, the counts and an insert touch one place in memory, not one array each;
   * with thousands of device caches these are cold at every request).
   */
  private data!: Float64Array;
  /** Whether cache j counts bytes (1) or entries (0). */
  private readonly byBytes: Uint8Array;

  constructor(
    nodeCount: number,
    readonly caches: readonly NodeCacheSpec[],
    /** Key space of each workload instance (−1: its inputs are all distinct, it never looks up). */
    readonly spaceOf: Int32Array,
    /** Result bytes of each workload instance (a result's size in a cache counted in bytes). */
    private readonly resultBytes: Float64Array,
    /** Lookups before this time are not counted, s. */
    private readonly warmup: number,
    /** Makes each shared bank, empty (each run gets new ones); `NodeCacheSpec.shared.bank` indexes this. */
    private readonly makeBanks: readonly (() => CacheRows)[] = [],
  ) {
    this.place = new Int32Array(PLACE * nodeCount).fill(-1);
    const own: (() => CacheStore)[] = [];
    caches.forEach((c, j) => {
      const p = PLACE * c.node;
      this.place[p + CACHE] = j;
      if (c.shared) {
        if (!(c.shared.bank >= 0 && c.shared.bank < makeBanks.length)) throw new Error(`cache ${j} (node ${c.node}) names bank ${c.shared.bank}; there are ${makeBanks.length}`);
        this.place[p + BANK] = c.shared.bank;
        this.place[p + ROW] = c.shared.row;
      } else {
        this.place[p + BANK] = makeBanks.length;
        this.place[p + ROW] = own.length;
        own.push(c.make);
      }
    });
    this.ownMakes = own;
    this.byBytes = Uint8Array.from(caches, (c) => (c.unit === 'bytes' ? 1 : 0));
    this.start();
  }

  /** The same caches with a store each, no bank (the layout before banks: for benches that compare the two). */
  withOwnStores(): ResultCaches {
    return new ResultCaches(
      this.place.length / PLACE,
      this.caches.map((c) => ({ ...c, shared: undefined })),
      this.spaceOf,
      this.resultBytes,
      this.warmup,
    );
  }

  start(): void {
    const n = this.caches.length;
    this.banks = [...this.makeBanks.map((make) => make()), new OwnStores(this.ownMakes)];
    this.data = new Float64Array(n * STRIDE);
    this.caches.forEach((c, j) => {
      this.data[j * STRIDE + TIME] = c.lookupTime;
      this.data[j * STRIDE + ENERGY] = c.lookupEnergy;
    });
  }

  has(k: number): boolean {
    return this.place[PLACE * k + CACHE] >= 0;
  }

  clear(k: number): void {
    const p = PLACE * k;
    if (this.place[p + CACHE] >= 0) this.banks[this.place[p + BANK]].clear(this.place[p + ROW]);
  }

  /** Whether instance i's requests look their inputs up (its inputs repeat). */
  cacheable(i: number): boolean {
    return this.spaceOf[i] >= 0;
  }

  lookupTime(k: number): number {
    return this.data[this.place[PLACE * k + CACHE] * STRIDE + TIME];
  }

  lookupEnergy(k: number): number {
    return this.data[this.place[PLACE * k + CACHE] * STRIDE + ENERGY];
  }

  touch(k: number): number {
    const p = PLACE * k;
    const j = this.place[p + CACHE];
    return j < 0 ? 0 : this.data[j * STRIDE + LOOKUPS] + this.banks[this.place[p + BANK]].entries(this.place[p + ROW]);
  }

  touchKey(k: number, instance: number, key: number): number {
    const p = PLACE * k;
    const bank = this.banks[this.place[p + BANK]];
    return bank.touchKey === undefined ? 0 : bank.touchKey(this.place[p + ROW], this.spaceOf[instance] * KEY_SPACE + key);
  }

  lookup(k: number, instance: number, key: number, now: number): boolean {
    const p = PLACE * k;
    const j = this.place[p + CACHE];
    const hit = this.banks[this.place[p + BANK]].lookup(this.place[p + ROW], this.spaceOf[instance] * KEY_SPACE + key);
    if (now >= this.warmup) {
      const o = j * STRIDE;
      this.data[o + LOOKUPS]++;
      if (hit) this.data[o + HITS]++;
    }
    return hit;
  }

  insert(k: number, instance: number, key: number, now: number): void {
    const p = PLACE * k;
    const j = this.place[p + CACHE];
    const size = this.byBytes[j] === 1 ? this.resultBytes[instance] : 1;
    const admitted = this.banks[this.place[p + BANK]].insert(this.place[p + ROW], this.spaceOf[instance] * KEY_SPACE + key, size);
    if (now >= this.warmup) {
      const o = j * STRIDE;
      this.data[o + OFFERED]++;
      if (admitted) this.data[o + ADMITTED]++;
    }
  }

  saved(k: number, _instance: number, latency: number, energy: number, now: number): void {
    if (now < this.warmup) return;
    const o = this.place[PLACE * k + CACHE] * STRIDE;
    this.data[o + LATENCY_SAVED] += latency;
    this.data[o + ENERGY_SAVED] += energy;
  }

  /** What each cache measured, in the order declared. */
  stats(): CacheStats[] {
    return this.caches.map((c, j) => {
      const p = PLACE * c.node;
      const bank = this.banks[this.place[p + BANK]];
      const row = this.place[p + ROW];
      return {
        node: c.node,
        policy: c.policy,
        capacity: c.capacity,
        unit: c.unit,
        lookupTime: c.lookupTime,
        lookupEnergy: c.lookupEnergy,
        lookups: this.data[j * STRIDE + LOOKUPS],
        hits: this.data[j * STRIDE + HITS],
        offered: this.data[j * STRIDE + OFFERED],
        admitted: this.data[j * STRIDE + ADMITTED],
        latencySaved: this.data[j * STRIDE + LATENCY_SAVED],
        energySaved: this.data[j * STRIDE + ENERGY_SAVED],
        entries: bank.entries(row),
        used: bank.used(row),
      };
    });
  }
}
