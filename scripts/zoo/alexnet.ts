/** AlexNet exactly as torchvision.models.alexnet (the "one weird trick" single-tower variant). */
import { Net, tvAccuracy, tvPublished, type ZooModel } from './layers.ts';

/** torchvision AlexNet at 224×224: 5 convs, 3 max-pools, AdaptiveAvgPool 6×6, 3 linears. */
export function alexnet(): ZooModel {
  const n = new Net([3, 224, 224]);
  n.conv('features.0', { out: 64, k: 11, stride: 4, pad: 2 });
  n.pool('features.2', 3, 2);
  n.conv('features.3', { out: 192, k: 5, pad: 2 });
  n.pool('features.5', 3, 2);
  n.conv('features.6', { out: 384, k: 3, pad: 1 });
  n.conv('features.8', { out: 256, k: 3, pad: 1 });
  n.conv('features.10', { out: 256, k: 3, pad: 1 });
  n.pool('features.12', 3, 2);
  n.adaptivePool('avgpool', 6, 6);
  n.linear('classifier.1', 4096);
  n.linear('classifier.4', 4096);
  n.linear('classifier.6', 1000);
  return {
    name: 'alexnet',
    title: 'AlexNet',
    source:
      'torchvision.models.alexnet architecture (Krizhevsky, "One weird trick for parallelizing convolutional neural networks", 2014); layer figures computed by scripts/zoo/generate.ts',
    input: n.input,
    published: tvPublished('AlexNet_Weights.IMAGENET1K_V1', 61_100_840, 0.714),
    accuracy: tvAccuracy('AlexNet_Weights.IMAGENET1K_V1', 56.522),
    layers: n.layers,
  };
}
