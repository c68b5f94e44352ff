import { gridLevel, uniformGrid, type UniformGrid } from './grid.ts';
import { range } from './share.ts';

/** Uniformly quantized values: the per-tensor header (fp32 min, max), the grid it defines, a level per value. */
export interface QuantizedValues {
  readonly min: number;
  readonly max: number;
  readonly grid: UniformGrid;
  readonly codes: Uint32Array;
}

/**
 * Uniform quantization to N levels (Farooq & Khan 2024, §III.A: find min and max, step δ, replace
 * each value by its grid value) on the zero-aligned N-level grid of `grid.ts`: each value becomes
 * the level nearest to it. Cost O(n).
 */
export function quantizeUniform(values: Float32Array, levels: number): QuantizedValues {
  const [min, max] = range(values);
  const grid = uniformGrid(min, max, levels);
  const codes = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = gridLevel(grid, values[i]);
  return { min, max, grid, codes };
}
