import seedrandom from 'seedrandom';

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
] as const;
/** One of {@link STREAM_NAMES}. */
export type StreamName = (typeof STREAM_NAMES)[number];

/**
 * Named random streams derived from one seed with seedrandom's alea generator.
 * A stream's sequence depends only on (seed, name, key), never on how other streams
 * were used, so two policies run on one seed see the same arrivals and inputs
 * (common random numbers).
 */
export class RandomStreams {
  constructor(readonly seed: number) {}

  /** The stream `name`, optionally split further by `key` (e.g. one per device). */
  stream(name: StreamName, key: string | number = ''): Rng {
    const prng = seedrandom.alea(this.key(name, key));
    return () => prng();
  }

  /** The seed string of stream (name, key). */
  key(name: StreamName, key: string | number = ''): string {
    return `edelear/${this.seed}/${name}/${key}`;
  }
}

/** Numbers of a {@link StreamBank} stream's generator state (alea: s0, s1, s2, c). */
const ALEA_STATE = 4;

/**
 * Many streams of one name (one per workload instance, say) kept side by side in one array:
 * stream i's alea state, then `extra` numbers its owner keeps beside it (an arrival process
 * keeps its kind and rate there), so a draw reads one place in memory rather than three
 * closures and an object. Each stream gives exactly the sequence {@link RandomStreams.stream}
 * gives for the same (seed, name, key): the generator is seedrandom's alea, restated.
 */
export class StreamBank {
  /** Stream i's record: data[i·stride …]; [0, 4) generator state, [4, stride) the owner's. */
  readonly data: Float64Array;
  readonly stride: number;

  constructor(streams: RandomStreams, name: StreamName, count: number, extra = 0) {
    const stride = (this.stride = ALEA_STATE + extra);
    this.data = new Float64Array(count * stride);
    for (let i = 0; i < count; i++) {
      const s = seedrandom.alea(streams.key(name, i), { state: true }).state() as { s0: number; s1: number; s2: number; c: number };
      const o = i * stride;
      this.data[o] = s.s0;
      this.data[o + 1] = s.s1;
      this.data[o + 2] = s.s2;
      this.data[o + 3] = s.c;
    }
  }

  /** The next uniform number in [0, 1) of stream i (alea's step, as seedrandom computes it). */
  next(i: number): number {
    const d = this.data;
    const o = i * this.stride;
    const t = 2091639 * d[o] + d[o + 3] * 2.3283064365386963e-10; // 2^-32
    d[o] = d[o + 1];
    d[o + 1] = d[o + 2];
    const c = t | 0;
    d[o + 3] = c;
    return (d[o + 2] = t - c);
  }

  /** Stream i as an {@link Rng} (it shares the state: draws through either continue one sequence). */
  rng(i: number): Rng {
    return () => this.next(i);
  }
}
