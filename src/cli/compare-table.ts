import { type MetricComparison, verdictSays } from '../metrics/compare.ts';
import type { ArmOutcome, Comparison } from '../report/compare.ts';
import { seedLabel } from '../report/fl-charts.ts';
import { EDELEAR_ARM, type SkippedArm } from '../scenario/compare-arms.ts';
import { counted, table } from './format.ts';

/**
 * The console's view of a comparison: one table of each arm's means with their 95% half-widths,
 * one of the paired differences against the reference (EDeLeaR, or `as-written`) with a mark per
 * verdict, a row where the reference loses on any figure marked in front, and the arms not run with their reasons.
 */

/** The figures the console shows (compare.csv has them all). */
const SHOWN = ['latency_mean_s', 'latency_p95_s', 'energy_per_request_J', 'deadline_miss_ratio', 'drop_ratio', 'utilization_ratio', 'accuracy'];

/** A verdict's mark beside a difference: ✓ the reference better, ✗ worse, = no difference. */
function mark(verdict: string): string {
  return verdictSays(verdict, 'better') ? ' ✓' : verdictSays(verdict, 'worse') ? ' ✗' : verdict === 'no difference' ? ' =' : '';
}

/** Three significant digits ("21.0", "0.512"), whole and grouped from 1,000 up. */
function digits(x: number): string {
  return x >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3);
}

/** A half-width below this fraction of its mean is rounding noise of equal values (seen: 1.7e-10 µJ on 400 mJ), shown as 0. */
const NOISE = 1e-9;

/**
 * A figure in its unit: s and J with a prefix (ms, µJ), ratios as percentages (differences of them
 * in points) to `decimals` places (1 unless a small interval needs more), rates per second.
 */
function figure(x: number, unit: string, signed = false, decimals = 1): string {
  if (!Number.isFinite(x)) return '–';
  const ratio = unit === 'ratio' || unit === 'fraction';
  // A ratio shown as 0.0 has no sign: "−0.0 pts" would claim a direction it does not show.
  const sign = ratio && Math.abs(x) * 100 < 0.5 * 10 ** -decimals ? '' : x < 0 ? '−' : signed && x > 0 ? '+' : '';
  const a = Math.abs(x);
  if (ratio) return `${sign}${(a * 100).toFixed(decimals)}${signed ? ' pts' : '%'}`;
  if (unit === '1/s') return `${sign}${digits(a)}/s`;
  if (a === 0) return `0 ${unit}`;
  if (a >= 1) return `${sign}${digits(a)} ${unit}`;
  if (a >= 1e-3) return `${sign}${digits(a * 1e3)} m${unit}`;
  return `${sign}${digits(a * 1e6)} µ${unit}`;
}

/** "12.3 ms ± 0.41 ms" (no ± without an interval); "68.4 s ± 0.34 s‡" when the interval is narrower than the figure's resolution (the ± is the resolution). */
export function withHalfWidth(mean: number, halfWidth: number, unit: string, signed = false, resolution = 0): string {
  // A ratio's interval to two significant digits of its half-width (at least 1 decimal, at most 4): at one decimal −0.065 ± 0.054 pts read "−0.1 pts ± 0.1 pts" beside a verdict its interval seemed to deny (helper-79).
  const pts = (halfWidth <= NOISE * Math.abs(mean) ? 0 : halfWidth) * 100; // rounding noise of equal values is shown as 0, at 1 decimal
  const decimals = (unit === 'ratio' || unit === 'fraction') && pts > 0 && Number.isFinite(pts) && resolution === 0 ? Math.min(4, Math.max(1, 1 - Math.floor(Math.log10(pts)))) : 1;
  const m = figure(mean, unit, signed, decimals);
  if (resolution > 0) return `${m} ± ${figure(resolution, unit)}‡`;
  if (!Number.isFinite(halfWidth)) return m;
  const hw = figure(halfWidth <= NOISE * Math.abs(mean) ? 0 : halfWidth, unit, false, decimals);
  return `${m} ± ${hw.replace(/%$/, signed ? ' pts' : '%')}`;
}

function shown(o: ArmOutcome): (MetricComparison | undefined)[] {
  const present = new Map(o.comparisons.map((m) => [m.metric.metric, m]));
  return SHOWN.map((name) => present.get(name));
}

/** The console lines of a comparison. */
export function comparisonReport(file: string, c: Comparison, skipped: readonly SkippedArm[]): string[] {
  const reference = c.outcomes[0];
  const columns = SHOWN.filter((name) => c.outcomes.some((o) => o.comparisons.some((m) => m.metric.metric === name)));
  const pick = (o: ArmOutcome) => shown(o).filter((_, i) => columns.includes(SHOWN[i]));
  const labels = pick(reference).map((m, i) => m?.metric.label ?? columns[i]);
  const n = c.seeds.length;
  const lines = [
    `edelear compare ${file}: ${c.outcomes.length} arms on seeds ${seedLabel(c.seeds)} (n = ${n}, common random numbers)`,
    '',
    ...(reference.arm.name === EDELEAR_ARM
      ? []
      : [
          `  the reference is ${reference.arm.name}: the scenario as written uses none of EDeLeaR's own policies (lp placement, edelear allocation or compression, an edelear cache, adaptive batching, edelear partitioning), so this compares its policies with the baselines, not EDeLeaR`,
          '',
        ]),
    `  mean ± half-width of its 95% confidence interval (Student t over the ${counted(n, 'seed')})`,
    table(
      ['arm', 'role', ...labels],
      c.outcomes.map((o) => [o.arm.name, o.arm.role, ...pick(o).map((m) => (m ? withHalfWidth(m.value.mean, m.value.halfWidth, m.metric.unit, false, m.belowResolution ? m.resolution : 0) : '–'))]),
    ),
    ...(c.outcomes.some((o) => o.comparisons.some((m) => m.belowResolution))
      ? ['  ‡ every seed fell within the latency sketch\'s resolution (one bucket): the ± shown is that resolution, not the interval (which is narrower)']
      : []),
  ];
  const others = c.outcomes.slice(1);
  const ref = reference.arm.name;
  if (others.length > 0) {
    lines.push(
      '',
      `  paired difference arm − ${ref} on the same seed: mean ± 95% half-width; ✓ ${ref} better, ✗ ${ref} worse (the interval excludes 0), = no difference, no mark: inconclusive`,
      table(
        ['', 'arm', ...labels, `${ref} worse on`],
        others.map((o) => {
          const cells = pick(o);
          const worse = cells.filter((m) => m !== undefined && verdictSays(m.verdict, 'worse')).map((m) => m!.metric.label);
          return [
            worse.length > 0 ? '✗' : '',
            o.sameAs ? `${o.arm.name} (= ${o.sameAs})` : o.arm.name,
            ...cells.map((m) => (m?.difference ? `${withHalfWidth(m.difference.mean, m.difference.halfWidth, m.metric.unit, true)}${mark(m.verdict)}` : '–')),
            worse.join(', '),
          ];
        }),
      ),
    );
  }
  if (skipped.length > 0) {
    lines.push('', '  not run:');
    for (const s of skipped) lines.push(`    ${s.name} (${s.role}): ${s.reason}`);
  }
  return lines;
}
