import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DnnModel, type Layer } from '../../src/world/model.ts';

const DIR = new URL('../../data/models/', import.meta.url);

/** The parts of a zoo data file the test reads. */
interface ZooFile {
  name: string;
  input: { shape: number[]; bytes: number };
  layers: Layer[];
}

/**
 * Expected figures, hard-coded (not read from the files under test). Parameters and GMACs:
 * torchvision model documentation (pytorch.org/vision/stable/models), each model's
 * *_Weights.IMAGENET1K_V1 entry, "num_params" and "GFLOPS" (torchvision's GFLOPS counts
 * multiply-accumulates), tabulated with their sources in data/models/README.md.
 * MLP: 784·128+128 + 128·10+10.
 */
const EXPECTED: Record<string, { params: number; gmacs: number; classes: number }> = {
  alexnet: { params: 61_100_840, gmacs: 0.714, classes: 1000 },
  vgg16: { params: 138_357_544, gmacs: 15.47, classes: 1000 },
  resnet18: { params: 11_689_512, gmacs: 1.814, classes: 1000 },
  resnet50: { params: 25_557_032, gmacs: 4.089, classes: 1000 },
  'mobilenet-v2': { params: 3_504_872, gmacs: 0.3, classes: 1000 },
  'mobilenet-v3-small': { params: 2_542_856, gmacs: 0.057, classes: 1000 },
  'squeezenet1.1': { params: 1_235_496, gmacs: 0.349, classes: 1000 },
  'efficientnet-b0': { params: 5_288_548, gmacs: 0.39, classes: 1000 },
  'mlp-784-128-10': { params: 101_770, gmacs: (784 * 128 + 128 * 10) / 1e9, classes: 10 },
};

/** One layer checked by hand: its parameters (batch-norm 2·C included), MACs and output elements. */
const HAND: Record<string, { layer: string; params: number; macs: number; outElems: number }> = {
  // Conv 11×11, 3→64, stride 4, pad 2, bias: 224 → 55.
  alexnet: { layer: 'features.0', params: 11 * 11 * 3 * 64 + 64, macs: 11 * 11 * 3 * 64 * 55 * 55, outElems: 64 * 55 * 55 },
  // Last linear 4096→1000 with bias.
  vgg16: { layer: 'classifier.6', params: 4096 * 1000 + 1000, macs: 4096 * 1000, outElems: 1000 },
  // conv1 7×7, 3→64, stride 2 + BN: 9,408 weights + 128 BN, 112×112 output.
  resnet18: { layer: 'conv1', params: 7 * 7 * 3 * 64 + 2 * 64, macs: 9408 * 112 * 112, outElems: 64 * 112 * 112 },
  // conv1 as ResNet-18: 9,408 · 112 · 112 = 118,013,952 MACs.
  resnet50: { layer: 'conv1', params: 9408 + 128, macs: 118_013_952, outElems: 64 * 112 * 112 },
  // Stem conv 3×3, 3→32, stride 2 + BN.
  'mobilenet-v2': { layer: 'features.0', params: 3 * 3 * 3 * 32 + 2 * 32, macs: 864 * 112 * 112, outElems: 32 * 112 * 112 },
  // First SE block on 16 channels at 56×56: 1×1 convs 16→8→16 with biases.
  'mobilenet-v3-small': { layer: 'features.1.block.1', params: 16 * 8 + 8 + 8 * 16 + 16, macs: 2 * 16 * 8, outElems: 16 * 56 * 56 },
  // Stem conv 3×3, 3→64, stride 2, no padding, bias: 224 → 111.
  'squeezenet1.1': { layer: 'features.0', params: 3 * 3 * 3 * 64 + 64, macs: 27 * 64 * 111 * 111, outElems: 64 * 111 * 111 },
  // First MBConv depthwise 3×3 on 32 channels at 112×112 + BN.
  'efficientnet-b0': { layer: 'features.1.0.block.0', params: 9 * 32 + 64, macs: 9 * 32 * 112 * 112, outElems: 32 * 112 * 112 },
  'mlp-784-128-10': { layer: 'fc1', params: 784 * 128 + 128, macs: 784 * 128, outElems: 128 },
};

/** Reads one zoo data file. */
function load(id: string): ZooFile {
  return JSON.parse(readFileSync(new URL(`${id}.json`, DIR), 'utf8')) as ZooFile;
}

it('model zoo: every data file has expected figures in this test', () => {
  const ids = readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
  expect(ids.sort()).toEqual(Object.keys(EXPECTED).sort());
});

describe.each(Object.keys(EXPECTED))('model zoo: %s', (id) => {
  const file = load(id);
  const model = new DnnModel({ name: file.name, inputBytes: file.input.bytes, layers: file.layers });
  const exp = EXPECTED[id];

  it('is named after its file and has an fp32 input size matching its shape', () => {
    expect(file.name).toBe(id);
    expect(file.input.bytes).toBe(file.input.shape.reduce((a, b) => a * b, 1) * 4);
  });

  it('has exactly the published parameter count', () => {
    expect(model.params).toBe(exp.params);
  });

  it('has MACs within 2% of the published figure', () => {
    expect(Math.abs(model.macs / 1e9 / exp.gmacs - 1)).toBeLessThan(0.02);
  });

  it('has finite non-negative flops/params and positive output sizes in every layer', () => {
    for (const l of model.layers) {
      expect(Number.isFinite(l.flops) && l.flops >= 0, `${l.name} flops`).toBe(true);
      expect(Number.isFinite(l.params) && l.params >= 0, `${l.name} params`).toBe(true);
      expect(l.outputBytes, `${l.name} outputBytes`).toBeGreaterThan(0);
    }
  });

  it('returns one fp32 score per class', () => {
    expect(model.outputBytes).toBe(exp.classes * 4);
  });

  it('matches a hand-checked layer', () => {
    const h = HAND[id];
    const l = model.layers.find((x) => x.name === h.layer);
    expect(l, h.layer).toBeDefined();
    expect(l!.params).toBe(h.params);
    expect(l!.flops).toBe(2 * h.macs);
    expect(l!.outputBytes).toBe(h.outElems * 4);
  });
});
