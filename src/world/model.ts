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
  /**
   * The tensors this layer reads: names of earlier layers, {@link MODEL_INPUT} for the model's
   * input. Absent: the previous layer's output (the input for the first layer), i.e. a chain.
   * A layer closing a residual block also reads the skip tensor (the add is fused into it).
   */
  readonly inputs?: readonly string[];
}

/** The name under which a layer's `inputs` refer to the model's input. */
export const MODEL_INPUT = 'input';

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
  /**
   * liveBytes[k] = fp32 bytes of every tensor live at the split after the first k layers
   * (k = 0 … layers.length): produced at or before k (the input counts as produced at 0) and
   * read by a layer after k. A split there must carry all of them. liveBytes[0] is the input;
   * liveBytes[L] is the result (the last layer's output, read by the caller).
   */
  readonly liveBytes: Float64Array;

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
    this.liveBytes = liveBytesOf(spec);
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

/**
 * The bytes live at every split point of a model (see {@link DnnModel.liveBytes}). Each layer's
 * `inputs` name the input or earlier layers (a name means the latest earlier layer so named);
 * a tensor produced at p and last read by layer q (1-based; the last layer's output is read by
 * the caller, at L + 1) is live at splits p … q − 1, added over that range by a difference
 * array. Cost O(layers + edges). Throws on a name that is no earlier layer, and on an output
 * that no later layer reads (a dead branch: the graph is wrong).
 */
export function liveBytesOf(spec: DnnModelSpec): Float64Array {
  const layers = spec.layers;
  const L = layers.length;
  // Producer index of each tensor: 0 the input, i + 1 layer i.
  const index = new Map<string, number>([[MODEL_INPUT, 0]]);
  const lastRead = new Int32Array(L + 1).fill(-1);
  layers.forEach((l, i) => {
    if (l.inputs === undefined) lastRead[i] = i + 1; // a chain: the previous tensor
    else {
      for (const name of l.inputs) {
        const p = index.get(name);
        if (p === undefined) throw new Error(`model ${spec.name}: layer ${l.name} reads "${name}", which is neither "${MODEL_INPUT}" nor an earlier layer`);
        lastRead[p] = i + 1;
      }
    }
    index.set(l.name, i + 1);
  });
  lastRead[L] = L + 1;
  const diff = new Float64Array(L + 2);
  for (let p = 0; p <= L; p++) {
    if (lastRead[p] < 0) throw new Error(`model ${spec.name}: ${p === 0 ? 'its input' : `the output of layer ${layers[p - 1].name}`} is read by no later layer`);
    const bytes = p === 0 ? spec.inputBytes : layers[p - 1].outputBytes;
    diff[p] += bytes;
    diff[lastRead[p]] -= bytes;
  }
  const live = new Float64Array(L + 1);
  let run = 0;
  for (let k = 0; k <= L; k++) live[k] = run += diff[k];
  return live;
}
