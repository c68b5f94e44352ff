/**
 * The floor share: every tenant that may use a partitioned node keeps at least `floor` of it,
 * so a tenant measured idle (demand 0, hence an allocation that the iteration drives to 0 and
 * the square-root rule leaves at 0) is still served when its requests come, before the next
 * monitoring tick re-measures it. The partitioned scheduler is not work-conserving (a tenant
 * serves its own jobs at its share and no faster, whatever the others leave idle), so without
 * a floor such a tenant's requests would wait, unserved, until that tick.
 *
 * The rule: a present tenant below the floor is raised to it; what that takes comes first from
 * the capacity no one holds (C − Σ s), then from the tenants above their own floor (`floor` for a
 * present tenant, 0 for one that may not use the node), in proportion to what each holds above
 * it — so no one is pushed below its floor, the shares' order above the floor is kept, and Σ s
 * grows only by the capacity no one held (it stays ≤ C). Raising n present tenants needs n·floor ≤ C; the scenario is
 * checked for it when the world is built (src/scenario/build.ts). Shares already at or above
 * the floor are left exactly as they are (the function is then the identity). Updates `shares`
 * in place; cost O(n).
 */
export function applyFloor(shares: Float64Array, present: ArrayLike<number>, floor: number, capacity = 1): Float64Array {
  if (!(floor > 0)) return shares;
  const n = shares.length;
  let needed = 0;
  let above = 0;
  let held = 0;
  let tenants = 0;
  for (let t = 0; t < n; t++) {
    const own = present[t] ? floor : 0;
    tenants += present[t] ? 1 : 0;
    held += shares[t];
    if (shares[t] < own) needed += own - shares[t];
    else above += shares[t] - own;
  }
  if (needed === 0) return shares;
  if (tenants * floor > capacity * (1 + 1e-12)) throw new RangeError(`a floor of ${floor} for ${tenants} tenants exceeds the capacity ${capacity}`);
  const fromOthers = Math.max(0, needed - Math.max(0, capacity - held));
  // What is left above the floors, as a fraction of what was there (above ≥ fromOthers when n·floor ≤ C).
  const keep = above > 0 ? Math.max(0, 1 - fromOthers / above) : 1;
  for (let t = 0; t < n; t++) {
    const own = present[t] ? floor : 0;
    shares[t] = shares[t] < own ? own : own + (shares[t] - own) * keep;
  }
  return shares;
}
