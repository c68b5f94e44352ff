/**
 * CSV files of the compression study and of the EDeLeaR paper's Table 1, written through
 * `csv.ts` (RFC 4180, numbers in shortest round-trip form): one row per variant or layer, unit
 * suffixes in column names as the other tables have them.
 */
import type { CompressionStudyRow } from '../learning/compression-study.ts';
import type { Row } from '../metrics/summary.ts';
import type { Table1Row } from '../policies/compression/table1.ts';
import { writeRows } from './csv.ts';

/** Columns of compression_study.csv. */
export const COMPRESSION_STUDY_COLUMNS = [
  'variant',
  'sparsity',
  'sparse_format',
  'clusters',
  'levels',
  'weight_bits',
  'activation_bits',
  'size_bytes',
  'compression_ratio',
  'test_accuracy',
  'accuracy_change',
] as const;

/**
 * The study's rows as CSV rows; compression_ratio and accuracy_change are against the row named
 * `reference` (default 'fp32'; NaN — an empty cell — when there is no such row).
 */
export function compressionStudyTable(rows: readonly CompressionStudyRow[], reference = 'fp32'): Row[] {
  const base = rows.find((r) => r.variant === reference);
  return rows.map((r) => ({
    variant: r.variant,
    sparsity: r.sparsity,
    sparse_format: r.format,
    clusters: r.clusters,
    levels: r.levels,
    weight_bits: r.weightBits,
    activation_bits: r.activationBits,
    size_bytes: r.bytes,
    compression_ratio: base ? base.bytes / r.bytes : NaN,
    test_accuracy: r.accuracy,
    accuracy_change: base ? r.accuracy - base.accuracy : NaN,
  }));
}

/** Writes compression_study.csv. */
export function writeCompressionStudy(file: string, rows: readonly CompressionStudyRow[], reference = 'fp32'): void {
  writeRows(file, compressionStudyTable(rows, reference), COMPRESSION_STUDY_COLUMNS);
}

/** Columns of table1.csv. */
export const TABLE1_COLUMNS = ['model', 'layer', 'type', 'original_MB', 'pruned_MB', 'quantized_MB'] as const;

/** Writes the paper's Table 1 of one model (rows of `policies/compression/table1.ts`) as table1.csv. */
export function writeTable1(file: string, model: string, rows: readonly Table1Row[]): void {
  writeRows(file, rows.map((r) => ({ model, ...r })), TABLE1_COLUMNS);
}
