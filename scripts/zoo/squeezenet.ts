/** SqueezeNet 1.1 exactly as torchvision.models.squeezenet1_1. */
import { concat, conv2d, Net, tvAccuracy, tvPublished, type ZooModel } from './layers.ts';

/** Fire module: 1×1 squeeze record, then one record for the concatenated 1×1 and 3×3 expands. */
function fire(n: Net, name: string, squeeze: number, e1: number, e3: number): void {
  n.conv(`${name}.squeeze`, { out: squeeze, k: 1 });
  const x = n.shape;
  n.record(`${name}.expand`, 'conv', concat(conv2d(x, { out: e1, k: 1 }), conv2d(x, { out: e3, k: 3, pad: 1 })));
}

/** torchvision SqueezeNet 1.1 at 224×224 (ceil-mode max-pools, conv classifier, global pool). */
export function squeezenet11(): ZooModel {
  const n = new Net([3, 224, 224]);
  n.conv('features.0', { out: 64, k: 3, stride: 2 });
  n.pool('features.2', 3, 2, 0, true);
  fire(n, 'features.3', 16, 64, 64);
  fire(n, 'features.4', 16, 64, 64);
  n.pool('features.5', 3, 2, 0, true);
  fire(n, 'features.6', 32, 128, 128);
  fire(n, 'features.7', 32, 128, 128);
  n.pool('features.8', 3, 2, 0, true);
  fire(n, 'features.9', 48, 192, 192);
  fire(n, 'features.10', 48, 192, 192);
  fire(n, 'features.11', 64, 256, 256);
  fire(n, 'features.12', 64, 256, 256);
  n.conv('classifier.1', { out: 1000, k: 1 });
  n.adaptivePool('classifier.3', 1, 1);
  return {
    name: 'squeezenet1.1',
    title: 'SqueezeNet 1.1',
    source:
      'torchvision.models.squeezenet1_1 architecture (Iandola et al., arXiv:1602.07360; v1.1 from the SqueezeNet repository); layer figures computed by scripts/zoo/generate.ts',
    input: n.input,
    published: tvPublished('SqueezeNet1_1_Weights.IMAGENET1K_V1', 1_235_496, 0.349),
    accuracy: tvAccuracy('SqueezeNet1_1_Weights.IMAGENET1K_V1', 58.178),
    layers: n.layers,
  };
}
