/**
 * CSV files of dynamic batching (nodes with `scheduler: { batching: … }`), over the measurement
 * window (batches formed from the end of warm-up on): `batching.csv`, one row per batching node
 * with its settings and mean batch size (the paper's Table 4 "batch size"), and `batch_sizes.csv`,
 * one row per node and batch size formed (the distribution). Written by `edelear run` beside
 * nodes.csv when some node batches.
 */
import type { Row } from '../metrics/summary.ts';
import type { NodeSpec } from '../world/node.ts';
import type { BatchCounts } from '../world/schedulers/batching.ts';

/** Columns of batching.csv. */
export const BATCHING_COLUMNS = [
  'scenario',
  'seed',
  'node',
  'policy',
  'max_batch_size',
  'preferred_batch_sizes',
  'max_queue_delay_s',
  'fixed_share',
  'batches',
  'requests',
  'batch_size_mean',
  'batch_size_max',
] as const;

/** Columns of batch_sizes.csv. */
export const BATCH_SIZE_COLUMNS = ['scenario', 'seed', 'node', 'batch_size', 'batches', 'requests', 'share_of_requests'] as const;

/** Labels of the run the rows belong to. */
export interface BatchLabels {
  readonly scenario: string;
  readonly seed: number;
}

/** batching.csv's rows: one per batching node. */
export function batchingRows(counts: readonly BatchCounts[], nodes: readonly NodeSpec[], labels: BatchLabels): Row[] {
  return counts.map((c) => {
    let batches = 0;
    let requests = 0;
    let largest = 0;
    c.bySize.forEach((n, b) => {
      batches += n;
      requests += n * b;
      if (n > 0) largest = b;
    });
    return {
      scenario: labels.scenario,
      seed: labels.seed,
      node: nodes[c.node].name,
      policy: c.spec.sizer.name,
      max_batch_size: c.spec.max,
      preferred_batch_sizes: c.spec.preferred.join(' '),
      max_queue_delay_s: c.spec.delay,
      fixed_share: c.spec.fixedShare,
      batches,
      requests,
      // Blank (NaN) without a batch: neither a mean nor a largest size was seen.
      batch_size_mean: requests / batches,
      batch_size_max: batches > 0 ? largest : NaN,
    };
  });
}

/** batch_sizes.csv's rows: one per batching node and batch size it formed. */
export function batchSizeRows(counts: readonly BatchCounts[], nodes: readonly NodeSpec[], labels: BatchLabels): Row[] {
  const rows: Row[] = [];
  for (const c of counts) {
    let requests = 0;
    c.bySize.forEach((n, b) => (requests += n * b));
    c.bySize.forEach((n, b) => {
      if (n > 0) rows.push({ scenario: labels.scenario, seed: labels.seed, node: nodes[c.node].name, batch_size: b, batches: n, requests: n * b, share_of_requests: (n * b) / requests });
    });
  }
  return rows;
}
