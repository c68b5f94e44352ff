import type { DnnModel, Layer } from '../../world/model.ts';
import { pruneChannels } from './channel-pruning.ts';
import { packedBytes, valueCoding } from './coding.ts';
import { sparseIndexBytes } from './sparse-format.ts';
import { checkVariant, type CompressionVariant } from './variant.ts';
import { weightMatrix } from './weight-matrix.ts';

/** One layer of a compressed model: what it stores and what it computes. */
export interface CompressedLayer {
  readonly name: string;
  readonly type: string;
  /** Parameters after channel pruning. */
  readonly params: number;
  /** Values stored after magnitude pruning: params − round(s · params), as `tensor/prune.ts` keeps. */
  readonly nonzeros: number;
  /** Bytes of the stored values at the variant's bits per value. */
  readonly valueBytes: number;
  /** Bytes of the sparse format's indices (0 when not pruned). */
  readonly indexBytes: number;
  /** Bytes of the codebook and/or quantization header. */
  readonly overheadBytes: number;
  /** valueBytes + indexBytes + overheadBytes. */
  readonly bytes: number;
  /** FLOPs of one input with dense kernels (after channel pruning). */
  readonly flops: number;
  /** FLOPs with sparse kernels that skip pruned weights: flops × nonzeros / params. */
  readonly sparseFlops: number;
  /** Output activation of one input at fp32, bytes (after channel pruning). */
  readonly outputBytes: number;
}

/** A model under a compression variant, layer by layer and in total. */
export interface CompressedModel {
  readonly model: string;
  readonly variant: CompressionVariant;
  readonly layers: readonly CompressedLayer[];
  /** Stored size, bytes: Σ layer bytes. */
  readonly bytes: number;
  readonly params: number;
  readonly nonzeros: number;
  readonly flops: number;
  readonly sparseFlops: number;
  /** Largest layer output at fp32, bytes (the peak activation, as {@link DnnModel.peakActivationBytes} counts it). */
  readonly peakOutputBytes: number;
}

/**
 * The stored size of one layer record under a variant (after any channel pruning, which
 * `compressModel` applies first). Algorithm: nonzeros = params − round(s·params); values packed at the
 * variant's bits (`coding.ts`); pruned layers add the sparse format's indices over the layer's
 * weight matrix (`weight-matrix.ts`, `sparse-format.ts`); every layer with parameters adds the
 * coding's codebook or header. The records fold biases and batch-norm parameters into the layer,
 * so they are pruned, shared and quantized with the weights. Cost O(1).
 */
export function compressLayer(layer: Layer, variant: CompressionVariant): CompressedLayer {
  const { params } = layer;
  const coding = valueCoding(variant);
  const pruning = variant.pruning;
  const nonzeros = pruning ? params - Math.round(pruning.sparsity * params) : params;
  const valueBytes = packedBytes(nonzeros, coding.bits);
  let indexBytes = 0;
  if (pruning && params > 0) {
    const { rows, cols } = weightMatrix(layer);
    indexBytes = sparseIndexBytes(pruning.format, rows, cols, nonzeros, params);
  }
  const overheadBytes = params > 0 ? coding.overheadBytes : 0;
  return {
    name: layer.name,
    type: layer.type,
    params,
    nonzeros,
    valueBytes,
    indexBytes,
    overheadBytes,
    bytes: valueBytes + indexBytes + overheadBytes,
    flops: layer.flops,
    sparseFlops: params > 0 ? (layer.flops * nonzeros) / params : layer.flops,
    outputBytes: layer.outputBytes,
  };
}

/**
 * A model compressed by a variant: channel pruning (`channel-pruning.ts`) on the layer list,
 * then each layer's storage by {@link compressLayer}, and the totals. Cost O(layers).
 */
export function compressModel(model: DnnModel, variant: CompressionVariant): CompressedModel {
  checkVariant(variant);
  const layers = (variant.channels ? pruneChannels(model.layers, variant.channels) : model.layers).map((l) => compressLayer(l, variant));
  let bytes = 0;
  let params = 0;
  let nonzeros = 0;
  let flops = 0;
  let sparseFlops = 0;
  let peakOutputBytes = 0;
  for (const l of layers) {
    bytes += l.bytes;
    params += l.params;
    nonzeros += l.nonzeros;
    flops += l.flops;
    sparseFlops += l.sparseFlops;
    peakOutputBytes = Math.max(peakOutputBytes, l.outputBytes);
  }
  return { model: model.name, variant, layers, bytes, params, nonzeros, flops, sparseFlops, peakOutputBytes };
}
