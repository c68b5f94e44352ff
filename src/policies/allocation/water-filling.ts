/**
 * Max-min fair division of a capacity among claims (water-filling): each claimant gets
 * min(claim, λ), the water level λ set so the shares use the whole capacity; when the claims
 * fit (Σ claims ≤ capacity) each gets its claim. No claimant can get more without taking from
 * one that has no more than it — the rule EDeLeaR's allocation applies where demand exceeds
 * capacity. Cost O(n log n), a sort of the claims. Source: Bertsekas & Gallager, Data Networks,
 * 2nd ed. (1992), §6.5.2 (max-min fairness, progressive filling); in the claims-problem
 * literature the constrained-equal-awards rule (Aumann & Maschler, J. Econ. Theory 36, 1985).
 */
export function maxMinFair(claims: ArrayLike<number>, capacity: number, out: Float64Array = new Float64Array(claims.length)): Float64Array {
  const n = claims.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (!(claims[i] >= 0)) throw new RangeError(`claim ${i} must be ≥ 0, got ${claims[i]}`);
    total += claims[i];
  }
  if (total <= capacity) {
    for (let i = 0; i < n; i++) out[i] = claims[i];
    return out;
  }
  // Fill from the smallest claim up: a claim below the level left per claimant is met in full.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => claims[a] - claims[b]);
  let left = Math.max(0, capacity);
  let j = 0;
  for (; j < n && claims[order[j]] * (n - j) <= left; j++) {
    out[order[j]] = claims[order[j]];
    left -= claims[order[j]];
  }
  const level = j < n ? left / (n - j) : 0;
  for (; j < n; j++) out[order[j]] = level;
  return out;
}
