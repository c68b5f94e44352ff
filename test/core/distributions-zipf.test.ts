import { describe, expect, it } from 'vitest';
import { aliasTable, zipf } from '../../src/core/distributions.ts';
import { RandomStreams } from '../../src/core/random.ts';

/** Zipf(α, n)'s probabilities, 1/(i+1)^α / H(n, α). */
function zipfPmf(alpha: number, n: number): Float64Array {
  const p = Float64Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, alpha));
  const h = p.reduce((a, b) => a + b, 0);
  return p.map((x) => x / h);
}

/** The law an alias table draws: column j (probability 1/n) keeps j with its fraction, else gives its alias. */
function lawOf(table: Float64Array): Float64Array {
  const n = table.length;
  const law = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const alias = Math.floor(table[j]);
    const keep = table[j] - alias;
    law[j] += keep / n;
    law[alias] += (1 - keep) / n;
  }
  return law;
}

/** The upper-q quantile of χ² with k degrees of freedom by Wilson & Hilferty (1931), z its standard normal quantile. */
function chiSquareQuantile(k: number, z: number): number {
  const v = 2 / (9 * k);
  return k * (1 - v + z * Math.sqrt(v)) ** 3;
}

describe('Zipf by the alias method', () => {
  it('the table draws exactly the Zipf law (to rounding), for a small, a skewed and the bench catalog', () => {
    for (const [alpha, n] of [
      [1, 2],
      [1.2, 100],
      [0.8, 10_000],
    ]) {
      const pmf = zipfPmf(alpha, n);
      const law = lawOf(aliasTable(pmf.map((x) => x * n)));
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(law[i] - pmf[i]));
      expect(worst).toBeLessThan(1e-12);
    }
  });

  it('draws by hand: Zipf(1, 2) is (2/3, 1/3); column 1 keeps 1 below 2/3, else gives 0; column 0 is whole', () => {
    // scaled: (4/3, 2/3): 1 is small, topped up from 0, which is left at exactly 1.
    const z = zipf(1, 2);
    const draw = (u: number) => z.sample(() => u);
    expect(draw(0)).toBe(0);
    expect(draw(0.49)).toBe(0); // x = 0.98: column 0
    expect(draw(0.5)).toBe(1); // x = 1, fraction 0 < 2/3
    expect(draw(0.83)).toBe(1); // fraction 0.66 < 2/3
    expect(draw(0.84)).toBe(0); // fraction 0.68 ≥ 2/3: the alias
    expect(draw(1 - 2 ** -53)).toBe(0); // x rounds to 2: the last column, its alias
    expect(z.mean).toBeCloseTo(1 / 3, 15);
  });

  it('ranks drawn pass a χ² goodness-of-fit test against the pmf (α = 0.8, n = 100, 400,000 draws)', () => {
    const n = 100;
    const draws = 400_000;
    const z = zipf(0.8, n);
    const rng = new RandomStreams(7).stream('inputs');
    const counts = new Float64Array(n);
    for (let i = 0; i < draws; i++) counts[z.sample(rng)]++;
    const pmf = zipfPmf(0.8, n);
    let chi2 = 0;
    for (let i = 0; i < n; i++) chi2 += (counts[i] - draws * pmf[i]) ** 2 / (draws * pmf[i]);
    // Every expected count is ≥ 400,000 × p(99) ≈ 1,200 (≫ 5). The upper 10^-4 quantile of χ²(99):
    // a correct sampler fails once in 10,000 seeds; one that is off by 1 % in a column of mass 0.1
    // adds about 40 to the statistic.
    // (Wilson–Hilferty checked against a tabled value: χ²(100)'s upper 10^-3 quantile is 149.449, NIST/SEMATECH e-Handbook 1.3.6.7.4.)
    expect(Math.abs(chiSquareQuantile(100, 3.0902) - 149.449)).toBeLessThan(0.1);
    const limit = chiSquareQuantile(n - 1, 3.719); // ≈ 160.2
    expect(chi2).toBeLessThan(limit);
  });

  it('the mean is Σ i·p(i)', () => {
    const pmf = zipfPmf(0.8, 1000);
    let mean = 0;
    for (let i = 0; i < pmf.length; i++) mean += i * pmf[i];
    expect(zipf(0.8, 1000).mean).toBeCloseTo(mean, 9);
  });

  it('a catalog outside 1 … 2^24 is refused', () => {
    expect(() => zipf(0.8, 0)).toThrow(RangeError);
    expect(() => zipf(0.8, 2 ** 24 + 1)).toThrow(RangeError);
  });
});
