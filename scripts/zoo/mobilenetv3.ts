/** MobileNetV3-Small (width 1.0) exactly as torchvision.models.mobilenet_v3_small. */
import { makeDivisible, Net, tvAccuracy, tvPublished, type ZooModel } from './layers.ts';

const BN = { bias: false, bn: true } as const;

/** torchvision bneck_conf for "mobilenet_v3_small": kernel, expanded, out, use SE, stride. */
const SETTING: readonly (readonly [number, number, number, boolean, number])[] = [
  [3, 16, 16, true, 2],
  [3, 72, 24, false, 2],
  [3, 88, 24, false, 1],
  [5, 96, 40, true, 2],
  [5, 240, 40, true, 1],
  [5, 240, 40, true, 1],
  [5, 120, 48, true, 1],
  [5, 144, 48, true, 1],
  [5, 288, 96, true, 2],
  [5, 576, 96, true, 1],
  [5, 576, 96, true, 1],
];

/** V3 inverted residual: 1×1 expand (if needed) → k×k depthwise → SE (optional) → 1×1 projection. */
function block(n: Net, name: string, k: number, exp: number, out: number, se: boolean, stride: number): void {
  const input = n.shape[0];
  const skip = n.last;
  let i = 0;
  if (exp !== n.shape[0]) n.conv(`${name}.block.${i++}`, { out: exp, k: 1, ...BN });
  n.conv(`${name}.block.${i++}`, { out: exp, k, stride, pad: (k - 1) / 2, groups: exp, ...BN });
  if (se) n.se(`${name}.block.${i++}`, makeDivisible(exp / 4, 8));
  n.conv(`${name}.block.${i}`, { out, k: 1, ...BN });
  // torchvision: use_res_connect = stride == 1 and input_channels == out_channels; the add is fused into the projection.
  if (stride === 1 && input === out) n.addSkip(skip);
}

/** torchvision MobileNetV3-Small at 224×224. */
export function mobilenetV3Small(): ZooModel {
  const n = new Net([3, 224, 224]);
  n.conv('features.0', { out: 16, k: 3, stride: 2, pad: 1, ...BN });
  SETTING.forEach(([k, exp, out, se, s], i) => block(n, `features.${i + 1}`, k, exp, out, se, s));
  n.conv(`features.${SETTING.length + 1}`, { out: 6 * 96, k: 1, ...BN });
  n.adaptivePool('avgpool', 1, 1);
  n.linear('classifier.0', 1024);
  n.linear('classifier.3', 1000);
  return {
    name: 'mobilenet-v3-small',
    title: 'MobileNetV3-Small',
    source:
      'torchvision.models.mobilenet_v3_small architecture (Howard et al., ICCV 2019); layer figures computed by scripts/zoo/generate.ts',
    input: n.input,
    published: tvPublished('MobileNet_V3_Small_Weights.IMAGENET1K_V1', 2_542_856, 0.057),
    accuracy: tvAccuracy('MobileNet_V3_Small_Weights.IMAGENET1K_V1', 67.668),
    layers: n.layers,
  };
}
