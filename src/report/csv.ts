import { createWriteStream, writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { stringify as stringifyStream } from 'csv-stringify';
import type { Row } from '../metrics/summary.ts';

/** Formats a cell: numbers in JavaScript's shortest round-trip form (identical on every machine), NaN as empty. */
function cell(v: string | number): string | number {
  return typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? '' : String(v)) : v;
}

/**
 * Writes rows (all with the same columns) as a CSV file with a header; `columns` (default: the
 * first row's) gives the header of an empty table, which is then the whole file.
 */
export function writeRows(file: string, rows: readonly Row[], columns: readonly string[] = rows.length > 0 ? Object.keys(rows[0]) : []): void {
  // csv-stringify writes a lone newline for no columns at all: such a file is left empty instead.
  const text =
    columns.length === 0 ? '' : stringify(rows.map((r) => columns.map((c) => cell(r[c]))), { header: true, columns: [...columns], cast: { number: (n) => String(n) } });
  writeFileSync(file, text);
}

/** Streams rows of a fixed header into a CSV file (for per-request traces). Resolves when written. */
export function writeStream(file: string, columns: readonly string[], rows: Iterable<readonly (string | number)[]>): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(file);
    const s = stringifyStream({ header: true, columns: [...columns], cast: { number: (n) => String(n) } });
    s.pipe(out);
    out.on('finish', resolve);
    out.on('error', reject);
    s.on('error', reject);
    for (const r of rows) s.write(r.map(cell));
    s.end();
  });
}
