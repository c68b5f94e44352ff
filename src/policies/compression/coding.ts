import { BYTES_PER_ELEMENT } from '../../world/model.ts';
import { indexBits, quantizesActivations, type CompressionVariant } from './variant.ts';

/** Bytes of the per-tensor quantization header: fp32 min and fp32 max. */
export const QUANTIZATION_HEADER_BYTES = 8;

/** How a variant codes each stored weight, and what a tensor carries beside its values. */
export interface ValueCoding {
  /** Bits per stored value: 32 (fp32), ⌈log2 k⌉ (codebook index) or ⌈log2 N⌉ (quantization level). */
  readonly bits: number;
  /** Entries of the per-tensor codebook the codes index; 0 when values are raw or grid levels. */
  readonly codebookEntries: number;
  /** Bytes per tensor beside its values and sparse indices: codebook and/or min/max header. */
  readonly overheadBytes: number;
}

/**
 * The value coding of a variant, per weight tensor (one per layer). Algorithm: fp32 stores each
 * value in 32 bits; sharing with k clusters stores ⌈log2 k⌉-bit indices and a k-entry fp32
 * codebook (Han, Mao & Dally, "Deep Compression", ICLR 2016, §3); uniform quantization to N
 * levels stores ⌈log2 N⌉-bit levels and an 8-byte min/max header (the paper's §III.A); sharing
 * then quantization keeps k' = min(k, N) codebook entries — after quantization at most N
 * distinct values remain — indexed by ⌈log2 k'⌉ bits, each entry a ⌈log2 N⌉-bit level, plus the
 * header. Cost O(1).
 */
export function valueCoding(variant: CompressionVariant): ValueCoding {
  const { sharing, quantization } = variant;
  if (sharing && quantization) {
    const entries = Math.min(sharing.clusters, quantization.levels);
    return {
      bits: indexBits(entries),
      codebookEntries: entries,
      overheadBytes: QUANTIZATION_HEADER_BYTES + packedBytes(entries, indexBits(quantization.levels)),
    };
  }
  if (sharing) return { bits: indexBits(sharing.clusters), codebookEntries: sharing.clusters, overheadBytes: BYTES_PER_ELEMENT.fp32 * sharing.clusters };
  if (quantization) return { bits: indexBits(quantization.levels), codebookEntries: 0, overheadBytes: QUANTIZATION_HEADER_BYTES };
  return { bits: 32, codebookEntries: 0, overheadBytes: 0 };
}

/** Bytes of `count` values packed at `bits` bits each, padded to a whole byte: ⌈count·bits/8⌉. */
export function packedBytes(count: number, bits: number): number {
  return Math.ceil((count * bits) / 8);
}

/** Distinct weight values a variant leaves, as bits (32 when weights stay fp32): an accuracy-profile coordinate. */
export function weightBits(variant: CompressionVariant): number {
  return valueCoding(variant).bits;
}

/** Bits of the activations a variant computes with (⌈log2 N⌉ when quantized, else 32): an accuracy-profile coordinate. */
export function activationBits(variant: CompressionVariant): number {
  return quantizesActivations(variant) ? indexBits(variant.quantization!.levels) : 32;
}
