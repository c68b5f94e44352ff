/**
 * Unstructured magnitude pruning (Han, Pool, Tran & Dally, "Learning both Weights and
 * Connections for Efficient Neural Networks", NeurIPS 2015): the round(s·n) weights of smallest
 * magnitude are set to zero — ties at the threshold broken towards the lowest index, so the
 * result is deterministic — the rest kept unchanged. The mask says which positions are kept:
 * exactly n − round(s·n) of them, whatever their values, so a kept weight that is already 0 (more
 * exact zeros than round(s·n) in the tensor) is still kept, and a sparse format stores it
 * (`encode.ts`): its stored count is the mask's, the `nonzeros` of `model-size.ts`.
 */

/**
 * The pruning mask: 1 where a weight is kept, 0 where magnitude pruning to `sparsity` zeroes it;
 * exactly n − round(sparsity·n) ones. Cost O(n log n) (a sorted copy of the magnitudes).
 */
export function magnitudeMask(weights: Float32Array, sparsity: number): Uint8Array {
  if (!(sparsity >= 0 && sparsity < 1)) throw new RangeError(`sparsity must be in [0, 1), got ${sparsity}`);
  const n = weights.length;
  const drop = Math.round(sparsity * n);
  const keep = new Uint8Array(n).fill(1);
  if (drop === 0) return keep;
  const magnitudes = Float32Array.from(weights, Math.abs).sort();
  const threshold = magnitudes[drop - 1];
  let tiesToDrop = drop;
  for (let i = 0; i < n; i++) if (Math.abs(weights[i]) < threshold) tiesToDrop--;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(weights[i]);
    if (a < threshold || (a === threshold && tiesToDrop-- > 0)) keep[i] = 0;
  }
  return keep;
}

/**
 * The weights with those {@link magnitudeMask} drops set to zero. Pass `out = weights` to prune
 * in place. Cost O(n log n).
 */
export function pruneByMagnitude(weights: Float32Array, sparsity: number, out: Float32Array = new Float32Array(weights.length)): Float32Array {
  if (!(sparsity >= 0 && sparsity < 1)) throw new RangeError(`sparsity must be in [0, 1), got ${sparsity}`);
  if (out.length !== weights.length) throw new RangeError(`output holds ${out.length} values, weights ${weights.length}`);
  const keep = magnitudeMask(weights, sparsity);
  if (out !== weights) out.set(weights);
  for (let i = 0; i < keep.length; i++) if (keep[i] === 0) out[i] = 0;
  return out;
}
