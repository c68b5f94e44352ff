/**
 * Accuracy profiles: published accuracies of compressed versions of a model, each with its
 * source. A point sits at coordinates (unstructured sparsity, channel fraction pruned, weight
 * bits, activation bits) — defaults 0, 0, 32, 32: the dense fp32 model — and carries the top-1
 * its source measured AND that source's own dense fp32 top-1, because papers start from
 * different baselines: what is used is the change, top1 − baselineTop1, added to the model's
 * reference fp32 top-1 (the zoo file's). Files: data/accuracy/<model>.json (see its README).
 * Parsing is pure: reading the files is the loader's work.
 */
import { z } from 'zod';

/** Where a point sits: what was done to the model. */
export interface AccuracyCoordinates {
  /** Fraction of weights pruned unstructured, [0, 1). */
  readonly sparsity: number;
  /** Fraction of channels (filters) pruned, [0, 1). */
  readonly channels: number;
  /** Bits per weight value (32 = fp32). */
  readonly weightBits: number;
  /** Bits per activation (32 = fp32). */
  readonly activationBits: number;
}

/** The dense fp32 model's coordinates. */
export const DENSE_FP32: AccuracyCoordinates = { sparsity: 0, channels: 0, weightBits: 32, activationBits: 32 };

/** One published accuracy of a compressed model. */
export interface AccuracyPoint extends AccuracyCoordinates {
  /** Top-1 the source measured for the compressed model, %. */
  readonly top1: number;
  /** Top-1 of the source's own dense fp32 model, %. */
  readonly baselineTop1: number;
  /** How it was compressed (e.g. "magnitude pruning (AGP) with fine-tuning"). */
  readonly method: string;
  readonly source: string;
}

/** A model's reference fp32 accuracy and its published compressed accuracies. */
export interface AccuracyProfile {
  readonly model: string;
  readonly reference: { readonly top1: number; readonly source: string };
  readonly points: readonly AccuracyPoint[];
}

const fraction = z.number().min(0).lt(1);
const bits = z.number().int().min(1).max(32);

const pointSchema = z
  .object({
    sparsity: fraction.default(0),
    channels: fraction.default(0),
    weightBits: bits.default(32),
    activationBits: bits.default(32),
    top1: z.number().min(0).max(100),
    baselineTop1: z.number().min(0).max(100),
    method: z.string().min(1),
    source: z.string().min(1),
  })
  .strict();

const fileSchema = z
  .object({
    model: z.string().min(1),
    metric: z.string().min(1),
    points: z.array(pointSchema),
  })
  .strict();

/** The contents of a data/accuracy/<model>.json file. */
export type AccuracyFile = z.output<typeof fileSchema>;

/** Validates a parsed accuracy file; throws a zod error naming the field. Cost O(points). */
export function parseAccuracyFile(raw: unknown): AccuracyFile {
  return fileSchema.parse(raw);
}

/** The `accuracy` field of a zoo model file: published fp32 and (int8) top-1 with sources. */
export interface ZooAccuracy {
  readonly fp32: { readonly top1: number; readonly source: string };
  readonly int8?: { readonly top1: number; readonly source: string };
}

/**
 * A model's accuracy profile: the zoo file's fp32 top-1 as reference, its int8 figure as the
 * point (8-bit weights, 8-bit activations) measured against that same fp32 top-1, and the
 * points of the model's accuracy file when there is one. Cost O(points).
 */
export function accuracyProfile(model: string, zoo: ZooAccuracy, file?: AccuracyFile): AccuracyProfile {
  if (file && file.model !== model) throw new Error(`accuracy file of ${file.model} given for model ${model}`);
  const points: AccuracyPoint[] = [];
  if (zoo.int8) {
    points.push({
      ...DENSE_FP32,
      weightBits: 8,
      activationBits: 8,
      top1: zoo.int8.top1,
      baselineTop1: zoo.fp32.top1,
      method: 'int8 weights and activations (the zoo file)',
      source: zoo.int8.source,
    });
  }
  if (file) points.push(...file.points);
  return { model, reference: zoo.fp32, points };
}
