import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MLP_BIAS_BYTES, runCompressionStudy, type CompressionStudyRow } from '../../src/learning/compression-study.ts';
import { compressLayer, compressModel } from '../../src/policies/compression/model-size.ts';
import type { CompressionVariant } from '../../src/policies/compression/variant.ts';
import { linearWeightMatrix } from '../../src/policies/compression/weight-matrix.ts';
import { COMPRESSION_STUDY_COLUMNS, writeCompressionStudy } from '../../src/report/compression.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';

const csr = (sparsity: number) => ({ sparsity, format: 'csr' as const });
/** The variants measured, with their stored size counted by hand from the formats of tensor/encode.ts. */
const VARIANTS: readonly (CompressionVariant & { expectedBytes: number })[] = [
  // W1 128 × 784 and W2 10 × 128 ([out, in]) at 4 bytes, + 138 fp32 biases (552 B).
  { name: 'fp32', expectedBytes: 4 * (100_352 + 1_280) + 552 },
  // W1 keeps 100352 − round(0.5 · 100352) = 50,176 values: 4-byte value + uint16 column each, 128 + 1 row pointers;
  // W2 keeps 640: 6 bytes each + 10 + 1 row pointers.
  { name: 'prune-50', pruning: csr(0.5), expectedBytes: 50_176 * 6 + 129 * 4 + 640 * 6 + 11 * 4 + 552 },
  // 90 %: W1 keeps 100352 − 90317 = 10,035, W2 keeps 1280 − 1152 = 128.
  { name: 'prune-90', pruning: csr(0.9), expectedBytes: 10_035 * 6 + 129 * 4 + 128 * 6 + 11 * 4 + 552 },
  // Bitmask: the same values + one bit per weight (100352 / 8 and 1280 / 8 bytes).
  { name: 'prune-90-bitmask', pruning: { sparsity: 0.9, format: 'bitmask' }, expectedBytes: 10_035 * 4 + 12_544 + 128 * 4 + 160 + 552 },
  // k = 16: 4-bit indices + a 16-entry fp32 codebook per matrix.
  { name: 'share-16', sharing: { clusters: 16 }, expectedBytes: 100_352 / 2 + 64 + 1_280 / 2 + 64 + 552 },
  // k = 4: 2-bit indices + 4 fp32 entries.
  { name: 'share-4', sharing: { clusters: 4 }, expectedBytes: 100_352 / 4 + 16 + 1_280 / 4 + 16 + 552 },
  { name: 'share-4-grid', sharing: { clusters: 4, method: 'grid' }, expectedBytes: 100_352 / 4 + 16 + 1_280 / 4 + 16 + 552 },
  // N levels: ⌈log2 N⌉ bits per weight + an 8-byte min/max header per matrix; activations quantized too.
  { name: 'quantize-256', quantization: { levels: 256 }, expectedBytes: 100_352 + 8 + 1_280 + 8 + 552 },
  { name: 'quantize-16', quantization: { levels: 16 }, expectedBytes: 100_352 / 2 + 8 + 1_280 / 2 + 8 + 552 },
  { name: 'quantize-4', quantization: { levels: 4 }, expectedBytes: 100_352 / 4 + 8 + 1_280 / 4 + 8 + 552 },
  // Prune 90 % → share 16 → quantize 256: 4-bit codes, CSR indices, header + 16 one-byte codebook levels per matrix.
  {
    name: 'prune-90-share-16-quantize-256',
    pruning: csr(0.9),
    sharing: { clusters: 16 },
    quantization: { levels: 256 },
    expectedBytes: Math.ceil(10_035 / 2) + 10_035 * 2 + 129 * 4 + 24 + 128 / 2 + 128 * 2 + 11 * 4 + 24 + 552,
  },
];

let rows: CompressionStudyRow[];
const row = (name: string) => rows.find((r) => r.variant === name)!;
let dir: string;

beforeAll(() => {
  // The zoo's MLP trained as test/learning/mlp.test.ts trains it (seed 1, 5 epochs, batch 32, lr 0.1, plain SGD).
  rows = runCompressionStudy(1, { epochs: 5, batchSize: 32, lr: 0.1 }, VARIANTS);
  console.table(rows.map((r) => ({ variant: r.variant, bytes: r.bytes, accuracy: r.accuracy })));
  dir = mkdtempSync(join(tmpdir(), 'edelear-compression-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('compression of the real MLP trained on MNIST digits', () => {
  it('stores each variant in exactly the bytes its format counts', () => {
    for (const v of VARIANTS) expect(row(v.name).bytes, v.name).toBe(v.expectedBytes);
  });

  it('agrees with the arithmetic of the zoo file up to the biases, which the study keeps fp32', () => {
    const mlp = loadCatalog().models.get('mlp-784-128-10')!;
    const arithmetic = (name: string) => compressModel(mlp, VARIANTS.find((v) => v.name === name)!).bytes;
    expect(row('fp32').bytes).toBe(arithmetic('fp32'));
    // The arithmetic codes the 138 biases with the weights: 1 byte each at 256 levels, half a byte at k = 16.
    expect(row('quantize-256').bytes - arithmetic('quantize-256')).toBe(MLP_BIAS_BYTES - 138);
    expect(row('share-16').bytes - arithmetic('share-16')).toBe(MLP_BIAS_BYTES - 138 / 2);
    // Without the biases, exactly: each weight matrix [out, in] (fc1 128 × 784, fc2 10 × 128) is a zoo layer record
    // of its weights alone, whose arithmetic (CSR over 129 and 11 row pointers) is what the trained weights took.
    for (const v of VARIANTS) {
      const weights = mlp.layers.map((l) => compressLayer({ ...l, params: linearWeightMatrix(l).rows * linearWeightMatrix(l).cols }, v).bytes);
      expect(row(v.name).bytes, v.name).toBe(weights[0] + weights[1] + MLP_BIAS_BYTES);
    }
  });

  it('keeps 8-bit quantization of weights and activations within 1 point of fp32', () => {
    // Published 8-bit results stay within 1 point of fp32: ResNet-50 −0.21 (torchvision), −0.84 (Distiller,
    // post-training, per tensor), MobileNetV2 −0.22 (torchvision), −0.80 (NNCF): data/models, data/accuracy.
    expect(row('fp32').accuracy).toBeGreaterThanOrEqual(0.9);
    expect(Math.abs(row('quantize-256').accuracy - row('fp32').accuracy)).toBeLessThanOrEqual(0.01);
  });

  it('loses more the coarser the weights: fewer levels, fewer clusters, more pruning', () => {
    // The weight error grows as levels fall (at most half a step, step ∝ 1/(N − 1)) and as more weights are zeroed.
    expect(row('quantize-256').accuracy).toBeGreaterThan(row('quantize-4').accuracy);
    expect(row('share-16').accuracy).toBeGreaterThan(row('share-4').accuracy);
    expect(row('prune-50').accuracy).toBeGreaterThan(row('prune-90').accuracy);
    // The sparse format changes the bytes, not the weights.
    expect(row('prune-90-bitmask').accuracy).toBe(row('prune-90').accuracy);
    // k-means puts the 4 shared values where the weights are (Lloyd lowers the squared weight error; Han et al.
    // 2016 share weights by k-means for this reason); the uniform grid spends them evenly over [min, max].
    expect(row('share-4').accuracy).toBeGreaterThanOrEqual(row('share-4-grid').accuracy);
  });

  it('writes the rows as compression_study.csv', () => {
    const file = join(dir, 'compression_study.csv');
    writeCompressionStudy(file, rows);
    const records = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0])).toEqual([...COMPRESSION_STUDY_COLUMNS]);
    expect(records.map((r) => r.variant)).toEqual(VARIANTS.map((v) => v.name));
    const fp32 = records.find((r) => r.variant === 'fp32')!;
    expect(Number(fp32.compression_ratio)).toBe(1);
    expect(Number(fp32.accuracy_change)).toBe(0);
    const q4 = records.find((r) => r.variant === 'quantize-4')!;
    expect(Number(q4.compression_ratio)).toBeCloseTo(row('fp32').bytes / row('quantize-4').bytes, 12);
    expect(q4.weight_bits).toBe('2');
    expect(q4.activation_bits).toBe('2');
  });
});
