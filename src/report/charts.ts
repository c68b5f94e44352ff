import type { Config, TopLevelSpec } from 'vega-lite';
import type { Row } from '../metrics/summary.ts';

/*
 * Vega-Lite charts of a run, built from the very rows the CSV files hold (metrics/summary.ts,
 * cli/federated.ts), inlined as `data: { values }` so a spec is a self-contained file a
 * researcher can open in the Vega editor, restyle and put in a paper. Units are converted in
 * the spec's own transforms (s → ms, B → MB, fraction → %), so the inlined values stay exactly
 * the CSV values. Every function is pure: rows in, spec out.
 */

/** The Vega-Lite schema every spec names. */
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

// Pieces of a spec, typed from TopLevelSpec (vega-lite exports only the top-level type).
type LayerChild = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];
type UnitChild = Extract<LayerChild, { mark: unknown }>;
type Encoding = NonNullable<UnitChild['encoding']>;
type PositionDef = NonNullable<Encoding['x']>;
type ColorDef = NonNullable<Encoding['color']>;
type TooltipDef = NonNullable<Encoding['tooltip']>;
type ConcatChild = Extract<TopLevelSpec, { hconcat: unknown }>['hconcat'][number];

/** Sizes and fonts that stay legible when a chart is printed about 600 × 300 px (one paper column at 2×). */
export const CONFIG: Config = {
  font: 'DejaVu Sans, sans-serif',
  title: { fontSize: 15, subtitleFontSize: 11, subtitleColor: '#555', anchor: 'start', offset: 8 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', grid: true, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', labelLimit: 260 },
  header: { labelFontSize: 11, titleFontSize: 12 },
  view: { stroke: '#ccc' },
  background: 'white',
};

/** A decade count above which an axis turns logarithmic (latency: 2, i.e. max/min > 100). */
const LOG_DECADES_LATENCY = 2;
/** Bytes uploaded per compression span less than latency does; log once they span more than one decade. */
const LOG_DECADES_BYTES = 1;

/** Nodes shown without filtering; past this only the nodes that served, computed or transmitted. */
const ALL_NODES_UP_TO = 20;

/** Workloads up to which the latency chart writes each marked quantile's value beside its dot (more would collide). */
const LABELLED_WORKLOADS = 2;

/** The quantiles the latency chart marks and labels. */
const MARKED_QUANTILES = [0.5, 0.95, 0.99] as const;

/** Copies of the rows whose `numeric` columns all hold finite numbers (CSV strings are parsed); other columns are kept as they are. */
function numericRows(rows: readonly Row[], numeric: readonly string[]): Row[] {
  const out: Row[] = [];
  for (const r of rows) {
    const copy: Row = { ...r };
    let ok = true;
    for (const c of numeric) {
      const v = typeof r[c] === 'number' ? (r[c] as number) : r[c] === '' || r[c] === undefined ? NaN : Number(r[c]);
      if (!Number.isFinite(v)) {
        ok = false;
        break;
      }
      copy[c] = v;
    }
    if (ok) out.push(copy);
  }
  return out;
}

/** "scenario default, seed 1" from the rows' label columns (empty when the rows carry none, a warning when there are no rows). */
function runLabel(rows: readonly Row[], file: string): string {
  const r = rows[0];
  if (!r) return `no data: ${file} has no usable rows`;
  const parts: string[] = [];
  if (r.scenario !== undefined && r.scenario !== '') parts.push(`scenario ${r.scenario}`);
  if (r.seed !== undefined && r.seed !== '') parts.push(`seed ${r.seed}`);
  return parts.join(', ');
}

function decades(values: readonly number[]): number {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return 0;
  return Math.log10(Math.max(...positive) / Math.min(...positive));
}

function subtitle(...lines: string[]): string[] {
  return lines.filter((l) => l !== '');
}

/**
 * The latency distribution of each workload (latency.csv): the fraction of completed requests
 * (the quantile) against latency in ms, one line per workload, p50/p95/p99 marked with a dot
 * and, for up to two workloads, labelled with their value (else in the dots' tooltips). The latency axis is logarithmic
 * when the shown latencies span more than two decades. When the run has a single workload the
 * "(all)" rows repeat it exactly and are left out.
 */
export function latencyCdfChart(latencyRows: readonly Row[]): TopLevelSpec {
  let rows = numericRows(latencyRows, ['quantile', 'latency_s']);
  const workloads = [...new Set(rows.map((r) => String(r.workload)))];
  const single = workloads.length === 2 && workloads.includes('(all)');
  if (single) rows = rows.filter((r) => r.workload !== '(all)');
  const shown = single ? workloads.filter((w) => w !== '(all)') : workloads;
  const log = decades(rows.map((r) => Number(r.latency_s))) > LOG_DECADES_LATENCY;
  const isMarked = MARKED_QUANTILES.map((q) => `abs(datum.quantile - ${q}) < 1e-9`).join(' || ');
  const x: PositionDef = {
    field: 'latency_ms',
    type: 'quantitative',
    title: `latency (ms${log ? ', log scale' : ''})`,
    scale: log ? { type: 'log', nice: false } : { zero: false },
  };
  const y: PositionDef = {
    field: 'quantile',
    type: 'quantitative',
    title: 'requests completed within latency (%)',
    scale: { domain: [0, 1] },
    axis: { format: '~%' },
  };
  const color: ColorDef = { field: 'workload', type: 'nominal', title: 'workload', sort: shown };
  const tooltip: TooltipDef = [
    { field: 'workload', type: 'nominal' },
    { field: 'quantile', type: 'quantitative', format: '.1%' },
    { field: 'latency_ms', type: 'quantitative', title: 'latency (ms)', format: '.4~r' },
  ];
  // Labels sit where the curve is not: p50 and p95 below-right of their dot, p99 above-left.
  const label = (q: number, align: 'left' | 'right', dx: number, dy: number): UnitChild => ({
    transform: [{ filter: `abs(datum.quantile - ${q}) < 1e-9` }],
    mark: { type: 'text', align, baseline: 'middle', dx, dy, fontSize: 11 },
    encoding: { x, y, color, text: { field: 'marker_label', type: 'nominal' } },
  });
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    description:
      `Latency distribution (empirical CDF) of ${shown.length === 1 ? `workload ${shown[0]}` : `${shown.length} workloads`}: ` +
      'fraction of completed requests (quantile) against latency in ms, drawn as steps between the percentiles 1 to 99 and 99.9 (no curve invented between them; below p1 and above p99.9 not drawn), p50/p95/p99 marked. ' +
      'Data: latency.csv (columns workload, quantile, latency_s; from the quantile sketch, 0.5% relative accuracy, measurement window after warm-up).',
    title: {
      text: 'Request latency distribution',
      subtitle: subtitle(runLabel(rows, 'latency.csv'), 'steps at the percentiles p1–p99 and p99.9; dots: p50, p95, p99 of each workload'),
    },
    width: 460,
    height: 210,
    data: { values: rows },
    transform: [
      { calculate: 'datum.latency_s * 1000', as: 'latency_ms' },
      { calculate: `'p' + format(datum.quantile * 100, 'd') + ' ' + format(datum.latency_ms, '.3~r') + ' ms'`, as: 'marker_label' },
    ],
    layer: [
      {
        // Steps, as the other CDFs: a smooth curve would invent latencies between the percentiles (helper-95).
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
        encoding: { x, y, color, order: { field: 'quantile', type: 'quantitative' } },
      },
      {
        transform: [{ filter: isMarked }],
        mark: { type: 'point', filled: true, size: 55, opacity: 1 },
        encoding: { x, y, color, tooltip },
      },
      ...(shown.length <= LABELLED_WORKLOADS ? [label(0.5, 'left', 7, 9), label(0.95, 'left', 7, 9), label(0.99, 'right', -7, -9)] : []),
    ],
    config: CONFIG,
  };
  return spec;
}

/** Energy columns of nodes.csv stacked in the energy chart, with their legend names. */
const ENERGY_PARTS = [
  ['energy_idle_J', 'idle'],
  ['energy_compute_J', 'compute (dynamic)'],
  ['energy_radio_tx_J', 'radio transmit'],
  ['energy_radio_rx_J', 'radio receive'],
] as const;

/**
 * Per node (nodes.csv): utilization (share of slot time busy) and energy over the measurement
 * window, split into idle, dynamic compute and radio energy, side by side. All nodes are shown
 * when there are at most 20; past that only the nodes that served, computed or used their radio.
 */
export function nodeChart(nodeRows: readonly Row[]): TopLevelSpec {
  const numeric = ['utilization_ratio', 'energy_J', 'served', ...ENERGY_PARTS.map(([c]) => c)];
  let rows = numericRows(nodeRows, numeric);
  const total = rows.length;
  let filterNote = '';
  if (rows.length > ALL_NODES_UP_TO) {
    rows = rows.filter((r) => Number(r.served) > 0 || Number(r.energy_compute_J) > 0 || Number(r.energy_radio_tx_J) > 0 || Number(r.energy_radio_rx_J) > 0);
    filterNote = `${rows.length} of ${total} nodes: those that served requests, computed or used their radio`;
  }
  const order = rows.map((r) => String(r.node));
  const y: PositionDef = { field: 'node', type: 'nominal', title: 'node', sort: order };
  const partNames = ENERGY_PARTS.map(([, name]) => name);
  const partExpr = ENERGY_PARTS.map(([c, name]) => `datum.energy_part === '${c}' ? '${name}' : `).join('') + 'datum.energy_part';
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    description:
      `Utilization and energy of ${rows.length} node${rows.length === 1 ? '' : 's'} over the measurement window. ` +
      'Utilization: busy slot time / (slots × window). Energy: idle (idle power × up time), dynamic compute ((busy − idle) power per slot × busy time) and radio transmit/receive energy, in joules. ' +
      `Data: nodes.csv (columns node, kind, utilization_ratio, ${ENERGY_PARTS.map(([c]) => c).join(', ')}).` +
      (filterNote ? ` Shown: ${filterNote}.` : ''),
    title: { text: 'Node utilization and energy', subtitle: subtitle(runLabel(rows, 'nodes.csv'), filterNote) },
    data: { values: rows },
    hconcat: [
      {
        width: 200,
        height: { step: 18 },
        title: { text: 'utilization', fontSize: 12, fontWeight: 'normal' },
        layer: [
          {
            mark: { type: 'bar', color: '#4c78a8' },
            encoding: {
              y,
              x: { field: 'utilization_ratio', type: 'quantitative', title: 'utilization (% of slot time busy)', axis: { format: '~%' }, scale: { domainMin: 0 } },
              tooltip: [
                { field: 'node', type: 'nominal' },
                { field: 'kind', type: 'nominal' },
                { field: 'served', type: 'quantitative', title: 'requests served' },
                { field: 'utilization_ratio', type: 'quantitative', title: 'utilization', format: '.2%' },
              ],
            },
          },
          {
            mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 },
            encoding: { y, x: { field: 'utilization_ratio', type: 'quantitative' }, text: { field: 'utilization_ratio', type: 'quantitative', format: '.2~p' } },
          },
        ],
      },
      {
        width: 240,
        height: { step: 18 },
        title: { text: 'energy', fontSize: 12, fontWeight: 'normal' },
        transform: [
          { fold: ENERGY_PARTS.map(([c]) => c), as: ['energy_part', 'energy_part_J'] },
          { calculate: partExpr, as: 'energy_component' },
          { calculate: `indexof(${JSON.stringify(ENERGY_PARTS.map(([c]) => c))}, datum.energy_part)`, as: 'energy_order' },
        ],
        mark: 'bar',
        encoding: {
          y: { ...y, axis: { title: null, labels: false, ticks: false } },
          x: { field: 'energy_part_J', type: 'quantitative', title: 'energy (J)', stack: 'zero' },
          color: {
            field: 'energy_component',
            type: 'nominal',
            title: 'energy',
            scale: { domain: partNames, range: ['#bab0ac', '#f58518', '#54a24b', '#b279a2'] },
            legend: { orient: 'bottom', direction: 'horizontal', columns: 2 },
          },
          order: { field: 'energy_order', type: 'quantitative', sort: 'ascending' },
          tooltip: [
            { field: 'node', type: 'nominal' },
            { field: 'energy_component', type: 'nominal', title: 'component' },
            { field: 'energy_part_J', type: 'quantitative', title: 'energy (J)', format: ',.1f' },
            { field: 'energy_J', type: 'quantitative', title: 'node total (J)', format: ',.1f' },
          ],
        },
      },
    ],
    spacing: 12,
    config: CONFIG,
  };
  return spec;
}

/**
 * Copies of the rows with each of `columns` a number, or null where the cell is empty or not a
 * finite number (a CSV's blank, NaN): an interval that does not exist is drawn as nothing, never as 0.
 */
function optionalNumbers(rows: readonly Row[], columns: readonly string[]): Record<string, string | number | null>[] {
  return rows.map((r) => {
    const copy: Record<string, string | number | null> = { ...r };
    for (const c of columns) {
      const v = r[c] === '' || r[c] === undefined ? NaN : Number(r[c]);
      copy[c] = Number.isFinite(v) ? v : null;
    }
    return copy;
  });
}

/** "seeds 1-5 (n = 5): mean and 95% confidence interval" from rows over seeds (columns seeds, n). */
function seedsLabel(rows: readonly Row[]): string {
  const r = rows[0];
  if (!r || r.seeds === undefined) return '';
  const ns = [...new Set(rows.map((x) => Number(x.n)))];
  const n = ns.length === 1 ? `n = ${ns[0]}` : `n = ${Math.min(...ns)}–${Math.max(...ns)}`;
  return `seeds ${r.seeds} (${n}): mean and 95% confidence interval (Student t)`;
}

/**
 * Federated learning progress over seeds (fl_rounds.csv, averaged per split and round): mean
 * test accuracy of the global model after each round with its 95% confidence interval as a
 * band, against the round number and against the mean simulated time at the round's end, one
 * line per configuration (the split, and the compression when the rows hold several).
 */
export function flAccuracyChart(roundMeanRows: readonly Row[]): TopLevelSpec {
  const numeric = numericRows(roundMeanRows, ['round', 'end_s_mean', 'test_accuracy_mean']);
  const compressions = new Set(numeric.map((r) => String(r.compression)));
  // An accuracy lies in [0, 1]: the band is drawn clipped to it (few seeds give t intervals wider than that).
  const rows = optionalNumbers(numeric, ['test_accuracy_ci95_low', 'test_accuracy_ci95_high']).map((r) => ({
    ...r,
    series: compressions.size > 1 ? `${r.split}, ${r.compression}` : String(r.split),
    band_low: r.test_accuracy_ci95_low === null ? null : Math.max(0, Number(r.test_accuracy_ci95_low)),
    band_high: r.test_accuracy_ci95_high === null ? null : Math.min(1, Number(r.test_accuracy_ci95_high)),
  }));
  const series = [...new Set(rows.map((r) => r.series))];
  const y: PositionDef = { field: 'test_accuracy_mean', type: 'quantitative', title: 'test accuracy (%)', axis: { format: '~%' }, scale: { zero: false } };
  const color: ColorDef = { field: 'series', type: 'nominal', title: compressions.size > 1 ? 'split, compression' : 'data split', sort: series, legend: { orient: 'bottom', direction: 'horizontal' } };
  const tooltip: TooltipDef = [
    { field: 'series', type: 'nominal', title: 'run' },
    { field: 'round', type: 'quantitative' },
    { field: 'end_s_mean', type: 'quantitative', title: 'round end, mean (s)', format: '.1f' },
    { field: 'test_accuracy_mean', type: 'quantitative', title: 'test accuracy, mean', format: '.2%' },
    { field: 'test_accuracy_ci95_low', type: 'quantitative', title: '95% CI low', format: '.2%' },
    { field: 'test_accuracy_ci95_high', type: 'quantitative', title: '95% CI high', format: '.2%' },
    { field: 'n', type: 'quantitative', title: 'seeds' },
  ];
  const panel = (x: PositionDef, title: string): ConcatChild => ({
    width: 250,
    height: 220,
    title: { text: title, fontSize: 12, fontWeight: 'normal' },
    layer: [
      {
        transform: [{ filter: 'isValid(datum.band_low) && isValid(datum.band_high)' }],
        mark: { type: 'area', opacity: 0.2 },
        encoding: { x, y: { field: 'band_low', type: 'quantitative' }, y2: { field: 'band_high' }, color },
      },
      { mark: { type: 'line', point: { filled: true, size: 30 }, strokeWidth: 2 }, encoding: { x, y, color, tooltip } },
    ],
  });
  return {
    $schema: SCHEMA,
    description:
      `Federated learning: mean test accuracy of the global model after each round, with its 95% confidence interval over seeds (band), for ${series.length} run${series.length === 1 ? '' : 's'} (${series.join('; ')}), ` +
      'against the round number and against the mean simulated time at which the round ended. ' +
      'Data: fl_rounds.csv averaged over its seeds per split, compression and round (columns test_accuracy_mean, test_accuracy_ci95_low, test_accuracy_ci95_high, end_s_mean, n; accuracy on held-out MNIST digits, really trained).',
    title: {
      text: 'Federated learning: test accuracy',
      subtitle: subtitle(runLabel(rows as Row[], 'fl_rounds.csv'), seedsLabel(rows as Row[]), 'left: by round; right: by simulated time; band: 95% CI (clipped to 0–100%)'),
    },
    data: { values: rows },
    hconcat: [
      panel({ field: 'round', type: 'quantitative', title: 'round', axis: { format: 'd', tickMinStep: 1 }, scale: { zero: false } }, 'by round'),
      panel({ field: 'end_s_mean', type: 'quantitative', title: 'simulated time at end of round, mean (s)', scale: { zero: true } }, 'by simulated time'),
    ],
    resolve: { scale: { y: 'shared' } },
    spacing: 16,
    config: CONFIG,
  };
}

/** Colours of the claim verdicts. */
const VERDICTS = { domain: ['holds', 'does not hold', 'inconclusive'], range: ['#54a24b', '#e45756', '#f58518'] };

/**
 * The collaboration claim over seeds (claims.csv): per split, the mean margin of the federated
 * model's final test accuracy over the local-only mean client accuracy (paired by seed), in
 * percentage points, with its 95% confidence interval as an error bar; the threshold the claim
 * needs (+5 points) as a red dashed line; the point coloured and labelled by the verdict (holds
 * when the whole interval clears the threshold, does not hold when it lies wholly below,
 * inconclusive when it straddles it). The gap to centralized training is in the tooltip.
 */
export function claimsChart(claimRows: readonly Row[]): TopLevelSpec {
  const numeric = numericRows(claimRows, ['margin_fraction_mean', 'threshold_fraction']);
  const rows = optionalNumbers(numeric, ['margin_fraction_ci95_low', 'margin_fraction_ci95_high', 'value_mean', 'baseline_value_mean', 'centralized_mean', 'gap_to_centralized_fraction_mean']);
  const splits = [...new Set(rows.map((r) => String(r.split)))];
  const threshold = rows[0] ? Number(rows[0].threshold_fraction) : 0.05;
  const points = `${+(threshold * 100).toFixed(2)} points`;
  const x: PositionDef = { field: 'split', type: 'nominal', title: 'data split', sort: splits, axis: { labelAngle: 0 } };
  const yTitle = 'federated − local-only accuracy (percentage points)';
  const y: PositionDef = { field: 'margin', type: 'quantitative', title: yTitle };
  return {
    $schema: SCHEMA,
    description:
      `The paper's claim "${rows[0]?.claim ?? 'collaborative learning gives +5% accuracy over non-collaborative learning'}", read as +${points} of test accuracy: ` +
      'per data split, the mean over seeds of the final federated test accuracy minus the mean test accuracy of clients trained alone (same epochs), with its 95% confidence interval, against the threshold. ' +
      'Data: claims.csv (columns split, margin_fraction_mean, margin_fraction_ci95_low, margin_fraction_ci95_high, threshold_fraction, verdict, gap_to_centralized_fraction_mean, n).',
    title: {
      text: 'Collaborative learning claim: federated minus local-only accuracy',
      subtitle: subtitle(runLabel(rows as Row[], 'claims.csv'), seedsLabel(rows as Row[]), `holds where the whole interval is above the red line (+${points}); inconclusive where it straddles it`),
    },
    width: 500,
    height: 240,
    data: { values: rows },
    transform: [
      { calculate: 'datum.margin_fraction_mean * 100', as: 'margin' },
      { calculate: 'isValid(datum.margin_fraction_ci95_low) ? datum.margin_fraction_ci95_low * 100 : null', as: 'margin_low' },
      { calculate: 'isValid(datum.margin_fraction_ci95_high) ? datum.margin_fraction_ci95_high * 100 : null', as: 'margin_high' },
      { calculate: 'isValid(datum.gap_to_centralized_fraction_mean) ? datum.gap_to_centralized_fraction_mean * 100 : null', as: 'gap' },
      {
        calculate: `datum.verdict + ' (' + (datum.margin >= 0 ? '+' : '') + format(datum.margin, '.1f') + (isValid(datum.margin_low) ? ' [' + format(datum.margin_low, '+.1f') + ', ' + format(datum.margin_high, '+.1f') + ']' : '') + ')'`,
        as: 'label',
      },
      { calculate: 'isValid(datum.margin_high) ? max(datum.margin_high, datum.margin) : datum.margin', as: 'top' },
    ],
    layer: [
      { mark: { type: 'rule', color: '#888' }, encoding: { y: { datum: 0, type: 'quantitative' } } },
      { mark: { type: 'rule', color: '#e45756', strokeDash: [6, 4], strokeWidth: 2 }, encoding: { y: { datum: threshold * 100, type: 'quantitative' } } },
      {
        transform: [{ filter: 'isValid(datum.margin_low) && isValid(datum.margin_high)' }],
        mark: { type: 'errorbar', ticks: { size: 24 }, thickness: 2 },
        encoding: { x, y: { field: 'margin_low', type: 'quantitative', title: yTitle }, y2: { field: 'margin_high' }, color: { value: '#333' } },
      },
      {
        mark: { type: 'point', filled: true, size: 90, opacity: 1 },
        encoding: {
          x,
          y,
          color: { field: 'verdict', type: 'nominal', title: 'verdict', scale: VERDICTS, legend: { orient: 'bottom', direction: 'horizontal' } },
          tooltip: [
            { field: 'split', type: 'nominal' },
            { field: 'verdict', type: 'nominal' },
            { field: 'margin', type: 'quantitative', title: 'margin, mean (points)', format: '+.2f' },
            { field: 'margin_low', type: 'quantitative', title: '95% CI low (points)', format: '+.2f' },
            { field: 'margin_high', type: 'quantitative', title: '95% CI high (points)', format: '+.2f' },
            { field: 'value_mean', type: 'quantitative', title: 'federated accuracy, mean', format: '.2%' },
            { field: 'baseline_value_mean', type: 'quantitative', title: 'local-only accuracy, mean', format: '.2%' },
            { field: 'centralized_mean', type: 'quantitative', title: 'centralized accuracy, mean', format: '.2%' },
            { field: 'gap', type: 'quantitative', title: 'gap to centralized, mean (points)', format: '.2f' },
            { field: 'n', type: 'quantitative', title: 'seeds' },
          ],
        },
      },
      {
        mark: { type: 'text', baseline: 'bottom', dy: -8, fontSize: 11 },
        encoding: { x, y: { field: 'top', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } },
      },
    ],
    config: CONFIG,
  };
}

/**
 * The effect of update compression over seeds (fl_compression.csv): mean change of the final test
 * accuracy, in percentage points against the first (reference) variant and paired by seed, with
 * its 95% confidence interval as an error bar, against the mean megabytes all clients uploaded
 * over the run, one point per compression (named in the legend). The bytes axis is logarithmic
 * when the variants span more than one decade.
 */
export function compressionChart(compressionRows: readonly Row[]): TopLevelSpec {
  const numeric = numericRows(compressionRows, ['accuracy_change_fraction_mean', 'bytes_up_total_mean', 'final_accuracy_mean']);
  const rows = optionalNumbers(numeric, ['accuracy_change_fraction_ci95_low', 'accuracy_change_fraction_ci95_high', 'final_accuracy_ci95_low', 'final_accuracy_ci95_high']);
  const bytes = rows.map((r) => Number(r.bytes_up_total_mean));
  const log = decades(bytes) > LOG_DECADES_BYTES;
  const names = rows.map((r) => String(r.compression));
  const reference = rows[0] ? String(rows[0].reference ?? rows[0].compression) : '';
  const x: PositionDef = {
    field: 'bytes_up_MB',
    type: 'quantitative',
    title: `uploaded by all clients over the run, mean (MB${log ? ', log scale' : ''})`,
    scale: log ? { type: 'log' } : { zero: true },
  };
  const yTitle = `accuracy change vs ${reference || 'reference'} (percentage points)`;
  const y: PositionDef = { field: 'change_points', type: 'quantitative', title: yTitle };
  const color: ColorDef = { field: 'compression', type: 'nominal', title: 'compression', sort: names, legend: { orient: 'bottom', columns: 2, symbolSize: 90 } };
  return {
    $schema: SCHEMA,
    description:
      `Update compression in federated learning: mean change of the final test accuracy over seeds (percentage points, against ${reference || 'the first variant'}, paired by seed) with its 95% confidence interval, ` +
      `against the mean megabytes uploaded by the clients over the run, for ${rows.length} compression variant${rows.length === 1 ? '' : 's'}. ` +
      'Data: fl_compression.csv (columns compression, accuracy_change_fraction_mean, accuracy_change_fraction_ci95_low, accuracy_change_fraction_ci95_high, bytes_up_total_mean, final_accuracy_mean, n).',
    title: {
      text: 'Update compression: accuracy change vs bytes uploaded',
      subtitle: subtitle(
        runLabel(rows as Row[], 'fl_compression.csv') + (rows[0]?.split !== undefined ? `, ${rows[0].split} split` : ''),
        seedsLabel(rows as Row[]),
        'error bars: 95% CI of the change; dashed line: no change',
      ),
    },
    width: 480,
    height: 200,
    data: { values: rows },
    transform: [
      { calculate: 'datum.bytes_up_total_mean / 1e6', as: 'bytes_up_MB' },
      { calculate: 'datum.accuracy_change_fraction_mean * 100', as: 'change_points' },
      { calculate: 'isValid(datum.accuracy_change_fraction_ci95_low) ? datum.accuracy_change_fraction_ci95_low * 100 : null', as: 'change_low' },
      { calculate: 'isValid(datum.accuracy_change_fraction_ci95_high) ? datum.accuracy_change_fraction_ci95_high * 100 : null', as: 'change_high' },
    ],
    layer: [
      { mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { y: { datum: 0, type: 'quantitative' } } },
      {
        transform: [{ filter: 'isValid(datum.change_low) && isValid(datum.change_high)' }],
        mark: { type: 'errorbar', ticks: true, thickness: 2 },
        encoding: { x, y: { field: 'change_low', type: 'quantitative', title: yTitle }, y2: { field: 'change_high' }, color },
      },
      {
        mark: { type: 'point', filled: true, size: 90, opacity: 0.9 },
        encoding: {
          x,
          y,
          // A legend rather than labels beside the points: the variants' long names never collide.
          color,
          shape: { field: 'compression', type: 'nominal', sort: names },
          tooltip: [
            { field: 'compression', type: 'nominal' },
            { field: 'final_accuracy_mean', type: 'quantitative', title: 'final accuracy, mean', format: '.2%' },
            { field: 'change_points', type: 'quantitative', title: 'change, mean (points)', format: '+.2f' },
            { field: 'change_low', type: 'quantitative', title: '95% CI low (points)', format: '+.2f' },
            { field: 'change_high', type: 'quantitative', title: '95% CI high (points)', format: '+.2f' },
            { field: 'accuracy_change', type: 'nominal', title: 'judged' },
            { field: 'bytes_up_MB', type: 'quantitative', title: 'uploaded, mean (MB)', format: ',.2f' },
            { field: 'n', type: 'quantitative', title: 'seeds' },
          ],
        },
      },
    ],
    config: CONFIG,
  };
}
