import { describe, expect, it } from 'vitest';
import { confidenceInterval } from '../../src/metrics/confidence.ts';
import { controlVariateInterval } from '../../src/metrics/control-variates.ts';

describe('controlVariateInterval', () => {
  it('is the least-squares intercept at the known control mean, with its t interval (hand-computed)', () => {
    // Y = [1, 2, 3, 5] on C = [0, 1, 2, 3], known E[C] = 1. By hand: C̄ = 1.5, Ȳ = 2.75,
    // slope 6.5 / 5 = 1.3, intercept at C = 1: 2.75 − 1.3 · 0.5 = 2.1; residuals 0.2, −0.1,
    // −0.4, 0.3 → s² = 0.30 / 2; se² = s² (1/4 + 0.5² / 5) = 0.045; t(0.975, 2) = 4.302653.
    const e = controlVariateInterval([1, 2, 3, 5], [[0], [1], [2], [3]], [1]);
    expect(e.mean).toBeCloseTo(2.1, 12);
    expect(e.halfWidth).toBeCloseTo(4.302653 * Math.sqrt(0.045), 5);
    expect(e.n).toBe(4);
  });

  it('with no controls is the plain t interval of the mean', () => {
    const y = [9.1, 10.4, 9.8, 10.9, 10.2];
    const plain = confidenceInterval(y);
    const cv = controlVariateInterval(y, y.map(() => []), []);
    expect(cv.mean).toBeCloseTo(plain.mean, 12);
    expect(cv.halfWidth).toBeCloseTo(plain.halfWidth, 12);
  });

  it('removes the variance a control explains: Y = 5 + 2 (C − 1) + small noise', () => {
    const c = [0.7, 1.4, 0.9, 1.2, 0.6, 1.5, 1.1, 0.8];
    const noise = [0.01, -0.02, 0.015, -0.005, 0.0, 0.02, -0.01, 0.005];
    const y = c.map((x, i) => 5 + 2 * (x - 1) + noise[i]);
    const cv = controlVariateInterval(y, c.map((x) => [x]), [1]);
    const plain = confidenceInterval(y);
    expect(Math.abs(cv.mean - 5)).toBeLessThan(0.02);
    expect(cv.halfWidth).toBeLessThan(plain.halfWidth / 20);
  });

  it('refuses collinear controls and too few replications', () => {
    expect(() => controlVariateInterval([1, 2, 3, 4], [[1, 2], [2, 4], [3, 6], [4, 8]], [0, 0])).toThrow(/collinear/);
    expect(() => controlVariateInterval([1, 2, 3], [[1, 2], [2, 1], [3, 3]], [0, 0])).toThrow(/at least 4 replications/);
  });
});
