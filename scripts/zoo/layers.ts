/**
 * Builder helpers for the model zoo. Every figure of a layer record (MACs, parameters,
 * output elements) is computed from the tensor shape, never typed by hand.
 *
 * Counting convention (the one torchvision uses for its "GFLOPS" metadata): only the
 * multiply-accumulates of convolutions and linear layers are counted (bias adds,
 * batch-norm, activations, pooling and element-wise ops are free). A record's
 * `flops` is 2 × its MACs (1 MAC = 2 FLOP, see src/world/model.ts).
 */
import type { Layer } from '../../src/world/model.ts';

/** Tensor shape of one input: [C, H, W] for feature maps, [N] for flat vectors. */
export type Shape = readonly number[];

/** Bytes per fp32 element. */
export const FP32_BYTES = 4;

/** Cost of one operator (or a group of operators): output shape, MACs and parameters. */
export interface OpCost {
  readonly shape: Shape;
  readonly macs: number;
  readonly params: number;
}

/** Options of a Conv2d, PyTorch semantics; `bn` folds a BatchNorm2d (2·C parameters). */
export interface ConvOpts {
  readonly out: number;
  readonly k: number;
  readonly stride?: number;
  readonly pad?: number;
  readonly dilation?: number;
  readonly groups?: number;
  /** Conv bias (PyTorch default true). */
  readonly bias?: boolean;
  /** A BatchNorm2d follows and is folded into this record (default false). */
  readonly bn?: boolean;
}

/** A published figure set and accuracy, as written to the data file. */
export interface ZooModel {
  readonly name: string;
  readonly title: string;
  readonly source: string;
  readonly input: Shape;
  readonly published: { readonly params: number; readonly gmacs?: number; readonly source: string };
  readonly accuracy?: Record<string, { readonly top1: number; readonly source: string }>;
  readonly layers: readonly Layer[];
}

/** Number of elements of a tensor of this shape. */
export function numel(s: Shape): number {
  return s.reduce((a, b) => a * b, 1);
}

/** Unpacks a [C, H, W] shape, failing loudly on flat tensors. */
function chw(s: Shape): [number, number, number] {
  if (s.length !== 3) throw new Error(`expected a [C,H,W] shape, got [${s.join(',')}]`);
  return [s[0], s[1], s[2]];
}

/** Output size of a sliding window along one axis (PyTorch Conv2d/MaxPool2d rules). */
export function windowOut(n: number, k: number, stride: number, pad: number, dilation = 1, ceil = false): number {
  const span = n + 2 * pad - dilation * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // PyTorch: with ceil_mode the last window must start inside the input or left padding.
  if (ceil && (out - 1) * stride >= n + pad) out--;
  return out;
}

/** torchvision's `_make_divisible`: round channels to a multiple of `divisor`, losing ≤ 10%. */
export function makeDivisible(v: number, divisor = 8): number {
  let nv = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (nv < 0.9 * v) nv += divisor;
  return nv;
}

/** A Conv2d (plus folded BatchNorm2d when `o.bn`) applied to `input`. */
export function conv2d(input: Shape, o: ConvOpts): OpCost {
  const [c, h, w] = chw(input);
  const { out, k, stride = 1, pad = 0, dilation = 1, groups = 1, bias = true, bn = false } = o;
  if (c % groups !== 0 || out % groups !== 0) throw new Error(`groups ${groups} must divide ${c} and ${out}`);
  const ho = windowOut(h, k, stride, pad, dilation);
  const wo = windowOut(w, k, stride, pad, dilation);
  const kernel = (c / groups) * k * k;
  const params = out * kernel + (bias ? out : 0) + (bn ? 2 * out : 0);
  return { shape: [out, ho, wo], macs: out * ho * wo * kernel, params };
}

/** A fully-connected layer on the flattened `input`. */
export function linear(input: Shape, out: number, bias = true): OpCost {
  const n = numel(input);
  return { shape: [out], macs: n * out, params: n * out + (bias ? out : 0) };
}

/** Max or average pooling with a k×k window (no parameters, no MACs counted). */
export function pool2d(input: Shape, k: number, stride: number, pad = 0, ceil = false): OpCost {
  const [c, h, w] = chw(input);
  return { shape: [c, windowOut(h, k, stride, pad, 1, ceil), windowOut(w, k, stride, pad, 1, ceil)], macs: 0, params: 0 };
}

/** Adaptive average pooling to h×w (no parameters, no MACs counted). */
export function adaptivePool(input: Shape, h: number, w: number): OpCost {
  return { shape: [chw(input)[0], h, w], macs: 0, params: 0 };
}

/** Squeeze-excitation: global pool, 1×1 conv C→s and s→C (with bias), channel scaling. */
export function squeezeExcite(input: Shape, squeeze: number): OpCost {
  const c = chw(input)[0];
  const fc1 = conv2d([c, 1, 1], { out: squeeze, k: 1 });
  const fc2 = conv2d([squeeze, 1, 1], { out: c, k: 1 });
  return { shape: input, macs: fc1.macs + fc2.macs, params: fc1.params + fc2.params };
}

/** Parallel branches on the same input, concatenated along channels (e.g. a Fire expand). */
export function concat(...branches: OpCost[]): OpCost {
  const [, h, w] = chw(branches[0].shape);
  for (const b of branches) {
    const [, bh, bw] = chw(b.shape);
    if (bh !== h || bw !== w) throw new Error('concat: branch spatial sizes differ');
  }
  const c = branches.reduce((a, b) => a + b.shape[0], 0);
  return {
    shape: [c, h, w],
    macs: branches.reduce((a, b) => a + b.macs, 0),
    params: branches.reduce((a, b) => a + b.params, 0),
  };
}

/**
 * Accumulates layer records in execution order while tracking the current tensor shape and
 * the record that produced it. Each record lists the tensors it reads (`inputs`: names of
 * earlier records, "input" for the model's input), so the graph — and the bytes live at every
 * split point — follows from the file; by default a record reads the current tensor (a chain).
 */
export class Net {
  readonly layers: Layer[] = [];
  shape: Shape;
  /** Name of the record whose output is the current tensor ("input" before the first). */
  last = 'input';

  constructor(readonly input: Shape) {
    this.shape = input;
  }

  /** Appends one record for `cost` reading `inputs` (default: the current tensor) and makes its output the current one. */
  record(name: string, type: string, cost: OpCost, inputs: readonly string[] = [this.last]): Shape {
    this.layers.push({ name, type, flops: 2 * cost.macs, params: cost.params, outputBytes: numel(cost.shape) * FP32_BYTES, inputs: [...inputs] });
    this.shape = cost.shape;
    this.last = name;
    return cost.shape;
  }

  /**
   * Closes a residual block on the last record: the element-wise add of the skip tensor `skip`
   * (and the activation after it) is fused into that record, which therefore also reads `skip`
   * (adds are free under the counting convention, so no figure changes).
   */
  addSkip(skip: string): void {
    const l = this.layers[this.layers.length - 1];
    this.layers[this.layers.length - 1] = { ...l, inputs: [...(l.inputs ?? []), skip] };
  }

  /** Conv2d (+BN +activation) on the current shape; depthwise convs get type "dwconv". */
  conv(name: string, o: ConvOpts): Shape {
    const dw = (o.groups ?? 1) > 1 && o.groups === this.shape[0] && o.groups === o.out;
    return this.record(name, dw ? 'dwconv' : 'conv', conv2d(this.shape, o));
  }

  /** Linear layer on the flattened current shape. */
  linear(name: string, out: number, bias = true): Shape {
    return this.record(name, 'linear', linear(this.shape, out, bias));
  }

  /** Max/average pooling on the current shape. */
  pool(name: string, k: number, stride: number, pad = 0, ceil = false): Shape {
    return this.record(name, 'pool', pool2d(this.shape, k, stride, pad, ceil));
  }

  /** Adaptive average pooling of the current shape to h×w. */
  adaptivePool(name: string, h: number, w: number): Shape {
    return this.record(name, 'pool', adaptivePool(this.shape, h, w));
  }

  /** Squeeze-excitation block on the current shape. */
  se(name: string, squeeze: number): Shape {
    return this.record(name, 'se', squeezeExcite(this.shape, squeeze));
  }
}

/** Where every torchvision figure comes from (pytorch.org/vision/stable/models). */
const TV_DOCS = 'torchvision model documentation';

/** The `published` block of a torchvision model, citing its weights entry. */
export function tvPublished(weights: string, params: number, gmacs: number): ZooModel['published'] {
  return {
    params,
    gmacs,
    source: `${TV_DOCS}, ${weights}: num_params, GFLOPS (GFLOPS there counts multiply-accumulates)`,
  };
}

/** The `accuracy` block of a torchvision model: ImageNet top-1 at fp32 and, if published, int8. */
export function tvAccuracy(weights: string, top1: number, int8?: { weights: string; top1: number }): ZooModel['accuracy'] {
  const acc: Record<string, { top1: number; source: string }> = {
    fp32: { top1, source: `${TV_DOCS}, ${weights}: acc@1 (ImageNet-1K val)` },
  };
  if (int8) acc.int8 = { top1: int8.top1, source: `${TV_DOCS}, ${int8.weights} (torchvision.models.quantization): acc@1 (ImageNet-1K val)` };
  return acc;
}
