/**
 * Kleinrock's square-root capacity assignment: what the allocations leave of a capacity C
 * (S = C − Σ X) goes to the tenants in proportion to the square root of their allocation,
 * s_i = X_i + S·√X_i / Σ_j √X_j. With each tenant an M/M/1 queue served at its share, and X
 * its demand, this minimizes the mean response time over all requests, ∝ Σ_i X_i / (s_i − X_i),
 * subject to Σ s = C (the minimum does not depend on the tenants' work per request). Tenants
 * allocated nothing get nothing; when no tenant is allocated anything the shares are the
 * allocations (S stays unassigned). Writes the shares to `out`; cost O(n). Source: L. Kleinrock,
 * Communication Nets (1964), ch. 5; Queueing Systems vol. 2 (1976), §5.7.
 */
export function squareRootAssignment(x: ArrayLike<number>, capacity: number, out: Float64Array = new Float64Array(x.length)): Float64Array {
  let used = 0;
  let roots = 0;
  for (let i = 0; i < x.length; i++) {
    used += x[i];
    roots += Math.sqrt(x[i]);
  }
  const surplus = Math.max(0, capacity - used);
  for (let i = 0; i < x.length; i++) out[i] = roots > 0 ? x[i] + (surplus * Math.sqrt(x[i])) / roots : x[i];
  return out;
}
