import type { Precision } from '../../world/model.ts';
import { activationBits } from './coding.ts';
import type { CompressionVariant } from './variant.ts';

/**
 * What the compression decision needs of the node that executes a model: its throughput per
 * precision, slots and memory (a world `NodeSpec` has them) and whether its kernels skip pruned
 * weights.
 */
export interface ExecutionTarget {
  readonly name: string;
  /** Total effective throughput per precision, FLOP/s; a missing precision cannot run. */
  readonly throughput: Partial<Record<Precision, number>>;
  /** Requests computed at once; one request gets throughput / slots. */
  readonly slots: number;
  /** Memory for weights and activations, bytes. */
  readonly memory: number;
  /** Sparse kernels: pruned weights are skipped (FLOPs fall) and read in their stored format. Absent = dense kernels. */
  readonly sparseKernels?: boolean;
}

/** The precision a variant computes in on a target, its throughput, and why it differs from the variant's own. */
export interface Execution {
  /** What the variant's arithmetic allows: int8 (≤ 8-bit weights and activations), fp16 (≤ 16-bit) or fp32. */
  readonly wanted: Precision;
  readonly precision: Precision;
  /** Throughput one request gets at that precision, FLOP/s (throughput / slots). */
  readonly flopsPerSecond: number;
  /** Set when the target lacks the wanted precision and a wider one is used. */
  readonly note?: string;
}

/**
 * The precision a variant wants: integer kernels need both weights and activations quantized,
 * so a variant quantizing both to ≤ 8 bits wants int8, to ≤ 16 bits fp16 (16-bit values are
 * computed in half precision); weight-only quantization and weight sharing decode their weights
 * to fp32. Cost O(1).
 */
export function wantedPrecision(variant: CompressionVariant): Precision {
  const bits = activationBits(variant);
  if (bits <= 8) return 'int8';
  if (bits <= 16) return 'fp16';
  return 'fp32';
}

/**
 * The precision and per-request throughput of a variant on a target. Algorithm: the wanted
 * precision if the target's profile has a throughput for it; otherwise the next wider one it
 * has (int8 → fp16 → fp32: an int8 variant on a device without an int8 figure runs at fp16
 * speed where there is one, else fp32; fp16 holds every level of a grid of ≤ 2048 levels
 * exactly, so an int8 variant loses nothing there), with a note saying so. Undefined when the
 * target has none of them. Cost O(1).
 */
export function execution(variant: CompressionVariant, target: ExecutionTarget): Execution | undefined {
  const wanted = wantedPrecision(variant);
  const order: readonly Precision[] = wanted === 'int8' ? ['int8', 'fp16', 'fp32'] : wanted === 'fp16' ? ['fp16', 'fp32'] : ['fp32'];
  for (const precision of order) {
    const throughput = target.throughput[precision];
    if (throughput === undefined) continue;
    const note = precision === wanted ? undefined : `${target.name} has no ${wanted} throughput: ${variant.name} runs at ${precision} speed`;
    return { wanted, precision, flopsPerSecond: throughput / target.slots, ...(note ? { note } : {}) };
  }
  return undefined;
}
