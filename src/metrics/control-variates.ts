import { type Estimate, studentTQuantile } from './confidence.ts';

/**
 * The mean of replication values Y_i corrected by controls: quantities C_i measured in the same
 * replications whose expectations μ are known (the mean service time drawn, the arrival rate
 * realized). Method of control variates (Lavenberg & Welch, "A perspective on the use of control
 * variables to increase the efficiency of Monte Carlo simulations", Management Science 27(3),
 * 1981; Law, Simulation Modeling and Analysis, 5th ed., §11.4): regress Y on (C − μ) by least
 * squares over the n replications, Y_i = a + βᵀ(C_i − μ) + e_i; the estimate is the intercept a
 * (the mean of Y at C = μ), its standard error the intercept's from the regression, and its
 * confidence interval uses Student's t with n − q − 1 degrees of freedom (q controls) — exact
 * when (Y, C) are jointly normal, as means over long replications nearly are. With no controls it
 * is the plain t interval of the mean.
 */
export function controlVariateInterval(y: readonly number[], controls: readonly (readonly number[])[], means: readonly number[], level = 0.95): Estimate {
  const n = y.length;
  const q = means.length;
  if (controls.length !== n || controls.some((c) => c.length !== q)) throw new Error(`expected ${n} rows of ${q} controls`);
  if (n < q + 2) throw new Error(`${q} control(s) need at least ${q + 2} replications, got ${n}`);
  const p = q + 1;
  // Normal equations XᵀX b = Xᵀy with X = [1, C − μ].
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  const row = (i: number) => [1, ...controls[i].map((c, j) => c - means[j])];
  for (let i = 0; i < n; i++) {
    const x = row(i);
    for (let a = 0; a < p; a++) {
      xty[a] += x[a] * y[i];
      for (let b = 0; b < p; b++) xtx[a][b] += x[a] * x[b];
    }
  }
  const inv = invert(xtx);
  const beta = inv.map((r) => r.reduce((s, v, b) => s + v * xty[b], 0));
  let rss = 0;
  for (let i = 0; i < n; i++) {
    const x = row(i);
    const e = y[i] - x.reduce((s, v, a) => s + v * beta[a], 0);
    rss += e * e;
  }
  const df = n - p;
  const se = Math.sqrt((rss / df) * inv[0][0]);
  const halfWidth = studentTQuantile(1 - (1 - level) / 2, df) * se;
  const mean = beta[0];
  return { mean, halfWidth, low: mean - halfWidth, high: mean + halfWidth, n };
}

/** Inverse of a small symmetric positive-definite matrix (Gauss–Jordan with partial pivoting). */
function invert(m: readonly (readonly number[])[]): number[][] {
  const p = m.length;
  const a = m.map((r, i) => [...r, ...Array.from({ length: p }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < p; c++) {
    let best = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(a[r][c]) > Math.abs(a[best][c])) best = r;
    if (a[best][c] === 0) throw new Error('the controls are collinear (or constant): no regression on them');
    [a[c], a[best]] = [a[best], a[c]];
    const pivot = a[c][c];
    for (let k = 0; k < 2 * p; k++) a[c][k] /= pivot;
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = a[r][c];
      for (let k = 0; k < 2 * p; k++) a[r][k] -= f * a[c][k];
    }
  }
  return a.map((r) => r.slice(p));
}
