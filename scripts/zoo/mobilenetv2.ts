/** MobileNetV2 (width 1.0) exactly as torchvision.models.mobilenet_v2. */
import { Net, tvAccuracy, tvPublished, type ZooModel } from './layers.ts';

const BN = { bias: false, bn: true } as const;

/** torchvision inverted_residual_setting: expansion t, channels c, repeats n, first stride s. */
const SETTING: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** Inverted residual: 1×1 expand (if t ≠ 1) → 3×3 depthwise → 1×1 linear projection, one record each (+ the input, when stride 1 and in = out channels). */
function invertedResidual(n: Net, name: string, out: number, stride: number, t: number): void {
  const input = n.shape[0];
  const skip = n.last;
  const hidden = Math.round(input * t);
  let i = 0;
  if (t !== 1) n.conv(`${name}.conv.${i++}`, { out: hidden, k: 1, ...BN });
  n.conv(`${name}.conv.${i++}`, { out: hidden, k: 3, stride, pad: 1, groups: hidden, ...BN });
  n.conv(`${name}.conv.${i}`, { out, k: 1, ...BN });
  // torchvision: use_res_connect = stride == 1 and inp == oup; the add is fused into the projection.
  if (stride === 1 && input === out) n.addSkip(skip);
}

/** torchvision MobileNetV2 at 224×224. */
export function mobilenetV2(): ZooModel {
  const n = new Net([3, 224, 224]);
  n.conv('features.0', { out: 32, k: 3, stride: 2, pad: 1, ...BN });
  let f = 1;
  for (const [t, c, reps, s] of SETTING) {
    for (let i = 0; i < reps; i++) invertedResidual(n, `features.${f++}`, c, i === 0 ? s : 1, t);
  }
  n.conv(`features.${f}`, { out: 1280, k: 1, ...BN });
  n.adaptivePool('avgpool', 1, 1);
  n.linear('classifier.1', 1000);
  return {
    name: 'mobilenet-v2',
    title: 'MobileNetV2',
    source:
      'torchvision.models.mobilenet_v2 architecture (Sandler et al., CVPR 2018); layer figures computed by scripts/zoo/generate.ts',
    input: n.input,
    published: tvPublished('MobileNet_V2_Weights.IMAGENET1K_V1', 3_504_872, 0.3),
    accuracy: tvAccuracy('MobileNet_V2_Weights.IMAGENET1K_V1', 71.878, {
      weights: 'MobileNet_V2_QuantizedWeights.IMAGENET1K_QNNPACK_V1 (quantization-aware training)',
      top1: 71.658,
    }),
    layers: n.layers,
  };
}
