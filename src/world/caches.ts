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

/**
 * Fields of node k's record in {@link ResultCaches}, rec[8k + field] (one 64-byte line: a lookup —
 * its time and energy, its counts — and an insert read and write this line and no other of the
 * world's; with thousands of device caches it is cold at every request): lookup time (s) and energy
 * (J), lookups and hits, results offered and admitted over the window; fields 6 and 7 unused, so
 * that a record is one line.
 */
const TIME = 0;
const ENERGY = 1;
const LOOKUPS = 2;
const HITS = 3;
const OFFERED = 4;
const ADMITTED = 5;
const STRIDE = 8;
/** Fields of node k's second record, more[4k + field], read only on a hit and by own stores: Σ latency and energy saved (s, J), whether its cache counts bytes (1) or entries (0). */
const LATENCY_SAVED = 0;
const ENERGY_SAVED = 1;
const BYTES = 2;
const MORE = 4;

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
 * (capacity in bytes) have a store each, made at its first use. A node's figures and counts sit in
 * one record, indexed by the node (`rec`); its bank and row are in two arrays of their own
 * (`bankOf`, `rowOf`: 8 bytes a node, 80 KB for 10^4 devices, which stay in cache), so that a lookup
 * finds its row without waiting for the record's line, cold with thousands of device caches, and
 * the row's lines and the record's are fetched together (stop 36: `layers` `on` at 10^4 × 0.93–1.10
 * over 12 paired rounds, median 1.06).
 */
export class ResultCaches implements ResultCache {
  /** This run's banks: those the spec makes, then the caches' own stores (last). */
  private banks: CacheRows[] = [];
  /** The caches without a bank: how to make each one's store. */
  private readonly ownMakes: readonly (() => CacheStore)[];
  /** Node k's figures and counts: rec[STRIDE·k + field] (this run's). */
  private rec!: Float64Array;
  /** Node k's savings and unit: more[MORE·k + field] (this run's). */
  private more!: Float64Array;
  /** Node k's bank (−1: it has no cache; `makeBanks.length`: the own stores) and row there. */
  private readonly bankOf: Int32Array;
  private readonly rowOf: Int32Array;

  constructor(
    private readonly nodeCount: number,
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
    const own: (() => CacheStore)[] = [];
    const seen = new Set<number>();
    const where = caches.map((c, j) => {
      if (!(Number.isInteger(c.node) && c.node >= 0 && c.node < nodeCount)) throw new Error(`cache ${j} is on node ${c.node}; there are ${nodeCount}`);
      if (seen.has(c.node)) throw new Error(`cache ${j} is on node ${c.node}, which has one already`);
      seen.add(c.node);
      if (c.shared) {
        if (!(c.shared.bank >= 0 && c.shared.bank < makeBanks.length)) throw new Error(`cache ${j} (node ${c.node}) names bank ${c.shared.bank}; there are ${makeBanks.length}`);
        return c.shared;
      }
      own.push(c.make);
      return { bank: makeBanks.length, row: own.length - 1 };
    });
    this.ownMakes = own;
    this.bankOf = new Int32Array(nodeCount).fill(-1);
    this.rowOf = new Int32Array(nodeCount);
    caches.forEach((c, j) => {
      this.bankOf[c.node] = where[j].bank;
      this.rowOf[c.node] = where[j].row;
    });
    this.start();
  }

  /** The same caches with a store each, no bank (the layout before banks: for benches that compare the two). */
  withOwnStores(): ResultCaches {
    return new ResultCaches(
      this.nodeCount,
      this.caches.map((c) => ({ ...c, shared: undefined })),
      this.spaceOf,
      this.resultBytes,
      this.warmup,
    );
  }

  start(): void {
    this.banks = [...this.makeBanks.map((make) => make()), new OwnStores(this.ownMakes)];
    const rec = (this.rec = new Float64Array(this.nodeCount * STRIDE));
    const more = (this.more = new Float64Array(this.nodeCount * MORE));
    this.caches.forEach((c) => {
      const o = c.node * STRIDE;
      rec[o + TIME] = c.lookupTime;
      rec[o + ENERGY] = c.lookupEnergy;
      more[c.node * MORE + BYTES] = c.unit === 'bytes' ? 1 : 0;
    });
  }

  has(k: number): boolean {
    return this.bankOf[k] >= 0;
  }

  clear(k: number): void {
    const bank = this.bankOf[k];
    if (bank >= 0) this.banks[bank].clear(this.rowOf[k]);
  }

  /** Whether instance i's requests look their inputs up (its inputs repeat). */
  cacheable(i: number): boolean {
    return this.spaceOf[i] >= 0;
  }

  lookupTime(k: number): number {
    return this.rec[STRIDE * k + TIME];
  }

  lookupEnergy(k: number): number {
    return this.rec[STRIDE * k + ENERGY];
  }

  lookup(k: number, instance: number, key: number, now: number): boolean {
    const rec = this.rec;
    const o = STRIDE * k;
    const hit = this.banks[this.bankOf[k]].lookup(this.rowOf[k], this.spaceOf[instance] * KEY_SPACE + key);
    if (now >= this.warmup) {
      rec[o + LOOKUPS]++;
      if (hit) rec[o + HITS]++;
    }
    return hit;
  }

  insert(k: number, instance: number, key: number, now: number): void {
    const rec = this.rec;
    const o = STRIDE * k;
    const bank = this.bankOf[k];
    // Only own stores may count bytes (a bank counts entries): the second record is read for them alone.
    const size = bank === this.makeBanks.length && this.more[MORE * k + BYTES] === 1 ? this.resultBytes[instance] : 1;
    const admitted = this.banks[bank].insert(this.rowOf[k], this.spaceOf[instance] * KEY_SPACE + key, size);
    if (now >= this.warmup) {
      rec[o + OFFERED]++;
      if (admitted) rec[o + ADMITTED]++;
    }
  }

  saved(k: number, _instance: number, latency: number, energy: number, now: number): void {
    if (now < this.warmup) return;
    const o = MORE * k;
    this.more[o + LATENCY_SAVED] += latency;
    this.more[o + ENERGY_SAVED] += energy;
  }

  /** What each cache measured, in the order declared. */
  stats(): CacheStats[] {
    return this.caches.map((c) => {
      const o = STRIDE * c.node;
      const m = MORE * c.node;
      const bank = this.banks[this.bankOf[c.node]];
      const row = this.rowOf[c.node];
      return {
        node: c.node,
        policy: c.policy,
        capacity: c.capacity,
        unit: c.unit,
        lookupTime: c.lookupTime,
        lookupEnergy: c.lookupEnergy,
        lookups: this.rec[o + LOOKUPS],
        hits: this.rec[o + HITS],
        offered: this.rec[o + OFFERED],
        admitted: this.rec[o + ADMITTED],
        latencySaved: this.more[m + LATENCY_SAVED],
        energySaved: this.more[m + ENERGY_SAVED],
        entries: bank.entries(row),
        used: bank.used(row),
      };
    });
  }
}
