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
  /** A new, empty store of the policy (each run starts empty). */
  readonly make: () => CacheStore;
}

/** What one cache measured over the window (lookups made at or after the warm-up). */
export interface CacheStats extends Omit<NodeCacheSpec, 'make'> {
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
 */
export class ResultCaches implements ResultCache {
  private readonly cacheOf: Int32Array;
  /** Each cache's store, made at its first lookup (a fleet of device caches costs nothing until used). */
  private stores: (CacheStore | undefined)[] = [];
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
  ) {
    this.cacheOf = new Int32Array(nodeCount).fill(-1);
    caches.forEach((c, j) => (this.cacheOf[c.node] = j));
    this.byBytes = Uint8Array.from(caches, (c) => (c.unit === 'bytes' ? 1 : 0));
    this.start();
  }

  start(): void {
    const n = this.caches.length;
    this.stores = new Array<CacheStore | undefined>(n);
    this.data = new Float64Array(n * STRIDE);
    this.caches.forEach((c, j) => {
      this.data[j * STRIDE + TIME] = c.lookupTime;
      this.data[j * STRIDE + ENERGY] = c.lookupEnergy;
    });
  }

  has(k: number): boolean {
    return this.cacheOf[k] >= 0;
  }

  clear(k: number): void {
    const j = this.cacheOf[k];
    if (j >= 0) this.stores[j] = undefined; // made again, empty, at its next lookup
  }

  /** Whether instance i's requests look their inputs up (its inputs repeat). */
  cacheable(i: number): boolean {
    return this.spaceOf[i] >= 0;
  }

  lookupTime(k: number): number {
    return this.data[this.cacheOf[k] * STRIDE + TIME];
  }

  lookupEnergy(k: number): number {
    return this.data[this.cacheOf[k] * STRIDE + ENERGY];
  }

  lookup(k: number, instance: number, key: number, now: number): boolean {
    const j = this.cacheOf[k];
    const hit = (this.stores[j] ??= this.caches[j].make()).lookup(this.spaceOf[instance] * KEY_SPACE + key);
    if (now >= this.warmup) {
      const o = j * STRIDE;
      this.data[o + LOOKUPS]++;
      if (hit) this.data[o + HITS]++;
    }
    return hit;
  }

  insert(k: number, instance: number, key: number, now: number): void {
    const j = this.cacheOf[k];
    const size = this.byBytes[j] === 1 ? this.resultBytes[instance] : 1;
    const admitted = (this.stores[j] ??= this.caches[j].make()).insert(this.spaceOf[instance] * KEY_SPACE + key, size);
    if (now >= this.warmup) {
      const o = j * STRIDE;
      this.data[o + OFFERED]++;
      if (admitted) this.data[o + ADMITTED]++;
    }
  }

  saved(k: number, _instance: number, latency: number, energy: number, now: number): void {
    if (now < this.warmup) return;
    const o = this.cacheOf[k] * STRIDE;
    this.data[o + LATENCY_SAVED] += latency;
    this.data[o + ENERGY_SAVED] += energy;
  }

  /** What each cache measured, in the order declared. */
  stats(): CacheStats[] {
    return this.caches.map((c, j) => ({
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
      entries: this.stores[j]?.entries ?? 0,
      used: this.stores[j]?.used ?? 0,
    }));
  }
}
