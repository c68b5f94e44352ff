import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import type { TopLevelSpec } from 'vega-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CompileMessages, renderSvg } from '../../src/report/render.ts';

/**
 * notebooks/paper-tables.ipynb and paper-figures.ipynb, executed headless (jupyter nbconvert, a
 * python3 kernel with pandas) on a small results folder made here: the paper comparison on 2
 * seeds of 60 simulated seconds and a short federated study (2 seeds, 2 rounds — enough for a mean
 * per round over the seeds, which is what the charts are checked for —, the IID split,
 * two update compressions) in its `federated/` subfolder, the layout the notebooks look for. Every expected value is read
 * from the CSV files the notebooks read, and formatted as the notebooks say they format it.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NOTEBOOKS = ['paper-tables.ipynb', 'paper-figures.ipynb'] as const;
const INSTALL = 'apt-get install -y --no-install-recommends jupyter-nbconvert python3-pandas python3-ipykernel (Debian; .ci/run does it)';
const run = promisify(execFile);

/** Why the notebooks cannot run here (no jupyter nbconvert, or its Python lacks ipykernel or pandas), or undefined when they can. */
function jupyterMissing(): string | undefined {
  const version = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return 'no `jupyter nbconvert` on PATH';
  // Debian's /usr/bin/jupyter is a Python script: its interpreter is the python3 kernel's (/usr/share/jupyter/kernels/python3).
  const which = spawnSync('sh', ['-c', 'command -v jupyter'], { encoding: 'utf8' }).stdout.trim();
  const shebang = /^#!\s*(\S*python\S*)/.exec(readFileSync(which, 'utf8').split('\n', 1)[0] ?? '');
  if (shebang) {
    const imports = spawnSync(shebang[1]!, ['-c', 'import ipykernel, pandas'], { encoding: 'utf8' });
    if (imports.status !== 0) return `${shebang[1]} (jupyter's Python) cannot import ipykernel and pandas: ${imports.stderr.trim().split('\n').pop()}`;
  }
  return undefined;
}

const missing = jupyterMissing();
if (missing && !process.env.CI) console.warn(`notebook tests skipped: ${missing}; install with ${INSTALL}`);

type Row = Record<string, string>;
const csv = (file: string): Row[] => parse(readFileSync(file, 'utf8'), { columns: true });

/** The notebooks' `mean [low, high]` cell (edelear_results.with_ci): Python's fixed-point format and JS's toFixed agree but for exact binary ties. */
function withCi(row: Row, stem: string, digits = 3, scale = 1): string {
  const [m, lo, hi] = ['mean', 'ci95_low', 'ci95_high'].map((p) => row[`${stem}_${p}`] ?? '');
  if (m === '') return '';
  const f = (v: string) => (Number(v) * scale).toFixed(digits);
  return lo === '' || hi === '' ? f(m) : `${f(m)} [${f(lo)}, ${f(hi)}]`;
}

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}
interface Cell {
  cell_type: string;
  execution_count?: number | null;
  outputs?: Output[];
}
interface Notebook {
  cells: Cell[];
}

const text = (v: unknown): string => (Array.isArray(v) ? v.join('') : String(v));
const unescape = (s: string) =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();

/** Every pandas HTML table among a notebook's outputs, as records keyed by the first header row (the index under ''). */
function htmlTables(nb: Notebook): Row[][] {
  const tables: Row[][] = [];
  for (const cell of nb.cells)
    for (const out of cell.outputs ?? []) {
      const html = out.data?.['text/html'];
      if (html === undefined) continue;
      for (const [table] of text(html).matchAll(/<table[\s\S]*?<\/table>/g)) {
        const rows = [...table.matchAll(/<tr[\s\S]*?<\/tr>/g)].map(([tr]) => [...tr.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => unescape(m[1]!)));
        const [header, ...body] = rows;
        if (!header) continue;
        tables.push(body.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']))));
      }
    }
  return tables;
}

/** The table whose header holds all of `columns`. */
function tableWith(tables: Row[][], ...columns: string[]): Row[] {
  const t = tables.find((rows) => rows.length > 0 && columns.every((c) => c in rows[0]!));
  if (!t) throw new Error(`no table with columns ${columns.join(', ')}`);
  return t;
}

const VEGA_LITE = 'application/vnd.vegalite.v5+json';
const charts = (nb: Notebook) => nb.cells.flatMap((c) => (c.outputs ?? []).flatMap((o) => (o.data?.[VEGA_LITE] ? [o.data[VEGA_LITE] as Record<string, unknown>] : [])));
/** A chart's inline rows (the top-level data, or the given layer's). */
function chartRows(spec: Record<string, unknown>, layer?: number): Row[] {
  const holder = layer === undefined ? spec : (spec.layer as Record<string, unknown>[])[layer]!;
  return (holder.data as { values: Row[] }).values;
}
/** The symbols vega drew: one <path> per datum inside each `mark-symbol` group. */
const symbolsDrawn = (svg: string) => [...svg.matchAll(/<g class="mark-symbol role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)].reduce((n, [, g]) => n + (g!.match(/<path /g)?.length ?? 0), 0);

describe.skipIf(missing !== undefined && !process.env.CI)('notebooks, executed headless on a small results folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edelear-notebooks-'));
  const results = join(dir, 'paper');
  const executed = new Map<string, Notebook>();

  beforeAll(async () => {
    if (missing) throw new Error(`CI is set but the notebooks cannot run: ${missing}; install with ${INSTALL}`);
    const edelear = (args: string[]) => run(process.execPath, ['bin/edelear.js', ...args, '--quiet', '--no-charts'], { cwd: ROOT, maxBuffer: 1 << 24 });
    const federated = join(dir, 'federated');
    await Promise.all([
      // 60 simulated seconds after a 10 s warm-up (the scenario's own 5 min are not needed for what is checked here: that the notebooks show what the CSV files hold)
      edelear(['compare', 'scenarios/paper-edelear.yaml', '--replications', '2', '--set', 'duration=60 s', '--set', 'warmup=10 s', '--out', results]),
      edelear([
        'run',
        'scenarios/federated.yaml',
        '--out',
        federated,
        '--set',
        'learning.replications=2',
        '--set',
        'learning.rounds=2',
        '--set',
        'learning.compare=[iid]',
        '--set',
        'learning.compareCompression=[none, {quantize: {bits: 8}}]',
      ]),
    ]);
    renameSync(federated, join(results, 'federated'));
    const out = join(dir, 'executed');
    mkdirSync(out);
    await Promise.all(
      NOTEBOOKS.map(async (name) => {
        // The kernel talks over Unix sockets in a folder of its own, not TCP ports: a kernel picks its
        // free ports before binding them, and other tests running at the same time (Redis at a free
        // port, the other notebook's kernel) can take one in between ("Address already in use").
        const sockets = join(dir, `kernel-${name}`);
        mkdirSync(sockets);
        const args = ['nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.kernel_name=python3', '--ExecutePreprocessor.timeout=120', '--KernelManager.transport=ipc', `--KernelManager.ip=${join(sockets, 'k')}`, '--output-dir', out, join(ROOT, 'notebooks', name)];
        // nbconvert exits non-zero when a cell raises (no --allow-errors): the rejection carries its stderr
        await run('jupyter', args, { env: { ...process.env, EDELEAR_RESULTS: results, EDELEAR_FL_RESULTS: '', PYDEVD_DISABLE_FILE_VALIDATION: '1' }, maxBuffer: 1 << 24 });
        executed.set(name, JSON.parse(readFileSync(join(out, name), 'utf8')) as Notebook);
      }),
    );
  }, 300_000);

  it('the notebooks are committed without outputs, and every code cell ran without an error', () => {
    for (const name of NOTEBOOKS) {
      const source = JSON.parse(readFileSync(join(ROOT, 'notebooks', name), 'utf8')) as Notebook;
      const code = source.cells.filter((c) => c.cell_type === 'code');
      expect(code.length, name).toBeGreaterThan(3);
      for (const c of code) {
        expect(c.outputs, name).toEqual([]);
        expect(c.execution_count, name).toBeNull();
      }
      const ran = executed.get(name)!.cells.filter((c) => c.cell_type === 'code');
      expect(ran.length).toBe(code.length);
      ran.forEach((c, i) => {
        expect(c.execution_count, `${name} cell ${i}`).toBe(i + 1);
        expect(c.outputs!.filter((o) => o.output_type === 'error'), `${name} cell ${i}`).toEqual([]);
      });
    }
  });

  it('paper-tables shows Tables 1, 2, 4 and 5 with the values of their CSV files', () => {
    const tables = htmlTables(executed.get('paper-tables.ipynb')!);

    const t1 = csv(join(results, 'table1.csv')).find((r) => r.layer === 'total')!;
    const shown1 = tableWith(tables, 'original_MB', 'quantized_reduction').find((r) => r.layer === 'total')!;
    expect(shown1.model).toBe(t1.model);
    for (const c of ['original_MB', 'pruned_MB', 'quantized_MB']) expect(Number(shown1[c]), c).toBe(Number(Number(t1[c]).toFixed(3)));
    // the reduction the notebook computes: 1 − quantized / original
    expect(Number(shown1.quantized_reduction)).toBe(Number((1 - Number(t1.quantized_MB) / Number(t1.original_MB)).toFixed(3)));

    const t2 = csv(join(results, 'table2.csv'));
    const shown2 = tableWith(tables, 'tenant', 'allocated_share');
    expect(shown2.map((r) => r.tenant)).toEqual(t2.map((r) => r.tenant));
    t2.forEach((r, i) => expect(shown2[i]!.allocated_share, r.tenant).toBe(withCi(r, 'allocated_share')));

    const t4 = csv(join(results, 'table4.csv'));
    const shown4 = tableWith(tables, 'caching_efficiency', 'batch_size');
    expect(shown4.length).toBe(t4.length);
    t4.forEach((r, i) => {
      expect(shown4[i]!.workload).toBe(r.workload);
      expect(Number(shown4[i]!.network_latency_ms)).toBeCloseTo(Number(r.network_latency_s) * 1000, 9);
      expect(shown4[i]!.caching_efficiency, r.workload).toBe(withCi(r, 'caching_efficiency'));
      expect(shown4[i]!.batch_size, r.workload).toBe(withCi(r, 'batch_size'));
    });
    // the paper's "–": a device without a cache shows a blank cell, one with a cache a measured interval
    expect(t4.some((r) => r.caching_efficiency_mean === '') && t4.some((r) => r.caching_efficiency_mean !== '')).toBe(true);

    const t5 = csv(join(results, 'table5.csv')).filter((r) => r.role === 'reference');
    const shown5 = tableWith(tables, 'latency_mean_ms', 'accuracy_top1');
    expect(shown5.map((r) => r.workload)).toEqual(t5.map((r) => r.workload));
    t5.forEach((r, i) => {
      expect(shown5[i]!.latency_mean_ms).toBe(withCi(r, 'latency_mean_s', 1, 1000));
      expect(shown5[i]!.accuracy_top1).toBe(withCi(r, 'accuracy_top1', 4));
    });
  });

  it('paper-tables shows every claim row of both claims.csv files with its margin and verdict', () => {
    const claims = [...csv(join(results, 'claims.csv')), ...csv(join(results, 'federated', 'claims.csv'))];
    const shown = tableWith(htmlTables(executed.get('paper-tables.ipynb')!), 'margin', 'verdict', 'baseline');
    expect(shown.length).toBe(claims.length);
    claims.forEach((r, i) => {
      expect(shown[i]!.verdict, `claims row ${i}`).toBe(r.verdict);
      expect(shown[i]!.margin, `claims row ${i}`).toBe(withCi(r, 'margin_fraction'));
    });
    // all three claims are there, claim 3 from the federated study, each judged (a verdict, not blank)
    expect(new Set(claims.map((r) => r.claim)).size).toBe(3);
    const allLocal = shown.find((r) => r.baseline === 'baseline:all-local')!;
    expect(allLocal.verdict).toBe(claims.find((r) => r.baseline.startsWith('baseline:all-local:'))!.verdict);
    expect(shown.filter((r) => r.split === 'iid').map((r) => r.verdict)).toEqual(claims.filter((r) => r.split === 'iid').map((r) => r.verdict));
    for (const r of shown) expect(['holds', 'does not hold', 'inconclusive'], r.claim).toContain(r.verdict);
  });

  it('paper-figures draws its charts from the CSV rows, and each renders with the project renderer', async () => {
    const specs = charts(executed.get('paper-figures.ipynb')!);
    expect(specs.length).toBe(4); // latency, federated accuracy per round, accuracy against size, update compression

    // latency: the rows of compare.csv for the two latency metrics; one point per arm and metric
    const compare = csv(join(results, 'compare.csv')).filter((r) => r.metric === 'latency_mean_s' || r.metric === 'latency_p95_s');
    const latency = chartRows(specs[0]!);
    expect(latency.length).toBe(compare.length);
    const ed = latency.find((r) => r.arm === 'EDeLeaR' && r.metric === 'latency_mean_s')!;
    const edCsv = compare.find((r) => r.arm === 'EDeLeaR' && r.metric === 'latency_mean_s')!;
    expect(Number(ed.mean)).toBeCloseTo(Number(edCsv.mean), 9); // pandas' to_json keeps 10 significant digits

    // federated: the mean over the seeds of round r's accuracy, computed here from fl_rounds.csv
    const rounds = csv(join(results, 'federated', 'fl_rounds.csv')).filter((r) => r.compression === 'none' && r.split === 'iid');
    const means = chartRows(specs[1]!).filter((r) => r.kind === 'mean');
    expect(means.map((r) => Number(r.round))).toEqual([1, 2]);
    for (const m of means) {
      const those = rounds.filter((r) => Number(r.round) === Number(m.round)).map((r) => Number(r.test_accuracy));
      expect(those.length).toBe(2);
      expect(Number(m.test_accuracy)).toBeCloseTo((those[0]! + those[1]!) / 2, 9);
    }

    // accuracy against size: the mean per variant over the seeds, in kB
    const study = csv(join(results, 'compression_study.csv'));
    const variants = [...new Set(study.map((r) => r.variant))];
    const summary = chartRows(specs[2]!, 1);
    expect(summary.map((r) => r.variant)).toEqual(variants);
    for (const v of summary) {
      const sizes = study.filter((r) => r.variant === v.variant).map((r) => Number(r.size_bytes));
      expect(Number(v.size_kB)).toBeCloseTo(sizes.reduce((a, b) => a + b, 0) / sizes.length / 1000, 9);
    }

    // drawn for real: compiles and renders with no error or warning, one symbol per datum
    const expectedSymbols = [latency.length, means.length, study.length + summary.length, chartRows(specs[3]!).length];
    for (const [i, spec] of specs.entries()) {
      const messages: CompileMessages = { warnings: [], errors: [] };
      const svg = await renderSvg(spec as unknown as TopLevelSpec, messages);
      expect(messages, `chart ${i}`).toEqual({ warnings: [], errors: [] });
      expect(symbolsDrawn(svg), `chart ${i}`).toBe(expectedSymbols[i]);
    }
  });
});
