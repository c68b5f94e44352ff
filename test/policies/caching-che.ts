/** Closed forms the caching tests compare with. */

/** Zipf(α) popularities over ranks 1…n, normalized. */
export function zipfProbabilities(alpha: number, n: number): Float64Array {
  const p = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += p[i] = 1 / Math.pow(i + 1, alpha);
  for (let i = 0; i < n; i++) p[i] /= sum;
  return p;
}

/**
 * Che's approximation of an LRU cache's hit ratio under independent requests (Che, Tung & Wang,
 * "Hierarchical Web caching systems: modeling, design and experimental results", IEEE JSAC 20(7),
 * 2002): the characteristic time T solves Σ_i (1 − e^{−p_i·T}) = C (by bisection here), and the
 * hit ratio is Σ_i p_i (1 − e^{−p_i·T}).
 */
export function cheHitRatio(p: Float64Array, capacity: number): number {
  const occupancy = (t: number) => p.reduce((s, q) => s + 1 - Math.exp(-q * t), 0);
  let lo = 0;
  let hi = 1;
  while (occupancy(hi) < capacity) hi *= 2;
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (occupancy(mid) < capacity) lo = mid;
    else hi = mid;
  }
  const t = (lo + hi) / 2;
  return p.reduce((s, q) => s + q * (1 - Math.exp(-q * t)), 0);
}
