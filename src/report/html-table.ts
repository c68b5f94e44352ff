/**
 * A CSV table as an HTML table for the report: numbers shown to four significant digits (the
 * exact value from the file on hover), columns with one value on every row said once above the
 * table, verdicts as coloured badges. Every cell is escaped (html-escape.ts).
 */
import { verdictSays } from '../metrics/compare.ts';
import { escapeHtml } from './html-escape.ts';

/** A CSV file as read for the report: its header and (up to a limit) its rows, cells as written. */
export interface CsvTable {
  /** The file's name inside the folder, e.g. `requests.csv`. */
  readonly file: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Rows in the file (more than `rows.length` when only its head was read). */
  readonly totalRows: number;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Whether a cell holds a number as edelear writes them (JavaScript's shortest round-trip form). */
export function isNumeric(cell: string): boolean {
  return NUMBER.test(cell) && Number.isFinite(Number(cell));
}

/** Groups an integer's digits by three with thin spaces (SI style: no confusion with a decimal comma or point). */
function groupDigits(n: number): string {
  const s = Math.abs(n).toFixed(0);
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
  return n < 0 ? `\u2212${grouped}` : grouped;
}

/**
 * A number for reading: integers whole (digits grouped from 10,000), others to 4 significant
 * digits without trailing zeros, magnitudes from 10,000 rounded to whole numbers, and below
 * 0.001 or from 10^15 in scientific notation (1.235e−5). Minus signs as U+2212.
 */
export function formatNumber(n: number): string {
  if (n === 0) return '0';
  const a = Math.abs(n);
  let s: string;
  if (a >= 1e15 || a < 1e-3) {
    const [m, e] = n.toExponential(3).split('e');
    s = `${trimZeros(m)}e${e.replace('+', '')}`;
  } else if (Number.isInteger(n) || a >= 1e4) {
    return a >= 1e4 ? groupDigits(Math.round(n)) : String(n).replace('-', '\u2212');
  } else {
    s = n.toPrecision(4);
    // 9999.95 rounds up to 4 significant digits as 1.000e+4: whole, as other numbers from 10,000.
    if (s.includes('e')) return groupDigits(Math.round(n));
    s = trimZeros(s);
  }
  return s.replaceAll('-', '\u2212');
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** The badge class of a verdict: good for the reference (EDeLeaR, or `as-written`) or the claim, bad against it, neutral otherwise. */
export function verdictClass(verdict: string): 'good' | 'bad' | 'neutral' {
  if (verdict === 'holds' || verdictSays(verdict, 'better')) return 'good';
  if (verdict === 'does not hold' || verdictSays(verdict, 'worse')) return 'bad';
  return 'neutral';
}

/** A verdict as a badge (escaped). */
export function verdictBadge(verdict: string): string {
  const text = verdict === 'does not hold' ? 'does NOT hold' : verdict;
  return `<span class="verdict ${verdictClass(verdict)}">${escapeHtml(text)}</span>`;
}

function cellHtml(column: string, cell: string): string {
  if (cell === '') return '<td></td>';
  if (isNumeric(cell)) return `<td class="num" title="${escapeHtml(cell)}">${formatNumber(Number(cell))}</td>`;
  if (column === 'verdict' || column.endsWith('_verdict')) return `<td>${verdictBadge(cell)}</td>`;
  return `<td>${escapeHtml(cell)}</td>`;
}

/** How a table is shown. */
export interface TableOptions {
  /** Rows shown at most (the rest are in the file). */
  readonly maxRows: number;
}

/** Columns with one value on every row of a table of two or more rows: shown once, above it. */
export function constantColumns(t: CsvTable): Set<number> {
  const constant = new Set<number>();
  if (t.rows.length < 2 || t.rows.length < t.totalRows) return constant;
  for (let c = 0; c < t.columns.length; c++) {
    const v = t.rows[0][c] ?? '';
    if (t.rows.every((r) => (r[c] ?? '') === v)) constant.add(c);
  }
  // Keep at least one column in the table itself.
  if (constant.size === t.columns.length) constant.delete(t.columns.length - 1);
  return constant;
}

/** The HTML of one CSV table: its constant columns said once, then the table (the first rows when it is long). */
export function tableHtml(t: CsvTable, o: TableOptions): string {
  if (t.columns.length === 0) return '<p class="note">The file is empty.</p>';
  const constant = constantColumns(t);
  const parts: string[] = [];
  const said = [...constant].filter((c) => (t.rows[0][c] ?? '') !== '');
  const blank = [...constant].filter((c) => (t.rows[0][c] ?? '') === '');
  if (said.length > 0) {
    parts.push('<dl class="constants">');
    for (const c of said) parts.push(`<dt>${escapeHtml(t.columns[c])}</dt><dd>${constantValue(t.columns[c], t.rows[0][c])}</dd>`);
    parts.push('</dl>');
  }
  if (blank.length > 0) parts.push(`<p class="note">Empty on every row: ${blank.map((c) => escapeHtml(t.columns[c])).join(', ')}.</p>`);
  const shown = t.columns.map((_, c) => c).filter((c) => !constant.has(c));
  const rows = t.rows.slice(0, o.maxRows);
  if (rows.length === 0) {
    parts.push(`<p class="note">No rows (the header alone): ${shown.map((c) => escapeHtml(t.columns[c])).join(', ')}.</p>`);
    return parts.join('\n');
  }
  const numeric = shown.map((c) => rows.every((r) => (r[c] ?? '') === '' || isNumeric(r[c])));
  parts.push('<div class="table-wrap"><table>');
  parts.push(`<thead><tr>${shown.map((c, i) => `<th${numeric[i] ? ' class="num"' : ''}>${escapeHtml(t.columns[c])}</th>`).join('')}</tr></thead>`);
  parts.push('<tbody>');
  for (const r of rows) parts.push(`<tr>${shown.map((c) => cellHtml(t.columns[c], r[c] ?? '')).join('')}</tr>`);
  parts.push('</tbody></table></div>');
  if (t.totalRows > rows.length) {
    parts.push(`<p class="note">Showing the first ${formatNumber(rows.length)} of ${formatNumber(t.totalRows)} rows; the rest are in ${escapeHtml(t.file)}.</p>`);
  }
  return parts.join('\n');
}

function constantValue(column: string, cell: string): string {
  if (isNumeric(cell)) return `<span title="${escapeHtml(cell)}">${formatNumber(Number(cell))}</span>`;
  if (column === 'verdict') return verdictBadge(cell);
  return escapeHtml(cell);
}
