import { describe, expect, it } from 'vitest';
import { standardNormal } from '../../src/core/distributions.ts';
import { RandomStreams } from '../../src/core/random.ts';
import { compressLayer } from '../../src/policies/compression/model-size.ts';
import { packBits, unpackBits } from '../../src/policies/compression/tensor/bits.ts';
import { decodeTensor, encodeTensor } from '../../src/policies/compression/tensor/encode.ts';
import { gridLevel, gridValue, uniformGrid } from '../../src/policies/compression/tensor/grid.ts';
import { kmeans1d } from '../../src/policies/compression/tensor/kmeans.ts';
import { magnitudeMask, pruneByMagnitude } from '../../src/policies/compression/tensor/prune.ts';
import { quantizeUniform } from '../../src/policies/compression/tensor/quantize.ts';
import { shareWeights } from '../../src/policies/compression/tensor/share.ts';
import type { CompressionVariant } from '../../src/policies/compression/variant.ts';

const normal = (n: number, seed: number, scale = 0.1) => {
  const rng = new RandomStreams(seed).stream('training', 'tensor-test');
  return Float32Array.from({ length: n }, () => scale * standardNormal(rng));
};
const mse = (a: Float32Array, b: ArrayLike<number>) => a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0) / a.length;

describe('magnitude pruning', () => {
  it('zeroes exactly round(s·n) weights of smallest magnitude, ties to the lowest index', () => {
    expect([...pruneByMagnitude(Float32Array.from([3, -1, 0.5, -2, 1, 4]), 0.5)]).toEqual([3, 0, 0, -2, 0, 4]);
    expect([...pruneByMagnitude(Float32Array.from([1, -1, 1, 2]), 0.5)]).toEqual([0, 0, 1, 2]);
    const w = normal(1001, 1);
    const copy = Float32Array.from(w);
    const pruned = pruneByMagnitude(w, 0.9);
    expect(pruned.filter((x) => x === 0).length).toBe(Math.round(0.9 * 1001));
    expect([...w]).toEqual([...copy]); // a copy by default
    expect(pruneByMagnitude(w, 0.3, w)).toBe(w); // in place on request
    expect(w.filter((x) => x === 0).length).toBe(300);
    expect(() => pruneByMagnitude(w, 1)).toThrow(/sparsity/);
  });
});

describe('the uniform grid, uniform quantization and weight sharing', () => {
  it('has exactly N levels step (max − min)/(N − 1) apart with 0 among them; every value within step/2', () => {
    const g = uniformGrid(-1, 1, 5);
    expect([0, 1, 2, 3, 4].map((q) => gridValue(g, q))).toEqual([-1, -0.5, 0, 0.5, 1]);
    const w = normal(5000, 2);
    for (const levels of [4, 16, 256]) {
      const q = quantizeUniform(w, levels);
      expect(q.grid.step).toBeCloseTo((q.max - q.min) / (levels - 1), 12);
      expect(new Set(q.codes).size).toBeLessThanOrEqual(levels);
      expect(Math.max(...q.codes)).toBeLessThan(levels);
      let worst = 0;
      w.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - gridValue(q.grid, q.codes[i])))));
      expect(worst).toBeLessThanOrEqual(q.grid.step / 2 + 1e-12);
      expect(gridValue(q.grid, gridLevel(q.grid, 0))).toBe(0);
    }
    // A constant tensor decodes exactly.
    expect(gridValue(uniformGrid(0.25, 0.25, 16), 0)).toBe(0.25);
  });

  it('k-means finds separated clusters and never does worse than its linear initialization (Lloyd iterations do not raise distortion)', () => {
    expect([...kmeans1d(Float32Array.from([0, 0.1, 0.2, 10, 10.1, 10.2]), 2)].map((c) => Math.round(c * 1e6) / 1e6)).toEqual([0.1, 10.1]);
    const w = normal(20_000, 3);
    for (const k of [4, 16]) {
      const shared = shareWeights(w, k, 'kmeans');
      expect(shared.codebook).toHaveLength(k);
      const decoded = Float32Array.from(shared.codes, (c) => shared.codebook[c]);
      // The linear initialization: k centroids evenly from min to max, each weight to its nearest.
      const [min, max] = [Math.min(...w), Math.max(...w)];
      const init = Float32Array.from(w, (x) => min + Math.round(((x - min) / (max - min)) * (k - 1)) * ((max - min) / (k - 1)));
      expect(mse(w, decoded)).toBeLessThanOrEqual(mse(w, init));
      const grid = shareWeights(w, k, 'grid');
      expect(new Set(grid.codes).size).toBeLessThanOrEqual(k);
    }
  });

  it('packs codes of any width from 1 to 17 bits and reads them back', () => {
    const rng = new RandomStreams(4).stream('training', 'bits');
    for (let bits = 1; bits <= 17; bits++) {
      const codes = Uint32Array.from({ length: 37 }, () => Math.floor(rng() * 2 ** bits));
      const buffer = new Uint8Array(Math.ceil((37 * bits) / 8) + 2);
      expect(packBits(codes, bits, buffer, 2)).toBe(Math.ceil((37 * bits) / 8));
      const back = new Uint32Array(37);
      unpackBits(buffer, 2, 37, bits, back);
      expect([...back]).toEqual([...codes]);
    }
  });
});

describe('a real tensor encoded to bytes', () => {
  // A 3 × 4 matrix; at 50 % the six largest magnitudes stay: 12, −11, 10, 9, 8, −7.
  const W = Float32Array.from([1, -11, 3, 12, 2, 10, -7, 4, 9, -5, 8, 6]);
  const shape = { rows: 3, cols: 4 };
  const half = (format: 'csr' | 'bitmask', extra: Partial<CompressionVariant> = {}): CompressionVariant => ({ name: 'half', pruning: { sparsity: 0.5, format }, ...extra });

  it('CSR: 6 fp32 values + 6 uint16 columns + 4 uint32 row pointers = 52 bytes; decoded exactly', () => {
    const e = encodeTensor(W, shape, half('csr'));
    expect(e.stored).toBe(6);
    expect(e.bytes.length).toBe(6 * 4 + 6 * 2 + 4 * 4);
    expect([...e.decoded]).toEqual([0, -11, 0, 12, 0, 10, -7, 0, 9, 0, 8, 0]);
    const view = new DataView(e.bytes.buffer);
    expect([0, 1, 2, 3].map((r) => view.getUint32(4 * r, true))).toEqual([0, 2, 4, 6]); // row pointers
  });

  it('bitmask: 6 fp32 values + ⌈12/8⌉ = 2 mask bytes; quantized to 4 levels: 8-byte header + ⌈6·2/8⌉ = 2 value bytes', () => {
    expect(encodeTensor(W, shape, half('bitmask')).bytes.length).toBe(24 + 2);
    const q = encodeTensor(W, shape, half('csr', { quantization: { levels: 4 } }));
    expect(q.bytes.length).toBe(8 + (12 + 16) + 2);
    // Grid over the stored values [−11, 12]: step 23/3; each stored value within step/2, pruned ones exactly 0.
    const step = 23 / 3;
    [0, -11, 0, 12, 0, 10, -7, 0, 9, 0, 8, 0].forEach((x, i) => {
      if (x === 0) expect(q.decoded[i]).toBe(0);
      else expect(Math.abs(q.decoded[i] - x)).toBeLessThanOrEqual(step / 2 + 1e-6);
    });
    expect([...decodeTensor(q.bytes, shape, half('csr', { quantization: { levels: 4 } }))]).toEqual([...q.decoded]);
  });

  it("128 × 784 ([out, in], the MLP's W1) at 90 % in CSR: nonzeros × (4 + 2) + 129 × 4 bytes", () => {
    const w = normal(128 * 784, 5);
    const e = encodeTensor(w, { rows: 128, cols: 784 }, { name: 'p90', pruning: { sparsity: 0.9, format: 'csr' } });
    const nonzeros = 128 * 784 - Math.round(0.9 * 128 * 784);
    expect(e.stored).toBe(nonzeros);
    expect(e.bytes.length).toBe(nonzeros * 4 + nonzeros * 2 + 129 * 4);
  });

  it('has exactly the size the arithmetic gives a layer of the same matrix, for every kind of variant', () => {
    const rows = 96;
    const cols = 70;
    const w = normal(rows * cols, 6);
    // A linear layer whose matrix is rows × cols: fan-in cols, one output per row.
    const layer = { name: 'l', type: 'linear', params: rows * cols, flops: 2 * rows * cols, outputBytes: 4 * rows };
    const variants: CompressionVariant[] = [
      { name: 'fp32' },
      { name: 'p37-csr', pruning: { sparsity: 0.37, format: 'csr' } },
      { name: 'p37-mask', pruning: { sparsity: 0.37, format: 'bitmask' } },
      { name: 's5', sharing: { clusters: 5 } },
      { name: 's16-grid', sharing: { clusters: 16, method: 'grid' } },
      { name: 'q7', quantization: { levels: 7 } },
      { name: 'q256', quantization: { levels: 256 } },
      { name: 'p80-s16-q256', pruning: { sparsity: 0.8, format: 'csr' }, sharing: { clusters: 16 }, quantization: { levels: 256 } },
      { name: 'p50-s64-q16', pruning: { sparsity: 0.5, format: 'bitmask' }, sharing: { clusters: 64 }, quantization: { levels: 16 } },
    ];
    for (const v of variants) {
      const e = encodeTensor(w, { rows, cols }, v);
      expect(e.bytes.length, v.name).toBe(compressLayer(layer, v).bytes);
      expect([...decodeTensor(e.bytes, { rows, cols }, v)], v.name).toEqual([...e.decoded]);
    }
  });

  it('stores what the pruning mask keeps, exact zeros included: stored = kept, decoded = the pruned (quantized) tensor', () => {
    // 3 × 4 with six exact zeros (positions 0, 2, 4, 5, 7, 9). At 25 % pruning drops round(0.25 · 12) = 3 weights, the
    // smallest magnitudes, ties to the lowest index: the zeros at 0, 2, 4. It keeps 9 — the zeros at 5, 7, 9 among them.
    const Z = Float32Array.from([0, 5, 0, 2, 0, 0, 7, 0, 4, 0, 1, 9]);
    const p25 = (extra: Partial<CompressionVariant> = {}, format: 'csr' | 'bitmask' = 'csr'): CompressionVariant => ({ name: 'p25', pruning: { sparsity: 0.25, format }, ...extra });
    const layer = { name: 'z', type: 'linear', params: 12, flops: 2 * 12, outputBytes: 4 * 3 };
    expect([...magnitudeMask(Z, 0.25)]).toEqual([0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1]);
    const e = encodeTensor(Z, shape, p25());
    expect(e.stored).toBe(9);
    // 9 fp32 values + 9 uint16 columns + 4 uint32 row pointers = 36 + 18 + 16 = 70 bytes, the arithmetic's
    // nonzeros = 12 − round(0.25 · 12) = 9 (testing w ≠ 0 stored 6: 52 bytes).
    expect(e.bytes.length).toBe(70);
    expect(e.bytes.length).toBe(compressLayer(layer, p25()).bytes);
    const view = new DataView(e.bytes.buffer);
    expect([0, 1, 2, 3].map((r) => view.getUint32(4 * r, true))).toEqual([0, 2, 5, 9]); // rows keep {1, 3}, {5, 6, 7}, {8, 9, 10, 11}
    expect(Array.from({ length: 9 }, (_, k) => view.getUint16(16 + 2 * k, true))).toEqual([1, 3, 1, 2, 3, 0, 1, 2, 3]);
    expect([...e.decoded]).toEqual([...pruneByMagnitude(Z, 0.25)]);
    // Bitmask: 9 × 4 + ⌈12/8⌉ = 38 bytes, the mask's bits set for the kept zeros too.
    const mask = encodeTensor(Z, shape, p25({}, 'bitmask'));
    expect(mask.stored).toBe(9);
    expect(mask.bytes.length).toBe(38);
    expect(mask.bytes.length).toBe(compressLayer(layer, p25({}, 'bitmask')).bytes);
    expect([mask.bytes[0], mask.bytes[1]]).toEqual([0b11101010, 0b00001111]); // positions 1, 3, 5, 6, 7 | 8, 9, 10, 11
    // Quantized to 4 levels over the kept values' range [0, 9] (the kept zeros in it): step 3, levels 0, 3, 6, 9;
    // kept 5, 2, 0, 7, 0, 4, 0, 1, 9 → 6, 3, 0, 6, 0, 3, 0, 0, 9 (1 goes to the zero level and is still stored).
    // Without the kept zeros the range was [1, 9], step 8/3, and 5 decoded to 16/3.
    // Bytes: 8 header + (18 + 16) CSR + ⌈9 · 2 / 8⌉ = 3 = 45.
    const q = encodeTensor(Z, shape, p25({ quantization: { levels: 4 } }));
    expect(q.stored).toBe(9);
    expect([...q.decoded]).toEqual([0, 6, 0, 3, 0, 0, 6, 0, 3, 0, 0, 9]);
    expect(q.bytes.length).toBe(45);
    expect(q.bytes.length).toBe(compressLayer(layer, p25({ quantization: { levels: 4 } })).bytes);
  });

  it('on a ReLU-like tensor with more exact zeros than pruning drops: stored = kept, decoded = the masked values shared or quantized', () => {
    // 40 × 50 normal weights with every other one set to exactly 0 (1,000 zeros); 30 % pruning drops 600 of them and
    // keeps 1,400 positions, 400 zeros among them.
    const rows = 40;
    const cols = 50;
    const w = normal(rows * cols, 7).map((x, i) => (i % 2 === 0 ? 0 : x));
    const keep = magnitudeMask(w, 0.3);
    const kept = keep.reduce((a, b) => a + b, 0);
    expect(kept).toBe(1_400);
    expect(w.filter((x, i) => keep[i] === 1 && x === 0).length).toBe(400);
    const positions = [...keep.keys()].filter((i) => keep[i] === 1);
    const values = Float32Array.from(positions, (i) => w[i]);
    const layer = { name: 'relu', type: 'linear', params: rows * cols, flops: 2 * rows * cols, outputBytes: 4 * rows };
    const expected = (decode: (k: number) => number) => {
      const out = new Float32Array(rows * cols);
      positions.forEach((p, k) => (out[p] = decode(k)));
      return [...out];
    };
    const quantized = quantizeUniform(values, 16);
    const shared = shareWeights(values, 8, 'kmeans');
    const cases: [CompressionVariant, number[]][] = [
      [{ name: 'p30', pruning: { sparsity: 0.3, format: 'csr' } }, [...pruneByMagnitude(w, 0.3)]],
      [{ name: 'p30-mask', pruning: { sparsity: 0.3, format: 'bitmask' } }, [...pruneByMagnitude(w, 0.3)]],
      [{ name: 'p30-q16', pruning: { sparsity: 0.3, format: 'csr' }, quantization: { levels: 16 } }, expected((k) => gridValue(quantized.grid, quantized.codes[k]))],
      [{ name: 'p30-s8', pruning: { sparsity: 0.3, format: 'bitmask' }, sharing: { clusters: 8 } }, expected((k) => shared.codebook[shared.codes[k]])],
      [{ name: 'p30-s8-q256', pruning: { sparsity: 0.3, format: 'csr' }, sharing: { clusters: 8 }, quantization: { levels: 256 } }, []],
    ];
    for (const [v, decoded] of cases) {
      const e = encodeTensor(w, { rows, cols }, v);
      expect(e.stored, v.name).toBe(kept);
      expect(compressLayer(layer, v).nonzeros, v.name).toBe(kept);
      expect(e.bytes.length, v.name).toBe(compressLayer(layer, v).bytes);
      if (decoded.length > 0) expect([...e.decoded], v.name).toEqual(decoded);
      expect([...decodeTensor(e.bytes, { rows, cols }, v)], v.name).toEqual([...e.decoded]);
      // Every pruned position decodes to 0.
      expect(e.decoded.filter((x, i) => keep[i] === 0 && x !== 0).length, v.name).toBe(0);
    }
  });

  it('refuses channel pruning and a wrong length', () => {
    expect(() => encodeTensor(W, shape, { name: 'c', channels: 0.5 })).toThrow(/architecture/);
    expect(() => encodeTensor(W, { rows: 2, cols: 2 }, { name: 'fp32' })).toThrow(/holds 4/);
  });
});
