import type { RequestPool } from './request.ts';

/** Why a request was dropped. */
export const DROP_REASONS = ['node-down', 'battery-empty', 'memory-full', 'queue-full', 'link-congested'] as const;
/** One of {@link DROP_REASONS}. */
export type DropReason = (typeof DROP_REASONS)[number];

/** Told of every request's birth and end; implemented by metrics collectors. */
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

/** A result cache as the request plans ask it (the caching policies fill it). */
export interface ResultCache {
  /** Whether node k holds the result for input `key` of instance i at `now`. */
  lookup(k: number, instance: number, key: number, now: number): boolean;
}
