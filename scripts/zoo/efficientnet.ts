/** EfficientNet-B0 exactly as torchvision.models.efficientnet_b0. */
import { makeDivisible, Net, tvAccuracy, tvPublished, type ZooModel } from './layers.ts';

const BN = { bias: false, bn: true } as const;

/** torchvision MBConvConfig for B0: expand ratio, kernel, first stride, out channels, layers. */
const SETTING: readonly (readonly [number, number, number, number, number])[] = [
  [1, 3, 1, 16, 1],
  [6, 3, 2, 24, 2],
  [6, 5, 2, 40, 2],
  [6, 3, 2, 80, 3],
  [6, 5, 1, 112, 3],
  [6, 5, 2, 192, 4],
  [6, 3, 1, 320, 1],
];

/** MBConv: 1×1 expand (if ratio ≠ 1) → k×k depthwise → SE (squeeze = input/4) → 1×1 projection. */
function mbconv(n: Net, name: string, ratio: number, k: number, stride: number, out: number): void {
  const input = n.shape[0];
  const skip = n.last;
  const exp = makeDivisible(input * ratio, 8);
  let i = 0;
  if (exp !== input) n.conv(`${name}.block.${i++}`, { out: exp, k: 1, ...BN });
  n.conv(`${name}.block.${i++}`, { out: exp, k, stride, pad: (k - 1) / 2, groups: exp, ...BN });
  n.se(`${name}.block.${i++}`, Math.max(1, Math.floor(input / 4)));
  n.conv(`${name}.block.${i}`, { out, k: 1, ...BN });
  // torchvision: use_res_connect = stride == 1 and input_channels == out_channels (stochastic
  // depth is the identity at inference); the add is fused into the projection.
  if (stride === 1 && input === out) n.addSkip(skip);
}

/** torchvision EfficientNet-B0 at 224×224. */
export function efficientnetB0(): ZooModel {
  const n = new Net([3, 224, 224]);
  n.conv('features.0', { out: 32, k: 3, stride: 2, pad: 1, ...BN });
  SETTING.forEach(([ratio, k, s, out, reps], stage) => {
    for (let i = 0; i < reps; i++) mbconv(n, `features.${stage + 1}.${i}`, ratio, k, i === 0 ? s : 1, out);
  });
  n.conv(`features.${SETTING.length + 1}`, { out: 4 * 320, k: 1, ...BN });
  n.adaptivePool('avgpool', 1, 1);
  n.linear('classifier.1', 1000);
  return {
    name: 'efficientnet-b0',
    title: 'EfficientNet-B0',
    source:
      'torchvision.models.efficientnet_b0 architecture (Tan & Le, ICML 2019); layer figures computed by scripts/zoo/generate.ts',
    input: n.input,
    published: tvPublished('EfficientNet_B0_Weights.IMAGENET1K_V1', 5_288_548, 0.39),
    accuracy: tvAccuracy('EfficientNet_B0_Weights.IMAGENET1K_V1', 77.692),
    layers: n.layers,
  };
}
