/**
 * The uniform grid of the EDeLeaR paper's weight sharing, W' = round(W/Q)·Q, and of its uniform
 * quantization, v' = round(v/δ)·δ (Farooq & Khan 2024, §III.A): values are rounded to multiples
 * of a step, so zero stays exactly zero (pruned weights, ReLU outputs). The paper writes
 * δ = (max − min)/N; on the zero-aligned grid that puts N + 1 multiples of δ in [min, max], one
 * more than ⌈log2 N⌉ bits can index when N is a power of two. Here δ = (max − min)/(N − 1):
 * exactly N levels, round(min/δ) … round(min/δ) + N − 1, each value within δ/2 of its level.
 */

/** N levels spaced `step` apart, the first at first·step. */
export interface UniformGrid {
  readonly levels: number;
  readonly step: number;
  /** round(min/step): the multiple of step that level 0 stands for. */
  readonly first: number;
  /** The value every level decodes to when min = max (step 0). */
  readonly constant: number;
}

/** The N-level grid spanning [min, max] (from the fp32 min and max a header stores). Cost O(1). */
export function uniformGrid(min: number, max: number, levels: number): UniformGrid {
  const step = (max - min) / (levels - 1);
  return { levels, step, first: step > 0 ? Math.round(min / step) : 0, constant: min };
}

/** The level of value v: round(v/step) − first, held to [0, levels − 1]. Cost O(1). */
export function gridLevel(grid: UniformGrid, v: number): number {
  if (grid.step === 0) return 0;
  const q = Math.round(v / grid.step) - grid.first;
  return q < 0 ? 0 : q >= grid.levels ? grid.levels - 1 : q;
}

/** The value level q stands for: (first + q)·step. Cost O(1). */
export function gridValue(grid: UniformGrid, q: number): number {
  return grid.step === 0 ? grid.constant : (grid.first + q) * grid.step;
}
