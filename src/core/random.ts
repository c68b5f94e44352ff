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
    const prng = seedrandom.alea(`edelear/${this.seed}/${name}/${key}`);
    return () => prng();
  }
}
