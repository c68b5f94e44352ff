import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pruneChannels } from '../../src/policies/compression/channel-pruning.ts';
import { valueCoding } from '../../src/policies/compression/coding.ts';
import { compressLayer, compressModel } from '../../src/policies/compression/model-size.ts';
import { bitmaskIndexBytes, columnIndexBytes, csrIndexBytes } from '../../src/policies/compression/sparse-format.ts';
import { table1 } from '../../src/policies/compression/table1.ts';
import { checkVariant, FP32, indexBits, INT8, type CompressionVariant } from '../../src/policies/compression/variant.ts';
import { weightMatrix } from '../../src/policies/compression/weight-matrix.ts';
import { writeTable1 } from '../../src/report/compression.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import type { Layer } from '../../src/world/model.ts';

const { models } = loadCatalog();
const model = (name: string) => models.get(name)!;

/** A linear layer 6 → 4 with biases: 24 weights + 4 biases, 24 MACs, 4 fp32 outputs. */
const SMALL: Layer = { name: 'fc', type: 'linear', params: 28, flops: 48, outputBytes: 16 };

describe('stored size of a compressed layer, counted by hand', () => {
  it('sees a layer as one row per output and one column per input (fan-in = FLOPs / (2 · outputs))', () => {
    // 48 / (2 · 4) = 6 columns; 28 parameters fill ⌈28 / 6⌉ = 5 rows (4 outputs + the biases).
    expect(weightMatrix(SMALL)).toEqual({ rows: 5, cols: 6 });
    // The zoo MLP's fc1: fan-in 784, 100,480 parameters → ⌈100480 / 784⌉ = 129 rows (128 + biases).
    expect(weightMatrix(model('mlp-784-128-10').layers[0])).toEqual({ rows: 129, cols: 784 });
    // EfficientNet-B0's first squeeze-excitation (torchvision: 32 channels squeezed to 32/4 = 8):
    // params 2·32·8 + 32 + 8 = 552, MACs 2·32·8 = 512; two matrices 8 × 32 and 32 × 8 → 40 rows of ≤ 32 columns.
    const se = model('efficientnet-b0').layers.find((l) => l.type === 'se')!;
    expect(se.params).toBe(552);
    expect(weightMatrix(se)).toEqual({ rows: 40, cols: 32 });
    expect(weightMatrix({ ...SMALL, params: 0, flops: 0 })).toEqual({ rows: 0, cols: 0 });
  });

  it('CSR: values + uint16 column indices + (rows + 1) uint32 row pointers; bitmask: values + one bit per weight', () => {
    const half = (format: 'csr' | 'bitmask'): CompressionVariant => ({ name: `half-${format}`, pruning: { sparsity: 0.5, format } });
    // 50 % of 28 → 14 values kept.
    const csr = compressLayer(SMALL, half('csr'));
    expect(csr.nonzeros).toBe(14);
    expect(csr.valueBytes).toBe(14 * 4);
    expect(csr.indexBytes).toBe(14 * 2 + (5 + 1) * 4); // 28 + 24
    expect(csr.bytes).toBe(56 + 28 + 24);
    const mask = compressLayer(SMALL, half('bitmask'));
    expect(mask.indexBytes).toBe(Math.ceil(28 / 8)); // 4
    expect(mask.bytes).toBe(56 + 4);
    // Quantized to 16 levels: 14 values × 4 bits = 7 bytes, + 8-byte min/max header.
    expect(compressLayer(SMALL, { name: 'q', pruning: { sparsity: 0.5, format: 'csr' }, quantization: { levels: 16 } }).bytes).toBe(7 + 52 + 8);
    // Shared in 4 clusters: 14 × 2 bits = 3.5 → 4 bytes, + a 4-entry fp32 codebook (16 bytes).
    expect(compressLayer(SMALL, { name: 's', pruning: { sparsity: 0.5, format: 'csr' }, sharing: { clusters: 4 } }).bytes).toBe(4 + 52 + 16);
    // Shared in 16 clusters then quantized to 256 levels: 4-bit indices (7 bytes), header 8 + 16 levels × 8 bits.
    expect(compressLayer(SMALL, { name: 'sq', pruning: { sparsity: 0.5, format: 'bitmask' }, sharing: { clusters: 16 }, quantization: { levels: 256 } }).bytes).toBe(7 + 4 + 8 + 16);
  });

  it('column indices widen to uint32 past 65,536 columns; index functions agree with the formulas', () => {
    expect(columnIndexBytes(65_536)).toBe(2);
    expect(columnIndexBytes(65_537)).toBe(4);
    expect(csrIndexBytes(3, 70_000, 10)).toBe(10 * 4 + 4 * 4);
    expect(bitmaskIndexBytes(9)).toBe(2);
  });

  it('codes values in ⌈log2 k⌉ or ⌈log2 N⌉ bits with a codebook or a min/max header', () => {
    expect(indexBits(1)).toBe(0);
    expect(indexBits(2)).toBe(1);
    expect(indexBits(16)).toBe(4);
    expect(indexBits(17)).toBe(5);
    expect(valueCoding(FP32)).toEqual({ bits: 32, codebookEntries: 0, overheadBytes: 0 });
    expect(valueCoding(INT8)).toEqual({ bits: 8, codebookEntries: 0, overheadBytes: 8 });
    expect(valueCoding({ name: 's', sharing: { clusters: 16 } })).toEqual({ bits: 4, codebookEntries: 16, overheadBytes: 64 });
    // k = 300 > N = 16: at most 16 distinct values remain, 4-bit indices, 16 entries of 4 bits (8 bytes) + header.
    expect(valueCoding({ name: 'sq', sharing: { clusters: 300 }, quantization: { levels: 16 } })).toEqual({ bits: 4, codebookEntries: 16, overheadBytes: 16 });
  });

  it('rejects variants out of range', () => {
    expect(() => checkVariant({ name: 'x', pruning: { sparsity: 1, format: 'csr' } })).toThrow(/sparsity/);
    expect(() => checkVariant({ name: 'x', sharing: { clusters: 1 } })).toThrow(/clusters/);
    expect(() => checkVariant({ name: 'x', quantization: { levels: 2.5 } })).toThrow(/levels/);
    expect(() => checkVariant({ name: 'x', channels: -0.1 })).toThrow(/channel/);
  });
});

describe('stored size of zoo models', () => {
  it('fp32 is 4 bytes per published parameter (torchvision num_params, data/models/README.md)', () => {
    expect(compressModel(model('mobilenet-v2'), FP32).bytes).toBe(4 * 3_504_872);
    expect(compressModel(model('vgg16'), FP32).bytes).toBe(4 * 138_357_544);
  });

  it('int8 is one byte per parameter plus an 8-byte header per layer with parameters', () => {
    const m = model('resnet18');
    const layers = m.layers.filter((l) => l.params > 0).length;
    expect(compressModel(m, INT8).bytes).toBe(11_689_512 + 8 * layers);
  });

  it('MLP at 90 % sparsity in CSR: the formula per layer, by hand', () => {
    const c = compressModel(model('mlp-784-128-10'), { name: 'p90', pruning: { sparsity: 0.9, format: 'csr' } });
    // fc1: 100,480 params → 10,048 kept; 784 columns → uint16; 129 rows → 130 pointers.
    const fc1 = 10_048 * 4 + 10_048 * 2 + 130 * 4;
    // fc2: 1,290 params → 129 kept; fan-in 2560 / (2 · 10) = 128 columns → ⌈1290 / 128⌉ = 11 rows.
    const fc2 = 129 * 4 + 129 * 2 + 12 * 4;
    expect(c.layers.map((l) => l.bytes)).toEqual([fc1, fc2]);
    expect(c.bytes).toBe(fc1 + fc2);
  });

  it('channel pruning: interior layers × (1 − c)², first, last and depthwise × (1 − c), activations × (1 − c) before the last layer', () => {
    const vgg = model('vgg16').layers;
    const half = pruneChannels(vgg, 0.5);
    const at = (name: string) => vgg.findIndex((l) => l.name === name);
    expect(half[at('features.0')].params).toBe(Math.round(1792 * 0.5)); // first conv: 3 input channels stay
    expect(half[at('features.2')].params).toBe(Math.round(36_928 * 0.25)); // 64 → 64 both halved
    expect(half[at('features.2')].flops).toBe(Math.round(vgg[at('features.2')].flops * 0.25));
    expect(half[at('features.4')].outputBytes).toBe(vgg[at('features.4')].outputBytes / 2); // pool carries half the channels
    expect(half[at('classifier.6')].params).toBe(Math.round(4_097_000 * 0.5)); // last: 1000 classes stay
    expect(half[at('classifier.6')].outputBytes).toBe(4000);
    const mb = model('mobilenet-v2').layers;
    const dw = mb.findIndex((l) => l.type === 'dwconv');
    expect(pruneChannels(mb, 0.25)[dw].params).toBe(Math.round(mb[dw].params * 0.75));
    // The MLP: hidden width 128 → 64 halves both layers (784·64 + 64, 64·10 + 10 up to the biases' share).
    expect(pruneChannels(model('mlp-784-128-10').layers, 0.5).map((l) => l.params)).toEqual([50_240, 645]);
    expect(() => pruneChannels(vgg, 1)).toThrow(/channel/);
  });

  it('sparse FLOPs fall with the kept fraction; dense FLOPs do not', () => {
    const m = model('resnet50');
    const c = compressModel(m, { name: 'p80', pruning: { sparsity: 0.8, format: 'csr' } });
    expect(c.flops).toBe(m.flops);
    expect(c.sparseFlops / m.flops).toBeCloseTo(0.2, 3);
  });
});

describe("the paper's Table 1 for any zoo model", () => {
  it('lists every layer with parameters and a total; pruned and quantized sizes follow the formulas', () => {
    const rows = table1(model('mlp-784-128-10'), { sparsity: 0.5, format: 'bitmask' }, { levels: 256 });
    expect(rows.map((r) => r.layer)).toEqual(['fc1', 'fc2', 'total']);
    // fc1: 100,480 × 4 B; pruned: 50,240 values × 4 B + 12,560 mask bytes; quantized: 50,240 × 1 B + mask + 8-byte header.
    expect(rows[0].original_MB).toBe(401_920 / 1e6);
    expect(rows[0].pruned_MB).toBe((200_960 + 12_560) / 1e6);
    expect(rows[0].quantized_MB).toBe((50_240 + 12_560 + 8) / 1e6);
    const total = rows[2];
    expect(total.original_MB).toBeCloseTo(rows[0].original_MB + rows[1].original_MB, 12);
    expect(total.quantized_MB).toBeLessThan(total.pruned_MB);
    expect(total.pruned_MB).toBeLessThan(total.original_MB);
    const vgg = table1(model('vgg16'), { sparsity: 0.9, format: 'csr' }, { levels: 16 });
    expect(vgg).toHaveLength(16 + 1); // 13 convolutions + 3 linear layers (pools left out) + total
  });

  it('is written as table1.csv, one row per layer with the model named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edelear-table1-'));
    try {
      const file = join(dir, 'table1.csv');
      writeTable1(file, 'mlp-784-128-10', table1(model('mlp-784-128-10'), { sparsity: 0.5, format: 'bitmask' }, { levels: 256 }));
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      expect(lines[0]).toBe('model,layer,type,original_MB,pruned_MB,quantized_MB');
      expect(lines[1]).toBe('mlp-784-128-10,fc1,linear,0.40192,0.21352,0.062808');
      expect(lines).toHaveLength(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
