/**
 * One-dimensional k-means (Lloyd's algorithm) as Deep Compression shares weights (Han, Mao &
 * Dally, ICLR 2016, §3.1–3.2: centroids initialized linearly between the minimum and maximum,
 * which they found best for accuracy). The values are sorted once with prefix sums, so each
 * iteration finds every cluster's mean by binary searches between centroid midpoints: O(k log n)
 * per iteration after an O(n log n) sort. Iterates until no centroid moves, at most
 * `maxIterations` times; an empty cluster keeps its centroid. Returns the centroids in
 * ascending order.
 */
export function kmeans1d(values: Float32Array, clusters: number, maxIterations = 100): Float64Array {
  if (!(Number.isInteger(clusters) && clusters >= 1)) throw new RangeError(`clusters must be a positive integer, got ${clusters}`);
  const n = values.length;
  const centroids = new Float64Array(clusters);
  if (n === 0) return centroids;
  const sorted = Float64Array.from(values).sort();
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + sorted[i];
  const min = sorted[0];
  const max = sorted[n - 1];
  for (let j = 0; j < clusters; j++) centroids[j] = clusters === 1 ? (min + max) / 2 : min + ((max - min) * j) / (clusters - 1);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let moved = false;
    let lo = 0;
    for (let j = 0; j < clusters; j++) {
      const hi = j === clusters - 1 ? n : firstAbove(sorted, (centroids[j] + centroids[j + 1]) / 2);
      if (hi > lo) {
        const mean = (prefix[hi] - prefix[lo]) / (hi - lo);
        if (mean !== centroids[j]) moved = true;
        centroids[j] = mean;
      }
      lo = Math.max(lo, hi);
    }
    centroids.sort();
    if (!moved) break;
  }
  return centroids;
}

/** Index of the first element of ascending `a` greater than x (a.length if none). */
export function firstAbove(a: Float64Array | Float32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
