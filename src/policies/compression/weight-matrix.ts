import type { Layer } from '../../world/model.ts';

/** A layer's weights seen as a matrix for sparse indexing: rows × cols positions, the last row possibly partial. */
export interface WeightMatrix {
  readonly rows: number;
  readonly cols: number;
}

/**
 * The matrix a zoo layer record's parameters form: one row per output channel, one column per
 * input of the channel's filter (its fan-in). The zoo records FLOPs = 2 × output elements ×
 * fan-in for convolutions (grouped and depthwise included) and linear layers (see
 * scripts/zoo/layers.ts), so cols = FLOPs / (2 · outputBytes/4) exactly — the mean fan-in for a
 * record of parallel branches (SqueezeNet's expand); rows = ⌈params / cols⌉, so the biases and
 * batch-norm parameters the zoo folds into a record fill a few extra rows. A squeeze-excitation
 * record (two 1×1 convolutions with biases, C → s → C) has MACs = 2Cs and params = 2Cs + C + s,
 * so C and s are the roots of x² − (C + s)x + Cs: its two matrices give s + C rows of at most
 * C columns. Cost O(1).
 */
export function weightMatrix(layer: Layer): WeightMatrix {
  if (layer.params === 0) return { rows: 0, cols: 0 };
  if (layer.type === 'se') {
    const product = layer.flops / 4;
    const sum = layer.params - layer.flops / 2;
    const root = Math.sqrt(Math.max(0, sum * sum - 4 * product));
    const channels = Math.round((sum + root) / 2);
    const squeeze = Math.round((sum - root) / 2);
    return { rows: channels + squeeze, cols: Math.max(1, channels) };
  }
  const outputs = layer.outputBytes / 4;
  const cols = layer.flops > 0 ? Math.max(1, Math.round(layer.flops / (2 * outputs))) : layer.params;
  return { rows: Math.ceil(layer.params / cols), cols };
}
