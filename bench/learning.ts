/**
 * One FedAvg round on the real MNIST digits: 10 clients (IID split of the 8,000 training
 * digits), each 1 local epoch at batch 32 from the same global model, then aggregation.
 * Prints wall time (target < 2 s) and training samples per second, cold (first round, JIT
 * warming up) and warm (best of 3), next to a baseline measured in the same run: a bare dense
 * fp32 forward pass of the same MLP (no backward, every pixel multiplied, zero or not), so the
 * ratio says what full training with the sparse-input shortcut gains over a naive forward-only loop.
 */
import { fileURLToPath } from 'node:url';
import { RandomStreams } from '../src/core/random.ts';
import { federatedKeys, federatedRound } from '../src/learning/fedavg.ts';
import { loadMnistSplit } from '../src/learning/mnist.ts';
import { CLASSES, HIDDEN, INPUTS, PARAM_COUNT, TRAINING_FLOPS_PER_SAMPLE, initParams } from '../src/learning/mlp.ts';
import { partitionIid } from '../src/learning/partition.ts';
import { benchFlags, fmt } from './measure.ts';

/** Dense forward passes per second: the naive loop a training step has to beat. */
function bareForward(params: Float32Array, x: Float32Array, n: number): number {
  const h = new Float32Array(HIDDEN);
  const z = new Float32Array(CLASSES);
  const t0 = performance.now();
  let sink = 0;
  for (let r = 0; r < n; r++) {
    const xo = r * INPUTS;
    // Cache-friendly order for the input-major layout: one contiguous row of W1 per pixel.
    h.fill(0);
    for (let i = 0; i < INPUTS; i++) {
      const xi = x[xo + i];
      const wo = i * HIDDEN;
      for (let j = 0; j < HIDDEN; j++) h[j] += xi * params[wo + j];
    }
    for (let j = 0; j < HIDDEN; j++) if (h[j] < 0) h[j] = 0;
    for (let c = 0; c < CLASSES; c++) {
      let s = 0;
      for (let j = 0; j < HIDDEN; j++) s += h[j] * params[INPUTS * HIDDEN + HIDDEN + j * CLASSES + c];
      z[c] = s;
    }
    sink += z[0];
  }
  if (Number.isNaN(sink)) console.log('');
  return n / ((performance.now() - t0) / 1000);
}

/** Runs the benchmark and prints the figures; returns them. */
export function main(): { coldSeconds: number; warmSeconds: number; samplesPerSecond: number; bareForwardPerSecond: number } {
  const seed = 1;
  const t0 = performance.now();
  const { data, train } = loadMnistSplit(seed);
  const loadSeconds = (performance.now() - t0) / 1000;
  const streams = new RandomStreams(seed);
  const parts = partitionIid(train, 10, streams.stream('training', 'partition'));
  const global = initParams(streams.stream('training', federatedKeys.init));
  const selected = parts.map((_, k) => k);
  const local = { epochs: 1, batchSize: 32, lr: 0.1 };

  const round = (r: number): { seconds: number; samples: number } => {
    const s = performance.now();
    const out = federatedRound(global, data, parts, selected, local, streams, r);
    const samples = out.clients.reduce((a, c) => a + c.samplesProcessed, 0);
    return { seconds: (performance.now() - s) / 1000, samples };
  };
  const cold = round(0);
  let warm = Infinity;
  for (let r = 1; r <= 3; r++) warm = Math.min(warm, round(r).seconds);
  const samplesPerSecond = cold.samples / warm;
  bareForward(global, data.x, 500);
  const bare = Math.max(bareForward(global, data.x, 2000), bareForward(global, data.x, 2000));

  console.log(`learning: one FedAvg round, 10 clients × 1 epoch, batch 32, ${fmt(cold.samples)} MNIST digits, ${fmt(PARAM_COUNT)}-parameter MLP`);
  console.log(`  data load (mnist package → Float32Array, split)   ${loadSeconds.toFixed(2)} s`);
  console.log(`  round wall time, cold (first round)              ${cold.seconds.toFixed(3)} s   (target < 2 s)`);
  console.log(`  round wall time, warm (best of 3)                ${warm.toFixed(3)} s`);
  console.log(`  training samples/s (warm)                        ${fmt(samplesPerSecond)}   (target > 4,000)`);
  console.log(`  nominal training GFLOP/s (3 × forward per sample) ${((samplesPerSecond * TRAINING_FLOPS_PER_SAMPLE) / 1e9).toFixed(2)}`);
  console.log(`  baseline: bare dense forward passes/s             ${fmt(bare)}`);
  console.log(`  ratio training samples/s ÷ bare forward/s         ${(samplesPerSecond / bare).toFixed(2)}`);
  return { coldSeconds: cold.seconds, warmSeconds: warm, samplesPerSecond, bareForwardPerSecond: bare };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchFlags('bench/learning.ts', 'usage: npx tsx bench/learning.ts   (no options)', []);
  main();
}
