import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/core/random.ts';
import { quantizedBytes } from '../../src/learning/compression.ts';
import { federatedKeys } from '../../src/learning/fedavg.ts';
import { initParams, MODEL_BYTES, PARAM_COUNT, TRAINING_FLOPS_PER_SAMPLE } from '../../src/learning/mlp.ts';
import { loadMnistSplit } from '../../src/learning/mnist.ts';
import { ENERGY_COLUMNS, type FederatedSpec, FederatedProcess, ROUND_COLUMNS } from '../../src/learning/process.ts';
import { simulate } from '../../src/metrics/simulate.ts';
import type { LinkSpec } from '../../src/world/link.ts';
import type { NodeSpec } from '../../src/world/node.ts';
import { fixedTargets } from '../../src/world/placement.ts';
import type { WorldSpec } from '../../src/world/world.ts';

const { data, train, test } = loadMnistSplit(1);
/** Three clients with 100 training digits each. */
const parts = [0, 1, 2].map((k) => train.slice(100 * k, 100 * (k + 1)));
/**
 * The global model is evaluated after every aggregation, in the event loop but taking no simulated
 * time: the tests of many rounds that assert no accuracy evaluate on 100 test digits, not all 2,000
 * (2,000 forward passes a round against 2 × 100 digits trained: those tests took 0.2–0.4× the time).
 */
const fewTestDigits = test.subarray(0, 100);

function node(name: string, extra: Partial<NodeSpec> = {}): NodeSpec {
  return { name, kind: 'device', throughput: { fp32: 1e9 }, slots: 1, memory: 1e9, power: { idle: 1, busy: 3 }, trust: 1, ...extra };
}

const link = (a: number, b: number, bandwidth: number, delay: number, tx = 0): LinkSpec => ({ a, b, bandwidth, delay, txEnergyPerBit: tx, rxEnergyPerBit: 0 });

function run(nodes: NodeSpec[], links: LinkSpec[], fed: Partial<FederatedSpec>, duration = 100, evaluateOn = test) {
  const world: WorldSpec = { nodes, links, workloads: [], placement: fixedTargets([]), duration, warmup: 0, seed: 1 };
  const spec: FederatedSpec = {
    server: 0,
    clients: [1, 2, 3],
    rounds: 2,
    fraction: 1,
    local: { epochs: 1, batchSize: 20, lr: 0.1 },
    compression: { kind: 'none' },
    roundDeadline: Infinity,
    minTrust: 0,
    start: 0,
    retryAfter: 1,
    precision: 'fp32',
    ...fed,
  };
  const streams = new RandomStreams(1);
  let p: FederatedProcess | undefined;
  const result = simulate(world, {
    attach: (w) => {
      p = new FederatedProcess(w, spec, data, parts.slice(0, spec.clients.length), evaluateOn, streams, initParams(streams.stream('training', federatedKeys.init)));
      p.start();
    },
  });
  return { process: p!, result };
}

const server = node('server', { kind: 'edge', throughput: { fp32: 1e10 } });

describe('a federated round in the world', () => {
  it('takes download + local training + upload + aggregation, each from its closed form', () => {
    const { process } = run([server, node('c1')], [link(0, 1, 10e6, 0.03, 1e-8)], { clients: [1], rounds: 1 });
    const transfer = (MODEL_BYTES * 8) / 10e6 + 0.03; // dense fp32 model, each way
    const compute = (100 * TRAINING_FLOPS_PER_SAMPLE) / 1e9; // 100 digits × 1 epoch at 1 GFLOP/s
    const aggregate = (2 * PARAM_COUNT) / 1e10;
    const r = process.rounds[0];
    expect(r.end_s).toBeCloseTo(transfer + compute + transfer + aggregate, 12);
    expect(r.bytes_down).toBe(MODEL_BYTES);
    expect(r.bytes_up).toBe(MODEL_BYTES);
    expect(r.clients_completed).toBe(1);
    // The client's energy: idle all round, busy (3 W − 1 W extra) while training, 10 nJ/bit sending its update.
    const clientJ = 1 * r.end_s + 2 * compute + MODEL_BYTES * 8 * 1e-8;
    expect(r.energy_clients_J).toBeCloseTo(clientJ, 9);
    expect(process.energy.find((e) => e.role === 'client')!.energy_J).toBeCloseTo(clientJ, 9);
  });

  it('drops a straggler at the round deadline and keeps the others', () => {
    // c3 sits behind a 1 Mbit/s link: 3.3 s each way, longer than the 2 s deadline.
    const nodes = [server, node('c1'), node('c2'), node('c3')];
    const links = [link(0, 1, 100e6, 0.001), link(0, 2, 100e6, 0.001), link(0, 3, 1e6, 0.001)];
    const { process } = run(nodes, links, { roundDeadline: 2 });
    for (const r of process.rounds) {
      expect(r.clients_selected).toBe(3);
      expect(r.clients_completed).toBe(2);
      expect(r.clients_dropped_late).toBe(1);
      expect(r.end_s - r.start_s).toBeCloseTo(2 + (2 * PARAM_COUNT * 2) / 1e10, 9);
    }
  });

  it('a round whose every client is late aggregates nothing: aggregated 0, the global model unchanged (helper-82: it read 1)', () => {
    // Every client behind a 1 Mbit/s link (3.3 s each way) against a 2 s deadline.
    const nodes = [server, node('c1'), node('c2')];
    const links = [link(0, 1, 1e6, 0.001), link(0, 2, 1e6, 0.001)];
    const { process } = run(nodes, links, { roundDeadline: 2, clients: [1, 2] });
    expect(process.rounds.length).toBeGreaterThan(0);
    for (const r of process.rounds) expect([r.clients_completed, r.clients_dropped_late, r.aggregated]).toEqual([0, 2, 0]);
    expect(new Set(process.rounds.map((r) => r.test_accuracy)).size).toBe(1); // the initial model's, round after round
  });

  it('links carry the compressed update: 8-bit quantization per tensor sends 8 header bytes per tensor + 1 byte per value', () => {
    const { process } = run([server, node('c1')], [link(0, 1, 10e6, 0)], {
      clients: [1],
      rounds: 1,
      compression: { kind: 'quantize', bits: 8, rounding: 'stochastic', scaling: 'tensor' },
    });
    expect(process.rounds[0].bytes_up).toBe(quantizedBytes(PARAM_COUNT, 8, 4));
    expect(process.rounds[0].bytes_up).toBe(4 * 8 + PARAM_COUNT);
  });

  it('a client whose battery empties leaves: it is no longer available', () => {
    // c1's 3 J battery at 1 W idle lasts under 3 s; rounds of ~0.1 s run back to back.
    const nodes = [server, node('c1', { battery: 3 }), node('c2')];
    const { process } = run(nodes, [link(0, 1, 100e6, 0.001), link(0, 2, 100e6, 0.001)], { clients: [1, 2], rounds: 60 }, 100, fewTestDigits);
    const first = process.rounds[0];
    const last = process.rounds[process.rounds.length - 1];
    expect(first.clients_available).toBe(2);
    expect(last.clients_available).toBe(1);
    expect(last.start_s).toBeGreaterThan(3);
  });

  it('keeps going after the server is down for a while: rounds resume after its repair', () => {
    // The server fails often (MTBF 3 s, MTTR 1 s) for 60 s; rounds of ~0.1 s retry every second while it is down.
    const nodes = [node('server', { kind: 'edge', throughput: { fp32: 1e10 }, failures: { mtbf: 3, mttr: 1 } }), node('c1'), node('c2')];
    const { process } = run(nodes, [link(0, 1, 100e6, 0.001), link(0, 2, 100e6, 0.001)], { clients: [1, 2], rounds: 100 }, 60, fewTestDigits);
    expect(process.rounds).toHaveLength(100);
    // Some rounds waited for a repair: they start later than the previous round ended.
    const gaps = process.rounds.slice(1).filter((r, i) => r.start_s > process.rounds[i].end_s);
    expect(gaps.length).toBeGreaterThan(0);
    expect(process.rounds.some((r) => r.aggregated === 0 || r.clients_dropped_failed > 0)).toBe(true);
  });

  it('a client that is also the server is counted once, and moves no bytes over links', () => {
    const nodes = [server, node('c1')];
    const { process } = run(nodes, [link(0, 1, 100e6, 0.001)], { server: 0, clients: [0, 1], rounds: 1 });
    const r = process.rounds[0];
    expect(process.energy.map((e) => e.node)).toEqual(['server', 'c1']);
    expect(r.bytes_down).toBe(MODEL_BYTES);
    expect(r.bytes_up).toBe(MODEL_BYTES);
    expect(r.energy_total_J).toBeCloseTo(process.energy[0].energy_J + process.energy[1].energy_J, 12);
  });

  it('numbers rounds from 1 in its round rows and its energy rows alike, so they join 1:1', () => {
    const nodes = [server, node('c1'), node('c2'), node('c3')];
    const { process } = run(nodes, [link(0, 1, 50e6, 0.002), link(0, 2, 20e6, 0.01), link(0, 3, 5e6, 0.02)], { rounds: 3 });
    expect(process.rounds.map((r) => r.round)).toEqual([1, 2, 3]);
    for (const r of process.rounds) {
      const energy = process.energy.filter((e) => e.round === r.round);
      expect(energy.map((e) => e.node)).toEqual(['server', 'c1', 'c2', 'c3']);
      expect(energy.reduce((a, e) => a + e.energy_J, 0)).toBeCloseTo(r.energy_total_J, 9);
    }
    expect(process.energy).toHaveLength(3 * 4);
    expect(process.trainingSeconds).toBeGreaterThan(0);
    // The columns an empty fl_rounds.csv / fl_energy.csv is written with are those of real rows, in order.
    expect(Object.keys(process.rounds[0])).toEqual([...ROUND_COLUMNS]);
    expect(Object.keys(process.energy[0])).toEqual([...ENERGY_COLUMNS]);
  });

  it('is deterministic: the same seed gives the same rounds and bit-identical weights', () => {
    const nodes = [server, node('c1'), node('c2'), node('c3')];
    const links = [link(0, 1, 50e6, 0.002), link(0, 2, 20e6, 0.01), link(0, 3, 5e6, 0.02)];
    const a = run(nodes, links, { fraction: 0.67 });
    const b = run(nodes, links, { fraction: 0.67 });
    expect(a.process.rounds).toEqual(b.process.rounds);
    expect(Buffer.from(a.process.global.buffer).equals(Buffer.from(b.process.global.buffer))).toBe(true);
    expect(a.process.rounds[0].clients_selected).toBe(2); // round(0.67 × 3)
  });
});
