import { float64Array } from './typed-arrays.ts';
/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** The named random streams of a run; each is independent and derived from the run seed. */
export const STREAM_NAMES = [
  'arrivals',
  'service',
  'network',
  'failures',
  'inputs',
  'policy',
  'training',
  'mobility',
] as const;
/** One of {@link STREAM_NAMES}. */
export type StreamName = (typeof STREAM_NAMES)[number];

/**
 * Named random streams derived from one seed with seedrandom's alea generator (restated here:
 * {@link aleaSeed} and the step; the tests check every draw against seedrandom 3).
 * A stream's sequence depends only on (seed, name, key), never on how other streams
 * were used, so two policies run on one seed see the same arrivals and inputs
 * (common random numbers).
 */
export class RandomStreams {
  constructor(readonly seed: number) {}

  /** The stream `name`, optionally split further by `key` (e.g. one per device). */
  stream(name: StreamName, key: string | number = ''): Rng {
    const state = new Float64Array(ALEA_STATE);
    aleaSeed(this.key(name, key), state, 0);
    return () => aleaNext(state, 0);
  }

  /** The seed string of stream (name, key). */
  key(name: StreamName, key: string | number = ''): string {
    return `edelear/${this.seed}/${name}/${key}`;
  }
}

/** Numbers of a {@link StreamBank} stream's generator state (alea: s0, s1, s2, c). */
const ALEA_STATE = 4;
/** s0 of a lazy bank's stream not yet seeded (alea's s0 is always in [0, 1)). */
const UNSEEDED = -1;

/** Baagoe's Mash hash as seedrandom 3.0.5 (lib/alea.js) writes it: its running state, then the hash. */
let mashState = 0;

/** Mash's step: the running state `n` after the character `code`. */
function mashChar(n: number, code: number): number {
  n += code;
  let h = 0.02519603282416938 * n;
  n = h >>> 0;
  h -= n;
  h *= n;
  n = h >>> 0;
  h -= n;
  return n + h * 0x100000000; // 2^32
}

/** The running state `n` after the decimal digits of the integer i ≥ 0, as `String(i)` writes them. */
function mashDigits(n: number, i: number): number {
  let scale = 1;
  while (scale * 10 <= i) scale *= 10;
  for (; scale >= 1; scale /= 10) {
    const digit = Math.floor(i / scale) % 10;
    n = mashChar(n, 48 + digit);
  }
  return n;
}

/** The running state `n` after the characters of `data`. */
function mashString(n: number, data: string): number {
  for (let i = 0; i < data.length; i++) n = mashChar(n, data.charCodeAt(i));
  return n;
}

/** Ends a pass: the running state becomes `n`, and the pass's hash is returned. */
function mashed(n: number): number {
  mashState = n;
  return (n >>> 0) * 2.3283064365386963e-10; // 2^-32
}

/** The hash of `data`, continuing the running state. */
function mash(data: string): number {
  return mashed(mashString(mashState, data));
}

/** The hash of `prefix` then the digits of i (mash(prefix + String(i)) without the string), continuing the running state. */
function mashIndexed(prefix: string, i: number): number {
  return mashed(mashDigits(mashString(mashState, prefix), i));
}

// Every seeding starts by hashing " " three times from the same state: done once, here.
mashState = 0xefc8249d;
const SPACE0 = mash(' ');
const SPACE1 = mash(' ');
const SPACE2 = mash(' ');
const AFTER_SPACES = mashState;

/**
 * Writes into state[o … o+3] the (s0, s1, s2, c) that seedrandom's `alea(key)` starts from:
 * Baagoe's seeding with his Mash hash, restated from seedrandom 3.0.5 (lib/alea.js) so that a
 * stream costs four numbers, not an object and four closures. A test checks the draws equal
 * seedrandom's.
 */
function aleaSeed(key: string, state: Float64Array, o: number): void {
  mashState = AFTER_SPACES;
  // Arguments are evaluated left to right: the three passes in order.
  writeSeeded(state, o, mash(key), mash(key), mash(key));
}

/**
 * {@link aleaSeed} of the key `prefix` + String(i) (i a whole number ≥ 0), the hash's state after
 * the prefix's first pass given (`afterPrefix`, from {@link prefixState}): a bank of a million
 * streams makes no key string and hashes the shared prefix twice per stream rather than three times.
 */
function aleaSeedIndexed(prefix: string, afterPrefix: number, i: number, state: Float64Array, o: number): void {
  writeSeeded(state, o, mashed(mashDigits(afterPrefix, i)), mashIndexed(prefix, i), mashIndexed(prefix, i));
}

/** Mash's running state after the first pass over `prefix` of a seeding (from the state after the spaces). */
function prefixState(prefix: string): number {
  return mashString(AFTER_SPACES, prefix);
}

/** Alea's starting state from the three passes' hashes h0, h1, h2 of its key: s_k = SPACE_k − h_k, mod 1; c = 1. */
function writeSeeded(state: Float64Array, o: number, h0: number, h1: number, h2: number): void {
  const s0 = SPACE0 - h0;
  const s1 = SPACE1 - h1;
  const s2 = SPACE2 - h2;
  state[o] = s0 < 0 ? s0 + 1 : s0;
  state[o + 1] = s1 < 0 ? s1 + 1 : s1;
  state[o + 2] = s2 < 0 ? s2 + 1 : s2;
  state[o + 3] = 1;
}

/** Alea's step on the state at d[o … o+3], as seedrandom computes it: the next uniform number in [0, 1). */
function aleaNext(d: Float64Array, o: number): number {
  const t = 2091639 * d[o] + d[o + 3] * 2.3283064365386963e-10; // 2^-32
  d[o] = d[o + 1];
  d[o + 1] = d[o + 2];
  const c = t | 0;
  d[o + 3] = c;
  return (d[o + 2] = t - c);
}

/**
 * Many streams of one name (one per workload instance, say) kept side by side in one array:
 * stream i's alea state, then `extra` numbers its owner keeps beside it (an arrival process
 * keeps its kind and rate there), so a draw reads one place in memory rather than three
 * closures and an object. Each stream gives exactly the sequence {@link RandomStreams.stream}
 * gives for the same (seed, name, key): the generator is seedrandom's alea, restated.
 *
 * A bank may also keep its streams in another bank's records ({@link StreamBank.within}): stream
 * i's state at an offset of record i there, so that what is drawn together is read together (a
 * request's birth draws its instance's arrival, input and compute-time streams: one record).
 */
export class StreamBank {
  /** Stream i's record: data[i·stride …]; [0, 4) generator state, [4, stride) the owner's (from `base`, in a bank made by {@link within}). */
  readonly data: Float64Array;
  readonly stride: number;
  /** Where in its record stream i's state starts: 0, or its offset in the host bank's record. */
  private readonly base: number;

  /** Stream i's key is this prefix then i ({@link RandomStreams.key}), and Mash's state after the prefix's first pass. */
  private readonly prefix: string;
  private readonly afterPrefix: number;
  /** The shared draw {@link at} hands out, and the stream it draws from. */
  private current = 0;
  private readonly draw: Rng = () => this.next(this.current);

  /**
   * `lazy`: a stream's generator is seeded when it first draws (a bank of a million device
   * streams of which few are used costs its array and nothing more).
   */
  constructor(
    streams: RandomStreams,
    name: StreamName,
    count: number,
    extra = 0,
    lazy = false,
    /** The records to keep the streams in ({@link within}); absent: an array of the bank's own. */
    host?: { readonly data: Float64Array; readonly stride: number; readonly offset: number },
  ) {
    this.prefix = streams.key(name, '');
    this.afterPrefix = prefixState(this.prefix);
    if (host !== undefined) {
      if (!(host.offset >= 0 && host.offset + ALEA_STATE + extra <= host.stride && host.data.length >= count * host.stride)) {
        throw new RangeError(`stream bank ${name}: ${ALEA_STATE + extra} numbers at offset ${host.offset} do not fit ${count} records of ${host.stride}`);
      }
      this.data = host.data;
      this.stride = host.stride;
      this.base = host.offset;
    } else {
      this.stride = ALEA_STATE + extra;
      this.data = float64Array(count * this.stride);
      this.base = 0;
    }
    for (let i = 0; i < count; i++) {
      if (lazy) this.data[i * this.stride + this.base] = UNSEEDED;
      else this.seed(i);
    }
  }

  /**
   * Streams 0 … count − 1 of `name`, each seeded on its first draw, kept in `host`'s records at
   * `offset` (4 numbers each; the host's owner must leave them alone): the same numbers as a bank of
   * their own.
   */
  static within(streams: RandomStreams, name: StreamName, count: number, host: StreamBank, offset: number): StreamBank {
    return new StreamBank(streams, name, count, 0, true, { data: host.data, stride: host.stride, offset });
  }

  /** Numbers of one stream's generator state (what {@link within} needs room for in each record). */
  static readonly STATE = ALEA_STATE;

  /** Seeds stream i: alea's state for key (seed, name, i), as `aleaSeed(streams.key(name, i))` would. */
  private seed(i: number): void {
    aleaSeedIndexed(this.prefix, this.afterPrefix, i, this.data, i * this.stride + this.base);
  }

  /** The next uniform number in [0, 1) of stream i (alea's step, as seedrandom computes it). */
  next(i: number): number {
    const d = this.data;
    const o = i * this.stride + this.base;
    if (d[o] === UNSEEDED) this.seed(i);
    return aleaNext(d, o);
  }

  /** Reads stream i's state as its next draw will; changes nothing (for reading ahead: world/warm.ts). */
  touch(i: number): number {
    return this.data[i * this.stride + this.base];
  }

  /** Stream i as an {@link Rng} (it shares the state: draws through either continue one sequence). */
  rng(i: number): Rng {
    return () => this.next(i);
  }

  /**
   * Stream i as an {@link Rng} without making one: a single function shared by every stream of
   * the bank, drawing from the stream last named here. For a caller that draws at once and
   * keeps nothing (a distribution's `sample(rng)`); a kept one must use {@link rng}.
   */
  at(i: number): Rng {
    this.current = i;
    return this.draw;
  }
}
