/**
 * A compression variant: one combination of the EDeLeaR paper's §III.A operations (Farooq &
 * Khan, "EDeLeaR: Edge-based Deep Learning with Resource Awareness…", 2024), applied in the
 * paper's order — prune (structured channels, then unstructured magnitude) → share → quantize.
 * A variant is a description only; what it does to a model's size, memory and FLOPs is in
 * `model-size.ts` and `deployment.ts`, to real weights in `tensor/encode.ts`.
 */

/** How the weights left by unstructured pruning are stored: CSR or a bitmask (see `sparse-format.ts`). */
export type SparseFormat = 'csr' | 'bitmask';

/** How shared weights are found: Lloyd's k-means (Han et al., ICLR 2016) or the paper's uniform grid W' = round(W/Q)·Q. */
export type SharingMethod = 'kmeans' | 'grid';

/** Unstructured magnitude pruning to a sparsity. */
export interface MagnitudePruning {
  /** Fraction of each layer's weights set to zero, in [0, 1). */
  readonly sparsity: number;
  readonly format: SparseFormat;
}

/** Weight sharing with k clusters, stored as a per-layer codebook plus ⌈log2 k⌉-bit indices. */
export interface WeightSharing {
  /** k ≥ 2. */
  readonly clusters: number;
  /** Default 'kmeans'; the stored size does not depend on it. */
  readonly method?: SharingMethod;
}

/** Uniform quantization to N levels, ⌈log2 N⌉ bits per value plus a per-layer min/max header. */
export interface UniformQuantization {
  /** N ≥ 2. */
  readonly levels: number;
  /** Quantize activations too (the paper quantizes both; default true); false = weights only, computed in fp32. */
  readonly activations?: boolean;
}

/** One combination of compression operations, applied channels → pruning → sharing → quantization. */
export interface CompressionVariant {
  readonly name: string;
  /** Structured (channel) pruning: fraction c ∈ [0, 1) of every layer's channels removed. */
  readonly channels?: number;
  readonly pruning?: MagnitudePruning;
  readonly sharing?: WeightSharing;
  readonly quantization?: UniformQuantization;
}

/** The uncompressed model: fp32 weights and activations (the `none` baseline). */
export const FP32: CompressionVariant = { name: 'fp32' };

/** 8-bit uniform quantization of weights and activations (256 levels; the `int8` baseline). */
export const INT8: CompressionVariant = { name: 'int8', quantization: { levels: 256, activations: true } };

/** Bits that index `count` distinct values: ⌈log2 count⌉ (0 for a single value). */
export function indexBits(count: number): number {
  let bits = 0;
  while (2 ** bits < count) bits++;
  return bits;
}

/** Whether the variant's activations are quantized (its quantization's `activations`, default true). */
export function quantizesActivations(variant: CompressionVariant): boolean {
  return variant.quantization !== undefined && variant.quantization.activations !== false;
}

/** Throws a RangeError naming the variant and the first field out of range. */
export function checkVariant(variant: CompressionVariant): void {
  const fail = (what: string): never => {
    throw new RangeError(`compression variant "${variant.name}": ${what}`);
  };
  const { channels, pruning, sharing, quantization } = variant;
  if (channels !== undefined && !(channels >= 0 && channels < 1)) fail(`channel fraction must be in [0, 1), got ${channels}`);
  if (pruning && !(pruning.sparsity >= 0 && pruning.sparsity < 1)) fail(`sparsity must be in [0, 1), got ${pruning.sparsity}`);
  if (sharing && !(Number.isInteger(sharing.clusters) && sharing.clusters >= 2)) fail(`clusters must be an integer ≥ 2, got ${sharing.clusters}`);
  if (quantization && !(Number.isInteger(quantization.levels) && quantization.levels >= 2 && quantization.levels <= 2 ** 16)) {
    fail(`levels must be an integer in [2, 65536], got ${quantization.levels}`);
  }
}
