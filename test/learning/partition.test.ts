import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/core/random.ts';
import { loadMnistSplit } from '../../src/learning/mnist.ts';
import {
  labelCounts,
  labelEntropy,
  partition,
  partitionDirichlet,
  partitionIid,
  partitionShards,
  type Partition,
  type PartitionSpec,
} from '../../src/learning/partition.ts';
import { sameBits } from './bits.ts';

const { data, train } = loadMnistSplit(1);
const rng = (key: string, seed = 7) => new RandomStreams(seed).stream('training', key);

/** Every training index in exactly one client, every client non-empty, each client's list ascending. */
function expectCovers(parts: Partition, rows: Int32Array): void {
  const seen = new Map<number, number>();
  for (const p of parts) {
    expect(p.length).toBeGreaterThanOrEqual(1);
    for (let t = 0; t < p.length; t++) {
      if (t > 0) expect(p[t]).toBeGreaterThan(p[t - 1]);
      seen.set(p[t], (seen.get(p[t]) ?? 0) + 1);
    }
  }
  expect(seen.size).toBe(rows.length);
  for (const r of rows) expect(seen.get(r)).toBe(1);
}

function sameParts(a: Partition, b: Partition): boolean {
  return a.length === b.length && a.every((p, k) => sameBits(p, b[k]));
}

const meanEntropy = (parts: Partition) => parts.reduce((s, p) => s + labelEntropy(p, data.y), 0) / parts.length;

describe('partitions of the 8,000 training digits', () => {
  const specs: [string, PartitionSpec, number][] = [
    ['iid', { kind: 'iid' }, 10],
    ['iid', { kind: 'iid' }, 7],
    ['dirichlet α=0.1', { kind: 'dirichlet', alpha: 0.1 }, 10],
    ['dirichlet α=0.1', { kind: 'dirichlet', alpha: 0.1 }, 100],
    ['dirichlet α=100', { kind: 'dirichlet', alpha: 100 }, 10],
    ['shards k=2', { kind: 'shards', shardsPerClient: 2 }, 100],
    ['shards k=3', { kind: 'shards', shardsPerClient: 3 }, 3],
  ];

  it.each(specs)('%s over $2 clients: covers every index once, every client ≥ 1, same seed same split', (_, spec, k) => {
    const a = partition(spec, train, data.y, k, rng('p'));
    expect(a.length).toBe(k);
    expectCovers(a, train);
    expect(sameParts(a, partition(spec, train, data.y, k, rng('p')))).toBe(true);
    expect(sameParts(a, partition(spec, train, data.y, k, rng('p', 8)))).toBe(false);
  });

  it('IID: sizes equal ±1 (8,000 / 7 = 1,142 or 1,143), label mix near uniform', () => {
    const parts = partitionIid(train, 7, rng('iid'));
    const sizes = parts.map((p) => p.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(sizes.every((s) => s === 1142 || s === 1143)).toBe(true);
    expect(meanEntropy(parts)).toBeGreaterThan(3.2); // log2(10) = 3.32
  });

  it('shards (McMahan et al. 2017: 100 clients × 2 shards): each client holds at most 2 classes, shard sizes 40 ± 1', () => {
    const parts = partitionShards(train, data.y, 100, 2, rng('sh'));
    for (const p of parts) {
      const classes = labelCounts(p, data.y).filter((c) => c > 0).length;
      expect(classes).toBeGreaterThanOrEqual(1);
      expect(classes).toBeLessThanOrEqual(2);
    }
    const sizes = parts.map((p) => p.length);
    // 200 shards of 8,000 digits, cut within classes of ~800: each shard 34…46 rows.
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(2 * 30);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2 * 50);
    // Most clients really get two different digits.
    expect(parts.filter((p) => labelCounts(p, data.y).filter((c) => c > 0).length === 2).length).toBeGreaterThan(80);
  });

  it('shards with fewer shards than classes: contiguous cut of the label-sorted list (as in the paper)', () => {
    const parts = partitionShards(train, data.y, 2, 2, rng('sh4'));
    expectCovers(parts, train);
    const sizes = parts.map((p) => p.length);
    expect(sizes).toEqual([4_000, 4_000]);
  });

  it('Dirichlet α = 0.1 is much more label-skewed than α = 100 (mean per-client label entropy)', () => {
    const skewed = meanEntropy(partitionDirichlet(train, data.y, 10, 0.1, rng('d')));
    const flat = meanEntropy(partitionDirichlet(train, data.y, 10, 100, rng('d')));
    console.log(`mean per-client label entropy over 10 clients: α=0.1 → ${skewed.toFixed(3)} bits, α=100 → ${flat.toFixed(3)} bits (uniform 3.322)`);
    expect(flat).toBeGreaterThan(3.2);
    // Less than 60 % of the near-uniform entropy (measured: 1.54 vs 3.31 bits on seed 7).
    expect(skewed).toBeLessThan(0.6 * flat);
  });

  it('Dirichlet repair gives every client ≥ 1 sample even when most draws are empty (α = 0.01, 200 clients)', () => {
    const parts = partitionDirichlet(train, data.y, 200, 0.01, rng('tiny'));
    expectCovers(parts, train);
  });

  it('rejects more clients than samples', () => {
    expect(() => partitionIid(train.subarray(0, 5), 6, rng('x'))).toThrow(/at least one/);
    expect(() => partitionShards(train.subarray(0, 10), data.y, 6, 2, rng('x'))).toThrow(/at least one/);
    expect(() => partitionDirichlet(train, data.y, 3, 0, rng('x'))).toThrow(/α/);
  });
});
