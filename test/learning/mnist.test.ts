import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/core/random.ts';
import { MNIST_PIXELS, splitTrainTest } from '../../src/learning/dataset.ts';
import { MNIST_PACKAGE_SAMPLES, loadMnist, loadMnistSplit } from '../../src/learning/mnist.ts';
import { labelCounts } from '../../src/learning/partition.ts';
import { sameBits } from './bits.ts';

/** Samples per digit in the `mnist` package v1.1.0 (each digit's `.length`; they sum to 10,000). */
const PER_DIGIT = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

describe('mnist loader', () => {
  const data = loadMnist();

  it('loads the 10,000 real digits with their labels, pixels in [0, 1]', () => {
    expect(data.n).toBe(MNIST_PACKAGE_SAMPLES);
    expect(data.x.length).toBe(10_000 * MNIST_PIXELS);
    expect(Array.from(labelCounts(Array.from({ length: data.n }, (_, i) => i), data.y))).toEqual(PER_DIGIT);
    let min = Infinity;
    let max = -Infinity;
    let nonZero = 0;
    for (const v of data.x) {
      if (v < min) min = v;
      if (v > max) max = v;
      if (v !== 0) nonZero++;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    // MNIST strokes cover roughly a fifth of the 28 × 28 frame.
    expect(nonZero / data.n).toBeGreaterThan(100);
    expect(nonZero / data.n).toBeLessThan(200);
  });

  it('loads the same rows every time (row order fixed by digit, not by a seed)', () => {
    const again = loadMnist();
    expect(sameBits(again.y, data.y)).toBe(true);
    expect(sameBits(again.x, data.x)).toBe(true);
  });

  it('splits 8,000 / 2,000 deterministically by seed, disjoint and covering every row', () => {
    const a = loadMnistSplit(42);
    const b = loadMnistSplit(42);
    const c = loadMnistSplit(43);
    expect(a.train.length).toBe(8_000);
    expect(a.test.length).toBe(2_000);
    expect(sameBits(a.train, b.train)).toBe(true);
    expect(sameBits(a.test, b.test)).toBe(true);
    expect(sameBits(c.test, a.test)).toBe(false);
    const seen = new Uint8Array(data.n);
    for (const i of a.train) seen[i]++;
    for (const i of a.test) seen[i]++;
    expect(seen.every((s) => s === 1)).toBe(true);
    // A uniform shuffle: the test set's label mix follows the whole set's (each digit ≈ 10 %).
    const counts = labelCounts(a.test, data.y);
    for (let d = 0; d < 10; d++) expect(Math.abs(counts[d] / 2_000 - PER_DIGIT[d] / 10_000)).toBeLessThan(0.025);
  });

  it('rejects impossible test sizes', () => {
    const rng = new RandomStreams(1).stream('training');
    expect(() => splitTrainTest(10, 0, rng)).toThrow(/test size/);
    expect(() => splitTrainTest(10, 10, rng)).toThrow(/test size/);
  });
});
