/** ResNet-18 and ResNet-50 exactly as torchvision.models.resnet18 / resnet50 (v1.5: stride on the 3×3). */
import { conv2d, Net, tvAccuracy, tvPublished, type ZooModel } from './layers.ts';

const BN = { bias: false, bn: true } as const;

/** BasicBlock: conv3×3 → conv3×3 (+ 1×1 downsample on the block input when the shape changes). */
function basic(n: Net, name: string, planes: number, stride: number): void {
  const x = n.shape;
  const skip = n.last;
  n.conv(`${name}.conv1`, { out: planes, k: 3, stride, pad: 1, ...BN });
  n.conv(`${name}.conv2`, { out: planes, k: 3, pad: 1, ...BN });
  closeBlock(n, name, x, skip, planes, stride);
}

/**
 * The end of a residual block: the add of the main branch and the skip (with the ReLU after it)
 * is fused into the block's last record — the main branch's last conv when the skip is the
 * identity, the downsample conv (which reads the block input and the main branch) otherwise.
 */
function closeBlock(n: Net, name: string, x: readonly number[], skip: string, out: number, stride: number): void {
  if (stride !== 1 || x[0] !== out) {
    n.record(`${name}.downsample`, 'conv', conv2d(x, { out, k: 1, stride, ...BN }), [skip, n.last]);
  } else {
    n.addSkip(skip);
  }
}

/** Bottleneck: conv1×1 → conv3×3 (stride) → conv1×1 ×4 (+ 1×1 downsample on the block input). */
function bottleneck(n: Net, name: string, planes: number, stride: number): void {
  const x = n.shape;
  const skip = n.last;
  n.conv(`${name}.conv1`, { out: planes, k: 1, ...BN });
  n.conv(`${name}.conv2`, { out: planes, k: 3, stride, pad: 1, ...BN });
  n.conv(`${name}.conv3`, { out: planes * 4, k: 1, ...BN });
  closeBlock(n, name, x, skip, planes * 4, stride);
}

/**
 * A torchvision ResNet: stem, four stages, global pool, fc. Records follow torchvision's module
 * order (a downsample record comes last in its block; its output has the block's output shape).
 */
function resnet(block: typeof basic, depths: readonly number[]): Net {
  const n = new Net([3, 224, 224]);
  n.conv('conv1', { out: 64, k: 7, stride: 2, pad: 3, ...BN });
  n.pool('maxpool', 3, 2, 1);
  depths.forEach((d, s) => {
    for (let i = 0; i < d; i++) block(n, `layer${s + 1}.${i}`, 64 << s, i === 0 && s > 0 ? 2 : 1);
  });
  n.adaptivePool('avgpool', 1, 1);
  n.linear('fc', 1000);
  return n;
}

const SOURCE = 'architecture (He et al., CVPR 2016); layer figures computed by scripts/zoo/generate.ts';

/** torchvision ResNet-18 at 224×224. */
export function resnet18(): ZooModel {
  const n = resnet(basic, [2, 2, 2, 2]);
  return {
    name: 'resnet18',
    title: 'ResNet-18',
    source: `torchvision.models.resnet18 ${SOURCE}`,
    input: n.input,
    published: tvPublished('ResNet18_Weights.IMAGENET1K_V1', 11_689_512, 1.814),
    accuracy: tvAccuracy('ResNet18_Weights.IMAGENET1K_V1', 69.758, {
      weights: 'ResNet18_QuantizedWeights.IMAGENET1K_FBGEMM_V1',
      top1: 69.494,
    }),
    layers: n.layers,
  };
}

/** torchvision ResNet-50 at 224×224. */
export function resnet50(): ZooModel {
  const n = resnet(bottleneck, [3, 4, 6, 3]);
  return {
    name: 'resnet50',
    title: 'ResNet-50',
    source: `torchvision.models.resnet50 ${SOURCE}`,
    input: n.input,
    published: tvPublished('ResNet50_Weights.IMAGENET1K_V1', 25_557_032, 4.089),
    accuracy: tvAccuracy('ResNet50_Weights.IMAGENET1K_V1', 76.13, {
      weights: 'ResNet50_QuantizedWeights.IMAGENET1K_FBGEMM_V1',
      top1: 75.92,
    }),
    layers: n.layers,
  };
}
