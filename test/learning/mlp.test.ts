import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/core/random.ts';
import { DnnModel, type Layer } from '../../src/world/model.ts';
import type { Dataset } from '../../src/learning/dataset.ts';
import { loadMnistSplit } from '../../src/learning/mnist.ts';
import {
  B1_OFFSET,
  B2_OFFSET,
  CLASSES,
  FORWARD_FLOPS_PER_SAMPLE,
  HIDDEN,
  INPUTS,
  MLP_TENSORS,
  PARAM_COUNT,
  TRAINING_FLOPS_PER_SAMPLE,
  W1_OFFSET,
  W2_OFFSET,
  evaluate,
  gradient,
  initParams,
  trainEpochs,
} from '../../src/learning/mlp.ts';
import { sameBits } from './bits.ts';

const zoo = JSON.parse(readFileSync(new URL('../../data/models/mlp-784-128-10.json', import.meta.url), 'utf8')) as {
  name: string;
  input: { bytes: number };
  published: { params: number };
  layers: Layer[];
};
const zooModel = new DnnModel({ name: zoo.name, inputBytes: zoo.input.bytes, layers: zoo.layers });
const { data, train, test } = loadMnistSplit(1);

/**
 * Independent float64 reference: mean cross-entropy of the MLP over `rows` (dense, no shortcuts).
 * The imported layout constants are read into locals and W1 row by row: read as imports inside the
 * inner loop they cost 20–30× the time (timed alternately under tsx; walking W1 by rows alone gave
 * 0.7×), and the gradient check took 6.4–9.4 s in vitest against 0.5–0.7 s now. The same losses.
 */
function referenceLoss(p: Float64Array, d: Dataset, rows: Int32Array): number {
  const [inputs, hidden, classes, w1, b1, w2, b2] = [INPUTS, HIDDEN, CLASSES, W1_OFFSET, B1_OFFSET, W2_OFFSET, B2_OFFSET];
  const xs = d.x;
  let total = 0;
  const h = new Float64Array(hidden);
  const z = new Float64Array(classes);
  for (const row of rows) {
    for (let j = 0; j < hidden; j++) h[j] = p[b1 + j];
    for (let i = 0; i < inputs; i++) {
      const x = xs[row * inputs + i];
      const w = w1 + i * hidden;
      for (let j = 0; j < hidden; j++) h[j] += x * p[w + j];
    }
    for (let j = 0; j < hidden; j++) h[j] = Math.max(0, h[j]);
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      let s = p[b2 + c];
      for (let j = 0; j < hidden; j++) s += h[j] * p[w2 + j * classes + c];
      z[c] = s;
      max = Math.max(max, s);
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(z[c] - max);
    total += -(z[d.y[row]] - max - Math.log(sum));
  }
  return total / rows.length;
}

describe('MLP 784-128-10', () => {
  it('has one flat vector of the zoo file’s parameter count, and FLOPs that match it', () => {
    expect(PARAM_COUNT).toBe(101_770);
    expect(PARAM_COUNT).toBe(zoo.published.params);
    expect(PARAM_COUNT).toBe(zooModel.params);
    expect(MLP_TENSORS.reduce((s, t) => s + t.length, 0)).toBe(PARAM_COUNT);
    expect(FORWARD_FLOPS_PER_SAMPLE).toBe(2 * 101_632);
    expect(FORWARD_FLOPS_PER_SAMPLE).toBe(zooModel.flops);
    expect(TRAINING_FLOPS_PER_SAMPLE).toBe(3 * zooModel.flops);
    expect(initParams(new RandomStreams(1).stream('training')).length).toBe(PARAM_COUNT);
  });

  it('initializes by seed: He/Glorot scales, zero biases, same seed same weights', () => {
    const a = initParams(new RandomStreams(5).stream('training', 'init'));
    const b = initParams(new RandomStreams(5).stream('training', 'init'));
    const c = initParams(new RandomStreams(6).stream('training', 'init'));
    expect(sameBits(a, b)).toBe(true);
    expect(sameBits(a, c)).toBe(false);
    const sd = (from: number, to: number) => {
      let s2 = 0;
      for (let i = from; i < to; i++) s2 += a[i] * a[i];
      return Math.sqrt(s2 / (to - from));
    };
    expect(sd(W1_OFFSET, B1_OFFSET) / Math.sqrt(2 / 784)).toBeCloseTo(1, 1);
    expect(sd(W2_OFFSET, B2_OFFSET) / Math.sqrt(2 / 138)).toBeCloseTo(1, 1);
    expect(a.subarray(B1_OFFSET, W2_OFFSET).every((v) => v === 0)).toBe(true);
    expect(a.subarray(B2_OFFSET).every((v) => v === 0)).toBe(true);
  });

  it('analytic gradient matches central finite differences (float64 reference) on ~50 parameters per tensor', () => {
    const streams = new RandomStreams(3);
    const p32 = initParams(streams.stream('training', 'init'));
    // A few SGD steps first, so ReLUs and softmax are away from their initial symmetric state.
    trainEpochs(p32, data, train.subarray(0, 256), { epochs: 1, batchSize: 32, lr: 0.1, rng: streams.stream('training', 'warm') });
    const batch = train.subarray(1000, 1004);
    const analytic = gradient(p32, data, batch);
    const p = Float64Array.from(p32);
    const pick = streams.stream('training', 'pick');
    const lit: number[] = [];
    for (let i = 0; i < INPUTS; i++) if (batch.some((row) => data.x[row * INPUTS + i] !== 0)) lit.push(i);
    const eps = 1e-5;
    let worst = 0;
    let checked = 0;
    for (const t of MLP_TENSORS) {
      const count = Math.min(50, t.length);
      for (let s = 0; s < count; s++) {
        let idx: number;
        if (t.name === 'W1') {
          // Rows of unlit pixels have an exactly zero gradient: sample where it is informative.
          idx = t.offset + lit[Math.floor(pick() * lit.length)] * HIDDEN + Math.floor(pick() * HIDDEN);
        } else {
          idx = t.length <= 50 ? t.offset + s : t.offset + Math.floor(pick() * t.length);
        }
        const keep = p[idx];
        p[idx] = keep + eps;
        const up = referenceLoss(p, data, batch);
        p[idx] = keep - eps;
        const down = referenceLoss(p, data, batch);
        p[idx] = keep;
        const numeric = (up - down) / (2 * eps);
        const a = analytic[idx];
        const rel = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), 1e-7);
        worst = Math.max(worst, rel);
        checked++;
        expect(rel, `${t.name}[${idx - t.offset}]: analytic ${a}, numeric ${numeric}`).toBeLessThan(1e-2);
      }
    }
    expect(checked).toBe(50 + 50 + 50 + 10);
    console.log(`gradient check: ${checked} parameters, worst relative error ${worst.toExponential(2)}`);
    // And the network's own loss agrees with the reference.
    expect(evaluate(p32, data, batch).loss).toBeCloseTo(referenceLoss(p, data, batch), 5);
  });

  it('one full-batch step is w − η(∇L + μ(w − w_global)) (FedProx term) and momentum accumulates', () => {
    const streams = new RandomStreams(4);
    const w = initParams(streams.stream('training', 'init'));
    const wg = initParams(streams.stream('training', 'other'));
    const rows = train.subarray(0, 16);
    const g = gradient(w, data, rows);
    const mu = 0.5;
    const lr = 0.05;
    const stepped = Float32Array.from(w);
    trainEpochs(stepped, data, rows, { epochs: 1, batchSize: 16, lr, prox: { mu, global: wg }, rng: streams.stream('training', 's') });
    let err = 0;
    for (let i = 0; i < PARAM_COUNT; i++) err = Math.max(err, Math.abs(stepped[i] - (w[i] - lr * (g[i] + mu * (w[i] - wg[i])))));
    expect(err).toBeLessThan(1e-6);
    // Momentum β: two full-batch steps are w1 = w − ηg0, w2 = w1 − η(βg0 + g1).
    const beta = 0.9;
    const m = Float32Array.from(w);
    trainEpochs(m, data, rows, { epochs: 2, batchSize: 16, lr, momentum: beta, rng: streams.stream('training', 'm') });
    const w1 = Float32Array.from(w, (v, i) => v - lr * g[i]);
    const g1 = gradient(w1, data, rows);
    err = 0;
    for (let i = 0; i < PARAM_COUNT; i++) err = Math.max(err, Math.abs(m[i] - (w1[i] - lr * (beta * g[i] + g1[i]))));
    expect(err).toBeLessThan(1e-5);
  });

  it('centralized training reaches ≥ 90 % test accuracy (5 epochs, batch 32, lr 0.1, plain SGD)', () => {
    const streams = new RandomStreams(1);
    const p = initParams(streams.stream('training', 'init'));
    const before = evaluate(p, data, test);
    const t0 = performance.now();
    const r = trainEpochs(p, data, train, { epochs: 5, batchSize: 32, lr: 0.1, rng: streams.stream('training', 'central') });
    const seconds = (performance.now() - t0) / 1000;
    const after = evaluate(p, data, test);
    console.log(
      `centralized: test accuracy ${before.accuracy.toFixed(4)} → ${after.accuracy.toFixed(4)}, loss ${after.loss.toFixed(4)}, ` +
        `${r.samples} samples in ${seconds.toFixed(2)} s (${Math.round(r.samples / seconds)} samples/s)`,
    );
    expect(r.samples).toBe(5 * 8_000);
    expect(r.steps).toBe(5 * 250);
    expect(after.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('rejects bad inputs instead of training garbage', () => {
    const rng = new RandomStreams(1).stream('training');
    const p = initParams(rng);
    expect(() => trainEpochs(new Float32Array(10), data, train, { epochs: 1, batchSize: 8, lr: 0.1, rng })).toThrow(/parameters/);
    expect(() => trainEpochs(p, data, train, { epochs: 1, batchSize: 0, lr: 0.1, rng })).toThrow(/batch size/);
    expect(() => trainEpochs(p, data, train, { epochs: 1, batchSize: 8, lr: 0, rng })).toThrow(/learning rate/);
    expect(() => evaluate(p, data, Int32Array.from([data.n]))).toThrow(/outside/);
    expect(trainEpochs(p, data, new Int32Array(0), { epochs: 1, batchSize: 8, lr: 0.1, rng }).samples).toBe(0);
  });
});
