import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/core/random.ts';
import { estimateAccuracy } from '../../src/policies/compression/accuracy.ts';
import { accuracyProfile, parseAccuracyFile, type AccuracyProfile } from '../../src/policies/compression/accuracy-profile.ts';
import { deploy } from '../../src/policies/compression/deployment.ts';
import type { ExecutionTarget } from '../../src/policies/compression/execution.ts';
import { compressModel } from '../../src/policies/compression/model-size.ts';
import type { CompressionRequest } from '../../src/policies/compression/policy.ts';
import { COMPRESSION_POLICIES, compressionPolicy } from '../../src/policies/compression/registry.ts';
import { FP32, INT8, type CompressionVariant } from '../../src/policies/compression/variant.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';

const { models, profiles } = loadCatalog();
const device = (name: string): ExecutionTarget => {
  const p = profiles.get(name)!;
  return { name, throughput: p.compute, slots: p.slots, memory: p.memory };
};
const profileOf = (name: string): AccuracyProfile => {
  const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
  return accuracyProfile(name, read(`../../data/models/${name}.json`).accuracy, parseAccuracyFile(read(`../../data/accuracy/${name}.json`)));
};

/** Candidates used below: dense, pruned, shared, quantized and combined variants. */
const POOL: readonly CompressionVariant[] = [
  FP32,
  INT8,
  { name: 'q128', quantization: { levels: 128 } },
  { name: 'q64', quantization: { levels: 64 } },
  { name: 'q16', quantization: { levels: 16 } },
  { name: 'w8', quantization: { levels: 256, activations: false } },
  { name: 'p26', pruning: { sparsity: 0.26, format: 'bitmask' } },
  { name: 'p50', pruning: { sparsity: 0.5, format: 'bitmask' } },
  { name: 'p80', pruning: { sparsity: 0.8, format: 'csr' } },
  { name: 'p90', pruning: { sparsity: 0.9, format: 'csr' } },
  { name: 'c40', channels: 0.4 },
  { name: 'c20-int8', channels: 0.2, quantization: { levels: 256 } },
  { name: 'p50-int8', pruning: { sparsity: 0.5, format: 'bitmask' }, quantization: { levels: 256 } },
  { name: 'p80-s16-q256', pruning: { sparsity: 0.8, format: 'csr' }, sharing: { clusters: 16 }, quantization: { levels: 256 } },
];

/** The EDeLeaR choice by exhaustive search, written independently of the policy: sort every qualifying candidate. */
function bruteForce(request: CompressionRequest, allowExtrapolation: boolean): CompressionVariant | undefined {
  const rows = request.candidates.map((variant, index) => ({
    variant,
    index,
    deployment: deploy(request.model, variant, request.target, request.deadline),
    accuracy: request.accuracy ? estimateAccuracy(request.accuracy, variant) : undefined,
  }));
  const ok = rows.filter(
    (r) =>
      r.deployment?.fitsMemory &&
      r.deployment.meetsDeadline &&
      r.accuracy?.top1 !== undefined &&
      (allowExtrapolation || r.accuracy.basis !== 'extrapolated'),
  );
  ok.sort((a, b) => b.accuracy!.top1! - a.accuracy!.top1! || a.deployment!.compressed.bytes - b.deployment!.compressed.bytes || a.index - b.index);
  return ok[0]?.variant;
}

describe('EDeLeaR compression choice', () => {
  it('ResNet-50 on a Raspberry Pi 4 with a 0.8 s deadline: fp32 takes 1.08 s, int8 0.62 s (data/devices/README.md) → int8', () => {
    const request: CompressionRequest = { model: models.get('resnet50')!, target: device('raspberry-pi-4'), deadline: 0.8, candidates: [FP32, INT8], accuracy: profileOf('resnet50') };
    const d = compressionPolicy('edelear').decide(request);
    expect(d.variant).toBe(INT8);
    expect(d.feasible).toBe(true);
    expect(d.deployment!.computeSeconds).toBeCloseTo(0.615, 2);
    // Without a deadline fp32 fits the Pi's 4 GiB and is more accurate.
    expect(compressionPolicy('edelear').decide({ ...request, deadline: Infinity }).variant).toBe(FP32);
  });

  it('matches a brute force over the candidates on 300 random small cases', () => {
    const rng = new RandomStreams(7).stream('policy', 'compression-test');
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)];
    let chosen = 0;
    let fallbacks = 0;
    for (let trial = 0; trial < 300; trial++) {
      const name = pick(['resnet50', 'mobilenet-v2', 'resnet18']);
      const model = models.get(name)!;
      const base = pick([...profiles.values()]);
      const fp32Seconds = model.flops / (base.compute.fp32! / base.slots);
      const target: ExecutionTarget = {
        name: base.name,
        throughput: base.compute,
        slots: base.slots,
        memory: (0.05 + 2 * rng()) * 4 * model.params,
        ...(rng() < 0.3 ? { sparseKernels: true } : {}),
      };
      const candidates = POOL.filter(() => rng() < 0.4);
      if (candidates.length === 0) continue;
      const allowExtrapolation = rng() < 0.5;
      const request: CompressionRequest = { model, target, deadline: (0.1 + 2 * rng()) * fp32Seconds, candidates, accuracy: profileOf(name) };
      const decision = compressionPolicy('edelear', { allowExtrapolation }).decide(request);
      const expected = bruteForce(request, allowExtrapolation);
      if (expected) {
        chosen++;
        expect(decision.variant.name, `trial ${trial}`).toBe(expected.name);
        expect(decision.feasible).toBe(true);
      } else {
        fallbacks++;
        expect(decision.reason).toMatch(/^no candidate/);
      }
    }
    // Both branches were exercised.
    expect(chosen).toBeGreaterThan(50);
    expect(fallbacks).toBeGreaterThan(10);
  });

  it('falls back to the fastest candidate that fits memory, then to the smallest memory', () => {
    const model = models.get('resnet50')!;
    const pi = device('raspberry-pi-4');
    const tooFast = compressionPolicy('edelear').decide({ model, target: pi, deadline: 1e-6, candidates: [FP32, INT8], accuracy: profileOf('resnet50') });
    expect(tooFast.variant).toBe(INT8);
    expect(tooFast.feasible).toBe(false);
    expect(tooFast.reason).toMatch(/fastest that fits memory/);
    const tiny = compressionPolicy('edelear').decide({ model, target: { ...pi, memory: 1 }, deadline: Infinity, candidates: [FP32, INT8], accuracy: profileOf('resnet50') });
    expect(tiny.variant).toBe(INT8);
    expect(tiny.reason).toMatch(/least/);
    expect(() => compressionPolicy('edelear').decide({ model, target: pi, deadline: 1, candidates: [] })).toThrow(/no compression candidates/);
  });
});

describe('compression baselines', () => {
  const request: CompressionRequest = {
    model: models.get('mobilenet-v2')!,
    target: device('jetson-nano'),
    deadline: Infinity,
    candidates: POOL,
    accuracy: profileOf('mobilenet-v2'),
  };

  it('none: fp32 everywhere; int8: int8 everywhere (fp16 on a device without int8)', () => {
    expect(compressionPolicy('none').decide(request).variant).toBe(FP32);
    const int8 = compressionPolicy('int8').decide(request);
    expect(int8.variant).toBe(INT8);
    expect(int8.deployment!.precision).toBe('fp16');
    expect(int8.deployment!.note).toMatch(/no int8/);
  });

  it('max: the smallest stored size among the candidates', () => {
    const sizes = POOL.map((v) => compressModel(request.model, v).bytes);
    const smallest = POOL[sizes.indexOf(Math.min(...sizes))];
    expect(compressionPolicy('max').decide(request).variant).toBe(smallest);
    // 16 levels: 4 bits = 0.5 B per weight; 80 % pruning in CSR with 4-bit codes: 0.2 × (0.5 + 2-byte column
    // index) = 0.5 B per weight plus the row pointers — the index overhead makes it larger.
    expect(smallest.name).toBe('q16');
  });

  it('the registry knows every name', () => {
    expect(COMPRESSION_POLICIES.map((n) => compressionPolicy(n).name)).toEqual([...COMPRESSION_POLICIES]);
  });
});
