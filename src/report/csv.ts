import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import type { Row } from '../metrics/summary.ts';

/**
 * CSV as RFC 4180 writes it, and as csv-stringify 6 does with its defaults (a test checks the
 * two agree, byte for byte): fields joined by commas, records ended by "\n", a field quoted when
 * it holds a comma, a double quote, "\n" or "\r", its quotes doubled. Numbers are written in
 * JavaScript's shortest round-trip form (identical on every machine), NaN as an empty cell.
 * Written directly rather than through csv-stringify because the tables of a large world are
 * hundreds of thousands of rows: formatted here in 64 KiB chunks, a row is garbage at once; the
 * library's per-field machinery, at 10^5 devices, took 5.8 s against 0.4 s now (nodes.csv and
 * links.csv, 300,000 rows; phase timings of one run, 2026-11-26) and kept every row's arrays
 * and the whole text alive until the file was written.
 */
function field(v: string | number | undefined): string {
  if (typeof v === 'number') return Number.isNaN(v) ? '' : String(v); // never holds a comma or quote
  const s = v ?? ''; // a missing cell is empty, as csv-stringify writes it
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const NEEDS_QUOTES = /[",\n\r]/;

/** No value yet (a column's memory of its last value, {@link writeRows}). */
const UNSET = Symbol('unset');

/** Bytes of text gathered before a write. */
const CHUNK = 1 << 16;

/**
 * Writes a header and then the records `nextLine` formats, one per call (each ended by "\n";
 * undefined when there are no more), to a file: the text goes out in chunks of {@link CHUNK}.
 */
function writeCsv(file: string, columns: readonly string[], nextLine: () => string | undefined): void {
  const fd = openSync(file, 'w');
  try {
    let chunk = `${columns.map(field).join(',')}\n`;
    for (let line = nextLine(); line !== undefined; line = nextLine()) {
      chunk += line;
      if (chunk.length >= CHUNK) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes rows (all with the same columns) as a CSV file with a header; `columns` (default: the
 * first row's) gives the header of an empty table, which is then the whole file. With no
 * columns at all the file is empty. Each record is formatted straight from its row object.
 */
export function writeRows(file: string, rows: readonly Row[], columns: readonly string[] = rows.length > 0 ? Object.keys(rows[0]) : []): void {
  if (columns.length === 0) {
    writeFileSync(file, '');
    return;
  }
  const n = columns.length;
  // Each column's last value and its text: the rows of a large world repeat most of their figures
  // (a million alike devices' slots, memory, power…), and a number's shortest form is dear to find.
  const lastValue: unknown[] = new Array<unknown>(n).fill(UNSET);
  const lastText: string[] = new Array<string>(n).fill('');
  const cell = (c: number, v: string | number | undefined): string => {
    if (v === lastValue[c]) return lastText[c];
    lastValue[c] = v;
    return (lastText[c] = field(v));
  };
  let i = 0;
  writeCsv(file, columns, () => {
    if (i === rows.length) return undefined;
    const r = rows[i++];
    let line = cell(0, r[columns[0]]);
    for (let c = 1; c < n; c++) line += `,${cell(c, r[columns[c]])}`;
    return `${line}\n`;
  });
}

/** Writes rows of a fixed header into a CSV file as they come (per-request traces: millions of rows). */
export function writeStream(file: string, columns: readonly string[], rows: Iterable<readonly (string | number)[]>): void {
  const it = rows[Symbol.iterator]();
  writeCsv(file, columns, () => {
    const next = it.next();
    if (next.done) return undefined;
    const r = next.value;
    let line = field(r[0]);
    for (let c = 1; c < r.length; c++) line += `,${field(r[c])}`;
    return `${line}\n`;
  });
}
