import type { Layer } from '../../world/model.ts';

/** A layer's weights seen as a matrix for sparse indexing: rows × cols positions ([out, in]), the last row possibly partial. */
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

/**
 * The weight matrix alone of a linear layer record, [outputs, fan-in] (PyTorch's and ONNX's
 * Linear weight [out, in], the tensor `tensor/encode.ts` encodes), without the biases the record
 * folds in as {@link weightMatrix}'s extra row(s): rows = outputs = outputBytes / 4 (one fp32 output
 * per unit), cols = {@link weightMatrix}'s fan-in. The zoo MLP's fc1 (100,480 parameters) is
 * 128 × 784, its fc2 (1,290) is 10 × 128. Cost O(1).
 */
export function linearWeightMatrix(layer: Layer): WeightMatrix {
  if (layer.type !== 'linear') throw new Error(`layer ${layer.name} is ${layer.type}, not linear: its outputs are not its rows`);
  const rows = layer.outputBytes / 4;
  const { cols } = weightMatrix(layer);
  if (!(Number.isInteger(rows) && rows >= 1 && rows * cols <= layer.params)) {
    throw new Error(`layer ${layer.name}: ${rows} outputs × ${cols} inputs do not fit its ${layer.params} parameters`);
  }
  return { rows, cols };
}
