import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { DnnModel, MODEL_INPUT, type Layer } from '../../src/world/model.ts';

const { models } = loadCatalog();
const model = (name: string): DnnModel => models.get(name)!;
/** liveBytes after the layer so named. */
const after = (m: DnnModel, layer: string): number => {
  const k = m.layers.findIndex((l) => l.name === layer) + 1;
  expect(k, layer).toBeGreaterThan(0);
  return m.liveBytes[k];
};

describe('bytes live at a split point', () => {
  it('ResNet-18 layer1.0 (identity skip) and layer2.0 (downsample skip), counted by hand', () => {
    const r = model('resnet18');
    // layer1.0's input is maxpool's output, 64×56×56 fp32 = 802,816 B; it is read by conv1 and, through the
    // skip, by the add closing the block (fused into conv2).
    // After maxpool: the block input alone, 64×56×56×4 = 802,816 B.
    expect(after(r, 'maxpool')).toBe(64 * 56 * 56 * 4);
    // After layer1.0.conv1: conv1's output 64×56×56×4 B + the block input (maxpool's output) 64×56×56×4 B = 1,605,632 B.
    expect(after(r, 'layer1.0.conv1')).toBe(1_605_632);
    // After layer1.0.conv2 (+ add + ReLU): the block's output alone, 64×56×56×4 = 802,816 B.
    expect(after(r, 'layer1.0.conv2')).toBe(802_816);
    // layer2.0: input 64×56×56 (802,816 B), conv1 stride 2 → 128×28×28×4 = 401,408 B; the skip is the 1×1
    // downsample of the block input, listed last, which also closes the add.
    // After conv1: 401,408 + 802,816 = 1,204,224 B. After conv2: conv2's 401,408 + the block input, still
    // to be read by the downsample, 802,816 = 1,204,224 B. After downsample (+ add): 401,408 B.
    expect(after(r, 'layer2.0.conv1')).toBe(401_408 + 802_816);
    expect(after(r, 'layer2.0.conv2')).toBe(1_204_224);
    expect(after(r, 'layer2.0.downsample')).toBe(128 * 28 * 28 * 4);
    // A chain-only reading (the last layer's output) would say 802,816 B after layer1.0.conv1: half the truth.
    expect(r.layers[2].outputBytes).toBe(802_816);
  });

  it('MobileNetV2 features.3 (inverted residual, stride 1, 24 → 24 channels) and features.2 (stride 2: no residual)', () => {
    const m = model('mobilenet-v2');
    // features.3's input: features.2's output 24×56×56×4 = 301,056 B. Expand 1×1 to 6·24 = 144 channels:
    // 144×56×56×4 = 1,806,336 B; depthwise 3×3 stride 1 keeps 144×56×56; projection back to 24×56×56 (+ the add).
    // After expand: 1,806,336 + 301,056 = 2,107,392 B. After depthwise: the same. After projection: 301,056 B.
    expect(after(m, 'features.2.conv.2')).toBe(301_056);
    expect(after(m, 'features.3.conv.0')).toBe(2_107_392);
    expect(after(m, 'features.3.conv.1')).toBe(2_107_392);
    expect(after(m, 'features.3.conv.2')).toBe(301_056);
    // features.2 (stride 2, 16 → 24): no skip, so after its expand (16 → 96 channels at 112×112) only
    // that output is live: 96×112×112×4 = 4,816,896 B.
    expect(after(m, 'features.2.conv.0')).toBe(96 * 112 * 112 * 4);
  });

  it('every zoo model: live bytes equal a direct count over its tensors; the input at 0, the result at L; chains carry one tensor', () => {
    for (const m of models.values()) {
      const L = m.layers.length;
      // Direct O(L²) count: tensor p (0 the input, i the output of layer i) is live at k when p ≤ k and some
      // layer j > k reads it (the last layer's output is read by the caller).
      const names = [MODEL_INPUT, ...m.layers.map((l) => l.name)];
      const bytes = [m.inputBytes, ...m.layers.map((l) => l.outputBytes)];
      const readers = names.map((_, p) => (p === L ? [L + 1] : m.layers.flatMap((l, j) => ((l.inputs ?? []).includes(names[p]) ? [j + 1] : []))));
      for (let k = 0; k <= L; k++) {
        let live = 0;
        for (let p = 0; p <= k; p++) if (readers[p].some((j) => j > k)) live += bytes[p];
        expect(m.liveBytes[k], `${m.name} k=${k}`).toBe(live);
      }
      expect(m.liveBytes[0]).toBe(m.inputBytes);
      expect(m.liveBytes[L]).toBe(m.outputBytes);
      for (let k = 1; k <= L; k++) expect(m.liveBytes[k]).toBeGreaterThanOrEqual(m.layers[k - 1].outputBytes);
      const chain = m.layers.every((l) => l.inputs?.length === 1);
      if (['alexnet', 'vgg16', 'squeezenet1.1', 'mlp-784-128-10'].includes(m.name)) expect(chain, m.name).toBe(true);
      if (chain) for (let k = 1; k <= L; k++) expect(m.liveBytes[k]).toBe(m.layers[k - 1].outputBytes);
    }
  });

  it('the zoo records its graph on every layer; residual blocks per torchvision', () => {
    const multi = (name: string) => model(name).layers.filter((l) => l.inputs!.length > 1).length;
    for (const m of models.values()) for (const l of m.layers) expect(l.inputs, `${m.name} ${l.name}`).toBeDefined();
    // ResNet: every block has a skip (8 BasicBlocks; 16 Bottlenecks). MobileNetV2: stride 1 and in = out in
    // 1 + 2 + 3 + 2 + 2 = 10 blocks (t, c, n, s table of Sandler et al.). MobileNetV3-Small: blocks 3, 5, 6, 8, 10, 11.
    // EfficientNet-B0: every repeat after a stage's first, 1 + 1 + 2 + 2 + 3 = 9.
    expect([multi('resnet18'), multi('resnet50'), multi('mobilenet-v2'), multi('mobilenet-v3-small'), multi('efficientnet-b0')]).toEqual([8, 16, 10, 6, 9]);
  });

  it('a model without inputs is a chain; a graph naming no earlier layer, or with an unread output, is refused', () => {
    const layers: Layer[] = [
      { name: 'a', type: 'conv', flops: 1, params: 1, outputBytes: 10 },
      { name: 'b', type: 'conv', flops: 1, params: 1, outputBytes: 20 },
    ];
    expect(Array.from(new DnnModel({ name: 'chain', inputBytes: 5, layers }).liveBytes)).toEqual([5, 10, 20]);
    const skip: Layer[] = [layers[0], { ...layers[1], inputs: ['a', 'input'] }];
    expect(Array.from(new DnnModel({ name: 'skip', inputBytes: 5, layers: skip }).liveBytes)).toEqual([5, 15, 20]);
    expect(() => new DnnModel({ name: 'bad', inputBytes: 5, layers: [layers[0], { ...layers[1], inputs: ['c'] }] })).toThrow(/reads "c"/);
    expect(() => new DnnModel({ name: 'dead', inputBytes: 5, layers: [layers[0], { ...layers[1], inputs: ['input'] }] })).toThrow(/layer a is read by no later layer/);
  });
});
