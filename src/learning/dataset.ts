/**
 * In-memory labelled image datasets for the learning layer, and the seeded helpers every
 * learning module shares (index shuffling, train/test split). Pure: no I/O here; the only
 * loader is `mnist.ts`.
 */
import type { Rng } from '../core/random.ts';

/** Pixels of one 28 × 28 MNIST image: the row width of {@link Dataset.x}. */
export const MNIST_PIXELS = 784;
/** Number of MNIST labels (digits 0–9). */
export const MNIST_CLASSES = 10;

/**
 * A dataset of `n` images: `x` is row-major n × 784 (one image per row, intensities in
 * [0, 1]), `y[i]` the label of row i. Samples are referred to everywhere by row index, so
 * splits and client partitions are index arrays and never copy pixels.
 */
export interface Dataset {
  readonly x: Float32Array;
  readonly y: Uint8Array;
  readonly n: number;
}

/** A train/test split of a dataset's rows, each list ascending. */
export interface Split {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** Shuffles `a` in place (Fisher–Yates); the permutation depends only on the rng's state. */
export function shuffleInPlace(a: Int32Array, rng: Rng): Int32Array {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** The row indices 0 … n−1. */
export function range(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/**
 * Splits rows 0 … n−1 into `testSize` test rows and the rest for training, by one seeded
 * shuffle. Both lists come back sorted so the split is a pair of sets: its content depends
 * only on the rng, and code that walks it in order does not inherit the shuffle.
 */
export function splitTrainTest(n: number, testSize: number, rng: Rng): Split {
  if (!Number.isInteger(testSize) || testSize < 1 || testSize >= n) {
    throw new Error(`test size must be an integer in [1, ${n - 1}], got ${testSize}`);
  }
  const order = shuffleInPlace(range(n), rng);
  const test = order.slice(0, testSize).sort();
  const train = order.slice(testSize).sort();
  return { train, test };
}

/** Checks that `data` is internally consistent (row width 784, labels < 10); throws if not. */
export function assertDataset(data: Dataset): void {
  if (data.x.length !== data.n * MNIST_PIXELS) {
    throw new Error(`dataset x has ${data.x.length} values, expected n × ${MNIST_PIXELS} = ${data.n * MNIST_PIXELS}`);
  }
  if (data.y.length !== data.n) throw new Error(`dataset y has ${data.y.length} labels, expected ${data.n}`);
  for (let i = 0; i < data.n; i++) {
    if (data.y[i] >= MNIST_CLASSES) throw new Error(`label ${data.y[i]} of row ${i} is not a digit`);
  }
}
