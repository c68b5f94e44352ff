import type { Layer } from '../../world/model.ts';

/**
 * Structured (channel) pruning of a zoo model's layers: a fraction c of every layer's output
 * channels is removed, as a width multiplier α = 1 − c does (Howard et al., "MobileNets", 2017,
 * §3.3: cost and parameters fall "quadratically by roughly α²"). Rule, per layer record:
 *
 * - a layer between two pruned layers loses input and output channels: params and FLOPs × (1 − c)²
 *   (squeeze-excitation blocks too, their squeeze width shrinking with the block's);
 * - the first layer with parameters reads the unpruned input image, the last one writes the
 *   unpruned classes, and a depthwise convolution has one filter per channel: params and FLOPs
 *   × (1 − c);
 * - output activations of every layer before the last layer with parameters × (1 − c) (pooling
 *   layers included: they carry the channels through, FLOPs × (1 − c) as well).
 *
 * Biases and batch-norm parameters, folded into the records, shrink with the channel count only
 * (× (1 − c)) but are scaled like the weights here, the records not separating them: the rule
 * slightly overstates the saving of layers with few inputs per filter. Counts are rounded to
 * integers. Cost O(layers).
 */
export function pruneChannels(layers: readonly Layer[], fraction: number): Layer[] {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`channel fraction must be in [0, 1), got ${fraction}`);
  const keep = 1 - fraction;
  let first = -1;
  let last = -1;
  layers.forEach((l, i) => {
    if (l.params > 0) {
      if (first < 0) first = i;
      last = i;
    }
  });
  return layers.map((l, i) => {
    const outputScale = i < last ? keep : 1;
    let scale: number;
    if (l.params === 0) scale = outputScale;
    else if (first === last) scale = 1;
    else if (i === first || i === last || l.type === 'dwconv') scale = keep;
    else scale = keep * keep;
    return {
      name: l.name,
      type: l.type,
      params: Math.round(l.params * scale),
      flops: Math.round(l.flops * scale),
      outputBytes: Math.round(l.outputBytes * outputScale),
    };
  });
}
