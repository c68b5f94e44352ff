import type { RequestPool } from './request.ts';

/** Why a request was dropped. */
export const DROP_REASONS = ['node-down', 'battery-empty', 'memory-full', 'queue-full', 'link-congested', 'vm-capacity', 'moved'] as const;
/** One of {@link DROP_REASONS}. */
export type DropReason = (typeof DROP_REASONS)[number];

/** Told of every request's birth and end; implemented by metrics collectors. A request's `pool.tenant[r]` is its workload's index (group). */
export interface RequestObserver {
  /** A request was born (its device was up); its pool slot is readable. */
  generated(pool: RequestPool, r: number): void;
  /** A request's result reached its device; the pool slot is still readable. */
  completed(pool: RequestPool, r: number, now: number): void;
  /** A request was lost. */
  dropped(pool: RequestPool, r: number, reason: DropReason, now: number): void;
  /** True when completions must reach it in the order of their times (e.g. it lists them as they happen). */
  readonly ordered?: boolean;
}

/**
 * The result caches as the request plans ask them (`world/caches.ts` implements it over the
 * caching policies). A plan looks its input up at every node with a cache on its way — its own
 * device, the nodes its route passes, the executing node — and a result computed after misses is
 * offered to the caches it missed at on its way back.
 */
export interface ResultCache {
  /** Whether node k has a cache (plans get a lookup stage there). */
  has(k: number): boolean;
  /** Whether instance i's requests look their inputs up (its inputs repeat: the workload declares `inputs`). */
  cacheable(i: number): boolean;
  /** Time a lookup at node k takes, hit or miss, s. */
  lookupTime(k: number): number;
  /** Energy a lookup at node k draws, charged to the request, J. */
  lookupEnergy(k: number): number;
  /** Whether node k holds the result for input `key` of instance i at `now` (a hit or a miss is counted). */
  lookup(k: number, instance: number, key: number, now: number): boolean;
  /** Offers node k the result for input `key` of instance i (its policy admits it or not). */
  insert(k: number, instance: number, key: number, now: number): void;
  /**
   * A hit at node k saved `latency` s and `energy` J against the plan without caches (the
   * request's own plan figures, unloaded; see `world/caches.ts`).
   */
  saved(k: number, instance: number, latency: number, energy: number, now: number): void;
  /** A new run begins: the caches empty, the counts start from 0. */
  start(): void;
  /** Node k went down: its cache (held in its memory) is lost and starts empty after the repair. */
  clear?(k: number): void;
}

/**
 * What a caching policy is to the world: a store of result keys with a capacity (entries, or
 * bytes), deciding what to keep (`policies/caching` implements it).
 */
export interface CacheStore {
  /** Whether `key` is held (a hit refreshes it as the policy says); every call is a request for the key. */
  lookup(key: number): boolean;
  /** Offers the result of a missed `key` taking `size` units of capacity; true when admitted. */
  insert(key: number, size: number): boolean;
  /** Entries held. */
  readonly entries: number;
  /** Capacity units in use (entries, or bytes). */
  readonly used: number;
}
