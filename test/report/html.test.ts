import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { folderHref } from '../../src/cli/report.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { escapeHtml, inlineScript, jsonForScript } from '../../src/report/html-escape.ts';
import { readCsvTable, readResultsFolder } from '../../src/report/html-folder.ts';
import { reportHtml } from '../../src/report/html-page.ts';
import { claimsHtml, paperTablesHtml } from '../../src/report/html-paper.ts';
import { constantColumns, type CsvTable, formatNumber, tableHtml } from '../../src/report/html-table.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'edelear-html-'));
const MINUS = '\u2212';
const THIN = '\u2009';

function table(file: string, columns: string[], rows: string[][]): CsvTable {
  return { file, columns, rows, totalRows: rows.length };
}

/** Runs the function and returns the InputError it throws (fails the test if it throws none). */
function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError, none was thrown');
}

describe('numbers in report tables', () => {
  it('are shown to 4 significant digits, whole from 10,000, scientific below 0.001 (hand-rounded)', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(7)).toBe('7');
    expect(formatNumber(-42)).toBe(`${MINUS}42`);
    expect(formatNumber(9999)).toBe('9999');
    expect(formatNumber(17880)).toBe(`17${THIN}880`);
    expect(formatNumber(453427200)).toBe(`453${THIN}427${THIN}200`);
    expect(formatNumber(30.303389830508475)).toBe('30.3'); // 30.30 to 4 digits, trailing zero dropped
    expect(formatNumber(0.03291253866518339)).toBe('0.03291');
    expect(formatNumber(0.9999440715883668)).toBe('0.9999');
    expect(formatNumber(-0.0948194515830908)).toBe(`${MINUS}0.09482`);
    expect(formatNumber(41148.33974667471)).toBe(`41${THIN}148`); // from 10,000: whole
    expect(formatNumber(9999.95)).toBe(`10${THIN}000`); // 4 digits round it to 10,000
    expect(formatNumber(0.0007)).toBe('7e' + `${MINUS}4`);
    expect(formatNumber(5.123456e-7)).toBe(`5.123e${MINUS}7`);
    expect(formatNumber(1e21)).toBe('1e21');
  });

  it('are right-aligned with their exact value from the file on hover', () => {
    const html = tableHtml(table('t.csv', ['name', 'x'], [['a', '0.3333333333333333'], ['b', '2']]), { maxRows: 10 });
    expect(html).toContain('<td class="num" title="0.3333333333333333">0.3333</td>');
    expect(html).toContain('<th class="num">x</th>');
  });
});

describe('report tables', () => {
  it('say a column with one value on every row once, above the table, and leave it out of the table', () => {
    const t = table('r.csv', ['scenario', 'seed', 'workload', 'latency_s', 'note'], [
      ['default', '1', 'a', '0.5', ''],
      ['default', '1', 'b', '0.25', ''],
    ]);
    // scenario and seed are constant, note is empty on both rows: 3 of 5 columns.
    expect([...constantColumns(t)].sort()).toEqual([0, 1, 4]);
    const html = tableHtml(t, { maxRows: 10 });
    expect(html).toContain('<dt>scenario</dt><dd>default</dd>');
    expect(html).toContain('Empty on every row: note.');
    expect(html).toContain('<thead><tr><th>workload</th><th class="num">latency_s</th></tr></thead>');
  });

  it('show at most maxRows rows and say how many the file has', () => {
    const rows = Array.from({ length: 5 }, (_, i) => [String(i), 'x']);
    const html = tableHtml(table('long.csv', ['i', 'c'], rows), { maxRows: 3 });
    expect(html.match(/<tr>/g)?.length).toBe(1 + 3); // header and 3 rows
    expect(html).toContain('Showing the first 3 of 5 rows; the rest are in long.csv.');
  });

  it('escape every cell and column name: names in CSV files are user input', () => {
    const evil = '<img src=x onerror="alert(1)">';
    const html = tableHtml(table('e.csv', [evil, 'n'], [[evil, '1'], ['ok', '2']]), { maxRows: 10 });
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(escapeHtml(`a&b<c>"d"'e'`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;');
  });
});

describe('text in script elements', () => {
  it('JSON cannot end its <script> element and reads back unchanged', () => {
    const spec = { description: '</script><script>alert(1)</script> <!-- & \u2028' };
    const text = jsonForScript(spec);
    expect(text).not.toMatch(/<|>|&/);
    expect(JSON.parse(text)).toEqual(spec);
  });

  it('a library is inlined with </script written <\\/script, and one holding <!-- is refused', () => {
    expect(inlineScript('var s = "</script>"; var t = "</SCRIPT>";', 'lib')).toBe('var s = "<\\/script>"; var t = "<\\/SCRIPT>";');
    expect(() => inlineScript('var s = "<!--";', 'lib')).toThrow('lib: holds "<!--"');
  });
});

describe('reading a results folder', () => {
  it('refuses a missing folder, a file, and a folder with none of the marker files, naming it (InputError: exit 2)', () => {
    const dir = tmp();
    const missing = join(dir, 'nope');
    expect(inputError(() => readResultsFolder(missing)).message).toBe(`${missing}: no such folder; expected a results folder written by edelear run, compare or sweep`);
    writeFileSync(join(dir, 'a.txt'), 'x');
    expect(inputError(() => readResultsFolder(join(dir, 'a.txt'))).message).toBe(`${join(dir, 'a.txt')}: not a folder; expected a results folder written by edelear run, compare or sweep`);
    expect(inputError(() => readResultsFolder(dir)).message).toBe(
      `${dir}: not a results folder: expected summary.csv (a sweep), or compare.csv (a comparison), or manifest.json (a run); found none of them`,
    );
  });

  it("shows warnings.txt (what the command warned of) in a section of its own, escaped, the first 200 of a longer file; none without one", () => {
    const dir = tmp();
    writeFileSync(join(dir, 'manifest.json'), '{"seed": 1}');
    expect(reportHtml({ folder: readResultsFolder(dir), libraries: [], folderHref: '' })).not.toContain('id="warnings"');
    writeFileSync(join(dir, 'warnings.txt'), `node <edge> was saturated: busy 100.0 %\n${Array.from({ length: 250 }, (_, i) => `arm a: warning ${i}`).join('\n')}\n`);
    const folder = readResultsFolder(dir);
    expect(folder.warnings?.total).toBe(251);
    const html = reportHtml({ folder, libraries: [], folderHref: '' });
    expect(html).toContain('<a href="#warnings">Warnings (251)</a>');
    expect(html).toContain('<li>node &lt;edge&gt; was saturated: busy 100.0 %</li>');
    expect(html).toContain('The first 200 of 251; the file has them all.');
    expect(html).not.toContain('warning 199<');
    // Notes (what runs met that is no error) are a section of their own, not warnings (helper-81: the report undid the split).
    writeFileSync(join(dir, 'warnings.txt'), 'node edge was saturated: busy 100.0 %\nnote: arm EDeLeaR: inside the warm-up (…): lp placement: …\n');
    const both = readResultsFolder(dir);
    expect([both.warnings?.total, both.notes?.total]).toEqual([1, 1]);
    const page = reportHtml({ folder: both, libraries: [], folderHref: '' });
    expect(page).toContain('<a href="#warnings">Warnings (1)</a>');
    expect(page).toContain('<a href="#notes">Notes (1)</a>');
    expect(page).toContain('<li>arm EDeLeaR: inside the warm-up (…): lp placement: …</li>');
    writeFileSync(join(dir, 'warnings.txt'), 'note: the batteries of 2 of the 2 issuing devices ran out before the end\n');
    expect(reportHtml({ folder: readResultsFolder(dir), libraries: [], folderHref: '' })).not.toContain('id="warnings"');
  });

  it('says a learning study is one, over its seeds (helper-82: "a run … on seed 1")', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'manifest.json'), '{"seed": 1, "seeds": [1, 2, 3], "runs": 9}');
    const page = reportHtml({ folder: readResultsFolder(dir), libraries: [], folderHref: '' });
    expect(page).toMatch(/A learning study of the scenario \S+: 9 runs over 3 seeds \(1\.\.3\)/);
    // Its heading too (helper-95: "a run").
    expect(page).toMatch(/<h1>\S+ <span class="kind">a learning study<\/span><\/h1>/);
    writeFileSync(join(dir, 'manifest.json'), '{"seed": 1, "seeds": [1], "runs": 3}');
    expect(reportHtml({ folder: readResultsFolder(dir), libraries: [], folderHref: '' })).toMatch(/3 runs over 1 seed \(1\)/);
    writeFileSync(join(dir, 'manifest.json'), '{"seed": 4}');
    expect(reportHtml({ folder: readResultsFolder(dir), libraries: [], folderHref: '' })).toMatch(/A run of the scenario \S+ on seed 4/);
  });

  it('tells the kind by its marker file: summary.csv before compare.csv before manifest.json', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'manifest.json'), '{"seed": 1}');
    expect(readResultsFolder(dir).kind).toBe('run');
    writeFileSync(join(dir, 'compare.csv'), 'arm,metric\nEDeLeaR,latency_mean_s\n');
    expect(readResultsFolder(dir).kind).toBe('comparison');
    writeFileSync(join(dir, 'summary.csv'), 'policy,replications\nlp,3\n');
    mkdirSync(join(dir, 'runs', 'b2'), { recursive: true });
    mkdirSync(join(dir, 'runs', 'a1'), { recursive: true });
    const sweep = readResultsFolder(dir);
    expect(sweep.kind).toBe('sweep');
    expect(sweep.runs).toEqual(['a1', 'b2']);
    expect(sweep.tables.map((t) => t.file)).toEqual(['compare.csv', 'summary.csv']);
  });

  it('discovers every chart and names a bad one: not JSON, or not an object', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'manifest.json'), '{}');
    writeFileSync(join(dir, 'b.vl.json'), '{"mark": "point"}');
    writeFileSync(join(dir, 'b.svg'), '<svg/>');
    writeFileSync(join(dir, 'a.vl.json'), '{"mark": "bar"}');
    const folder = readResultsFolder(dir);
    expect(folder.charts.map((c) => [c.file, c.name, c.renderings])).toEqual([
      ['a.vl.json', 'a', []],
      ['b.vl.json', 'b', ['b.svg']],
    ]);
    writeFileSync(join(dir, 'c.vl.json'), '[1, 2]');
    expect(inputError(() => readResultsFolder(dir)).message).toBe(`${join(dir, 'c.vl.json')}: a JSON array; expected a Vega-Lite spec (a JSON object)`);
    writeFileSync(join(dir, 'c.vl.json'), '{"mark": ');
    expect(inputError(() => readResultsFolder(dir)).message).toMatch(new RegExp(`^${join(dir, 'c.vl.json')}: not valid JSON \\(.+\\); expected a Vega-Lite spec \\(a JSON object\\)$`));
  });

  it('names a CSV file whose rows do not match its header, with the line', () => {
    const dir = tmp();
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'a,b\n1,2\n3\n');
    const e = inputError(() => readCsvTable(file));
    expect(e.problems[0].line).toBe(3);
    expect(e.message).toMatch(new RegExp(`^${file}:3: not a CSV table \\(.+\\); expected a header and rows of the same number of fields$`));
  });

  it('reads the head of a file over 4 MiB and counts all its rows', () => {
    const dir = tmp();
    const file = join(dir, 'trace.csv');
    const n = 200_000; // 200,000 rows of 25 bytes ≈ 5 MB
    writeFileSync(file, `id,latency_s\n${Array.from({ length: n }, (_, i) => `${String(i).padStart(8, '0')},0.123456789012\n`).join('')}`);
    const t = readCsvTable(file);
    expect(t.totalRows).toBe(n);
    // The first 1 MiB holds the header (16 bytes) and whole rows of 24 bytes: ⌊(2^20 − 16) / 24⌋.
    expect(t.rows.length).toBe(Math.floor((2 ** 20 - 16) / 24));
    expect(t.rows[0]).toEqual(['00000000', '0.123456789012']);
  });
});

describe("the paper's sections", () => {
  const columns = ['scenario', 'seeds', 'n', 'claim', 'measured', 'baseline', 'margin_fraction_mean', 'margin_fraction_ci95_low', 'margin_fraction_ci95_high', 'threshold_fraction', 'verdict', 'source'];
  const row = (claim: string, baseline: string, mean: string, low: string, high: string, verdict: string) => ['paper', '1..5', '5', claim, `measured ${baseline}`, baseline, mean, low, high, '0.4', verdict, 'the paper'];
  const claims = table('claims.csv', columns, [
    row('latency reduced by 40%', 'baseline:all-local: a whole baseline', '0.99', '0.98', '0.995', 'holds'),
    row('latency reduced by 40%', 'baseline:all-cloud: a whole baseline', '-1.5', '-1.8', '-1.2', 'does not hold'),
    row('latency reduced by 40%', 'baseline:least-loaded: a whole baseline', '0.25', '0.09', '0.4', 'inconclusive'),
    row('size reduced by 70%', 'fp32 <b>model</b>', '0', '0', '0', 'does not hold'),
  ]);

  it('count the verdicts and list every row that does not hold, plainly, with its margin and threshold', () => {
    const html = claimsHtml(claims);
    expect(html).toContain('2 claims, judged on 4 rows (a subject or baseline each): 1 holds, 2 do NOT hold, 1 inconclusive or other.');
    expect(html).toContain('<strong>Does NOT hold (2):</strong>');
    expect(html).toContain(`<li>against baseline:all-cloud — margin_fraction <span title="-1.5">${MINUS}1.5</span> [<span title="-1.8">${MINUS}1.8</span>, <span title="-1.2">${MINUS}1.2</span>], threshold <span title="0.4">0.4</span></li>`);
    expect(html).toContain('against fp32 &lt;b&gt;model&lt;/b&gt;');
    expect(html).not.toContain('<b>model');
    // Per claim: the latency claim's three rows, the size claim's one.
    expect(html).toContain('<h3>“latency reduced by 40%”</h3><p>1 holds, 1 does NOT hold, 1 inconclusive or other.</p>');
    expect(html).toContain('<h3>“size reduced by 70%”</h3><p>0 hold, 1 does NOT hold.</p>');
    expect(html.match(/<span class="verdict bad">does NOT hold<\/span>/g)?.length).toBe(2);
  });

  it("show the paper's tables in the paper's order with their captions", () => {
    const t5 = table('table5.csv', ['arm', 'latency_mean_s_mean'], [['EDeLeaR', '0.365']]);
    const t1 = table('table1.csv', ['layer', 'original_MB'], [['features.0', '0.003712']]);
    const html = paperTablesHtml([t5, t1], 10, (f) => f);
    expect(html.indexOf('Table 1 — model compression')).toBeGreaterThan(-1);
    expect(html.indexOf('Table 1 — model compression')).toBeLessThan(html.indexOf('Table 5 — accuracy, latency, energy and utilization'));
    // Each table names its file as a link, as the other tables do (helper-95).
    expect(paperTablesHtml([t1], 10, (f) => f, (f) => `<a href="${f}">${f}</a>`)).toContain('<span class="file"><a href="table1.csv">table1.csv</a></span>');
  });
});

describe('the page', () => {
  it('links to the folder from wherever it is written', () => {
    expect(folderHref('results/x', 'results/x/report.html')).toBe('');
    expect(folderHref('results/my run', 'out/r.html')).toBe('../results/my%20run/');
  });

  it('has one figure per chart, each spec in a JSON script element, no file text unescaped, and loads nothing (CSP)', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ scenario: { file: 'scenarios/<x>.yaml', sha256: 'ab', overrides: ['a=<b>'] }, seed: 3 }));
    writeFileSync(join(dir, 'nodes.csv'), 'node,served\n<script>alert(1)</script>,3\ngw,4\n');
    writeFileSync(join(dir, 'a.vl.json'), JSON.stringify({ title: 'A </script> chart', mark: 'point', data: { values: [{ x: '</script><script>alert(2)</script>' }] } }));
    writeFileSync(join(dir, 'b.vl.json'), JSON.stringify({ mark: 'bar' }));
    const html = reportHtml({ folder: readResultsFolder(dir), libraries: [{ name: 'fake', version: '1', source: 'window.fake = 1;' }], folderHref: '' });
    expect(html.match(/<figure class="chart"/g)?.length).toBe(2);
    expect(html.match(/<script type="application\/json" id="spec-\d">/g)?.length).toBe(2);
    // Only the page's own script elements: fake's, the driver, and the two specs.
    expect(html.match(/<script/g)?.length).toBe(4);
    expect(html.match(/<\/script>/g)?.length).toBe(4);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<h1>&lt;x&gt; <span class="kind">a run</span></h1>');
    expect(html).toContain("default-src 'none'");
    // Expressions are interpreted from their ASTs, so the page needs no eval.
    expect(html).not.toContain('unsafe-eval');
    expect(html).toContain('ast: true');
  });

  it("a sweep goes by its sweep's name, and manifest fields of another shape are shown as JSON, never [object Object]", () => {
    const dir = tmp();
    writeFileSync(join(dir, 'summary.csv'), 'duration,policy,replications,latency_mean_s_mean\n1 min,EDeLeaR,3,0.032\n');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ sweep: { name: 'default-load', file: 's.yaml', sha256: 'ab' }, scenario: { file: 'scenarios/default.yaml' }, runs: { asked: 27, executed: 27 } }));
    const html = reportHtml({ folder: readResultsFolder(dir), libraries: [], folderHref: '' });
    expect(html).toContain('<h1>default-load <span class="kind">a sweep</span></h1>');
    expect(html).toContain('<dt>sweep</dt><dd>default-load</dd>');
    expect(html).not.toContain('[object Object]');
    expect(html).toContain('<details><summary>runs</summary><pre>{\n  &quot;asked&quot;: 27,');
  });

  it('is written by `edelear report DIR`, and a folder that is not a results folder exits 2 naming it', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'manifest.json'), '{"seed": 1}');
    writeFileSync(join(dir, 'run.csv'), 'seed\n1\n');
    const ok = spawnSync(process.execPath, ['bin/edelear.js', 'report', dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe(`${join(dir, 'report.html')}: report of a run — 1 table, 0 charts (${(readFileSync(join(dir, 'report.html'), 'utf8').length / 1e6).toFixed(1)} MB, works offline)\n`);
    const empty = tmp();
    const bad = spawnSync(process.execPath, ['bin/edelear.js', 'report', empty], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`error: ${empty}: not a results folder: expected summary.csv (a sweep), or compare.csv (a comparison), or manifest.json (a run); found none of them\n`);
  });
});
