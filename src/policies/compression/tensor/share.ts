import type { SharingMethod } from '../variant.ts';
import { gridLevel, gridValue, uniformGrid } from './grid.ts';
import { firstAbove, kmeans1d } from './kmeans.ts';

/** Shared weights: a codebook of fp32 values and, per weight, the index of its entry. */
export interface SharedWeights {
  readonly codebook: Float32Array;
  readonly codes: Uint32Array;
}

/**
 * Weight sharing with k clusters. 'kmeans': Deep Compression's codebook (Han, Mao & Dally, ICLR
 * 2016), Lloyd's k-means from a linear initialization (`kmeans.ts`), each weight mapped to its
 * nearest centroid — O(n log n + iterations · k log n). 'grid': the EDeLeaR paper's
 * W' = round(W/Q)·Q (Farooq & Khan 2024, eq. 2) on the k-level grid over [min, max]
 * (`grid.ts`) — O(n). Codebook entries are fp32, as stored.
 */
export function shareWeights(values: Float32Array, clusters: number, method: SharingMethod = 'kmeans'): SharedWeights {
  const codes = new Uint32Array(values.length);
  if (method === 'grid') {
    const [min, max] = range(values);
    const grid = uniformGrid(min, max, clusters);
    const codebook = new Float32Array(clusters);
    for (let q = 0; q < clusters; q++) codebook[q] = gridValue(grid, q);
    for (let i = 0; i < values.length; i++) codes[i] = gridLevel(grid, values[i]);
    return { codebook, codes };
  }
  const codebook = Float32Array.from(kmeans1d(values, clusters));
  const midpoints = new Float64Array(Math.max(0, clusters - 1));
  for (let j = 0; j < midpoints.length; j++) midpoints[j] = (codebook[j] + codebook[j + 1]) / 2;
  for (let i = 0; i < values.length; i++) codes[i] = firstAbove(midpoints, values[i]);
  return { codebook, codes };
}

/** [min, max] of the values ([0, 0] when there are none). */
export function range(values: Float32Array): [number, number] {
  if (values.length === 0) return [0, 0];
  let min = values[0];
  let max = values[0];
  for (let i = 1; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  return [min, max];
}
