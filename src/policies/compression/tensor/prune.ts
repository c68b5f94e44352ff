/**
 * Unstructured magnitude pruning (Han, Pool, Tran & Dally, "Learning both Weights and
 * Connections for Efficient Neural Networks", NeurIPS 2015): the round(s·n) weights of smallest
 * magnitude are set to zero — ties at the threshold broken towards the lowest index, so the
 * result is deterministic — the rest kept unchanged. Pass `out = weights` to prune in place.
 * Cost O(n log n) (a sorted copy of the magnitudes).
 */
export function pruneByMagnitude(weights: Float32Array, sparsity: number, out: Float32Array = new Float32Array(weights.length)): Float32Array {
  if (!(sparsity >= 0 && sparsity < 1)) throw new RangeError(`sparsity must be in [0, 1), got ${sparsity}`);
  if (out.length !== weights.length) throw new RangeError(`output holds ${out.length} values, weights ${weights.length}`);
  const n = weights.length;
  const drop = Math.round(sparsity * n);
  if (out !== weights) out.set(weights);
  if (drop === 0) return out;
  const magnitudes = Float32Array.from(weights, Math.abs).sort();
  const threshold = magnitudes[drop - 1];
  let tiesToDrop = drop;
  for (let i = 0; i < n; i++) if (Math.abs(weights[i]) < threshold) tiesToDrop--;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(out[i]);
    if (a < threshold || (a === threshold && tiesToDrop-- > 0)) out[i] = 0;
  }
  return out;
}
