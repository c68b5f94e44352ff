/**
 * The two reference points every federated result is read against: centralized training (all
 * training data pooled in one place: the accuracy FL tries to approach without moving data)
 * and local-only training (each client alone on its own data: what FL must beat to be worth
 * its communication). Same model, same SGD, same test set as the federated runs.
 */
import type { Rng } from '../core/random.ts';
import type { Dataset } from './dataset.ts';
import { evaluate, trainEpochs, type Evaluation } from './mlp.ts';
import type { Partition } from './partition.ts';

/** SGD settings of a baseline run. */
export interface BaselineTraining {
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly momentum?: number;
}

/** Centralized training from `init` (not modified) on all `train` rows; evaluated on `test`. */
export function trainCentralized(
  init: Float32Array,
  data: Dataset,
  train: Int32Array,
  test: Int32Array,
  opts: BaselineTraining,
  rng: Rng,
): Evaluation & { params: Float32Array; samplesProcessed: number } {
  const params = Float32Array.from(init);
  const r = trainEpochs(params, data, train, { ...opts, rng });
  return { params, samplesProcessed: r.samples, ...evaluate(params, data, test) };
}

/**
 * Local-only training: every client trains its own copy of `init` on its own rows only
 * (client k's shuffles from `rngFor(k)`), and each model is evaluated on the common `test`
 * rows. Reports each client's accuracy, their mean and the worst.
 */
export function trainLocalOnly(
  init: Float32Array,
  data: Dataset,
  parts: Partition,
  test: Int32Array,
  opts: BaselineTraining,
  rngFor: (client: number) => Rng,
): { accuracies: number[]; mean: number; worst: number; samplesProcessed: number } {
  if (parts.length === 0) throw new Error('local-only training needs at least one client');
  const accuracies: number[] = [];
  let samplesProcessed = 0;
  parts.forEach((rows, k) => {
    const params = Float32Array.from(init);
    samplesProcessed += trainEpochs(params, data, rows, { ...opts, rng: rngFor(k) }).samples;
    accuracies.push(evaluate(params, data, test).accuracy);
  });
  const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
  return { accuracies, mean, worst: Math.min(...accuracies), samplesProcessed };
}
