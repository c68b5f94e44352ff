import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/core/random.ts';
import { compressMlp, MLP_BIAS_BYTES, MLP_MATRICES } from '../../src/learning/compression-study.ts';
import { initParams } from '../../src/learning/mlp.ts';
import { packedBytes, valueCoding } from '../../src/policies/compression/coding.ts';
import { compressLayer } from '../../src/policies/compression/model-size.ts';
import { csrIndexBytes } from '../../src/policies/compression/sparse-format.ts';
import { encodeTensor } from '../../src/policies/compression/tensor/encode.ts';
import { transpose } from '../../src/policies/compression/tensor/layout.ts';
import { pruneByMagnitude } from '../../src/policies/compression/tensor/prune.ts';
import type { CompressionVariant } from '../../src/policies/compression/variant.ts';
import { linearWeightMatrix, weightMatrix } from '../../src/policies/compression/weight-matrix.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import type { Layer } from '../../src/world/model.ts';

const zoo = loadCatalog().models.get('mlp-784-128-10')!;
/** The zoo's fc1 and fc2, in MLP_MATRICES order (W1, W2). */
const layers = zoo.layers;
/** The zoo layer record of the weights alone ([out, in], biases left out: the study keeps them fp32). */
const weightsOnly = (layer: Layer): Layer => {
  const { rows, cols } = linearWeightMatrix(layer);
  return { ...layer, params: rows * cols };
};
/** Real MLP weights: the parameters the study starts training from on seed 1 (stream 'training'/'init'). */
const params = initParams(new RandomStreams(1).stream('training', 'init'));

/** Positions where two parameter vectors differ (Object.is: bit for bit, −0 apart from 0); a loop, as toEqual on 10^5 values takes seconds. */
const differing = (a: Float32Array, b: Float32Array) => {
  let count = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (!Object.is(a[i], b[i])) count++;
  return count;
};

const csr = (sparsity: number): CompressionVariant => ({ name: `p${sparsity}-csr`, pruning: { sparsity, format: 'csr' } });
const VARIANTS: readonly CompressionVariant[] = [
  csr(0.5),
  csr(0.75),
  csr(0.9),
  csr(0.37),
  { name: 'p0.9-bitmask', pruning: { sparsity: 0.9, format: 'bitmask' } },
  { name: 'p0.5-int8', pruning: { sparsity: 0.5, format: 'csr' }, quantization: { levels: 256 } },
  { name: 'p0.9-s16-int8', pruning: { sparsity: 0.9, format: 'csr' }, sharing: { clusters: 16 }, quantization: { levels: 256 } },
];

describe('the real encoder and the zoo arithmetic see a linear weight as [out, in]', () => {
  it("encodes the MLP's W1 and W2 in the zoo layers' orientation: one row per output, one column per input", () => {
    // fc1: FLOPs 200,704 = 2 × 128 outputs × 784 inputs; 100,480 parameters fill ⌈100480 / 784⌉ = 129 rows
    // (128 outputs + the biases); the weights alone are 128 × 784. fc2: 2,560 = 2 × 10 × 128 → 10 × 128.
    expect(layers.map((l) => weightMatrix(l))).toEqual([
      { rows: 129, cols: 784 },
      { rows: 11, cols: 128 },
    ]);
    expect(layers.map((l) => linearWeightMatrix(l))).toEqual([
      { rows: 128, cols: 784 },
      { rows: 10, cols: 128 },
    ]);
    expect(MLP_MATRICES.map((m) => m.shape)).toEqual(layers.map((l) => linearWeightMatrix(l)));
    expect(() => linearWeightMatrix({ name: 'c', type: 'conv', params: 10, flops: 20, outputBytes: 4 })).toThrow(/not linear/);
  });

  it('W1 at 90 % in CSR: 60,726 bytes, as counted by hand and by the arithmetic of the zoo layer', () => {
    // W1 as [out, in] = 128 × 784 = 100,352 weights; pruning drops round(0.9 · 100352) = round(90316.8) = 90,317,
    // keeps 10,035: values 10,035 × 4 = 40,140 B; column indices (784 columns ≤ 65,536 → uint16) 10,035 × 2 =
    // 20,070 B; row pointers (128 + 1) × 4 = 516 B. Total 60,726 B. Input-major (784 × 128) it had 785 row
    // pointers (3,140 B): 63,350 B, which no zoo arithmetic gives.
    const v = csr(0.9);
    const w1 = compressMlp(params, v).matrices[0];
    expect(w1.stored).toBe(10_035);
    expect(w1.bytes).toBe(60_726);
    expect(compressLayer(weightsOnly(layers[0]), v).bytes).toBe(60_726);
    expect(csrIndexBytes(128, 784, 10_035)).toBe(20_070 + 516);
    const inputMajor = encodeTensor(params.subarray(MLP_MATRICES[0].offset, MLP_MATRICES[0].offset + 100_352), { rows: 784, cols: 128 }, v);
    expect(inputMajor.bytes.length).toBe(63_350);
    // W2 at 50 %: keeps 640 of 1,280: 640 × (4 + 2) + (10 + 1) × 4 = 3,884 B (input-major: 129 pointers, 4,356 B).
    const w2 = compressMlp(params, csr(0.5)).matrices[1];
    expect(w2.bytes).toBe(3_884);
    expect(compressLayer(weightsOnly(layers[1]), csr(0.5)).bytes).toBe(3_884);
  });

  it("stores each MLP layer in exactly the arithmetic's bytes for the same non-zeros, at every sparsity and coding", () => {
    for (const v of VARIANTS) {
      const mlp = compressMlp(params, v);
      let arithmetic = MLP_BIAS_BYTES;
      mlp.matrices.forEach((m, i) => {
        const layer = compressLayer(weightsOnly(layers[i]), v);
        const { rows, cols } = linearWeightMatrix(layers[i]);
        // The same non-zeros (the pruning mask's kept count), the same index over the same rows.
        expect(m.stored, `${v.name} ${m.name}`).toBe(layer.nonzeros);
        expect(m.bytes, `${v.name} ${m.name}`).toBe(layer.bytes);
        if (v.pruning?.format === 'csr') {
          const coding = valueCoding(v);
          expect(m.bytes - packedBytes(m.stored, coding.bits) - coding.overheadBytes, `${v.name} ${m.name} index`).toBe(csrIndexBytes(rows, cols, m.stored));
        }
        arithmetic += layer.bytes;
      });
      expect(mlp.bytes, v.name).toBe(arithmetic);
    }
  });

  it('changes the index, not the weights: the decoded MLP is the one the input-major encoding gave', () => {
    // Magnitude pruning, k-means, the quantization range and the grid do not depend on the order of the values
    // (only ties at the pruning threshold would, broken towards the lowest index: none in these weights), so the
    // study's accuracies are unchanged by the layout; only the CSR bytes shrink (W1 656 and W2 118 row pointers fewer).
    for (const v of VARIANTS) {
      const decoded = compressMlp(params, v).params;
      const before = Float32Array.from(params);
      for (const m of MLP_MATRICES) {
        const n = m.shape.rows * m.shape.cols;
        before.set(encodeTensor(params.subarray(m.offset, m.offset + n), { rows: m.shape.cols, cols: m.shape.rows }, v).decoded, m.offset);
      }
      expect(differing(decoded, before), v.name).toBe(0);
    }
    // Pruning alone: exactly the input-major parameters with W1 and W2 pruned by magnitude, biases untouched.
    const expected = Float32Array.from(params);
    for (const m of MLP_MATRICES) {
      const stored = expected.subarray(m.offset, m.offset + m.shape.rows * m.shape.cols);
      pruneByMagnitude(stored, 0.75, stored);
    }
    expect(differing(compressMlp(params, csr(0.75)).params, expected)).toBe(0);
  });

  it('transposes a row-major matrix', () => {
    // [[1, 2, 3], [4, 5, 6]] → [[1, 4], [2, 5], [3, 6]].
    expect([...transpose(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3)]).toEqual([1, 4, 2, 5, 3, 6]);
    expect(() => transpose(new Float32Array(5), 2, 3)).toThrow(/holds 6/);
  });
});
