import { describe, expect, it } from 'vitest';
import { baselineRows, claimRows, type FederatedOutcome } from '../../src/cli/federated.ts';
import {
  bothVerdict,
  CLAIM_COLUMNS,
  EDELEAR_PAPER,
  everyVerdict,
  exact,
  LATENCY_CLAIM,
  latencyClaimRows,
  latencyReduction,
  latencyRowKind,
  meanLatencyReduction,
  SIZE_CLAIM,
  type SizeEvidence,
  sizeClaimRows,
  sizeVerdicts,
  sizeWitness,
  someVerdict,
} from '../../src/metrics/claims.ts';
import { estimate, verdict, withinUnit } from '../../src/metrics/confidence.ts';

const ctx = { scenario: 's', seeds: '1..3' };

/** A claim-1 variant from plain figures: reduction and change as given estimates. */
function variant(name: string, reduction: ReturnType<typeof estimate>, change: ReturnType<typeof estimate>): SizeEvidence {
  return { variant: name, bytes: 1 - reduction.mean, referenceBytes: 1, reduction, top1: 0.7 + change.mean, referenceTop1: 0.7, change, basis: 'constructed' };
}

describe('claim verdicts on constructed intervals', () => {
  it('holds when the whole interval clears the threshold, does not hold when it lies below, inconclusive when it straddles or is missing', () => {
    // t(0.975, 2) = 4.303: [0.5, 0.5, 0.5] has no spread; [0.3, 0.5, 0.4] is 0.4 ± 0.248.
    expect(verdict(estimate([0.5, 0.5, 0.5]), 0.4)).toBe('holds');
    expect(verdict(estimate([0.3, 0.5, 0.4]), 0.4)).toBe('inconclusive');
    expect(verdict(estimate([0.1, 0.2, 0.15]), 0.4)).toBe('does not hold');
    expect(verdict(estimate([0.9]), 0.4)).toBe('inconclusive'); // one seed: no interval
    expect(verdict(exact(0.75), 0.7)).toBe('holds'); // an exact figure is its own interval
    expect(verdict(exact(0.7), 0.7)).toBe('holds'); // at the threshold counts
  });

  it('combines parts: both, some, every', () => {
    expect(bothVerdict('holds', 'holds')).toBe('holds');
    expect(bothVerdict('holds', 'inconclusive')).toBe('inconclusive');
    expect(bothVerdict('inconclusive', 'does not hold')).toBe('does not hold');
    expect(someVerdict(['does not hold', 'holds'])).toBe('holds');
    expect(someVerdict(['does not hold', 'inconclusive'])).toBe('inconclusive');
    expect(someVerdict(['does not hold'])).toBe('does not hold');
    expect(everyVerdict(['holds', 'holds'])).toBe('holds');
    expect(everyVerdict(['holds', 'inconclusive'])).toBe('inconclusive');
    expect(everyVerdict(['holds', 'does not hold', 'inconclusive'])).toBe('does not hold');
    expect(everyVerdict([])).toBe('inconclusive');
  });
});

describe('claim 2: the paired relative latency reduction against each baseline', () => {
  const baseline = [1, 2, 4];
  it('is 1 − EDeLeaR / baseline per seed, its mean and Student-t interval', () => {
    const e = latencyReduction({ arm: 'b', description: 'd', baseline, edelear: [0.7, 1, 2.4] }); // 0.3, 0.5, 0.4
    expect(e.n).toBe(3);
    expect(e.mean).toBeCloseTo(0.4, 12);
    // sd 0.1, t(0.975, 2) = 4.302653: half-width 0.1 × 4.302653 / √3 = 0.248414.
    expect(e.high - e.mean).toBeCloseTo(0.248414, 5);
    // Seeds where either is missing or the baseline is 0 are left out.
    expect(latencyReduction({ arm: 'b', description: 'd', baseline: [1, NaN, 0], edelear: [0.5, 1, 1] }).n).toBe(1);
  });

  it('judges each baseline against 40 % and all of them together, the strongest baseline giving the margin', () => {
    const rows = latencyClaimRows(ctx, [
      { arm: 'far', description: 'slow', baseline, edelear: baseline.map((b) => b / 2) }, // 50 % every seed: holds
      { arm: 'near', description: 'close', baseline, edelear: [0.7, 1, 2.4] }, // 0.4 ± 0.25: inconclusive
      { arm: 'best', description: 'fast', baseline, edelear: [0.9, 1.6, 3.4] }, // 0.1, 0.2, 0.15: does not hold
    ]);
    expect(rows.map((r) => r.verdict)).toEqual(['holds', 'inconclusive', 'does not hold', 'does not hold']);
    for (const r of rows) {
      expect(Object.keys(r)).toEqual([...CLAIM_COLUMNS]);
      expect([r.claim, r.threshold_fraction, r.source]).toEqual([LATENCY_CLAIM.claim, 0.4, EDELEAR_PAPER]);
    }
    expect(rows[0].baseline).toBe('far: slow');
    expect(rows[0].margin_fraction_mean).toBeCloseTo(0.5, 12);
    expect(rows[3].margin_fraction_mean).toBeCloseTo(0.15, 12); // the strongest baseline's
    expect(rows[3].measured).toContain('best');
    const twoHold = latencyClaimRows(ctx, [{ arm: 'a', description: 'd', baseline, edelear: baseline.map((b) => b / 2) }, { arm: 'b', description: 'd', baseline, edelear: baseline.map((b) => b / 4) }]);
    expect(twoHold[2].verdict).toBe('holds');
    // Component baselines (the default kind): no mean row, and the rows say they are not whole systems.
    expect(twoHold).toHaveLength(3);
    expect(twoHold[0].measured).toContain('against a component baseline');
    expect(twoHold.map((r) => latencyRowKind(r))).toEqual([
      { kind: 'component', row: 'each' },
      { kind: 'component', row: 'each' },
      { kind: 'component', row: 'every' },
    ]);
  });
});

describe('claim 2 against whole baseline systems, and the mean over them', () => {
  // EDeLeaR's latency is the same on every seed of every pair (one EDeLeaR arm); three baselines.
  const edelear = [1, 1, 1];
  const far = { arm: 'baseline:far', description: 'slow', baseline: [2, 2, 2], edelear }; // 0.5 every seed
  const near = { arm: 'baseline:near', description: 'close', baseline: [1 / 0.7, 2, 1 / 0.6], edelear }; // 0.3, 0.5, 0.4
  const best = { arm: 'baseline:best', description: 'fast', baseline: [1 / 0.9, 1 / 0.8, 1 / 0.85], edelear }; // 0.1, 0.2, 0.15

  it('the mean reduction is averaged over the baselines within each seed, then over the seeds with a Student-t interval', () => {
    // Per seed: (0.5 + 0.3 + 0.1)/3 = 0.3, (0.5 + 0.5 + 0.2)/3 = 0.4, (0.5 + 0.4 + 0.15)/3 = 0.35: mean 0.35, sd 0.05,
    // half-width t(0.975, 2) × 0.05 / √3 = 4.302653 × 0.028868 = 0.124207.
    const e = meanLatencyReduction([far, near, best]);
    expect(e.n).toBe(3);
    expect(e.mean).toBeCloseTo(0.35, 12);
    expect(e.high - e.mean).toBeCloseTo(0.124207, 5);
    // A seed where one baseline has no latency is left out for all of them (the mean needs every baseline).
    const gap = meanLatencyReduction([far, { ...near, baseline: [NaN, 2, 1 / 0.6] }]);
    expect(gap.n).toBe(2);
    expect(gap.mean).toBeCloseTo(((0.5 + 0.5) / 2 + (0.5 + 0.4) / 2) / 2, 12);
    expect(meanLatencyReduction([]).n).toBe(0);
  });

  it('cuts a reduction interval at 1 above: the reduction of a positive latency cannot exceed it (helper-88: +106.6 %)', () => {
    // Reductions 0.95, 0.5, 0.05: mean 0.5, half-width t(0.975, 2) × 0.45 / √3 = 1.118; [−0.618, 1] instead of [−0.618, 1.618].
    const e = latencyReduction({ arm: 'b', description: 'd', baseline: [2, 2, 2], edelear: [0.1, 1, 1.9] });
    expect(e.mean).toBeCloseTo(0.5, 12);
    expect(e.high).toBe(1);
    expect(e.low).toBeCloseTo(0.5 - (4.3027 * 0.45) / Math.sqrt(3), 3); // t(0.975, 2) = 4.3027
  });

  it('writes each whole baseline, every one (the strongest margin) and the mean, each with its verdict by the one rule', () => {
    const rows = latencyClaimRows(ctx, [far, near, best], 'whole');
    expect(rows.map((r) => latencyRowKind(r))).toEqual([
      { kind: 'whole', row: 'each' },
      { kind: 'whole', row: 'each' },
      { kind: 'whole', row: 'each' },
      { kind: 'whole', row: 'every' },
      { kind: 'whole', row: 'mean' },
    ]);
    // 0.5 exactly: holds; 0.4 ± 0.248: inconclusive; 0.15 ± 0.124: does not hold; every: does not hold; mean 0.35 ± 0.124: inconclusive.
    expect(rows.map((r) => r.verdict)).toEqual(['holds', 'inconclusive', 'does not hold', 'does not hold', 'inconclusive']);
    for (const r of rows) {
      expect(Object.keys(r)).toEqual([...CLAIM_COLUMNS]);
      expect([r.claim, r.threshold_fraction, r.source, r.n]).toEqual([LATENCY_CLAIM.claim, 0.4, EDELEAR_PAPER, 3]);
    }
    expect(rows[0].measured).toContain('against a whole baseline system (no EDeLeaR component');
    expect(rows[0].baseline).toBe('baseline:far: slow');
    expect(rows[3].measured).toContain('baseline:best');
    expect(rows[3].margin_fraction_mean).toBeCloseTo(0.15, 12);
    expect(rows[4].baseline).toBe('the mean over 3 whole baseline systems: baseline:far, baseline:near, baseline:best (baseline_value_mean: the mean of their mean latencies)');
    expect(rows[4].margin_fraction_mean).toBeCloseTo(0.35, 12);
    expect(Number(rows[4].margin_fraction_ci95_low)).toBeCloseTo(0.35 - 0.124207, 5);
    expect(rows[4].value_mean).toBe(1);
    // Whole baselines the comparison did not run (skipped under --strict) are named in the rows over all of them, which they are not in (helper-76).
    const missing = latencyClaimRows(ctx, [far, near, best], 'whole', ['baseline:all-local (warnings met in its runs, errors under --strict: …)']);
    expect(missing[3].baseline).toBe('all 3 whole baseline systems: baseline:far, baseline:near, baseline:best; not run, so not in it: baseline:all-local (warnings met in its runs, errors under --strict: …)');
    expect(missing[4].baseline).toMatch(/mean latencies\); not run, so not in it: baseline:all-local/);
    expect(missing[0].baseline).toBe('baseline:far: slow');
    // With some not run, "against every" cannot hold (it may fail against one of them) and a mean over some is not judged; "does not hold" stands (helper-80: --arms flipped the verdict to holds, unsaid).
    expect(missing.map((r) => r.verdict)).toEqual(['holds', 'inconclusive', 'does not hold', 'does not hold', 'inconclusive']);
    const allHold = latencyClaimRows(ctx, [far], 'whole', ['baseline:random (not named in --arms)']);
    expect(latencyClaimRows(ctx, [far], 'whole')[1].verdict).toBe('holds');
    expect(allHold[1].verdict).toBe('inconclusive');
    expect(allHold[1].measured).toMatch(/— 1 not run \(named in baseline\), so it holds at best inconclusively$/);
    const twoHold = latencyClaimRows(ctx, [far, { ...far, arm: 'baseline:far-2' }], 'whole');
    expect(twoHold.map((r) => r.verdict)).toEqual(['holds', 'holds', 'holds', 'holds']);
    expect(latencyClaimRows(ctx, [far, { ...far, arm: 'baseline:far-2' }], 'whole', ['baseline:random (not named in --arms)']).map((r) => r.verdict)).toEqual(['holds', 'holds', 'inconclusive', 'inconclusive']);
    // One whole baseline: its own row and "every", no mean row (it would repeat it).
    expect(latencyClaimRows(ctx, [far], 'whole')).toHaveLength(2);
    // Another claim's row is no claim 2 row.
    expect(latencyRowKind({ claim: SIZE_CLAIM.claim, measured: 'x' })).toBeUndefined();
  });
});

describe('claim 1: some variant at least 70 % smaller at competitive accuracy', () => {
  const a = variant('a', exact(0.75), exact(-0.005)); // both parts hold
  const b = variant('b', exact(0.5), exact(0)); // too large
  const c = variant('c', exact(0.9), estimate([-0.02, 0, -0.01])); // −0.01 ± 0.025: straddles −1 point
  const d = variant('d', exact(0.95), exact(-0.05)); // small but not competitive

  it('judges each variant on both parts', () => {
    expect(sizeVerdicts(a)).toEqual({ size: 'holds', accuracy: 'holds', claim: 'holds' });
    expect(sizeVerdicts(b)).toEqual({ size: 'does not hold', accuracy: 'holds', claim: 'does not hold' });
    expect(sizeVerdicts(c)).toEqual({ size: 'holds', accuracy: 'inconclusive', claim: 'inconclusive' });
    expect(sizeVerdicts(d)).toEqual({ size: 'holds', accuracy: 'does not hold', claim: 'does not hold' });
    expect(SIZE_CLAIM).toMatchObject({ threshold: 0.7, tolerance: 0.01 });
  });

  it('rests each subject on its best variant and writes size, accuracy and claim rows', () => {
    expect(sizeWitness({ subject: 's', variants: [b, c, a, d] })?.variant).toBe('a');
    expect(sizeWitness({ subject: 's', variants: [b, c, d] })?.variant).toBe('c');
    expect(sizeWitness({ subject: 's', variants: [b, d] })?.variant).toBe('b'); // both fail: the competitive one
    const rows = sizeClaimRows(ctx, [
      { subject: 'holds', variants: [b, c, a] },
      { subject: 'unsure', variants: [b, c] },
      { subject: 'fails', variants: [b, d] },
      { subject: 'empty', variants: [] },
    ]);
    expect(rows.map((r) => r.verdict)).toEqual([
      ...['holds', 'holds', 'holds'],
      ...['holds', 'inconclusive', 'inconclusive'],
      ...['does not hold', 'holds', 'does not hold'],
      'inconclusive',
    ]);
    expect(rows.map((r) => r.compression)).toEqual(['a', 'a', 'a', 'c', 'c', 'c', 'b', 'b', 'b', '']);
    expect([rows[0].margin_fraction_mean, rows[0].threshold_fraction, rows[1].margin_fraction_mean, rows[1].threshold_fraction]).toEqual([0.75, 0.7, -0.005, -0.01]);
    for (const r of rows) expect(Object.keys(r)).toEqual([...CLAIM_COLUMNS]);
    // The values' unit (helper-80: bytes, fractions and seconds shared value_mean with no unit column).
    expect(rows.slice(0, 3).map((r) => r.value_unit)).toEqual(['B', 'fraction (top-1 accuracy)', '']);
    const pair = (arm: string) => ({ arm, description: 'd', baseline: [2, 2], edelear: [1, 1] });
    expect(latencyClaimRows(ctx, [pair('a'), pair('b')], 'whole').map((r) => r.value_unit)).toEqual(['s', 's', 's', 's']);
  });
});

describe('claims.csv of compare and of the federated study', () => {
  it('have the same columns in the same order, so the two files join', () => {
    const outcome = (seed: number, accuracy: number): FederatedOutcome => ({
      split: 'iid',
      compression: 'none',
      seed,
      rounds: [],
      energy: [],
      accuracy,
      localOnly: { mean: 0.8, worst: 0.7 },
      centralized: 0.95,
      trainingSeconds: 0,
    });
    const [row] = claimRows('s', [outcome(1, 0.9), outcome(2, 0.91)]);
    expect(Object.keys(row)).toEqual([...CLAIM_COLUMNS]);
  });

  it('fl_baselines.csv cuts an accuracy interval to [0, 1] (helper-79: [−1.22, 2.30] over 2 seeds); one inside stays as Student t gives it', () => {
    // Two seeds of the worst client at 0.1 and 0.9: mean 0.5, half-width t(0.975, 1) × 0.4 √2 / √2 = 12.706 × 0.4 = 5.08.
    const outcome = (seed: number, worst: number): FederatedOutcome => ({ split: 'iid', compression: 'none', seed, rounds: [], energy: [], accuracy: 0.9 + seed / 1000, localOnly: { mean: 0.8, worst }, centralized: 0.95, trainingSeconds: 0 });
    const rows = baselineRows('s', [outcome(1, 0.1), outcome(2, 0.9)]);
    const worst = rows.find((r) => String(r.training).startsWith('local-only (worst'))!;
    expect([worst.accuracy_mean, worst.accuracy_ci95_low, worst.accuracy_ci95_high]).toEqual([0.5, 0, 1]);
    const federated = rows.find((r) => r.training === 'federated')!;
    const e = estimate([0.901, 0.902]);
    expect([federated.accuracy_ci95_low, federated.accuracy_ci95_high]).toEqual([e.low, e.high]);
    expect(withinUnit(estimate([0.1, 0.9])).halfWidth).toBeCloseTo(12.7062 * 0.4, 3);
  });
});
