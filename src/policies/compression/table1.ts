import type { DnnModel } from '../../world/model.ts';
import { compressModel } from './model-size.ts';
import type { MagnitudePruning, UniformQuantization } from './variant.ts';

/** Bytes per MB in the paper's Table 1 (SI megabytes). */
export const BYTES_PER_MB = 1e6;

/** One row of the paper's Table 1: a layer's size original, pruned, and pruned then quantized, MB. */
export interface Table1Row {
  readonly layer: string;
  readonly type: string;
  readonly original_MB: number;
  readonly pruned_MB: number;
  readonly quantized_MB: number;
}

/**
 * The EDeLeaR paper's Table 1 (Farooq & Khan 2024, §III.A: per layer, original / pruned /
 * quantized size in MB) computed for any model: original = fp32 dense; pruned = magnitude
 * pruning at the given sparsity and sparse format; quantized = the same pruning followed by
 * uniform quantization (the paper's columns are cumulative). Sizes from `model-size.ts`;
 * layers without parameters (pooling) are left out, as in the paper; the last row, layer
 * "total", sums the model. Cost O(layers).
 */
export function table1(model: DnnModel, pruning: MagnitudePruning, quantization: UniformQuantization): Table1Row[] {
  const original = compressModel(model, { name: 'original' });
  const pruned = compressModel(model, { name: 'pruned', pruning });
  const quantized = compressModel(model, { name: 'quantized', pruning, quantization });
  const rows: Table1Row[] = [];
  original.layers.forEach((l, i) => {
    if (l.params === 0) return;
    rows.push({
      layer: l.name,
      type: l.type,
      original_MB: l.bytes / BYTES_PER_MB,
      pruned_MB: pruned.layers[i].bytes / BYTES_PER_MB,
      quantized_MB: quantized.layers[i].bytes / BYTES_PER_MB,
    });
  });
  rows.push({
    layer: 'total',
    type: '',
    original_MB: original.bytes / BYTES_PER_MB,
    pruned_MB: pruned.bytes / BYTES_PER_MB,
    quantized_MB: quantized.bytes / BYTES_PER_MB,
  });
  return rows;
}
