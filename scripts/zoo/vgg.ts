/** VGG-16 (configuration "D", no batch-norm) exactly as torchvision.models.vgg16. */
import { Net, tvAccuracy, tvPublished, type ZooModel } from './layers.ts';

/** torchvision cfg "D": output channels of each 3×3 conv, "M" = 2×2 max-pool. */
const CFG_D: readonly (number | 'M')[] = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'];

/** torchvision VGG-16 at 224×224: 13 convs, 5 max-pools, AdaptiveAvgPool 7×7, 3 linears. */
export function vgg16(): ZooModel {
  const n = new Net([3, 224, 224]);
  CFG_D.forEach((v, i) => {
    // torchvision's nn.Sequential index: each conv is followed by a ReLU, each pool stands alone.
    const idx = CFG_D.slice(0, i).reduce<number>((a, u) => a + (u === 'M' ? 1 : 2), 0);
    if (v === 'M') n.pool(`features.${idx}`, 2, 2);
    else n.conv(`features.${idx}`, { out: v, k: 3, pad: 1 });
  });
  n.adaptivePool('avgpool', 7, 7);
  n.linear('classifier.0', 4096);
  n.linear('classifier.3', 4096);
  n.linear('classifier.6', 1000);
  return {
    name: 'vgg16',
    title: 'VGG-16',
    source:
      'torchvision.models.vgg16 architecture (Simonyan & Zisserman, ICLR 2015, configuration D without batch-norm); layer figures computed by scripts/zoo/generate.ts',
    input: n.input,
    published: tvPublished('VGG16_Weights.IMAGENET1K_V1', 138_357_544, 15.47),
    accuracy: tvAccuracy('VGG16_Weights.IMAGENET1K_V1', 71.592),
    layers: n.layers,
  };
}
