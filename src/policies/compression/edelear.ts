import { assess, checkCandidates, type Assessment, type CompressionPolicy } from './policy.ts';

/** Options of {@link edelearCompression}. */
export interface EdelearCompressionOptions {
  /** Also trust accuracies extrapolated beyond published points (default false: only published, interpolated or combined ones). */
  readonly allowExtrapolation?: boolean;
}

/**
 * EDeLeaR's compression choice (Farooq & Khan 2024, §III.A: compress so the model fits the
 * device and meets its latency while keeping accuracy). Algorithm: assess every candidate on
 * the device (`policy.ts`); keep those that fit its memory, meet the deadline and have a
 * supported accuracy (unknown never, extrapolated only when allowed); choose the highest
 * top-1, ties (within 10⁻⁹ points) to the smallest stored size, then to the first listed. When
 * none qualifies: the fastest candidate that fits memory, else the one needing least memory
 * (its assessment says what it misses). Cost O(candidates × (layers + accuracy points²)).
 */
export function edelearCompression(options: EdelearCompressionOptions = {}): CompressionPolicy {
  const trusted = (a: Assessment) =>
    a.accuracy.top1 !== undefined && (options.allowExtrapolation === true || a.accuracy.basis !== 'extrapolated');
  return {
    name: 'edelear',
    decide(request) {
      checkCandidates(request);
      const all = request.candidates.map((v) => assess(request, v));
      let best: Assessment | undefined;
      for (const a of all) {
        if (!a.feasible || !trusted(a)) continue;
        if (!best || better(a, best)) best = a;
      }
      if (best) return { ...best, policy: 'edelear', reason: `highest supported top-1 among the ${all.filter((a) => a.feasible && trusted(a)).length} feasible candidates` };
      const runnable = all.filter((a) => a.deployment !== undefined);
      if (runnable.length === 0) throw new Error(`${request.target.name} computes none of the compression candidates of ${request.model.name}`);
      const fitting = runnable.filter((a) => a.deployment!.fitsMemory);
      const fallback = fitting.length > 0
        ? fitting.reduce((x, y) => (y.deployment!.computeSeconds < x.deployment!.computeSeconds ? y : x))
        : runnable.reduce((x, y) => (y.deployment!.memoryBytes < x.deployment!.memoryBytes ? y : x));
      const reason = fitting.length > 0
        ? 'no candidate fits memory, meets the deadline and has a supported accuracy: the fastest that fits memory'
        : 'no candidate fits memory: the one needing least';
      return { ...fallback, policy: 'edelear', reason };
    },
  };
}

/** Higher top-1, then smaller stored size. */
function better(a: Assessment, b: Assessment): boolean {
  const d = a.accuracy.top1! - b.accuracy.top1!;
  if (Math.abs(d) > 1e-9) return d > 0;
  return a.deployment!.compressed.bytes < b.deployment!.compressed.bytes;
}
