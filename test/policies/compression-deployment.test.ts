import { describe, expect, it } from 'vitest';
import { deploy } from '../../src/policies/compression/deployment.ts';
import { execution, wantedPrecision, type ExecutionTarget } from '../../src/policies/compression/execution.ts';
import { compressModel } from '../../src/policies/compression/model-size.ts';
import { FP32, INT8, type CompressionVariant } from '../../src/policies/compression/variant.ts';
import { loadCatalog, type DeviceProfile } from '../../src/scenario/catalog.ts';
import { job, node } from '../world/fixtures.ts';

const { models, profiles } = loadCatalog();
/** A device profile as the compression decision sees it (what a world NodeSpec carries). */
const target = (name: string, extra: Partial<ExecutionTarget> = {}): ExecutionTarget => {
  const p: DeviceProfile = profiles.get(name)!;
  return { name: p.name, throughput: p.compute, slots: p.slots, memory: p.memory, ...extra };
};
const FP16_VARIANT: CompressionVariant = { name: 'q65536', quantization: { levels: 65_536 } };
const P80: CompressionVariant = { name: 'p80', pruning: { sparsity: 0.8, format: 'csr' } };

describe('precision and throughput on a device', () => {
  it('wants int8 for ≤ 8-bit weights and activations, fp16 for ≤ 16 bits, fp32 otherwise', () => {
    expect(wantedPrecision(INT8)).toBe('int8');
    expect(wantedPrecision({ name: 'q16', quantization: { levels: 16 } })).toBe('int8');
    expect(wantedPrecision(FP16_VARIANT)).toBe('fp16');
    expect(wantedPrecision({ name: 'w8', quantization: { levels: 256, activations: false } })).toBe('fp32');
    expect(wantedPrecision({ name: 's16', sharing: { clusters: 16 } })).toBe('fp32');
    expect(wantedPrecision(FP32)).toBe('fp32');
  });

  it('runs int8 only where the profile has an int8 figure, else fp16, else fp32, and says so', () => {
    // data/devices: raspberry-pi-4 has fp32 and int8; jetson-nano fp32 and fp16; edge-server-xeon fp32 and int8.
    const pi = execution(INT8, target('raspberry-pi-4'))!;
    expect(pi.precision).toBe('int8');
    expect(pi.flopsPerSecond).toBe(profiles.get('raspberry-pi-4')!.compute.int8);
    expect(pi.note).toBeUndefined();
    const nano = execution(INT8, target('jetson-nano'))!;
    expect(nano.precision).toBe('fp16');
    expect(nano.note).toMatch(/jetson-nano has no int8 throughput: int8 runs at fp16 speed/);
    const xeon = execution(FP16_VARIANT, target('edge-server-xeon'))!;
    expect(xeon.precision).toBe('fp32');
    expect(xeon.flopsPerSecond).toBe(profiles.get('edge-server-xeon')!.compute.fp32! / 16); // 16 slots
    expect(xeon.note).toMatch(/no fp16 throughput/);
    expect(execution(FP32, { name: 'int8-only', throughput: { int8: 1e9 }, slots: 1, memory: 1e9 })).toBeUndefined();
  });
});

describe('a variant deployed on a device', () => {
  it('ResNet-50 int8 on the Xavier NX computes in 8.18 GFLOP / 2.71 TFLOP/s ≈ 3.0 ms (data/devices/README.md, measured 3.018 ms)', () => {
    const d = deploy(models.get('resnet50')!, INT8, target('jetson-xavier-nx'))!;
    expect(d.precision).toBe('int8');
    expect(d.computeSeconds * 1000).toBeCloseTo(3.0, 1);
    // Weights decoded for dense int8 kernels: one byte per parameter; activation: largest output at 1 byte per element.
    expect(d.weightBytes).toBe(25_557_032);
    expect(d.activationBytes).toBe(models.get('resnet50')!.peakActivationBytes / 4);
    expect(d.fitsMemory).toBe(true);
  });

  it('pruning cuts FLOPs and resident weights only on sparse kernels', () => {
    const m = models.get('resnet50')!;
    const dense = deploy(m, P80, target('raspberry-pi-4'))!;
    expect(dense.flops).toBe(m.flops);
    expect(dense.weightBytes).toBe(m.params * 4);
    const sparse = deploy(m, P80, target('raspberry-pi-4', { sparseKernels: true }))!;
    expect(sparse.flops).toBe(compressModel(m, P80).sparseFlops);
    expect(sparse.weightBytes).toBe(compressModel(m, P80).bytes);
    expect(sparse.computeSeconds).toBeCloseTo(dense.computeSeconds * 0.2, 3);
  });

  it('takes a world node as its target, and times a request as the world does (FLOPs / (throughput / slots))', () => {
    const edge = node('edge', { throughput: { fp32: 4e9 }, slots: 2 });
    const d = deploy(job, FP32, edge)!; // 1 GFLOP at 2 GFLOP/s per slot
    expect(d.computeSeconds).toBe(0.5);
    expect(d.memoryBytes).toBe(4 * 1000 + 400);
  });

  it('checks memory and the deadline', () => {
    const m = models.get('vgg16')!;
    const small = target('raspberry-pi-4', { memory: 100e6 });
    const d = deploy(m, FP32, small, 0.5)!;
    expect(d.memoryBytes).toBe(4 * 138_357_544 + m.peakActivationBytes);
    expect(d.fitsMemory).toBe(false);
    // 2 × 15.47 GMACs at 7.56 GFLOP/s ≈ 4.1 s > 0.5 s.
    expect(d.meetsDeadline).toBe(false);
    expect(deploy(m, FP32, small, 10)!.meetsDeadline).toBe(true);
  });
});

describe('whether a variant fits a node', () => {
  it('counts the weights, the peak activations and one request’s input: what the run holds there (helper-86: ResNet-50 fp32 "fit" and dropped every request)', () => {
    const resnet = models.get('resnet50')!;
    const inputBytes = 602_112; // a 224 × 224 × 3 fp32 frame as the zoo file's input
    const at = (memory: number) => deploy(resnet, FP32, target('raspberry-pi-4', { memory }), Infinity, inputBytes)!;
    const d = at(1e12);
    expect(d.memoryBytes).toBe(d.weightBytes + d.activationBytes + inputBytes);
    expect(at(d.memoryBytes).fitsMemory).toBe(true);
    expect(at(d.memoryBytes - 1).fitsMemory).toBe(false);
    // The weights and activations alone, as before: no longer a fit.
    expect(at(d.weightBytes + d.activationBytes).fitsMemory).toBe(false);
  });
});
