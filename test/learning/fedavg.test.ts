import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/core/random.ts';
import { loadMnistSplit } from '../../src/learning/mnist.ts';
import {
  applyUpdates,
  clientsPerRound,
  fedAvg,
  federatedKeys,
  federatedRound,
  runFederated,
  selectClients,
  type FederatedOptions,
} from '../../src/learning/fedavg.ts';
import { MODEL_BYTES, PARAM_COUNT, initParams } from '../../src/learning/mlp.ts';
import { partitionDirichlet, partitionIid } from '../../src/learning/partition.ts';
import { sameBits } from './bits.ts';

const { data, train, test } = loadMnistSplit(1);

describe('FedAvg aggregation', () => {
  it('averaging identical models returns that model bitwise, whatever the weights', () => {
    const w = initParams(new RandomStreams(2).stream('training', 'init'));
    const avg = fedAvg([
      { params: w, samples: 3 },
      { params: Float32Array.from(w), samples: 7 },
      { params: Float32Array.from(w), samples: 1 },
    ]);
    expect(sameBits(avg, w)).toBe(true);
  });

  it('weights by sample count: (1·[1,2,3] + 3·[4,5,6]) / 4 = [3.25, 4.25, 5.25]', () => {
    const out = fedAvg(
      [
        { params: Float32Array.from([1, 2, 3]), samples: 1 },
        { params: Float32Array.from([4, 5, 6]), samples: 3 },
      ],
      new Float32Array(3),
    );
    expect(Array.from(out)).toEqual([3.25, 4.25, 5.25]);
  });

  it('applying weighted updates equals averaging the models w + Δ_k', () => {
    const global = Float32Array.from([1, 1, 1]);
    const out = applyUpdates(global, [
      { update: Float32Array.from([0, 1, 2]), samples: 1 },
      { update: Float32Array.from([3, 4, 5]), samples: 3 },
    ]);
    expect(Array.from(out)).toEqual([3.25, 4.25, 5.25]);
    expect(Array.from(global)).toEqual([1, 1, 1]);
  });
});

describe('client selection', () => {
  it('picks max(1, round(C·K)) distinct available clients, deterministically by rng', () => {
    expect(clientsPerRound(0.1, 10)).toBe(1);
    expect(clientsPerRound(0.01, 10)).toBe(1);
    expect(clientsPerRound(0.25, 10)).toBe(3); // round(2.5) = 3
    expect(clientsPerRound(1, 10)).toBe(10);
    expect(clientsPerRound(0.5, 0)).toBe(0);
    const available = [2, 3, 5, 7, 11, 13, 17, 19];
    const a = selectClients(available, 0.5, new RandomStreams(1).stream('training', 's'));
    expect(a.length).toBe(4);
    expect(new Set(a).size).toBe(4);
    for (const k of a) expect(available).toContain(k);
    expect(a).toEqual(selectClients(available, 0.5, new RandomStreams(1).stream('training', 's')));
    expect(selectClients([], 0.5, new RandomStreams(1).stream('training', 's'))).toEqual([]);
  });

  it('is uniform: over 4,000 rounds each of 10 clients is picked ≈ 30 % of the time with C = 0.3', () => {
    const rng = new RandomStreams(1).stream('training', 'u');
    const hits = new Array(10).fill(0);
    const all = Array.from({ length: 10 }, (_, k) => k);
    for (let r = 0; r < 4000; r++) for (const k of selectClients(all, 0.3, rng)) hits[k]++;
    // Binomial(4000, 0.3): sd ≈ 29; allow 5 sd.
    for (const h of hits) expect(Math.abs(h - 1200)).toBeLessThan(145);
  });
});

describe('federated runs', () => {
  const small = train.subarray(0, 1200);
  const parts = partitionIid(small, 6, new RandomStreams(9).stream('training', 'part'));
  const opts = (seed: number): FederatedOptions => ({
    rounds: 2,
    fraction: 0.5,
    local: { epochs: 1, batchSize: 16, lr: 0.05, momentum: 0.5, mu: 0.01 },
    compression: { kind: 'quantize', bits: 6, rounding: 'stochastic', scaling: 'tensor' },
    streams: new RandomStreams(seed),
    evaluateOn: test.subarray(0, 200),
  });
  const init = (seed: number) => initParams(new RandomStreams(seed).stream('training', federatedKeys.init));

  it('the same seed gives bitwise identical weights after a short FedProx + stochastic-quantization run', () => {
    const a = runFederated(init(5), data, parts, opts(5));
    const b = runFederated(init(5), data, parts, opts(5));
    const c = runFederated(init(6), data, parts, opts(6));
    expect(a.params.length).toBe(PARAM_COUNT);
    expect(sameBits(a.params, b.params)).toBe(true);
    expect(sameBits(a.params, c.params)).toBe(false);
    expect(a.history.map((h) => h.clients.map((c) => c.client))).toEqual(b.history.map((h) => h.clients.map((c) => c.client)));
    for (const h of a.history) {
      expect(h.clients.length).toBe(3);
      for (const c of h.clients) {
        expect(c.samplesProcessed).toBe(200);
        expect(c.bytesUp).toBe(4 * 8 + Math.ceil((6 * PARAM_COUNT) / 8));
        expect(c.bytesUp).toBeLessThan(MODEL_BYTES);
      }
      expect(h.evaluation!.accuracy).toBeGreaterThan(0);
    }
  });

  it('a client’s update does not depend on which other clients ran (keyed streams)', () => {
    const w = init(5);
    const local = { epochs: 1, batchSize: 16, lr: 0.05 };
    const streams = new RandomStreams(5);
    const both = federatedRound(w, data, parts, [1, 4], local, streams, 3);
    const alone1 = federatedRound(w, data, parts, [1], local, streams, 3);
    const alone4 = federatedRound(w, data, parts, [4], local, streams, 3);
    expect(both.clients[0].trainLoss).toBe(alone1.clients[0].trainLoss);
    expect(both.clients[1].trainLoss).toBe(alone4.clients[0].trainLoss);
    // Equal sizes (200 each): the two-client model is the plain mean of the one-client models' updates.
    const mean = fedAvg([
      { params: alone1.global, samples: 200 },
      { params: alone4.global, samples: 200 },
    ]);
    let err = 0;
    for (let i = 0; i < PARAM_COUNT; i++) err = Math.max(err, Math.abs(mean[i] - both.global[i]));
    expect(err).toBeLessThan(1e-6);
  });

  it('only available clients are selected', () => {
    const r = runFederated(init(5), data, parts, { ...opts(5), rounds: 3, fraction: 1, available: (round) => [round, 5] });
    expect(r.history.map((h) => h.clients.map((c) => c.client))).toEqual([[0, 5], [1, 5], [2, 5]]);
  });

  it('Dirichlet partition + top-k compression: runs and uploads 8 bytes per kept entry', () => {
    const dparts = partitionDirichlet(small, data.y, 4, 0.5, new RandomStreams(9).stream('training', 'd'));
    const r = runFederated(init(5), data, dparts, { ...opts(5), rounds: 1, fraction: 1, compression: { kind: 'topk', fraction: 0.05 } });
    for (const c of r.history[0].clients) expect(c.bytesUp).toBe(8 * Math.round(0.05 * PARAM_COUNT));
  });
});
