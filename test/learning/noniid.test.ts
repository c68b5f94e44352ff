import { expect, it } from 'vitest';
import { RandomStreams } from '../../src/core/random.ts';
import { trainCentralized, trainLocalOnly } from '../../src/learning/baselines.ts';
import { federatedKeys, runFederated } from '../../src/learning/fedavg.ts';
import { loadMnistSplit } from '../../src/learning/mnist.ts';
import { initParams } from '../../src/learning/mlp.ts';
import { labelEntropy, partitionDirichlet } from '../../src/learning/partition.ts';

/**
 * The ordering every FL paper reports on label-skewed data (e.g. McMahan et al. 2017, Hsu et
 * al. 2019): local-only mean < FedAvg < centralized. Settings fixed before the first run and not
 * tuned: seed 1, 8,000/2,000 split, Dirichlet α = 0.1 over 10 clients, FedAvg with C = 1, E = 1,
 * B = 32, η = 0.1, plain SGD; the baselines get the same number of passes over their data as
 * FedAvg has rounds, with the same SGD settings, all from the same initial model. T was 20 rounds
 * (centralized 0.9545, FedAvg 0.886, local-only mean 0.373: margins 0.069 and 0.513); it is 10
 * since 2026-11-27, to halve the test's time: the ordering is what is asserted, not an accuracy
 * at T, and at 10 rounds FedAvg is already past its steep part (0.856 at round 10 of that run).
 * It still fails if averaging is broken (FedAvg near the local-only models) or if FedAvg or the
 * centralized training learn less than they should (centralized no better than FedAvg).
 */
it('non-IID (Dirichlet α = 0.1, 10 clients): local-only mean < FedAvg < centralized', () => {
  const seed = 1;
  const { data, train, test } = loadMnistSplit(seed);
  const streams = new RandomStreams(seed);
  const parts = partitionDirichlet(train, data.y, 10, 0.1, streams.stream('training', 'partition'));
  const init = initParams(streams.stream('training', federatedKeys.init));
  const sgd = { batchSize: 32, lr: 0.1 };
  const rounds = 10;

  const t0 = performance.now();
  const fl = runFederated(init, data, parts, {
    rounds,
    fraction: 1,
    local: { epochs: 1, ...sgd },
    streams,
    evaluateOn: test,
  });
  const t1 = performance.now();
  const central = trainCentralized(init, data, train, test, { epochs: rounds, ...sgd }, streams.stream('training', 'central'));
  const t2 = performance.now();
  const local = trainLocalOnly(init, data, parts, test, { epochs: rounds, ...sgd }, (k) => streams.stream('training', `local/${k}`));
  const t3 = performance.now();

  const fedAcc = fl.history[rounds - 1].evaluation!.accuracy;
  const sizes = parts.map((p) => p.length);
  const entropy = parts.map((p) => labelEntropy(p, data.y));
  console.log(
    [
      `client sizes ${sizes.join(' ')}; label entropy (bits) ${entropy.map((h) => h.toFixed(2)).join(' ')}`,
      `FedAvg accuracy by round: ${fl.history.map((h) => h.evaluation!.accuracy.toFixed(3)).join(' ')}`,
      `centralized ${central.accuracy.toFixed(4)} | FedAvg ${fedAcc.toFixed(4)} | local-only mean ${local.mean.toFixed(4)} (worst ${local.worst.toFixed(4)})`,
      `margins: centralized − FedAvg = ${(central.accuracy - fedAcc).toFixed(4)}, FedAvg − local-only mean = ${(fedAcc - local.mean).toFixed(4)}`,
      `wall: FedAvg ${((t1 - t0) / 1000).toFixed(1)} s, centralized ${((t2 - t1) / 1000).toFixed(1)} s, local-only ${((t3 - t2) / 1000).toFixed(1)} s`,
    ].join('\n'),
  );
  expect(fedAcc).toBeLessThan(central.accuracy);
  expect(fedAcc).toBeGreaterThan(local.mean);
});
