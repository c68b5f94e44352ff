import { describe, expect, it } from 'vitest';
import { busyShare } from '../../src/metrics/busy-share.ts';

describe('busyShare', () => {
  it('holds rounding just past 1 or 0 to it: a node busy a whole interval read 1.0000000000000009 in utilization.csv', () => {
    // Running sums of areas: ((a + d) − a) / d is not exactly 1; a = 123.456, d = 10.1 gives the figure seen.
    const before = 123.456;
    const after = before + 10.1;
    expect((after - before) / 10.1).toBe(1.0000000000000009);
    expect(busyShare(after - before, 10.1)).toBe(1);
    expect(busyShare(1 + 1e-12, 1)).toBe(1);
    expect(busyShare(-1e-13, 1)).toBe(0);
    expect(Object.is(busyShare(-0, 1), 0)).toBe(true);
  });

  it('leaves a share within [0, 1] as it is, and one far beyond it visible (a defect, not rounding)', () => {
    expect(busyShare(3, 4)).toBe(0.75);
    expect(busyShare(1.01, 1)).toBe(1.01);
    expect(busyShare(-0.5, 1)).toBe(-0.5);
  });
});
