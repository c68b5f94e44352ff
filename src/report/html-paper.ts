/**
 * The report's sections for the EDeLeaR paper: its Tables 1–5 as `edelear compare` computes them
 * (report/paper-tables.ts) with captions, and claims.csv's verdicts — every claim and every
 * subject or baseline it was judged on, those that do not hold said plainly first.
 */
import { escapeHtml } from './html-escape.ts';
import { type CsvTable, formatNumber, isNumeric, tableHtml, verdictBadge } from './html-table.ts';

/**
 * Captions of the paper's tables as compare lays them out (what each holds here: our computed or
 * measured figures, never the paper's own; each row's `source` says which), by file.
 */
export const PAPER_TABLE_CAPTIONS: readonly (readonly [string, string])[] = [
  ['table1.csv', "Table 1 — model compression: the size of each layer with parameters, original (fp32), pruned, and pruned then quantized (MB), after the paper's Table 1"],
  ['table2.csv', "Table 2 — dynamic resource allocation: each tenant's demand and device capacity, and the share of the partitioned node it offered and was allocated, after the paper's Table 2"],
  ['table3.csv', "Table 3 — task offloading: the share of each device's requests sent to each candidate node, with the linear program's inputs (latency, energy and privacy), after the paper's Table 3"],
  ['table4.csv', "Table 4 — latency-aware inference per device: network latency, parallelization, caching efficiency and batch size, after the paper's Table 4"],
  ['table5.csv', "Table 5 — accuracy, latency, energy and utilization per device for EDeLeaR and every arm, after the paper's Table 5"],
  ['pipelining.csv', "Model parallelization (§III.D) — each workload's model pipelined over the deployment's devices by balancePipeline, against each device alone; computed from the cited profiles and the scenario's links, not simulated"],
  ['compression_study.csv', 'The measured compression study behind claim 1: the zoo MLP trained on MNIST digits on each seed and compressed for real'],
];

/** Whether a CSV file is one of the paper's tables (shown in their own section). */
export function isPaperTable(file: string): boolean {
  return PAPER_TABLE_CAPTIONS.some(([f]) => f === file);
}

/** The section of the paper's tables present in the folder, in the paper's order ('' when none is). */
export function paperTablesHtml(tables: readonly CsvTable[], maxRows: number, anchor: (file: string) => string, link: (file: string) => string = escapeHtml): string {
  const parts: string[] = [];
  for (const [file, caption] of PAPER_TABLE_CAPTIONS) {
    const t = tables.find((x) => x.file === file);
    if (!t) continue;
    parts.push(`<section class="table" id="${anchor(file)}"><h3>${escapeHtml(caption)} <span class="file">${link(file)}</span></h3>`);
    parts.push(tableHtml(t, { maxRows }));
    parts.push('</section>');
  }
  return parts.join('\n');
}

/** Columns of claims.csv shown in a claim's heading or text, not among its figures. */
const CLAIM_TEXT_COLUMNS = new Set(['scenario', 'seeds', 'claim', 'measured', 'baseline', 'verdict', 'source']);

/** One judged row of claims.csv, by column. */
type ClaimRow = Record<string, string>;

function rowsOf(t: CsvTable): ClaimRow[] {
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i] ?? ''])));
}

function number(cell: string): string {
  return isNumeric(cell) ? `<span title="${escapeHtml(cell)}">${formatNumber(Number(cell))}</span>` : escapeHtml(cell);
}

/** A row's figures: each non-empty column, a `_mean` with its `_ci95_low`/`_ci95_high` as `mean [low, high]`. */
function figuresHtml(row: ClaimRow, columns: readonly string[]): string {
  const items: string[] = [];
  for (const c of columns) {
    if (CLAIM_TEXT_COLUMNS.has(c) || row[c] === '' || /_ci95_(low|high)$/.test(c)) continue;
    const stem = c.endsWith('_mean') ? c.slice(0, -'_mean'.length) : undefined;
    const low = stem !== undefined ? row[`${stem}_ci95_low`] : undefined;
    const high = stem !== undefined ? row[`${stem}_ci95_high`] : undefined;
    const ci = low && high ? ` [${number(low)}, ${number(high)}]` : '';
    items.push(`<dt>${escapeHtml(c)}${ci ? ' [95% CI]' : ''}</dt><dd>${number(row[c])}${ci}</dd>`);
  }
  return items.length > 0 ? `<dl class="figures">${items.join('')}</dl>` : '';
}

/** What a row was judged against, in a line: its baseline, else its split or compression. */
function subject(row: ClaimRow): string {
  return row.baseline || [row.split && `split ${row.split}`, row.compression && `compression ${row.compression}`].filter(Boolean).join(', ') || 'the claim as a whole';
}

/** Text up to its first separator (`: `, `; `), at most `max` characters (an ellipsis when cut). */
function headOf(text: string, max = 110): string {
  const cut = text.search(/: |; /);
  const head = cut > 0 ? text.slice(0, cut) : text;
  return head.length > max ? `${head.slice(0, max - 1)}…` : head;
}

/** A row that does not hold, in a line: against what (and what was measured, when `ambiguous`), its margin and threshold. */
function failingLine(r: ClaimRow, ambiguous: boolean): string {
  const words = [`against ${escapeHtml(headOf(subject(r)))}`];
  if (ambiguous && r.measured) words.push(escapeHtml(headOf(r.measured)));
  const margin = r.margin_fraction_mean;
  if (margin) {
    const ci = r.margin_fraction_ci95_low && r.margin_fraction_ci95_high ? ` [${number(r.margin_fraction_ci95_low)}, ${number(r.margin_fraction_ci95_high)}]` : '';
    words.push(`margin_fraction ${number(margin)}${ci}${r.threshold_fraction ? `, threshold ${number(r.threshold_fraction)}` : ''}`);
  }
  return words.join(' — ');
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Counts of verdicts in words: "3 hold, 2 do NOT hold, 1 inconclusive". */
function verdictCounts(rows: readonly ClaimRow[]): string {
  const count = (v: string) => rows.filter((r) => r.verdict === v).length;
  const holds = count('holds');
  const not = count('does not hold');
  const other = rows.length - holds - not;
  const words = [`${holds} ${holds === 1 ? 'holds' : 'hold'}`, `${not} ${not === 1 ? 'does' : 'do'} NOT hold`];
  if (other > 0) words.push(`${other} inconclusive or other`);
  return words.join(', ');
}

/** The claims section from claims.csv: a summary, what does not hold, then each claim's rows with their figures. */
export function claimsHtml(t: CsvTable): string {
  const rows = rowsOf(t);
  const claims = [...new Set(rows.map((r) => r.claim ?? ''))];
  const failing = rows.filter((r) => r.verdict === 'does not hold');
  const parts: string[] = [];
  parts.push(`<p class="claims-summary">${plural(claims.length, 'claim', 'claims')}, judged on ${plural(rows.length, 'row', 'rows')} (a subject or baseline each): ${verdictCounts(rows)}. A claim holds when the whole 95% interval of its margin is at or above the threshold, does not hold when the whole interval is below it, and is inconclusive otherwise (claims.csv).</p>`);
  if (failing.length > 0) {
    parts.push(`<div class="does-not-hold"><p><strong>Does NOT hold (${failing.length}):</strong></p>`);
    for (const claim of claims) {
      const own = failing.filter((r) => (r.claim ?? '') === claim);
      if (own.length === 0) continue;
      parts.push(`<p>“${escapeHtml(claim)}” (${own.length}):</p><ul>`);
      const heads = own.map((r) => headOf(subject(r)));
      own.forEach((r, i) => parts.push(`<li>${failingLine(r, heads.indexOf(heads[i]) !== heads.lastIndexOf(heads[i]))}</li>`));
      parts.push('</ul>');
    }
    parts.push('</div>');
  } else {
    parts.push('<p class="note">No row of claims.csv has the verdict “does not hold”.</p>');
  }
  for (const claim of claims) {
    const own = rows.filter((r) => (r.claim ?? '') === claim);
    parts.push(`<section class="claim"><h3>“${escapeHtml(claim)}”</h3><p>${verdictCounts(own)}.</p>`);
    for (const r of own) {
      parts.push(`<div class="claim-row ${r.verdict === 'does not hold' ? 'bad' : r.verdict === 'holds' ? 'good' : 'neutral'}">`);
      parts.push(`<p>${verdictBadge(r.verdict ?? '')} against ${escapeHtml(subject(r))}</p>`);
      if (r.measured) parts.push(`<p class="measured">Measured: ${escapeHtml(r.measured)}</p>`);
      parts.push(figuresHtml(r, t.columns));
      parts.push('</div>');
    }
    parts.push('</section>');
  }
  const source = rows.find((r) => r.source)?.source;
  if (source) parts.push(`<p class="note">Claims from ${escapeHtml(source)}.</p>`);
  return parts.join('\n');
}
