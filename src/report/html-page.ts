/**
 * report.html: one self-contained page for a results folder — what was run (from its manifest),
 * claims.csv's verdicts, the paper's tables, every chart drawn live by vega-embed, and every other
 * CSV file as a table. vega, vega-lite and vega-embed are inlined from the installed packages and a
 * Content-Security-Policy forbids every fetch, so the page works offline and reaches no network.
 * When the charts are drawn the page sets `data-charts` on <html> to `rendered` (or `failed`,
 * with `data-charts-failed` counting them): tests and scripts wait for it.
 */
import { basename, join } from 'node:path';
import { EDELEAR_ARM } from '../scenario/arm-names.ts';
import { escapeHtml, inlineScript, jsonForScript } from './html-escape.ts';
import type { ChartFile, FolderKind, ResultsFolder } from './html-folder.ts';
import { claimsHtml, isPaperTable, paperTablesHtml } from './html-paper.ts';
import { type CsvTable, formatNumber, tableHtml } from './html-table.ts';
import type { BrowserLibrary } from './html-assets.ts';
import { WARNINGS_FILE } from './warnings-file.ts';

/** What the page is made from. */
export interface ReportInput {
  readonly folder: ResultsFolder;
  readonly libraries: readonly BrowserLibrary[];
  /** The folder as a relative URL path from the page ('' when the page is in it), for links to its files. */
  readonly folderHref: string;
}

/** Rows of a table shown at most (the rest are in its file). */
export const MAX_TABLE_ROWS = 1000;

/** The tables shown first, in this order, when a folder has them; the rest follow by name. */
const TABLE_ORDER = ['summary.csv', 'compare.csv', 'compare_runs.csv', 'requests.csv', 'latency.csv', 'nodes.csv', 'links.csv', 'run.csv'];

const KIND_WORDS: Record<FolderKind, { readonly label: string; readonly marker: string }> = {
  run: { label: 'a run', marker: 'manifest.json' },
  comparison: { label: 'a comparison', marker: 'compare.csv' },
  sweep: { label: 'a sweep', marker: 'summary.csv' },
};

/**
 * No 'unsafe-eval': the driver asks vega-embed for expression ASTs (`ast: true`), which it then
 * evaluates with the expression interpreter bundled in its build, so no expression is compiled
 * with `new Function` (vega's CSP-compliant mode, https://vega.github.io/vega/usage/interpreter/).
 */
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
:root { color-scheme: light; --fg: #1d2430; --muted: #5b6575; --line: #d8dde6; --good: #1a7f37; --bad: #c4281c; --neutral: #8a6d00; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--fg); margin: 0 auto; padding: 1.5rem 2rem 4rem; max-width: 1400px; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; } h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
.kind { display: inline-block; padding: .1rem .6rem; border-radius: 1rem; background: #e8eefc; color: #1f3f99; font-weight: 600; font-size: .9rem; }
.file { font: 500 .8rem ui-monospace, monospace; color: var(--muted); margin-left: .5rem; }
nav ul { columns: 3; list-style: none; padding: 0; } nav a { text-decoration: none; }
.note { color: var(--muted); font-size: .9rem; }
.table-wrap { overflow: auto; max-height: 70vh; border: 1px solid var(--line); border-radius: 4px; }
table { border-collapse: collapse; font-size: .85rem; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { position: sticky; top: 0; background: #f3f5f9; z-index: 1; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fafbfc; }
dl.constants, dl.facts, dl.figures { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0; font-size: .9rem; }
dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
.verdict { display: inline-block; padding: 0 .5rem; border-radius: .75rem; font-weight: 600; font-size: .85rem; white-space: nowrap; border: 1px solid; }
.verdict.good { color: var(--good); background: #e6f4ea; } .verdict.bad { color: #fff; background: var(--bad); } .verdict.neutral { color: var(--neutral); background: #fff7d6; }
.does-not-hold { border-left: 5px solid var(--bad); background: #fdecea; padding: .5rem 1rem; margin: 1rem 0; }
.claims-summary { font-size: 1.05rem; font-weight: 500; }
.claim-row { border-left: 4px solid var(--line); padding: .25rem .75rem; margin: .6rem 0; }
.claim-row.good { border-color: var(--good); } .claim-row.bad { border-color: var(--bad); } .claim-row.neutral { border-color: #e0c040; }
.claim-row p { margin: .2rem 0; } .measured { color: var(--muted); font-size: .85rem; }
figure.chart { margin: 1.5rem 0; padding: 1rem; border: 1px solid var(--line); border-radius: 6px; overflow: auto; }
figure.chart figcaption { color: var(--muted); font-size: .85rem; margin-top: .5rem; }
.chart-view.failed { color: var(--bad); font-weight: 600; }
pre { background: #f3f5f9; padding: .5rem; overflow: auto; font-size: .8rem; }
`;

/**
 * Draws every chart with vega-embed (SVG), marks a chart that failed and logs it as a console
 * error, then sets data-charts on <html>. Static text: it reads the specs from their JSON elements.
 */
const DRIVER = `
(function () {
  var figures = Array.prototype.slice.call(document.querySelectorAll('figure[data-spec]'));
  var options = { renderer: 'svg', ast: true, actions: { export: true, source: true, compiled: true, editor: false } };
  Promise.allSettled(figures.map(function (f) {
    return Promise.resolve().then(function () {
      var spec = JSON.parse(document.getElementById(f.dataset.spec).textContent);
      return vegaEmbed(f.querySelector('.chart-view'), spec, options);
    });
  })).then(function (results) {
    var failed = 0;
    results.forEach(function (r, i) {
      if (r.status !== 'rejected') return;
      failed++;
      var why = r.reason && r.reason.message ? r.reason.message : String(r.reason);
      var view = figures[i].querySelector('.chart-view');
      view.textContent = 'This chart could not be drawn: ' + why;
      view.classList.add('failed');
      console.error('chart ' + figures[i].dataset.file + ': ' + why);
    });
    document.documentElement.dataset.chartsFailed = String(failed);
    document.documentElement.dataset.charts = failed ? 'failed' : 'rendered';
  });
})();
`;

/** An id for an element from a file name (letters, digits and hyphens). */
export function anchorOf(file: string): string {
  return `f-${file.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/** A link to a file of the folder, relative to the page. */
function fileLink(input: ReportInput, file: string): string {
  return `<a href="${escapeHtml(input.folderHref + encodeURIComponent(file))}">${escapeHtml(file)}</a>`;
}

/** The name the report goes by: a sweep's name, else the scenario file's, else the folder's. */
export function reportName(folder: ResultsFolder): string {
  const sweep = folder.manifest?.sweep as { name?: unknown } | undefined;
  if (folder.kind === 'sweep' && typeof sweep?.name === 'string' && sweep.name) return sweep.name;
  const scenario = folder.manifest?.scenario as { file?: unknown } | undefined;
  if (typeof scenario?.file === 'string') return basename(scenario.file).replace(/\.(ya?ml|json)$/i, '');
  return basename(folder.dir.replace(/[/\\]+$/, '')) || folder.dir;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function scalarText(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

/** Labels of the manifest's fields, in the order shown; the others follow under their own names. */
const MANIFEST_LABELS: Record<string, string> = {
  version: 'edelear version',
  gitCommit: 'git commit',
  seed: 'seed',
  node: 'Node.js',
  runs: 'worlds simulated',
  eventsProcessed: 'events',
  wallSeconds: 'wall time (s), the whole command',
  buildSeconds: 'building (s)',
  simulationSeconds: 'simulation (s), the event loops',
  trainingSeconds: 'real training (s)',
  requestsPerSimulationSecond: 'requests per simulation second',
  incomplete: 'stopped early',
};

/** What was run, from manifest.json: the scenario and seed, versions, timings, and a comparison's arms. */
function manifestHtml(input: ReportInput): string {
  const m = input.folder.manifest;
  if (!m) return '<p class="note">This folder has no manifest.json: what was run is known only from its tables.</p>';
  const facts: string[] = [];
  const fact = (label: string, value: string) => facts.push(`<dt>${escapeHtml(label)}</dt><dd>${value}</dd>`);
  const shown = new Set(['tool', 'scenario', 'dependencies', 'files', 'comparison']);
  if (isRecord(m.sweep)) {
    if (m.sweep.name !== undefined) fact('sweep', escapeHtml(String(m.sweep.name)));
    if (m.sweep.file !== undefined) fact('sweep file', `<code>${escapeHtml(String(m.sweep.file))}</code>`);
    if (m.sweep.sha256 !== undefined) fact('its SHA-256', `<code>${escapeHtml(String(m.sweep.sha256))}</code>`);
    if (Object.keys(m.sweep).every((k) => ['name', 'file', 'sha256'].includes(k))) shown.add('sweep');
  }
  const scenario = m.scenario;
  if (isRecord(scenario)) {
    if (scenario.file !== undefined) fact('scenario file', `<code>${escapeHtml(String(scenario.file))}</code>`);
    if (scenario.sha256 !== undefined) fact('its SHA-256', `<code>${escapeHtml(String(scenario.sha256))}</code>`);
    const overrides = Array.isArray(scenario.overrides) ? scenario.overrides : [];
    fact('overrides (--set)', overrides.length > 0 ? overrides.map((o) => `<code>${escapeHtml(String(o))}</code>`).join(', ') : 'none');
    if (scenario.sha256WithOverrides !== undefined) fact('SHA-256 of the file with the overrides', `<code>${escapeHtml(String(scenario.sha256WithOverrides))}</code>`);
  }
  for (const [key, label] of Object.entries(MANIFEST_LABELS)) {
    // A field of another shape than a run's (a sweep's `runs` counts) is shown below as JSON.
    if (m[key] === undefined || m[key] === null || typeof m[key] === 'object') continue;
    fact(label, escapeHtml(scalarText(m[key])));
    shown.add(key);
  }
  const nested: string[] = [];
  for (const [key, value] of Object.entries(m)) {
    if (shown.has(key) || value === undefined || value === null) continue;
    if (isRecord(value) || Array.isArray(value)) nested.push(`<details><summary>${escapeHtml(key)}</summary><pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre></details>`);
    else fact(key, escapeHtml(scalarText(value)));
  }
  if (isRecord(m.dependencies)) {
    fact('dependencies', Object.entries(m.dependencies).map(([k, v]) => `${escapeHtml(k)} ${escapeHtml(String(v))}`).join(', '));
  }
  const parts = [`<dl class="facts">${facts.join('')}</dl>`];
  if (isRecord(m.comparison)) parts.push(comparisonHtml(m.comparison));
  parts.push(...nested);
  return parts.join('\n');
}

/** A comparison's seeds, arms (with their overrides) and the arms not run with why. */
function comparisonHtml(c: Record<string, unknown>): string {
  const parts: string[] = [];
  if (Array.isArray(c.seeds)) parts.push(`<p>Seeds: ${escapeHtml(c.seeds.map(String).join(', '))} (every arm on the same ones: common random numbers).</p>`);
  const arms = Array.isArray(c.arms) ? c.arms.filter(isRecord) : [];
  if (arms.length > 0) {
    parts.push(`<h3>Arms run (${arms.length})</h3><div class="table-wrap"><table><thead><tr><th>arm</th><th>role</th><th>what it runs</th><th>overrides</th><th>same runs as</th></tr></thead><tbody>`);
    for (const a of arms) {
      const overrides = Array.isArray(a.overrides) ? a.overrides.map((o) => `<code>${escapeHtml(String(o))}</code>`).join('<br>') : '';
      parts.push(`<tr><td>${escapeHtml(String(a.name ?? ''))}</td><td>${escapeHtml(String(a.role ?? ''))}</td><td>${escapeHtml(String(a.description ?? ''))}</td><td>${overrides}</td><td>${escapeHtml(String(a.sameAs ?? a.same_as ?? ''))}</td></tr>`);
    }
    parts.push('</tbody></table></div>');
  }
  const skipped = Array.isArray(c.skipped) ? c.skipped.filter(isRecord) : [];
  if (skipped.length > 0) {
    parts.push(`<h3>Arms not run (${skipped.length})</h3><ul>`);
    for (const s of skipped) parts.push(`<li><strong>${escapeHtml(String(s.name ?? ''))}</strong> (${escapeHtml(String(s.role ?? ''))}): ${escapeHtml(String(s.reason ?? ''))}</li>`);
    parts.push('</ul>');
  }
  const rest = Object.entries(c).filter(([k]) => !['seeds', 'arms', 'skipped'].includes(k));
  for (const [k, v] of rest) parts.push(`<details><summary>comparison.${escapeHtml(k)}</summary><pre>${escapeHtml(JSON.stringify(v, null, 2))}</pre></details>`);
  return parts.join('\n');
}

/** The title of a chart: its spec's title text, else its file's name. */
export function chartTitle(chart: ChartFile): string {
  const t = chart.spec.title;
  const text = isRecord(t) ? t.text : t;
  if (typeof text === 'string' && text) return text;
  if (Array.isArray(text) && text.length > 0) return text.map(String).join(' ');
  return chart.name;
}

function chartHtml(input: ReportInput, chart: ChartFile, i: number): string {
  const id = `spec-${i}`;
  const description = typeof chart.spec.description === 'string' ? `<figcaption>${escapeHtml(chart.spec.description)}</figcaption>` : '';
  const files = [chart.file, ...chart.renderings].map((f) => fileLink(input, f)).join(' · ');
  return [
    `<figure class="chart" id="${anchorOf(chart.file)}" data-spec="${id}" data-file="${escapeHtml(chart.file)}">`,
    `<h3>${escapeHtml(chartTitle(chart))} <span class="file">${files}</span></h3>`,
    '<div class="chart-view"></div>',
    description,
    `<script type="application/json" id="${id}">${jsonForScript(chart.spec)}</script>`,
    '</figure>',
  ].join('\n');
}

function tableSection(input: ReportInput, t: CsvTable): string {
  return `<section class="table" id="${anchorOf(t.file)}"><h3>${escapeHtml(t.file)} <span class="file">${fileLink(input, t.file)}</span></h3>\n${tableHtml(t, { maxRows: MAX_TABLE_ROWS })}\n</section>`;
}

function orderTables(tables: readonly CsvTable[]): CsvTable[] {
  const rank = (f: string) => {
    const i = TABLE_ORDER.indexOf(f);
    return i < 0 ? TABLE_ORDER.length : i;
  };
  return [...tables].sort((a, b) => rank(a.file) - rank(b.file) || a.file.localeCompare(b.file));
}

/** One sentence on what the folder is. */
function kindSentence(folder: ResultsFolder, name: string): string {
  const seeds = isRecord(folder.manifest?.comparison) && Array.isArray(folder.manifest.comparison.seeds) ? folder.manifest.comparison.seeds : undefined;
  const armList = isRecord(folder.manifest?.comparison) && Array.isArray(folder.manifest.comparison.arms) ? (folder.manifest.comparison.arms as unknown[]) : undefined;
  const arms = armList?.length;
  // The reference is the first arm: EDeLeaR, or `as-written` when the scenario uses none of EDeLeaR's policies.
  const reference = armList && isRecord(armList[0]) && typeof armList[0].name === 'string' ? armList[0].name : EDELEAR_ARM;
  switch (folder.kind) {
    case 'run':
      if (Array.isArray(folder.manifest?.seeds) && folder.manifest.seeds.length > 0) {
        // A learning study (helper-82: its page said "a run … on seed 1").
        const studied = folder.manifest.seeds.map((s) => scalarText(s));
        return `A learning study of the scenario ${escapeHtml(name)}: ${typeof folder.manifest.runs === 'number' ? `${folder.manifest.runs} runs` : 'its runs'} over ${studied.length} seed${studied.length === 1 ? '' : 's'} (${escapeHtml(studied.length > 1 ? `${studied[0]}..${studied[studied.length - 1]}` : studied[0])}), each split and compression on every seed (found manifest.json with seeds).`;
      }
      return `A run of the scenario ${escapeHtml(name)}${folder.manifest?.seed !== undefined ? ` on seed ${escapeHtml(scalarText(folder.manifest.seed))}` : ''} (found manifest.json and no compare.csv or summary.csv).`;
    case 'comparison':
      return `A comparison of the scenario ${escapeHtml(name)}: ${reference === EDELEAR_ARM ? 'EDeLeaR against its baselines and ablations' : `the scenario as written (${escapeHtml(reference)}: it uses none of EDeLeaR's own policies) against its baselines`}${arms !== undefined ? ` (${arms} arms run)` : ''}${seeds ? ` on ${seeds.length} seeds` : ''} (found compare.csv).`;
    case 'sweep':
      return `A sweep (found summary.csv: one row per parameter point and policy, with means and 95% intervals over its replications)${folder.runs.length > 0 ? `; ${folder.runs.length} runs in runs/, each a run folder <code>edelear report</code> can show` : ''}.`;
  }
}

/** The whole page. */
export function reportHtml(input: ReportInput): string {
  const { folder } = input;
  const name = reportName(folder);
  // A run folder with its study's seeds is a learning study (helper-95: headed "a run" over "A learning study … 18 runs").
  const study = folder.kind === 'run' && Array.isArray(folder.manifest?.seeds) && folder.manifest.seeds.length > 0;
  const kind = study ? { ...KIND_WORDS.run, label: 'a learning study' } : KIND_WORDS[folder.kind];
  const claims = folder.tables.find((t) => t.file === 'claims.csv');
  const paper = folder.tables.filter((t) => isPaperTable(t.file));
  const others = orderTables(folder.tables.filter((t) => t !== claims && !isPaperTable(t.file)));
  const nav: string[] = ['<li><a href="#what-was-run">What was run</a></li>'];
  const body: string[] = [];
  body.push(`<section id="what-was-run"><h2>What was run</h2>\n${manifestHtml(input)}\n</section>`);
  if (claims) {
    nav.push('<li><a href="#claims">Claims and verdicts</a></li>');
    body.push(`<section id="claims"><h2>Claims and verdicts <span class="file">${fileLink(input, claims.file)}</span></h2>\n${claimsHtml(claims)}\n</section>`);
  }
  if (folder.warnings) {
    const w = folder.warnings;
    nav.push(`<li><a href="#warnings">Warnings (${w.total})</a></li>`);
    const more = w.total > w.lines.length ? `<p class="note">The first ${w.lines.length} of ${w.total}; the file has them all.</p>` : '';
    body.push(
      `<section id="warnings"><h2>Warnings <span class="file">${fileLink(input, WARNINGS_FILE)}</span></h2>\n<p class="note">What the command warned of. A node or link that was overloaded, or that its runs saturated, makes the latencies through it depend on the run's length: they are not steady-state figures.</p>\n<ul>${w.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>${more}\n</section>`,
    );
  }
  if (folder.notes) {
    const n = folder.notes;
    nav.push(`<li><a href="#notes">Notes (${n.total})</a></li>`);
    const more = n.total > n.lines.length ? `<p class="note">The first ${n.lines.length} of ${n.total}; the file has them all.</p>` : '';
    body.push(
      `<section id="notes"><h2>Notes <span class="file">${fileLink(input, WARNINGS_FILE)}</span></h2>\n<p class="note">What the runs met that is no error (never one under --strict): an lp plan relaxed inside the warm-up, whose time the figures exclude; batteries that ran out before the end.</p>\n<ul>${n.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>${more}\n</section>`,
    );
  }
  if (paper.length > 0) {
    nav.push('<li><a href="#paper-tables">The paper\'s tables</a></li>');
    body.push(`<section id="paper-tables"><h2>The paper's tables</h2>\n<p class="note">Computed by the simulation, measured by real training, or computed from cited data files — never the paper's own numbers; each row's source says which.</p>\n${paperTablesHtml(paper, MAX_TABLE_ROWS, anchorOf, (f) => fileLink(input, f))}\n</section>`);
  }
  if (folder.parts.length > 0) {
    nav.push('<li><a href="#parts">Parts</a></li>');
    const items = folder.parts.map(
      (p) =>
        `<li><a href="${escapeHtml(`${input.folderHref}${encodeURIComponent(p.name)}/${p.hasReport ? 'report.html' : ''}`)}">${escapeHtml(p.name)}/${p.hasReport ? 'report.html' : ''}</a> — ${escapeHtml(KIND_WORDS[p.kind].label)}${p.hasReport ? '' : ` (no report.html yet: <code>edelear report ${escapeHtml(join(folder.dir, p.name))}</code> writes it)`}</li>`,
    );
    body.push(`<section id="parts"><h2>Parts</h2>\n<p class="note">Results folders inside this one, each with its own report.</p>\n<ul>${items.join('')}</ul>\n</section>`);
  }
  nav.push(`<li><a href="#charts">Charts (${folder.charts.length})</a></li>`);
  body.push(
    `<section id="charts"><h2>Charts</h2>\n${
      folder.charts.length > 0
        ? `<p class="note">Every *.vl.json of the folder, drawn by vega-embed: hover for values, the … menu saves SVG or PNG and shows the spec.</p>\n${folder.charts.map((c, i) => chartHtml(input, c, i)).join('\n')}`
        : '<p class="note">The folder has no charts (*.vl.json).</p>'
    }\n</section>`,
  );
  if (others.length > 0) {
    nav.push(`<li><a href="#tables">Tables (${others.length})</a></li>`);
    body.push(`<section id="tables"><h2>Tables</h2>\n<p class="note">Numbers to 4 significant digits; hover a number for its exact value in the file. Columns with one value on every row are said once above their table.</p>\n${others.map((t) => tableSection(input, t)).join('\n')}\n</section>`);
  }
  const libraries = input.libraries.map((l) => `${l.name} ${l.version}`).join(', ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="edelear-report-of" content="${escapeHtml(input.folderHref)}">
<title>${escapeHtml(name)} — ${kind.label} — edelear report</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(name)} <span class="kind">${escapeHtml(kind.label)}</span></h1>
<p>${kindSentence(folder, name)}</p>
<p class="note">edelear report of the folder <code>${escapeHtml(folder.dir)}</code>; charts drawn in the page by ${escapeHtml(libraries)}, inlined: the page fetches nothing.</p>
<nav><ul>${nav.join('')}</ul></nav>
</header>
<main>
${body.join('\n')}
</main>
${input.libraries.map((l) => `<script>${inlineScript(l.source, l.name)}</script>`).join('\n')}
<script>${DRIVER}</script>
</body>
</html>
`;
}
