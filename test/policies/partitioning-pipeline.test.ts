import { describe, expect, it } from 'vitest';
import type { Hop } from '../../src/policies/partitioning/cost.ts';
import { balancePipeline, pipelineOf, type PipelineDevice } from '../../src/policies/partitioning/pipeline.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { DnnModel, type Layer } from '../../src/world/model.ts';
import type { NodeSpec } from '../../src/world/node.ts';

const { models, profiles } = loadCatalog();
/** A cited device profile (data/devices) as a world node. */
const node = (name: string): NodeSpec => {
  const p = profiles.get(name)!;
  return { name: p.name, kind: p.kind, throughput: p.compute, slots: p.slots, memory: p.memory, power: p.power, trust: 1 };
};
const fp32 = (name: string, parallel?: boolean): PipelineDevice => ({ node: node(name), precision: 'fp32', ...(parallel === undefined ? {} : { parallel }) });

/**
 * Brute force, from the definitions: every prefix of j ≤ m devices and every way to cut the L
 * layers into j contiguous runs (empty ones relay); a stage's occupancy = its FLOPs / fp32 throughput
 * (the device's whole throughput: slots run side by side), its latency = FLOPs / (throughput /
 * slots); a link's occupancy = 8·live bytes / bandwidth, its latency that + delay. The least
 * bottleneck (max occupancy), then the least latency among those within 1e-12 of it.
 */
function bruteForce(m: DnnModel, devices: readonly PipelineDevice[], links: readonly Hop[], usable: number): { bottleneck: number; latency: number } {
  const L = m.layers.length;
  const flops = (a: number, b: number) => m.layers.slice(a, b).reduce((s, l) => s + l.flops, 0);
  const all: { bottleneck: number; latency: number }[] = [];
  const walk = (j: number, a: number, bottleneck: number, latency: number): void => {
    const d = devices[j];
    for (let b = a; b <= L; b++) {
      const f = flops(a, b);
      const thr = d.node.throughput.fp32!;
      const occ = f / thr;
      const lat = f / (thr / d.node.slots);
      if (b === L) all.push({ bottleneck: Math.max(bottleneck, occ), latency: latency + lat });
      if (j + 1 < usable) {
        const busy = (8 * m.liveBytes[b]) / links[j].bandwidth;
        walk(j + 1, b, Math.max(bottleneck, occ, busy), latency + lat + links[j].delay + busy);
      }
    }
  };
  walk(0, 0, 0, 0);
  const bottleneck = Math.min(...all.map((p) => p.bottleneck));
  const latency = Math.min(...all.filter((p) => p.bottleneck <= bottleneck * (1 + 1e-12)).map((p) => p.latency));
  return { bottleneck, latency };
}

/** A small random model: a chain with a skip now and then, random FLOPs and output sizes. */
function randomModel(rand: () => number, L: number): DnnModel {
  const layers: Layer[] = [];
  for (let i = 0; i < L; i++) {
    const inputs = [i === 0 ? 'input' : `l${i - 1}`];
    if (i >= 2 && rand() < 0.3) inputs.push(`l${i - 2}`);
    layers.push({ name: `l${i}`, type: 'conv', flops: rand() < 0.15 ? 0 : Math.round(1e6 + rand() * 1e9), params: 0, outputBytes: Math.round(1e3 + rand() * 1e6), inputs });
  }
  return new DnnModel({ name: 'random', inputBytes: 150_528, layers });
}

describe('model parallelization: a pipeline of contiguous stages', () => {
  it('balances the bottleneck exactly: equal to brute force on 300 random small cases (2–9 layers, 1–4 devices)', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const names = [...profiles.keys()];
    for (let t = 0; t < 300; t++) {
      const m = randomModel(rand, 2 + Math.floor(rand() * 8));
      const n = 1 + Math.floor(rand() * 4);
      const devices = Array.from({ length: n }, () => fp32(names[Math.floor(rand() * names.length)]));
      const links: Hop[] = Array.from({ length: n - 1 }, () => ({ bandwidth: 1e6 * 10 ** (rand() * 3), delay: rand() * 0.01 }));
      const p = balancePipeline(m, devices, links);
      const best = bruteForce(m, devices, links, n);
      expect(p.bottleneck).toBeCloseTo(best.bottleneck, 12);
      if (best.latency === 0) expect(p.latency).toBe(0); // every layer of 0 FLOPs, one device
      else expect(p.latency / best.latency).toBeCloseTo(1, 12);
      expect(p.throughput).toBe(1 / p.bottleneck);
      // Contiguous, covering every layer, on a prefix of the chain, the last stage not empty.
      expect(p.stages[0].from).toBe(0);
      const last = p.stages[p.stages.length - 1];
      expect(last.to).toBe(m.layers.length);
      if (p.stages.length > 1) expect(last.to).toBeGreaterThan(last.from);
      p.stages.forEach((s, j) => {
        expect(s.device).toBe(j);
        expect(s.to).toBeGreaterThanOrEqual(s.from);
        if (j > 0) expect(s.from).toBe(p.stages[j - 1].to);
      });
    }
  });

  it('AlexNet and ResNet-18 over Raspberry Pi 4 → Snapdragon 855 → Jetson Nano at 100 Mbit/s: brute force agrees; latency and throughput reported', () => {
    const devices = [fp32('raspberry-pi-4'), fp32('smartphone-snapdragon-855'), fp32('jetson-nano')];
    const links: Hop[] = [
      { bandwidth: 100e6, delay: 0.002 },
      { bandwidth: 100e6, delay: 0.002 },
    ];
    for (const name of ['alexnet', 'resnet18']) {
      const m = models.get(name)!;
      const p = balancePipeline(m, devices, links);
      const best = bruteForce(m, devices, links, 3);
      expect(p.bottleneck).toBeCloseTo(best.bottleneck, 12);
      expect(p.latency / best.latency).toBeCloseTo(1, 12);
      // Latency = Σ stage seconds + Σ transfers (delay + 8·live bytes / bandwidth), recomputed here.
      const sum = p.stages.reduce((s, x) => s + x.seconds, 0) + p.transfers.reduce((s, x) => s + 0.002 + (8 * m.liveBytes[x.after]) / 100e6, 0);
      expect(p.latency).toBeCloseTo(sum, 12);
      // Better than the Pi alone (the bottleneck can only fall when more devices may take stages).
      expect(p.bottleneck).toBeLessThan(m.flops / 7.56e9);
    }
  });

  it('a device that cannot run in parallel (Table 4 "Disabled") runs the whole model; a disabled helper ends the chain', () => {
    const m = models.get('resnet18')!;
    const links: Hop[] = [
      { bandwidth: 1e9, delay: 0.001 },
      { bandwidth: 1e9, delay: 0.001 },
    ];
    const alone = balancePipeline(m, [fp32('raspberry-pi-4', false), fp32('jetson-xavier-nx'), fp32('jetson-nano')], links);
    expect(alone.stages).toEqual([{ device: 0, from: 0, to: m.layers.length, seconds: m.flops / 7.56e9, occupancy: m.flops / 7.56e9 }]);
    expect(alone.transfers).toEqual([]);
    expect(alone.throughput).toBeCloseTo(7.56e9 / m.flops, 12);
    const two = balancePipeline(m, [fp32('raspberry-pi-4'), fp32('smartphone-snapdragon-855'), fp32('jetson-xavier-nx', false)], links);
    expect(Math.max(...two.stages.map((s) => s.device))).toBeLessThanOrEqual(1);
    expect(two.bottleneck).toBeCloseTo(bruteForce(m, [fp32('raspberry-pi-4'), fp32('smartphone-snapdragon-855')], links, 2).bottleneck, 12);
  });

  it('pipelineOf: figures of a given cut; an empty first stage sends the input; decreasing cuts are refused', () => {
    const m = models.get('alexnet')!;
    const devices = [fp32('raspberry-pi-4'), fp32('jetson-nano')];
    const links: Hop[] = [{ bandwidth: 50e6, delay: 0.005 }];
    const p = pipelineOf(m, devices, links, [2, m.layers.length]);
    // After features.2 (max-pool): 64×27×27×4 = 186,624 B over 50 Mbit/s = 29.86 ms of link time.
    expect(p.transfers[0].bytes).toBe(64 * 27 * 27 * 4);
    expect(p.transfers[0].occupancy).toBeCloseTo((8 * 186_624) / 50e6, 12);
    expect(p.latency).toBeCloseTo(p.stages[0].seconds + 0.005 + p.transfers[0].occupancy + p.stages[1].seconds, 12);
    const remote = pipelineOf(m, devices, links, [0, m.layers.length]);
    expect([remote.stages[0].seconds, remote.transfers[0].bytes]).toEqual([0, m.inputBytes]);
    expect(() => pipelineOf(m, devices, links, [3, 2, m.layers.length])).toThrow(/must not decrease/);
  });
});
