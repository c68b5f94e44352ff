/**
 * The compression study on real weights: the trained 784-128-10 MLP (`mlp.ts`) compressed by
 * each variant through the byte encoder of `policies/compression/tensor/encode.ts`, and the
 * held-out accuracy of the weights decoded from those bytes. Weight matrices W1 and W2 are
 * compressed as [out, in], 128 × 784 and 10 × 128: PyTorch's and ONNX's Linear layout and the one
 * `weight-matrix.ts` counts for the zoo's fc1 and fc2, so a CSR index has 129 and 11 row
 * pointers. `mlp.ts` keeps them input-major ([in, out]), so each is transposed before encoding
 * and the decoded matrix transposed back (`tensor/layout.ts`); the weights kept and their values
 * do not depend on the order, only the index does. The 138 biases (0.14 % of the parameters)
 * stay fp32, 552 bytes. A variant that quantizes activations also
 * quantizes what each layer reads — the input pixels and the hidden ReLU outputs — on the
 * N-level grid over their range on calibration rows (training rows, never test rows).
 */
import { RandomStreams } from '../core/random.ts';
import { accuracyCoordinates } from '../policies/compression/accuracy.ts';
import { gridLevel, gridValue, uniformGrid, type UniformGrid } from '../policies/compression/tensor/grid.ts';
import { encodeTensor, type MatrixShape } from '../policies/compression/tensor/encode.ts';
import { transpose } from '../policies/compression/tensor/layout.ts';
import { quantizesActivations, type CompressionVariant } from '../policies/compression/variant.ts';
import type { Dataset, Split } from './dataset.ts';
import { B1_OFFSET, B2_OFFSET, CLASSES, HIDDEN, INPUTS, PARAM_COUNT, W1_OFFSET, W2_OFFSET, evaluate, initParams, trainEpochs } from './mlp.ts';
import { loadMnistSplit } from './mnist.ts';

/** One weight matrix of the MLP: where it starts in the parameters and its shape as encoded. */
export interface MlpMatrix {
  readonly name: string;
  /** Offset in the flat parameters, where `mlp.ts` keeps it input-major ([in, out]). */
  readonly offset: number;
  /** [out, in] as encoded: rows = the layer's outputs, cols = its inputs. */
  readonly shape: MatrixShape;
}

/** The MLP's weight matrices as the study compresses them: [out, in], the transposes of `mlp.ts`'s. */
export const MLP_MATRICES: readonly MlpMatrix[] = [
  { name: 'W1', offset: W1_OFFSET, shape: { rows: HIDDEN, cols: INPUTS } },
  { name: 'W2', offset: W2_OFFSET, shape: { rows: CLASSES, cols: HIDDEN } },
];

/** Bytes of the biases b1 and b2, kept fp32 by every variant. */
export const MLP_BIAS_BYTES = 4 * (HIDDEN + CLASSES);

/** Rows of the training set whose activations set the quantization ranges. */
export const CALIBRATION_ROWS = 1000;

/** One variant of the study: its settings, stored size and measured held-out accuracy. */
export interface CompressionStudyRow {
  readonly variant: string;
  readonly sparsity: number;
  /** 'dense' when not pruned. */
  readonly format: string;
  /** 0 when not shared. */
  readonly clusters: number;
  /** 0 when not quantized. */
  readonly levels: number;
  readonly weightBits: number;
  readonly activationBits: number;
  /** Bytes of W1 and W2 as encoded plus the fp32 biases. */
  readonly bytes: number;
  /** Fraction of held-out digits classified correctly. */
  readonly accuracy: number;
}

/** MLP parameters compressed by one variant. */
export interface CompressedMlp {
  /** The parameters a device computes with: W1 and W2 decoded (input-major again), biases unchanged. */
  readonly params: Float32Array;
  /** Bytes of W1 and W2 as encoded plus the fp32 biases. */
  readonly bytes: number;
  /** Each weight matrix as encoded, in {@link MLP_MATRICES} order. */
  readonly matrices: readonly { readonly name: string; readonly shape: MatrixShape; readonly bytes: number; readonly stored: number }[];
}

/** Encodes W1 and W2 of MLP parameters by a variant, each as [out, in] (`encodeTensor`), and decodes them back. Cost O(parameters · log parameters). */
export function compressMlp(params: Float32Array, variant: CompressionVariant): CompressedMlp {
  if (params.length !== PARAM_COUNT) throw new Error(`expected ${PARAM_COUNT} MLP parameters, got ${params.length}`);
  const decoded = Float32Array.from(params);
  let bytes = MLP_BIAS_BYTES;
  const matrices = MLP_MATRICES.map((m) => {
    const { rows, cols } = m.shape;
    // Stored [in, out] = cols × rows; encoded [out, in] = rows × cols.
    const outputMajor = transpose(params.subarray(m.offset, m.offset + rows * cols), cols, rows);
    const encoded = encodeTensor(outputMajor, m.shape, variant);
    transpose(encoded.decoded, rows, cols, decoded.subarray(m.offset, m.offset + rows * cols));
    bytes += encoded.bytes.length;
    return { name: m.name, shape: m.shape, bytes: encoded.bytes.length, stored: encoded.stored };
  });
  return { params: decoded, bytes, matrices };
}

/**
 * Compresses trained MLP parameters by every variant and measures each on the test rows.
 * Cost O(variants · (parameters · log parameters + test rows · parameters)).
 */
export function measureCompression(params: Float32Array, data: Dataset, split: Split, variants: readonly CompressionVariant[]): CompressionStudyRow[] {
  if (params.length !== PARAM_COUNT) throw new Error(`expected ${PARAM_COUNT} MLP parameters, got ${params.length}`);
  const calibration = split.train.subarray(0, Math.min(CALIBRATION_ROWS, split.train.length));
  return variants.map((variant) => {
    const { params: decoded, bytes } = compressMlp(params, variant);
    const coordinates = accuracyCoordinates(variant);
    const accuracy = quantizesActivations(variant)
      ? quantizedAccuracy(decoded, data, calibration, split.test, variant.quantization!.levels)
      : evaluate(decoded, data, split.test).accuracy;
    return {
      variant: variant.name,
      sparsity: variant.pruning?.sparsity ?? 0,
      format: variant.pruning?.format ?? 'dense',
      clusters: variant.sharing?.clusters ?? 0,
      levels: variant.quantization?.levels ?? 0,
      weightBits: coordinates.weightBits,
      activationBits: coordinates.activationBits,
      bytes,
      accuracy,
    };
  });
}

/** Training of {@link runCompressionStudy}: plain mini-batch SGD as `mlp.ts` runs it. */
export interface StudyTraining {
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
}

/**
 * The whole study from a seed: the `mnist` package's digits split by the seed, the MLP
 * initialized and trained centrally on the training rows (streams 'training'/'init' and
 * 'training'/'central'), then {@link measureCompression}.
 */
export function runCompressionStudy(seed: number, training: StudyTraining, variants: readonly CompressionVariant[]): CompressionStudyRow[] {
  const streams = new RandomStreams(seed);
  const { data, train, test } = loadMnistSplit(seed);
  const params = initParams(streams.stream('training', 'init'));
  trainEpochs(params, data, train, { ...training, rng: streams.stream('training', 'central') });
  return measureCompression(params, data, { train, test }, variants);
}

/**
 * Accuracy with the inputs of both layers quantized to N levels: pixels and hidden ReLU outputs
 * each on the grid over their [min, max] on the calibration rows (`grid.ts`), values outside it
 * held to its ends.
 */
function quantizedAccuracy(params: Float32Array, data: Dataset, calibration: Int32Array, test: Int32Array, levels: number): number {
  let pixelMin = Infinity;
  let pixelMax = -Infinity;
  for (const row of calibration) {
    for (let i = 0; i < inputs; i++) {
      const v = data.x[row * inputs + i];
      pixelMin = Math.min(pixelMin, v);
      pixelMax = Math.max(pixelMax, v);
    }
  }
  const pixels = uniformGrid(pixelMin, pixelMax, levels);
  const hidden = new Float64Array(hiddenUnits);
  const logits = new Float64Array(classes);
  let hiddenMax = 0;
  for (const row of calibration) {
    forward(params, data, row, pixels, undefined, hidden, logits);
    for (let j = 0; j < hiddenUnits; j++) hiddenMax = Math.max(hiddenMax, hidden[j]);
  }
  const activations = uniformGrid(0, hiddenMax, levels);
  let correct = 0;
  for (const row of test) {
    forward(params, data, row, pixels, activations, hidden, logits);
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[c] > logits[best]) best = c;
    if (best === data.y[row]) correct++;
  }
  return test.length > 0 ? correct / test.length : NaN;
}

// Module-level copies: imported bindings are property reads under transpilers, slow in inner loops.
const [inputs, hiddenUnits, classes, b1, b2, w1, w2] = [INPUTS, HIDDEN, CLASSES, B1_OFFSET, B2_OFFSET, W1_OFFSET, W2_OFFSET];

/** Logits of one row with quantized pixels and (when `activations` is given) quantized hidden outputs. */
function forward(p: Float32Array, data: Dataset, row: number, pixels: UniformGrid, activations: UniformGrid | undefined, h: Float64Array, z: Float64Array): void {
  for (let j = 0; j < hiddenUnits; j++) h[j] = p[b1 + j];
  for (let i = 0; i < inputs; i++) {
    const x = gridValue(pixels, gridLevel(pixels, data.x[row * inputs + i]));
    if (x === 0) continue;
    const w = w1 + i * hiddenUnits;
    for (let j = 0; j < hiddenUnits; j++) h[j] += x * p[w + j];
  }
  for (let c = 0; c < classes; c++) z[c] = p[b2 + c];
  for (let j = 0; j < hiddenUnits; j++) {
    const relu = Math.max(0, h[j]);
    const hj = (h[j] = activations ? gridValue(activations, gridLevel(activations, relu)) : relu);
    if (hj === 0) continue;
    const w = w2 + j * classes;
    for (let c = 0; c < classes; c++) z[c] += hj * p[w + c];
  }
}
