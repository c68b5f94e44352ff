/**
 * The 784-128-10 multilayer perceptron of data/models/mlp-784-128-10.json, trained for real:
 * ReLU hidden layer, softmax output with cross-entropy loss, hand-written forward and backward
 * passes over mini-batches, plain or momentum SGD, and the FedProx proximal term.
 *
 * All parameters live in ONE flat Float32Array (W1, b1, W2, b2) so that a model is one buffer
 * to copy, average, subtract, compress and send. Weight matrices are stored input-major,
 * W[i·out + j] = weight from input i to output j, because MNIST images are ~80 % zero pixels:
 * the forward pass adds one contiguous 128-wide row of W1 per non-zero pixel and the backward
 * pass updates only those rows, which gives the exact dense result at a fraction of the work.
 *
 * Nothing here allocates per sample: each call allocates its scratch buffers once.
 */
import type { Rng } from '../core/random.ts';
import { standardNormal } from '../core/distributions.ts';
import { MNIST_CLASSES, MNIST_PIXELS, assertDataset, shuffleInPlace, type Dataset } from './dataset.ts';

/** Input width (28 × 28 pixels). */
export const INPUTS = MNIST_PIXELS;
/** Hidden units. */
export const HIDDEN = 128;
/** Output classes. */
export const CLASSES = MNIST_CLASSES;

/** Offset of W1 (INPUTS × HIDDEN, input-major) in the flat parameter vector. */
export const W1_OFFSET = 0;
/** Offset of b1 (HIDDEN). */
export const B1_OFFSET = W1_OFFSET + INPUTS * HIDDEN;
/** Offset of W2 (HIDDEN × CLASSES, input-major). */
export const W2_OFFSET = B1_OFFSET + HIDDEN;
/** Offset of b2 (CLASSES). */
export const B2_OFFSET = W2_OFFSET + HIDDEN * CLASSES;
/** Total parameters: 784·128 + 128 + 128·10 + 10 = 101,770 (the zoo file's count). */
export const PARAM_COUNT = B2_OFFSET + CLASSES;

/** A named contiguous slice of the flat parameter vector (one tensor). */
export interface TensorSlice {
  readonly name: string;
  readonly offset: number;
  readonly length: number;
}

/** The four tensors of the flat vector, in storage order (used e.g. for per-tensor quantization). */
export const MLP_TENSORS: readonly TensorSlice[] = [
  { name: 'W1', offset: W1_OFFSET, length: INPUTS * HIDDEN },
  { name: 'b1', offset: B1_OFFSET, length: HIDDEN },
  { name: 'W2', offset: W2_OFFSET, length: HIDDEN * CLASSES },
  { name: 'b2', offset: B2_OFFSET, length: CLASSES },
];

/** Size of the model on the wire at fp32, bytes (what a client downloads each round). */
export const MODEL_BYTES = 4 * PARAM_COUNT;

/** Multiply-accumulates of one forward pass: 784·128 + 128·10 = 101,632 (biases not counted). */
export const FORWARD_MACS_PER_SAMPLE = INPUTS * HIDDEN + HIDDEN * CLASSES;
/** FLOPs of one forward pass under edelear's convention 1 MAC = 2 FLOP (matches the zoo file). */
export const FORWARD_FLOPS_PER_SAMPLE = 2 * FORWARD_MACS_PER_SAMPLE;
/**
 * Nominal FLOPs to train on one sample: forward + backward ≈ 3 × forward, because the backward
 * pass of every linear layer costs two forward-sized products (gradient w.r.t. its weights and
 * w.r.t. its input), the usual accounting (e.g. Kaplan et al. 2020, "6N per token"). The first
 * layer needs no input gradient, so this MLP's dense arithmetic is really ≈ 2 × forward, and
 * the sparse-input implementation does less still; the simulated device is charged the nominal
 * dense figure, which is what a framework on that device would execute.
 */
export const TRAINING_FLOPS_PER_SAMPLE = 3 * FORWARD_FLOPS_PER_SAMPLE;

/** FedProx's proximal term μ/2 ‖w − w_global‖² (Li et al., MLSys 2020). */
export interface Proximal {
  readonly mu: number;
  readonly global: Float32Array;
}

/** Options of {@link trainEpochs}. */
export interface TrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  /** Learning rate η of SGD. */
  readonly lr: number;
  /** Heavy-ball momentum β (v ← βv + g, w ← w − ηv); 0 or absent = plain SGD. */
  readonly momentum?: number;
  /** FedProx: adds μ(w − w_global) to every gradient step. */
  readonly prox?: Proximal;
  /** Shuffles the sample order of every epoch (the 'training' stream or a key of it). */
  readonly rng: Rng;
}

/** What one call of {@link trainEpochs} did. */
export interface TrainResult {
  /** Samples processed (epochs × indices.length): FLOPs = samples × TRAINING_FLOPS_PER_SAMPLE. */
  readonly samples: number;
  /** SGD steps taken. */
  readonly steps: number;
  /** Mean cross-entropy of the last epoch's batches, each measured before its step. */
  readonly loss: number;
}

/** Accuracy and mean cross-entropy of a model on a set of samples. */
export interface Evaluation {
  readonly accuracy: number;
  readonly loss: number;
}

/**
 * Fresh parameters: He-normal W1 (std √(2/784), suited to the ReLU it feeds; He et al. 2015),
 * Glorot-normal W2 (std √(2/(128+10)), suited to the linear softmax logits; Glorot and Bengio
 * 2010), zero biases. Draws from `rng` in storage order, so one seed gives one model.
 */
export function initParams(rng: Rng): Float32Array {
  const p = new Float32Array(PARAM_COUNT);
  const s1 = Math.sqrt(2 / INPUTS);
  for (let i = W1_OFFSET; i < B1_OFFSET; i++) p[i] = s1 * standardNormal(rng);
  const s2 = Math.sqrt(2 / (HIDDEN + CLASSES));
  for (let i = W2_OFFSET; i < B2_OFFSET; i++) p[i] = s2 * standardNormal(rng);
  return p;
}

/** Per-call scratch: one sample's activations and deltas (reused across samples). */
interface Scratch {
  readonly h: Float64Array;
  readonly dh: Float64Array;
  readonly z: Float64Array;
  readonly nz: Int32Array;
}

function scratch(): Scratch {
  return { h: new Float64Array(HIDDEN), dh: new Float64Array(HIDDEN), z: new Float64Array(CLASSES), nz: new Int32Array(INPUTS) };
}

/**
 * Forward pass of sample `row`: fills s.h (post-ReLU), s.z (softmax probabilities) and s.nz
 * (indices of non-zero pixels; the count is returned). Float64 accumulation: no cost in JS,
 * whose arithmetic is double anyway, and no extra rounding.
 */
function forward(p: Float32Array, x: Float32Array, row: number, s: Scratch): number {
  const { h, z, nz } = s;
  const xo = row * INPUTS;
  for (let j = 0; j < HIDDEN; j++) h[j] = p[B1_OFFSET + j];
  let count = 0;
  for (let i = 0; i < INPUTS; i++) {
    const xi = x[xo + i];
    if (xi === 0) continue;
    nz[count++] = i;
    // Unrolled by 4 (HIDDEN is a multiple of 4): V8 does not vectorize, and this is ~20 % faster.
    for (let j = 0, w = W1_OFFSET + i * HIDDEN; j < HIDDEN; j += 4, w += 4) {
      h[j] += xi * p[w];
      h[j + 1] += xi * p[w + 1];
      h[j + 2] += xi * p[w + 2];
      h[j + 3] += xi * p[w + 3];
    }
  }
  for (let c = 0; c < CLASSES; c++) z[c] = p[B2_OFFSET + c];
  for (let j = 0; j < HIDDEN; j++) {
    let hj = h[j];
    if (hj < 0) hj = h[j] = 0;
    if (hj === 0) continue;
    const wo = W2_OFFSET + j * CLASSES;
    for (let c = 0; c < CLASSES; c++) z[c] += hj * p[wo + c];
  }
  // Softmax with the max subtracted, so exp never overflows.
  let max = z[0];
  for (let c = 1; c < CLASSES; c++) if (z[c] > max) max = z[c];
  let sum = 0;
  for (let c = 0; c < CLASSES; c++) {
    const e = Math.exp(z[c] - max);
    z[c] = e;
    sum += e;
  }
  for (let c = 0; c < CLASSES; c++) z[c] /= sum;
  return count;
}

/** Cross-entropy of probabilities `z` for label `label`, floored so log(0) cannot occur. */
function crossEntropy(z: Float64Array, label: number): number {
  return -Math.log(Math.max(z[label], 1e-30));
}

/**
 * Adds scale × ∇(cross-entropy of sample) to `g` for every row in order[start, end); returns
 * the summed loss. The W1 gradient is written only for the sample's non-zero pixels (the
 * others are exactly zero).
 */
function accumulate(
  p: Float32Array,
  g: Float64Array,
  data: Dataset,
  order: Int32Array,
  start: number,
  end: number,
  scale: number,
  s: Scratch,
): number {
  const { x, y } = data;
  const { h, dh, z, nz } = s;
  let loss = 0;
  for (let k = start; k < end; k++) {
    const row = order[k];
    const count = forward(p, x, row, s);
    const label = y[row];
    loss += crossEntropy(z, label);
    // dL/dlogits = softmax − onehot, scaled by 1/batch for a mean loss.
    z[label] -= 1;
    for (let c = 0; c < CLASSES; c++) {
      z[c] *= scale;
      g[B2_OFFSET + c] += z[c];
    }
    for (let j = 0; j < HIDDEN; j++) {
      const hj = h[j];
      if (hj === 0) {
        dh[j] = 0; // ReLU inactive (or exactly at its kink, where we take the 0 subgradient)
        continue;
      }
      const wo = W2_OFFSET + j * CLASSES;
      let d = 0;
      for (let c = 0; c < CLASSES; c++) {
        d += p[wo + c] * z[c];
        g[wo + c] += hj * z[c];
      }
      dh[j] = d;
    }
    for (let j = 0; j < HIDDEN; j++) g[B1_OFFSET + j] += dh[j];
    const xo = row * INPUTS;
    for (let t = 0; t < count; t++) {
      const i = nz[t];
      const xi = x[xo + i];
      for (let j = 0, w = W1_OFFSET + i * HIDDEN; j < HIDDEN; j += 4, w += 4) {
        g[w] += xi * dh[j];
        g[w + 1] += xi * dh[j + 1];
        g[w + 2] += xi * dh[j + 2];
        g[w + 3] += xi * dh[j + 3];
      }
    }
  }
  return loss;
}

function checkParams(params: Float32Array): void {
  if (params.length !== PARAM_COUNT) throw new Error(`expected ${PARAM_COUNT} parameters, got ${params.length}`);
}

/** Out-of-range rows would read past the pixels and silently train on NaN: refuse them. */
function checkRows(data: Dataset, rows: Int32Array): void {
  assertDataset(data);
  for (let k = 0; k < rows.length; k++) {
    if (rows[k] < 0 || rows[k] >= data.n) throw new Error(`row ${rows[k]} is outside the dataset (n = ${data.n})`);
  }
}

/**
 * Trains `params` IN PLACE with mini-batch SGD on the rows `indices` of `data`: each epoch
 * visits them in a fresh order shuffled by `opts.rng`; the last batch of an epoch may be
 * smaller. Deterministic: same inputs and rng state → bitwise the same parameters.
 */
export function trainEpochs(params: Float32Array, data: Dataset, indices: Int32Array, opts: TrainOptions): TrainResult {
  checkParams(params);
  checkRows(data, indices);
  const { epochs, batchSize, lr } = opts;
  const momentum = opts.momentum ?? 0;
  const prox = opts.prox;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`epochs must be a non-negative integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer, got ${batchSize}`);
  if (!(lr > 0)) throw new Error(`learning rate must be > 0, got ${lr}`);
  if (momentum < 0 || momentum >= 1) throw new Error(`momentum must be in [0, 1), got ${momentum}`);
  if (prox) {
    checkParams(prox.global);
    if (!(prox.mu >= 0)) throw new Error(`FedProx μ must be ≥ 0, got ${prox.mu}`);
  }
  const n = indices.length;
  if (n === 0 || epochs === 0) return { samples: 0, steps: 0, loss: NaN };

  const order = Int32Array.from(indices);
  // Float64 gradient: stores to a Float64Array are cheaper than rounding to float32 in V8.
  const g = new Float64Array(PARAM_COUNT);
  const v = momentum > 0 ? new Float32Array(PARAM_COUNT) : undefined;
  const s = scratch();
  const mu = prox ? prox.mu : 0;
  const wg = prox?.global;
  // With plain SGD and no proximal term only the W1 rows of pixels lit in the batch change,
  // so only those rows are cleared and stepped; momentum and FedProx move every weight.
  const sparseStep = !v && mu === 0;
  const touched = new Uint8Array(INPUTS);
  const touchedRows = new Int32Array(INPUTS);
  let steps = 0;
  let lastLoss = 0;
  for (let e = 0; e < epochs; e++) {
    shuffleInPlace(order, opts.rng);
    let epochLoss = 0;
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      epochLoss += accumulate(params, g, data, order, start, end, 1 / (end - start), s);
      steps++;
      if (sparseStep) {
        let rows = 0;
        for (let k = start; k < end; k++) {
          const xo = order[k] * INPUTS;
          for (let i = 0; i < INPUTS; i++) {
            if (data.x[xo + i] !== 0 && touched[i] === 0) {
              touched[i] = 1;
              touchedRows[rows++] = i;
            }
          }
        }
        for (let r = 0; r < rows; r++) {
          const i = touchedRows[r];
          touched[i] = 0;
          const wo = W1_OFFSET + i * HIDDEN;
          for (let j = wo; j < wo + HIDDEN; j++) {
            params[j] -= lr * g[j];
            g[j] = 0;
          }
        }
        for (let j = B1_OFFSET; j < PARAM_COUNT; j++) {
          params[j] -= lr * g[j];
          g[j] = 0;
        }
      } else {
        for (let j = 0; j < PARAM_COUNT; j++) {
          let gj = g[j];
          if (mu !== 0) gj += mu * (params[j] - wg![j]);
          if (v) {
            gj = v[j] = momentum * v[j] + gj;
          }
          params[j] -= lr * gj;
        }
        g.fill(0);
      }
    }
    lastLoss = epochLoss / n;
  }
  return { samples: epochs * n, steps, loss: lastLoss };
}

/** Accuracy and mean cross-entropy of `params` on the rows `indices` of `data`. */
export function evaluate(params: Float32Array, data: Dataset, indices: Int32Array): Evaluation {
  checkParams(params);
  checkRows(data, indices);
  const s = scratch();
  let correct = 0;
  let loss = 0;
  for (let k = 0; k < indices.length; k++) {
    const row = indices[k];
    forward(params, data.x, row, s);
    const z = s.z;
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (z[c] > z[best]) best = c;
    if (best === data.y[row]) correct++;
    loss += crossEntropy(z, data.y[row]);
  }
  const n = indices.length;
  return { accuracy: n ? correct / n : NaN, loss: n ? loss / n : NaN };
}

/**
 * Gradient of the mean cross-entropy over the rows `indices` (float64 accumulation); used
 * by the gradient check and by anyone who wants one full-batch step.
 */
export function gradient(params: Float32Array, data: Dataset, indices: Int32Array): Float64Array {
  checkParams(params);
  checkRows(data, indices);
  const g = new Float64Array(PARAM_COUNT);
  if (indices.length > 0) accumulate(params, g, data, indices, 0, indices.length, 1 / indices.length, scratch());
  return g;
}
