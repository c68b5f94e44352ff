import { type Estimate, estimate, estimateColumns, type Verdict, verdict } from './confidence.ts';
import type { Row } from './summary.ts';

/**
 * The EDeLeaR paper's claims as claims.csv states them: each claim, what was measured against
 * which baseline, the measured margin with its 95% interval, the threshold, and the verdict
 * (metrics/confidence.ts `verdict`: holds when the whole interval is at or above the threshold,
 * does not hold when it lies wholly below, inconclusive when it straddles it or there is none).
 * The federated study (cli/federated.ts, claim 3) and `edelear compare` (claims 1 and 2) write
 * rows of the same columns, so their files join.
 */

/** How to cite the EDeLeaR paper: the `source` of every claim and paper table (../shared/reference/edelear-paper.md). */
export const EDELEAR_PAPER =
  'M. Farooq and M. H. Khan, "EDeLeaR: Edge-based Deep Learning with Resource Awareness for Efficient Model Training and Inference for IoT and Edge Devices", published 29 Feb 2024 (received 21 Dec 2023)';

/** The columns of claims.csv, in order, for every study that writes it. */
export const CLAIM_COLUMNS = [
  'scenario',
  'seeds',
  'n',
  'claim',
  'measured',
  'baseline',
  'split',
  'compression',
  'value_mean',
  'baseline_value_mean',
  'value_unit',
  'margin_fraction_mean',
  'margin_fraction_ci95_low',
  'margin_fraction_ci95_high',
  'margin_relative_mean',
  'threshold_fraction',
  'verdict',
  'centralized_mean',
  'gap_to_centralized_fraction_mean',
  'gap_to_centralized_fraction_ci95_low',
  'gap_to_centralized_fraction_ci95_high',
  'source',
] as const;

/** The paper's claim 1 (§V): model size, read as the stored size of a compressed variant against the fp32 model. */
export const SIZE_CLAIM = {
  claim: 'model size reduced by up to 70% while keeping competitive accuracy',
  /** "Up to 70%": some variant's stored size is at least 70% below fp32's (a fraction: 0.7). */
  threshold: 0.7,
  /**
   * "Competitive accuracy", which the paper does not define, read as a top-1 at most 1 percentage
   * point below fp32's: the spread of published 8-bit results against their own fp32 baselines
   * (torchvision −0.22 and −0.21, NNCF −0.63 to −0.80 points; data/models, data/accuracy).
   */
  tolerance: 0.01,
} as const;

/** The paper's claim 2 (§V): mean latency, read as 1 − EDeLeaR's mean latency / a baseline's, per seed. */
export const LATENCY_CLAIM = {
  claim: 'average inference latency reduced by 40% against baseline approaches (allocation + offloading)',
  threshold: 0.4,
} as const;

/** The verdict of a claim that needs two parts: holds when both hold, does not hold when either does not, else inconclusive. */
export function bothVerdict(a: Verdict, b: Verdict): Verdict {
  if (a === 'does not hold' || b === 'does not hold') return 'does not hold';
  return a === 'holds' && b === 'holds' ? 'holds' : 'inconclusive';
}

/** The verdict of "for some item": holds when one holds, inconclusive when none holds but one is inconclusive, else does not hold. */
export function someVerdict(vs: readonly Verdict[]): Verdict {
  if (vs.includes('holds')) return 'holds';
  return vs.includes('inconclusive') ? 'inconclusive' : 'does not hold';
}

/** The verdict of "for every item": holds when all hold, does not hold when one does not, else inconclusive (none: inconclusive). */
export function everyVerdict(vs: readonly Verdict[]): Verdict {
  if (vs.length === 0) return 'inconclusive';
  return vs.reduce(bothVerdict);
}

/** An exact figure (computed from a data file, or a cited one) as an estimate: its interval is the value itself, n = 1. */
export function exact(x: number): Estimate {
  return { mean: x, halfWidth: 0, low: x, high: x, n: Number.isFinite(x) ? 1 : 0 };
}

/** What the rows of a claim share: the scenario and its seeds. */
export interface ClaimContext {
  readonly scenario: string;
  readonly seeds: string;
}

/** `margin_fraction_mean`, `_ci95_low`, `_ci95_high` of an estimate. */
function margin(e: Estimate): Row {
  return estimateColumns('margin_fraction', e);
}

/** One claims.csv row with the columns a claim of compare leaves empty (split, centralized training). */
function claimRow(ctx: ClaimContext, fields: Row): Row {
  const row: Row = {};
  for (const c of CLAIM_COLUMNS) row[c] = '';
  return Object.assign(row, { scenario: ctx.scenario, seeds: ctx.seeds, source: EDELEAR_PAPER }, fields);
}

// ----- claim 2: latency -----

/** One baseline arm's mean latency against EDeLeaR's, per seed (index i is the same seed in both). */
export interface LatencyPair {
  readonly arm: string;
  /** What the baseline does, and which decision point it replaces. */
  readonly description: string;
  readonly baseline: readonly number[];
  readonly edelear: readonly number[];
  /** Said after the description (e.g. what the baseline ignores that EDeLeaR respects). */
  readonly note?: string;
}

/**
 * What a claim 2 baseline is: a whole baseline system (no EDeLeaR component: a placement
 * baseline with allocation none, compression none, no result cache, batching none and
 * partitioning all-remote — what the claim is judged against), or a
 * component baseline (EDeLeaR with one decision point replaced, its other components kept).
 */
export type LatencyBaselineKind = 'whole' | 'component';

/**
 * The relative latency reduction of EDeLeaR against one baseline: 1 − EDeLeaR / baseline per seed
 * (pairs with both finite and a positive baseline), with its 95% interval — cut at 1 above, as a
 * reduction of a positive latency cannot exceed it (helper-88: +106.6 % over 3 seeds).
 */
export function latencyReduction(pair: LatencyPair): Estimate {
  const r: number[] = [];
  pair.baseline.forEach((b, i) => {
    const e = pair.edelear[i];
    if (Number.isFinite(b) && Number.isFinite(e) && b > 0) r.push(1 - e / b);
  });
  return atMostOne(estimate(r));
}

/** An estimate of a reduction with its interval's upper end cut at 1 (the reduction of a positive figure is below 1); the verdict against a threshold below 1 does not change. */
function atMostOne(e: Estimate): Estimate {
  return e.high > 1 ? { ...e, high: 1 } : e;
}

/**
 * The mean over baselines of EDeLeaR's relative latency reduction, paired by seed: on each seed
 * where every baseline and EDeLeaR have a latency (and every baseline's is positive), the mean over
 * the K baselines of 1 − EDeLeaR / baseline_k; then the mean of those per-seed values with its
 * Student-t 95% interval over the seeds (the seeds are the independent replications; the
 * baselines on one seed share its random numbers, so they are averaged within the seed).
 */
export function meanLatencyReduction(pairs: readonly LatencyPair[]): Estimate {
  if (pairs.length === 0) return estimate([]);
  const seeds = pairs[0].edelear.length;
  const perSeed: number[] = [];
  for (let i = 0; i < seeds; i++) {
    let sum = 0;
    let ok = true;
    for (const p of pairs) {
      const b = p.baseline[i];
      const e = p.edelear[i];
      if (!(Number.isFinite(b) && Number.isFinite(e) && b > 0)) {
        ok = false;
        break;
      }
      sum += 1 - e / b;
    }
    if (ok) perSeed.push(sum / pairs.length);
  }
  return atMostOne(estimate(perSeed));
}

/**
 * Which claim 2 row a claims.csv row is, read back from its `measured` cell (the console's
 * account): against one baseline (`each`), against every one (`every`), or the mean over the
 * whole baselines (`mean`), and of which kind; undefined for another claim's row.
 */
export function latencyRowKind(r: Row): { kind: LatencyBaselineKind; row: 'each' | 'every' | 'mean' } | undefined {
  if (r.claim !== LATENCY_CLAIM.claim) return undefined;
  const m = String(r.measured);
  for (const kind of ['whole', 'component'] as const) {
    if (m === MEASURED_AGAINST[kind]) return { kind, row: 'each' };
    if (m.startsWith(`against every ${KIND_NAME[kind]} `)) return { kind, row: 'every' };
  }
  return m.startsWith('the mean over ') ? { kind: 'whole', row: 'mean' } : undefined;
}

/** A kind of claim 2 baseline in words. */
const KIND_NAME: Record<LatencyBaselineKind, string> = { whole: 'whole baseline system', component: 'component baseline' };

/** What the `measured` cell says of a claim 2 row against one baseline, by kind. */
const MEASURED_AGAINST: Record<LatencyBaselineKind, string> = {
  whole:
    'EDeLeaR (the scenario as written) against a whole baseline system (no EDeLeaR component: its placement baseline, allocation none, compression none, no result cache, batching none, partitioning all-remote (no split) — each where the scenario has it): reduction of mean inference latency, 1 − EDeLeaR / baseline, paired by seed',
  component:
    "EDeLeaR (the scenario as written) against a component baseline (EDeLeaR with one decision point replaced, its other components kept: not a whole baseline system, so not what the claim is judged on): reduction of mean inference latency, 1 − EDeLeaR / baseline, paired by seed",
};

/** The unit of claim 1's accuracy rows' values: a top-1 accuracy as a fraction. */
const TOP1_UNIT = 'fraction (top-1 accuracy)';

/** What precedes, in the `baseline` cell of claim 2's rows over every baseline of a kind, the baselines not run (`name (reason)`, `; `-separated). */
export const NOT_RUN_MARK = '; not run, so not in it: ';

/**
 * claims.csv rows of claim 2 for one kind of baseline: per baseline, the paired relative
 * reduction of mean latency 1 − EDeLeaR / baseline (seed by seed, common random numbers), its 95%
 * interval and the verdict against 40%; then one row for "against every baseline": holds when it
 * holds against each, does not hold when it fails against one, its margin that of the strongest
 * baseline (the smallest mean reduction); and, for whole baselines when there are two or more,
 * one row for the mean reduction over them ({@link meanLatencyReduction}: the reading of
 * "average … against baseline approaches" as an average over the approaches), judged by the same
 * rule.
 */
export function latencyClaimRows(
  ctx: ClaimContext,
  pairs: readonly LatencyPair[],
  kind: LatencyBaselineKind = 'component',
  /** Baselines of this kind the comparison did not run (`name: reason`, e.g. skipped under --strict): named in the rows over all of them, which they are not in. */
  notRun: readonly string[] = [],
): Row[] {
  const missing = notRun.length > 0 ? `${NOT_RUN_MARK}${notRun.join('; ')}` : '';
  /** A row over every baseline of this kind with some not run: "holds" is not shown (it may fail against one not run), and a mean over some is not the mean over all. */
  const unjudged = notRun.length > 0 ? ` — ${notRun.length} not run (named in baseline), so it holds at best inconclusively` : '';
  const judged = pairs.map((p) => {
    const e = latencyReduction(p);
    return { p, e, v: verdict(e, LATENCY_CLAIM.threshold) };
  });
  const which = KIND_NAME[kind];
  const rows = judged.map(({ p, e, v }) =>
    claimRow(ctx, {
      n: e.n,
      claim: LATENCY_CLAIM.claim,
      measured: MEASURED_AGAINST[kind],
      baseline: `${p.arm}: ${p.description}${p.note ? ` (${p.note})` : ''}`,
      value_mean: estimate(p.edelear).mean,
      baseline_value_mean: estimate(p.baseline).mean,
      ...margin(e),
      margin_relative_mean: e.mean,
      threshold_fraction: LATENCY_CLAIM.threshold,
      value_unit: 's',
      verdict: v,
    }),
  );
  if (judged.length > 0) {
    const strongest = judged.reduce((a, b) => (!(b.e.mean >= a.e.mean) ? b : a));
    rows.push(
      claimRow(ctx, {
        n: strongest.e.n,
        claim: LATENCY_CLAIM.claim,
        measured: `against every ${which} above: holds when it holds against each; the margin is the strongest ${which}'s (${strongest.p.arm}, the smallest reduction)${unjudged}`,
        baseline: `all ${judged.length} ${which}s: ${judged.map((j) => j.p.arm).join(', ')}${missing}`,
        value_mean: estimate(strongest.p.edelear).mean,
        baseline_value_mean: estimate(strongest.p.baseline).mean,
        ...margin(strongest.e),
        margin_relative_mean: strongest.e.mean,
        threshold_fraction: LATENCY_CLAIM.threshold,
        value_unit: 's',
        verdict: partial(everyVerdict(judged.map((j) => j.v)), notRun),
      }),
    );
  }
  if (kind === 'whole' && pairs.length >= 2) {
    const e = meanLatencyReduction(pairs);
    rows.push(
      claimRow(ctx, {
        n: e.n,
        claim: LATENCY_CLAIM.claim,
        measured: `the mean over the ${pairs.length} whole baseline systems of the reduction 1 − EDeLeaR / baseline, averaged within each seed, then its mean and 95% interval over the seeds (the claim's "average … against baseline approaches" read as an average over the approaches)${notRun.length > 0 ? ` — ${notRun.length} not run (named in baseline): a mean over some of them, not judged` : ''}`,
        baseline: `the mean over ${pairs.length} whole baseline systems: ${pairs.map((p) => p.arm).join(', ')} (baseline_value_mean: the mean of their mean latencies)${missing}`,
        value_mean: estimate(pairs[0].edelear).mean,
        baseline_value_mean: pairs.reduce((a, p) => a + estimate(p.baseline).mean, 0) / pairs.length,
        ...margin(e),
        margin_relative_mean: e.mean,
        threshold_fraction: LATENCY_CLAIM.threshold,
        value_unit: 's',
        verdict: notRun.length > 0 ? 'inconclusive' : verdict(e, LATENCY_CLAIM.threshold),
      }),
    );
  }
  return rows;
}

/** A verdict over every baseline of a kind when some were not run: "holds" becomes inconclusive (it may fail against one of those); "does not hold" stands (it fails against one run). */
function partial(v: Verdict, notRun: readonly string[]): Verdict {
  return notRun.length > 0 && v === 'holds' ? 'inconclusive' : v;
}

// ----- claim 1: model size at competitive accuracy -----

/** A compressed variant measured against the fp32 model: stored sizes and top-1 accuracies (fractions), as estimates (over seeds, or exact). */
export interface SizeEvidence {
  readonly variant: string;
  /** Stored bytes of the variant and of the fp32 reference. */
  readonly bytes: number;
  readonly referenceBytes: number;
  /** 1 − bytes / reference bytes. */
  readonly reduction: Estimate;
  /** Top-1 of the variant and of the reference, fractions (NaN when unknown). */
  readonly top1: number;
  readonly referenceTop1: number;
  /** Top-1 change against the reference, a fraction (paired by seed when measured). */
  readonly change: Estimate;
  /** Where the figures come from, said in the rows. */
  readonly basis: string;
}

/** One set of variants judged for claim 1 (a model's candidates, a measured study, what EDeLeaR deployed). */
export interface SizeSubject {
  /** What the variants are, e.g. "mobilenet-v2 under the scenario's compression candidates". */
  readonly subject: string;
  readonly variants: readonly SizeEvidence[];
}

/** Claim 1 for one variant: its size part (reduction ≥ 70%), its accuracy part (change ≥ −1 point), and both. */
export function sizeVerdicts(v: SizeEvidence): { size: Verdict; accuracy: Verdict; claim: Verdict } {
  const size = verdict(v.reduction, SIZE_CLAIM.threshold);
  const accuracy = verdict(v.change, -SIZE_CLAIM.tolerance);
  return { size, accuracy, claim: bothVerdict(size, accuracy) };
}

const VERDICT_RANK: Record<Verdict, number> = { holds: 0, inconclusive: 1, 'does not hold': 2 };

/**
 * The variant a subject's claim 1 rests on: the one with the best claim verdict (holds, then
 * inconclusive), then — among those failing — the best accuracy part, the largest mean size
 * reduction breaking ties. The subject's verdict is that variant's ("up to 70%": some variant).
 */
export function sizeWitness(subject: SizeSubject): SizeEvidence | undefined {
  let best: SizeEvidence | undefined;
  let key: [number, number, number] = [Infinity, Infinity, Infinity];
  for (const v of subject.variants) {
    const j = sizeVerdicts(v);
    const k: [number, number, number] = [VERDICT_RANK[j.claim], VERDICT_RANK[j.accuracy], -v.reduction.mean];
    if (k[0] < key[0] || (k[0] === key[0] && (k[1] < key[1] || (k[1] === key[1] && k[2] < key[2])))) {
      best = v;
      key = k;
    }
  }
  return best;
}

/**
 * claims.csv rows of claim 1 for each subject: the witness variant's size reduction (threshold
 * 70%), its top-1 change (threshold −1 point: "competitive") and the claim on both; a subject
 * without variants gives one inconclusive row saying so.
 */
export function sizeClaimRows(ctx: ClaimContext, subjects: readonly SizeSubject[]): Row[] {
  return subjects.flatMap((s) => {
    const w = sizeWitness(s);
    if (!w) return [claimRow(ctx, { n: 0, claim: SIZE_CLAIM.claim, measured: `${s.subject}: no variant to judge`, baseline: 'the uncompressed fp32 model', verdict: 'inconclusive' })];
    const j = sizeVerdicts(w);
    const others = s.variants.length - 1;
    const among = others > 0 ? ` (the variant the claim rests on among ${s.variants.length}: the best verdict, then the largest reduction)` : '';
    const common = { claim: SIZE_CLAIM.claim, baseline: `the uncompressed fp32 model (${s.subject})`, compression: w.variant };
    return [
      claimRow(ctx, {
        ...common,
        n: w.reduction.n,
        measured: `stored size reduction of ${w.variant}, 1 − its bytes / fp32's${among}; ${w.basis}`,
        value_mean: w.bytes,
        baseline_value_mean: w.referenceBytes,
        value_unit: 'B',
        ...margin(w.reduction),
        margin_relative_mean: w.reduction.mean,
        threshold_fraction: SIZE_CLAIM.threshold,
        verdict: j.size,
      }),
      claimRow(ctx, {
        ...common,
        n: w.change.n,
        measured: `top-1 accuracy change of ${w.variant} against fp32 (competitive: at most ${SIZE_CLAIM.tolerance * 100} point below); ${w.basis}`,
        value_mean: w.top1,
        baseline_value_mean: w.referenceTop1,
        value_unit: TOP1_UNIT,
        ...margin(w.change),
        margin_relative_mean: w.referenceTop1 > 0 ? w.change.mean / w.referenceTop1 : '',
        threshold_fraction: -SIZE_CLAIM.tolerance,
        verdict: j.accuracy,
      }),
      claimRow(ctx, {
        ...common,
        n: Math.min(w.reduction.n, w.change.n),
        measured: `the claim on ${s.subject}: ${w.variant} at least ${SIZE_CLAIM.threshold * 100}% smaller at competitive accuracy (both rows above); verdicts of all ${s.variants.length} variants: ${s.variants
          .map((v) => `${v.variant} ${sizeVerdicts(v).claim}`)
          .join(', ')}`,
        verdict: someVerdict(s.variants.map((v) => sizeVerdicts(v).claim)),
      }),
    ];
  });
}
