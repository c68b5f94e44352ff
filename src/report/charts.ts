import type { Config, TopLevelSpec } from 'vega-lite';
import type { Row } from '../metrics/summary.ts';

/*
 * Vega-Lite charts of a run, built from the very rows the CSV files hold (metrics/summary.ts,
 * cli/federated.ts), inlined as `data: { values }` so a spec is a self-contained file a
 * researcher can open in the Vega editor, restyle and put in a paper. Units are converted in
 * the spec's own transforms (s → ms, B → MB, fraction → %), so the inlined values stay exactly
 * the CSV values. Every function is pure: rows in, spec out.
 */

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

// Pieces of a spec, typed from TopLevelSpec (vega-lite exports only the top-level type).
type LayerChild = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];
type UnitChild = Extract<LayerChild, { mark: unknown }>;
type Encoding = NonNullable<UnitChild['encoding']>;
type PositionDef = NonNullable<Encoding['x']>;
type ColorDef = NonNullable<Encoding['color']>;
type TooltipDef = NonNullable<Encoding['tooltip']>;
type ConcatChild = Extract<TopLevelSpec, { hconcat: unknown }>['hconcat'][number];

/** Sizes and fonts that stay legible when a chart is printed about 600 × 300 px (one paper column at 2×). */
const CONFIG: Config = {
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
    axis: { format: '.0%' },
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
      'fraction of completed requests (quantile) against latency in ms, p50/p95/p99 marked. ' +
      'Data: latency.csv (columns workload, quantile, latency_s; from the quantile sketch, 0.5% relative accuracy, measurement window after warm-up).',
    title: {
      text: 'Request latency distribution',
      subtitle: subtitle(runLabel(rows, 'latency.csv'), 'dots: p50, p95, p99 of each workload'),
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
        mark: { type: 'line', interpolate: 'monotone', strokeWidth: 2 },
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
  const numeric = ['utilization', 'energy_J', 'served', ...ENERGY_PARTS.map(([c]) => c)];
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
      `Data: nodes.csv (columns node, kind, utilization, ${ENERGY_PARTS.map(([c]) => c).join(', ')}).` +
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
              x: { field: 'utilization', type: 'quantitative', title: 'utilization (% of slot time busy)', axis: { format: '~%' }, scale: { domainMin: 0 } },
              tooltip: [
                { field: 'node', type: 'nominal' },
                { field: 'kind', type: 'nominal' },
                { field: 'served', type: 'quantitative', title: 'requests served' },
                { field: 'utilization', type: 'quantitative', format: '.2%' },
              ],
            },
          },
          {
            mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 },
            encoding: { y, x: { field: 'utilization', type: 'quantitative' }, text: { field: 'utilization', type: 'quantitative', format: '.2~p' } },
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
 * Federated learning progress (fl_rounds.csv): test accuracy of the global model after each
 * round, against the round number and against simulated time at the round's end, one line per
 * data split.
 */
export function flAccuracyChart(roundRows: readonly Row[]): TopLevelSpec {
  const rows = numericRows(roundRows, ['round', 'end_s', 'test_accuracy']);
  const splits = [...new Set(rows.map((r) => String(r.split)))];
  const y: PositionDef = {
    field: 'test_accuracy',
    type: 'quantitative',
    title: 'test accuracy (%)',
    axis: { format: '.0%' },
    scale: { zero: false },
  };
  const color: ColorDef = { field: 'split', type: 'nominal', title: 'data split', sort: splits, legend: { orient: 'bottom', direction: 'horizontal' } };
  const tooltip: TooltipDef = [
    { field: 'split', type: 'nominal' },
    { field: 'round', type: 'quantitative' },
    { field: 'end_s', type: 'quantitative', title: 'round end (s)', format: '.1f' },
    { field: 'test_accuracy', type: 'quantitative', title: 'test accuracy', format: '.2%' },
  ];
  const panel = (x: PositionDef, title: string): ConcatChild => ({
    width: 250,
    height: 220,
    title: { text: title, fontSize: 12, fontWeight: 'normal' },
    mark: { type: 'line', point: { filled: true, size: 30 }, strokeWidth: 2 },
    encoding: { x, y, color, tooltip },
  });
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    description:
      `Federated learning: test accuracy of the global model after each round for ${splits.length} data split${splits.length === 1 ? '' : 's'} (${splits.join(', ')}), ` +
      'against the round number and against the simulated time at which the round ended. ' +
      'Data: fl_rounds.csv (columns split, round, end_s, test_accuracy; accuracy on held-out MNIST digits, really trained).',
    title: { text: 'Federated learning: test accuracy', subtitle: subtitle(runLabel(rows, 'fl_rounds.csv'), 'left: by round; right: by simulated time') },
    data: { values: rows },
    hconcat: [
      panel({ field: 'round', type: 'quantitative', title: 'round', axis: { format: 'd', tickMinStep: 1 }, scale: { zero: false } }, 'by round'),
      panel({ field: 'end_s', type: 'quantitative', title: 'simulated time at end of round (s)', scale: { zero: true } }, 'by simulated time'),
    ],
    resolve: { scale: { y: 'shared' } },
    spacing: 16,
    config: CONFIG,
  };
  return spec;
}

/**
 * The collaboration claim (claims.csv): per split, the federated model's final test accuracy
 * next to the local-only mean client accuracy, with the claim's threshold (local-only mean +
 * 5 percentage points) drawn as a red tick; above each split, whether the claim holds and the
 * measured margin.
 */
export function claimsChart(claimRows: readonly Row[]): TopLevelSpec {
  const rows = numericRows(claimRows, ['value', 'baseline_value', 'threshold_points']);
  const splits = [...new Set(rows.map((r) => String(r.split)))];
  const threshold = rows[0] ? Number(rows[0].threshold_points) : 0.05;
  const points = `${+(threshold * 100).toFixed(2)} points`;
  const series = ['federated (final model)', 'local-only (mean over clients)', `threshold: local-only + ${points}`];
  const x: PositionDef = { field: 'split', type: 'nominal', title: 'data split', sort: splits, axis: { labelAngle: 0 } };
  const yScale = { domain: [0, 1.12] };
  const yAxis = { format: '.0%', values: [0, 0.2, 0.4, 0.6, 0.8, 1] };
  const colorScale = { scale: { domain: series, range: ['#4c78a8', '#9ecae9', '#e45756'] }, title: null, legend: { orient: 'bottom' as const, direction: 'horizontal' as const, symbolType: 'square' } };
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    description:
      `The paper's claim "${rows[0]?.claim ?? 'collaborative learning gives +5% accuracy over non-collaborative learning'}", read as +${points} of test accuracy: ` +
      'per data split, the final federated test accuracy against the mean test accuracy of clients trained alone (same epochs), with the threshold the federated bar must reach. ' +
      'Data: claims.csv (columns split, value, baseline_value, threshold_points, margin_points, holds).',
    title: {
      text: 'Collaborative learning claim: federated vs local-only accuracy',
      subtitle: subtitle(runLabel(rows, 'claims.csv'), `the claim holds where the dark bar reaches the red tick (local-only mean + ${points})`),
    },
    width: 500,
    height: 240,
    data: { values: rows },
    transform: [{ calculate: 'datum.baseline_value + datum.threshold_points', as: 'needed' }],
    layer: [
      {
        transform: [
          { fold: ['value', 'baseline_value'], as: ['which', 'accuracy'] },
          { calculate: `datum.which === 'value' ? '${series[0]}' : '${series[1]}'`, as: 'series' },
        ],
        layer: [
          {
            mark: 'bar',
            encoding: {
              x,
              xOffset: { field: 'series', type: 'nominal', sort: series.slice(0, 2) },
              y: { field: 'accuracy', type: 'quantitative', title: 'test accuracy (%)', scale: yScale, axis: yAxis },
              color: { field: 'series', type: 'nominal', ...colorScale },
              tooltip: [
                { field: 'split', type: 'nominal' },
                { field: 'series', type: 'nominal' },
                { field: 'accuracy', type: 'quantitative', format: '.2%' },
              ],
            },
          },
          {
            mark: { type: 'text', baseline: 'top', dy: 4, fontSize: 10, color: 'white' },
            encoding: {
              x,
              xOffset: { field: 'series', type: 'nominal', sort: series.slice(0, 2) },
              y: { field: 'accuracy', type: 'quantitative' },
              text: { field: 'accuracy', type: 'quantitative', format: '.1%' },
            },
          },
        ],
      },
      {
        mark: { type: 'tick', thickness: 3, opacity: 1 },
        encoding: {
          x,
          y: { field: 'needed', type: 'quantitative' },
          color: { datum: series[2], ...colorScale },
          tooltip: [
            { field: 'split', type: 'nominal' },
            { field: 'needed', type: 'quantitative', title: 'threshold', format: '.2%' },
          ],
        },
      },
      {
        transform: [
          {
            calculate: `(datum.holds === 'yes' ? 'holds' : 'does not hold') + ' (' + (datum.value >= datum.baseline_value ? '+' : '') + format((datum.value - datum.baseline_value) * 100, '.1f') + ' points)'`,
            as: 'verdict',
          },
          { calculate: 'max(datum.value, datum.needed)', as: 'top' },
        ],
        mark: { type: 'text', baseline: 'bottom', dy: -6, fontSize: 11 },
        encoding: { x, y: { field: 'top', type: 'quantitative' }, text: { field: 'verdict', type: 'nominal' } },
      },
    ],
    config: CONFIG,
  };
  return spec;
}

/**
 * The effect of update compression (fl_compression.csv): change of final test accuracy, in
 * percentage points against the first (reference) variant, against the bytes all clients
 * uploaded over the run, one point per compression (named in the legend). The bytes axis is logarithmic
 * when the variants span more than one decade.
 */
export function compressionChart(compressionRows: readonly Row[]): TopLevelSpec {
  const rows = numericRows(compressionRows, ['accuracy_change_points', 'bytes_up_total', 'final_accuracy']);
  const bytes = rows.map((r) => Number(r.bytes_up_total));
  const log = decades(bytes) > LOG_DECADES_BYTES;
  const names = rows.map((r) => String(r.compression));
  const reference = rows[0] ? String(rows[0].reference ?? rows[0].compression) : '';
  const x: PositionDef = {
    field: 'bytes_up_MB',
    type: 'quantitative',
    title: `uploaded by all clients over the run (MB${log ? ', log scale' : ''})`,
    scale: log ? { type: 'log' } : { zero: true },
  };
  const y: PositionDef = { field: 'change_points', type: 'quantitative', title: `accuracy change vs ${reference || 'reference'} (percentage points)` };
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    description:
      `Update compression in federated learning: change of the final test accuracy (percentage points, against ${reference || 'the first variant'}) ` +
      `against megabytes uploaded by the clients over the run, for ${rows.length} compression variant${rows.length === 1 ? '' : 's'}. ` +
      'Data: fl_compression.csv (columns compression, accuracy_change_points, bytes_up_total, final_accuracy).',
    title: {
      text: 'Update compression: accuracy change vs bytes uploaded',
      subtitle: subtitle(runLabel(rows, 'fl_compression.csv') + (rows[0]?.split !== undefined ? `, ${rows[0].split} split` : ''), 'dashed line: no change'),
    },
    width: 480,
    height: 200,
    data: { values: rows },
    transform: [
      { calculate: 'datum.bytes_up_total / 1e6', as: 'bytes_up_MB' },
      { calculate: 'datum.accuracy_change_points * 100', as: 'change_points' },
    ],
    layer: [
      { mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { y: { datum: 0, type: 'quantitative' } } },
      {
        mark: { type: 'point', filled: true, size: 90, opacity: 0.9 },
        encoding: {
          x,
          y,
          // A legend rather than labels beside the points: the variants' long names never collide.
          color: { field: 'compression', type: 'nominal', title: 'compression', sort: names, legend: { orient: 'bottom', columns: 2, symbolSize: 90 } },
          shape: { field: 'compression', type: 'nominal', sort: names },
          tooltip: [
            { field: 'compression', type: 'nominal' },
            { field: 'final_accuracy', type: 'quantitative', title: 'final accuracy', format: '.2%' },
            { field: 'change_points', type: 'quantitative', title: 'change (points)', format: '+.2f' },
            { field: 'bytes_up_MB', type: 'quantitative', title: 'uploaded (MB)', format: ',.2f' },
          ],
        },
      },
    ],
    config: CONFIG,
  };
  return spec;
}
