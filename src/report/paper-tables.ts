/**
 * The files of the EDeLeaR paper's tables and claims that `edelear compare` writes (computed in
 * metrics/paper-tables.ts, metrics/claims.ts and cli/paper.ts): one row per observation, unit
 * suffixes in column names, and a `source` column on every row saying what the figure is — our
 * computed or measured value, laid out after the paper's table, with the paper's citation.
 */
import { join } from 'node:path';
import type { CompressionStudyRow } from '../learning/compression-study.ts';
import { CLAIM_COLUMNS, EDELEAR_PAPER } from '../metrics/claims.ts';
import { TABLE2_COLUMNS, TABLE3_COLUMNS, TABLE4_COLUMNS, TABLE5_COLUMNS } from '../metrics/paper-tables.ts';
import { PIPELINING_COLUMNS } from '../metrics/pipelining.ts';
import type { Row } from '../metrics/summary.ts';
import { COMPRESSION_STUDY_COLUMNS, compressionStudyTable, TABLE1_COLUMNS } from './compression.ts';
import { writeRows } from './csv.ts';

/** The columns of table1.csv as compare writes it: the paper's per-layer sizes, the operations they are after, and where they come from. */
export const PAPER_TABLE1_COLUMNS = [...TABLE1_COLUMNS, 'pruning', 'quantization', 'note', 'source'] as const;

const TABLE1_SOURCE =
  "computed from the zoo file's layers (policies/compression/table1.ts: stored sizes in SI MB of the fp32 layer, pruned, and pruned then quantized), laid out after the paper's Table 1; " + EDELEAR_PAPER;

/** The columns of compression_study.csv as compare writes it: one row per seed and variant. */
export const PAPER_STUDY_COLUMNS = ['seed', ...COMPRESSION_STUDY_COLUMNS, 'source'] as const;

const STUDY_SOURCE =
  "measured: the zoo MLP 784-128-10 trained on the mnist package's digits on this seed, its weights compressed by the variant for real (policies/compression/tensor) and the decoded weights evaluated on held-out digits; size_bytes = the encoded W1 and W2 plus the fp32 biases; compression_ratio and accuracy_change against fp32 on the same seed";

/** What compare writes for the paper (a table left undefined is not written: the scenario lacks what it shows). */
export interface PaperOutputs {
  readonly table1?: readonly Row[];
  readonly table2?: readonly Row[];
  readonly table3?: readonly Row[];
  readonly table4?: readonly Row[];
  readonly table5: readonly Row[];
  /** Model parallelization per workload (metrics/pipelining.ts): computed, not simulated. */
  readonly pipelining?: readonly Row[];
  readonly study?: readonly { readonly seed: number; readonly rows: readonly CompressionStudyRow[] }[];
  readonly claims: readonly Row[];
}

/** Writes the paper's tables, pipelining.csv, the measured study and claims.csv into `out`; returns the file names written, in order. */
export function writePaperFiles(out: string, o: PaperOutputs): string[] {
  const files: [string, readonly Row[], readonly string[]][] = [];
  if (o.table1) files.push(['table1.csv', o.table1.map((r) => ({ ...r, source: TABLE1_SOURCE })), PAPER_TABLE1_COLUMNS]);
  if (o.table2) files.push(['table2.csv', o.table2, TABLE2_COLUMNS]);
  if (o.table3) files.push(['table3.csv', o.table3, TABLE3_COLUMNS]);
  if (o.table4) files.push(['table4.csv', o.table4, TABLE4_COLUMNS]);
  files.push(['table5.csv', o.table5, TABLE5_COLUMNS]);
  if (o.pipelining) files.push(['pipelining.csv', o.pipelining, PIPELINING_COLUMNS]);
  if (o.study) {
    const rows = o.study.flatMap(({ seed, rows }) => compressionStudyTable(rows).map((r) => ({ seed, ...r, source: STUDY_SOURCE })));
    files.push(['compression_study.csv', rows, PAPER_STUDY_COLUMNS]);
  }
  files.push(['claims.csv', o.claims, CLAIM_COLUMNS]);
  for (const [name, rows, columns] of files) writeRows(join(out, name), rows, columns);
  return files.map(([name]) => name);
}
