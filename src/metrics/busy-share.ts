/**
 * A share of time spent busy: `busy` seconds (slot-seconds) over `capacity`. Busy time is a
 * difference of running sums of floating-point areas, so a node busy the whole interval can read
 * 1 + a few ulps (1.0000000000000009) and an idle one −0; shares within 10^-9 of [0, 1] are
 * held to it. One further beyond is left as it is: that would be a defect to see, not rounding.
 */
export function busyShare(busy: number, capacity: number): number {
  const r = busy / capacity;
  if (r > 1 && r <= 1 + 1e-9) return 1;
  if (r < 0 && r >= -1e-9) return 0;
  return r === 0 ? 0 : r;
}
