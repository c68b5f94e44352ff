import { BYTES_PER_ELEMENT, type DnnModel, type Precision } from '../../world/model.ts';
import { execution, type ExecutionTarget } from './execution.ts';
import { compressModel, type CompressedModel } from './model-size.ts';
import type { CompressionVariant } from './variant.ts';

/** A variant of a model deployed on a target: precision, memory and compute time of one request. */
export interface Deployment {
  readonly variant: CompressionVariant;
  readonly compressed: CompressedModel;
  /** Precision computed in (see `execution.ts`). */
  readonly precision: Precision;
  /** Why the precision differs from the variant's own, when it does. */
  readonly note?: string;
  /** Bytes the weights occupy while the model runs. */
  readonly weightBytes: number;
  /** Peak live activation of one input at the precision used, bytes. */
  readonly activationBytes: number;
  /** weightBytes + activationBytes + the input of one request: what the node holds while it computes. */
  readonly memoryBytes: number;
  readonly fitsMemory: boolean;
  /** FLOPs executed per input: sparse FLOPs with sparse kernels, else dense. */
  readonly flops: number;
  /** flops / (throughput at the precision / slots), s. */
  readonly computeSeconds: number;
  /** computeSeconds ≤ deadline. */
  readonly meetsDeadline: boolean;
}

/**
 * A model under a variant on a target. Algorithm: the compressed model (`model-size.ts`); the
 * precision and per-request throughput (`execution.ts`); resident weights = the stored format
 * when the target has sparse kernels and the variant is pruned (sparse kernels read values and
 * indices as stored), otherwise the weights decoded to dense tensors at the precision used
 * (params × bytes per element: what dense kernels read); peak activation = the largest layer
 * output at the precision used (the world's convention, `DnnModel.peakActivationBytes`); FLOPs
 * fall with sparsity only on sparse kernels; compute time = FLOPs / (throughput / slots), as the
 * world times a request (`slotSeconds`). Undefined when the target computes in no precision the
 * variant can use. Cost O(layers).
 */
export function deploy(model: DnnModel, variant: CompressionVariant, target: ExecutionTarget, deadline = Infinity, inputBytes = 0): Deployment | undefined {
  const run = execution(variant, target);
  if (!run) return undefined;
  const compressed = compressModel(model, variant);
  const sparse = target.sparseKernels === true && variant.pruning !== undefined;
  const elementBytes = BYTES_PER_ELEMENT[run.precision];
  const weightBytes = sparse ? compressed.bytes : compressed.params * elementBytes;
  const activationBytes = (compressed.peakOutputBytes / BYTES_PER_ELEMENT.fp32) * elementBytes;
  // What the node holds while a request computes (world/plans.ts reserves its input and activations beside the weights; helper-86: the input was left out, so a variant "fit" that dropped every request).
  const memoryBytes = weightBytes + activationBytes + inputBytes;
  const flops = sparse ? compressed.sparseFlops : compressed.flops;
  const computeSeconds = flops / run.flopsPerSecond;
  return {
    variant,
    compressed,
    precision: run.precision,
    ...(run.note ? { note: run.note } : {}),
    weightBytes,
    activationBytes,
    memoryBytes,
    fitsMemory: memoryBytes <= target.memory,
    flops,
    computeSeconds,
    meetsDeadline: computeSeconds <= deadline,
  };
}
