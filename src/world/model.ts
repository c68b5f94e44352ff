/**
 * DNN models as lists of layers. Convention used everywhere in edelear:
 * 1 multiply-accumulate (MAC) = 2 FLOP. Layer `flops` therefore counts 2 × MACs
 * (plus element-wise work where a data file chooses to count it).
 */

/** Numeric precisions a node may execute a model in. */
export const PRECISIONS = ['fp32', 'fp16', 'int8'] as const;
/** One of {@link PRECISIONS}. */
export type Precision = (typeof PRECISIONS)[number];
/** Bytes per weight or activation element at each precision. */
export const BYTES_PER_ELEMENT: Record<Precision, number> = { fp32: 4, fp16: 2, int8: 1 };

/** One layer (or fused block: conv + batch-norm + activation) of a model. */
export interface Layer {
  readonly name: string;
  readonly type: string;
  /** Floating-point operations of one forward pass of one input (2 × MACs). */
  readonly flops: number;
  /** Trainable parameters, batch-norm weights and biases included. */
  readonly params: number;
  /** Output activation size of one input at fp32, in bytes. */
  readonly outputBytes: number;
}

/** A model as written in a data file or a scenario (already in SI units). */
export interface DnnModelSpec {
  readonly name: string;
  readonly inputBytes: number;
  readonly layers: readonly Layer[];
}

/** A DNN model with totals and split-point prefix sums derived from its layers. */
export class DnnModel {
  readonly name: string;
  readonly layers: readonly Layer[];
  /** Size of one input at fp32, bytes. */
  readonly inputBytes: number;
  /** Forward-pass FLOPs of one input. */
  readonly flops: number;
  /** Parameter count. */
  readonly params: number;
  /** Output of the last layer at fp32, bytes (the result returned to the caller). */
  readonly outputBytes: number;
  /** cumulativeFlops[k] = FLOPs of layers [0, k); length layers.length + 1. */
  readonly cumulativeFlops: Float64Array;
  /** Largest single-layer output at fp32, bytes (peak activation memory of one input). */
  readonly peakActivationBytes: number;

  constructor(spec: DnnModelSpec) {
    if (spec.layers.length === 0) throw new Error(`model ${spec.name} has no layers`);
    this.name = spec.name;
    this.layers = spec.layers;
    this.inputBytes = spec.inputBytes;
    this.cumulativeFlops = new Float64Array(spec.layers.length + 1);
    let flops = 0;
    let params = 0;
    let peak = 0;
    spec.layers.forEach((l, i) => {
      flops += l.flops;
      params += l.params;
      peak = Math.max(peak, l.outputBytes);
      this.cumulativeFlops[i + 1] = flops;
    });
    this.flops = flops;
    this.params = params;
    this.peakActivationBytes = peak;
    this.outputBytes = spec.layers[spec.layers.length - 1].outputBytes;
  }

  /** Multiply-accumulates of one forward pass (flops / 2 under edelear's convention). */
  get macs(): number {
    return this.flops / 2;
  }

  /** Weights size in bytes at a precision. */
  weightBytes(precision: Precision): number {
    return this.params * BYTES_PER_ELEMENT[precision];
  }
}
