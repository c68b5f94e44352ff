import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { TopLevelSpec } from 'vega-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { claimRows, compressionRows, type FederatedOutcome, roundMeanRows } from '../../src/cli/federated.ts';
import type { RoundRow } from '../../src/learning/process.ts';
import { simulate } from '../../src/metrics/simulate.ts';
import { type Row, type RunTables, summarize } from '../../src/metrics/summary.ts';
import { claimsChart, compressionChart, flAccuracyChart, latencyCdfChart, nodeChart } from '../../src/report/charts.ts';
import { type CompileMessages, compileSpec, FONT_FAMILY, FONT_FILES, rasterize, renderPng, renderSvg, writeCharts } from '../../src/report/render.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The default scenario, shortened to one simulated minute: realistic latency.csv and nodes.csv rows. */
function defaultTables(): RunTables {
  const loaded = loadScenario(join(ROOT, 'scenarios/default.yaml'), ['duration=1 min']);
  const spec = buildWorldSpec(loaded, loadCatalog());
  return summarize(simulate(spec), { scenario: loaded.scenario.name, seed: spec.seed });
}

/** Rounds shaped like FederatedProcess's, accuracy rising as in scenarios/federated.yaml (seed 1, IID: 77.7 % → 92.5 % over 20 rounds). */
function rounds(n: number, first: number, last: number, roundSeconds: number, bytesUp: number): RoundRow[] {
  return Array.from({ length: n }, (_, i) => ({
    round: i + 1,
    start_s: i * roundSeconds,
    end_s: (i + 1) * roundSeconds,
    test_accuracy: first + ((last - first) * Math.log1p(i)) / Math.log1p(n - 1),
    test_loss: 1 - i / (2 * n),
    clients_available: 10,
    clients_selected: 10,
    aggregated: 1,
    clients_completed: 9,
    clients_dropped_late: 1,
    clients_dropped_failed: 0,
    bytes_down: 4_070_800,
    bytes_up: bytesUp,
    energy_clients_J: 177.7,
    energy_server_J: 50.4,
    energy_total_J: 228.1,
  }));
}

/** Seeds of the federated outcomes below, each shifting accuracies by its offset (seed noise of a few tenths of a point). */
const SEED_OFFSETS = [
  [1, -0.003],
  [2, 0.001],
  [3, 0.002],
] as const;

/** Federated outcomes of one configuration over three seeds, as cli/federated.ts builds them. */
function outcomes(split: string, compression: string, first: number, last: number, roundSeconds: number, bytesUp: number, localOnlyMean: number): FederatedOutcome[] {
  return SEED_OFFSETS.map(([seed, d]) => {
    const rs = rounds(8, first + d, last + d, roundSeconds, bytesUp);
    return {
      split,
      compression,
      seed,
      rounds: rs,
      energy: [],
      accuracy: rs[rs.length - 1].test_accuracy,
      localOnly: { mean: localOnlyMean - d / 2, worst: localOnlyMean - 0.1 },
      centralized: 0.93,
      trainingSeconds: 1,
    };
  });
}

const SPLITS = [
  ...outcomes('iid', 'none', 0.777, 0.9245, 8, 4_070_800, 0.8881),
  ...outcomes('dirichlet(0.1)', 'none', 0.524, 0.87, 8, 4_070_800, 0.3375),
  ...outcomes('dirichlet(1)', 'none', 0.75, 0.9205, 8, 4_070_800, 0.7756),
];
const COMPRESSIONS = [
  ...outcomes('iid', 'none', 0.777, 0.9245, 8, 4_070_800, NaN),
  ...outcomes('iid', 'quantize(8 bits, stochastic, per tensor)', 0.78, 0.926, 7.5, 1_018_020, NaN),
  ...outcomes('iid', 'quantize(2 bits, stochastic, per tensor)', 0.77, 0.928, 6.9, 254_750, NaN),
  ...outcomes('iid', 'topk(0.01)', 0.6, 0.892, 6.7, 81_440, NaN),
];

let tables: RunTables;
let charts: { name: string; spec: TopLevelSpec; file: string; title: string }[];

beforeAll(() => {
  tables = defaultTables();
  charts = [
    { name: 'latency', spec: latencyCdfChart(tables.latency), file: 'latency.csv', title: 'Request latency distribution' },
    { name: 'nodes', spec: nodeChart(tables.nodes), file: 'nodes.csv', title: 'Node utilization and energy' },
    { name: 'fl_accuracy', spec: flAccuracyChart(roundMeanRows('federated', SPLITS)), file: 'fl_rounds.csv', title: 'Federated learning: test accuracy' },
    { name: 'claims', spec: claimsChart(claimRows('federated', SPLITS)), file: 'claims.csv', title: 'Collaborative learning claim: federated minus local-only accuracy' },
    {
      name: 'compression',
      spec: compressionChart(compressionRows('federated', COMPRESSIONS, 2000)),
      file: 'fl_compression.csv',
      title: 'Update compression: accuracy change vs bytes uploaded',
    },
  ];
});

function titleOf(spec: TopLevelSpec): string {
  const t = (spec as { title?: string | { text: string } }).title;
  return typeof t === 'string' ? t : (t?.text ?? '');
}

function values(spec: TopLevelSpec): Row[] {
  return ((spec as { data?: { values?: Row[] } }).data?.values ?? []) as Row[];
}

describe('chart specs', () => {
  it('compile with Vega-Lite without a warning or an error', () => {
    for (const c of charts) {
      const messages: CompileMessages = { warnings: [], errors: [] };
      compileSpec(c.spec, messages);
      expect(messages, c.name).toEqual({ warnings: [], errors: [] });
    }
  });

  it('carry their data inline, a title, and a description naming the CSV file', () => {
    for (const c of charts) {
      expect(values(c.spec).length, c.name).toBeGreaterThan(0);
      expect(JSON.stringify(c.spec)).not.toMatch(/"url"\s*:/);
      expect(titleOf(c.spec)).toBe(c.title);
      expect(c.spec.description, c.name).toContain(c.file);
    }
  });

  it('latency: one line per workload, (all) left out when it repeats the single workload; log axis only past two decades', () => {
    const latency = charts[0].spec;
    expect(new Set(values(latency).map((r) => r.workload))).toEqual(new Set(['classify']));
    expect(JSON.stringify(latency)).not.toContain('"log"');
    // Two workloads, 1 ms to 2 s: three decades → log axis, and "(all)" kept beside two workloads.
    const wide: Row[] = [];
    for (const [workload, scale] of [['fast', 0.001], ['slow', 0.1], ['(all)', 0.01]] as const) {
      for (const q of [0.01, 0.5, 0.95, 0.99, 0.999]) wide.push({ scenario: 's', seed: 1, workload, quantile: q, latency_s: scale * (1 + 20 * q ** 4) });
    }
    const spec = latencyCdfChart(wide);
    expect(JSON.stringify(spec)).toContain('"type":"log"');
    // Steps between the percentiles, as an empirical CDF is drawn (helper-95: a monotone curve invented values between them).
    expect((spec as { layer: { mark: { interpolate?: string } }[] }).layer[0].mark.interpolate).toBe('step-after');
    expect(new Set(values(spec).map((r) => r.workload)).size).toBe(3);
    const messages: CompileMessages = { warnings: [], errors: [] };
    compileSpec(spec, messages);
    expect(messages.warnings).toEqual([]);
  });

  it('nodes: all nodes up to 20, past that only those that did something', () => {
    expect(values(charts[1].spec).map((r) => r.node)).toEqual(tables.nodes.map((r) => r.node));
    const idle = (k: number): Row => ({ ...tables.nodes[0], node: `idle-${k}`, served: 0, utilization_ratio: 0, energy_compute_J: 0, energy_radio_tx_J: 0, energy_radio_rx_J: 0 });
    const many = [...tables.nodes, ...Array.from({ length: 20 }, (_, k) => idle(k))];
    const busy = tables.nodes.filter((r) => Number(r.served) > 0 || Number(r.energy_compute_J) > 0 || Number(r.energy_radio_tx_J) > 0 || Number(r.energy_radio_rx_J) > 0);
    expect(busy.length).toBeGreaterThan(0);
    expect(values(nodeChart(many)).map((r) => r.node)).toEqual(busy.map((r) => r.node));
  });

  it('accept rows read back from the CSV files (strings) and inline the same numbers', () => {
    const text = stringify(tables.latency, { header: true, columns: Object.keys(tables.latency[0]) });
    const fromCsv = parse(text, { columns: true }) as Row[];
    const a = values(latencyCdfChart(fromCsv)).map((r) => [r.workload, r.quantile, r.latency_s]);
    const b = values(latencyCdfChart(tables.latency)).map((r) => [r.workload, r.quantile, r.latency_s]);
    expect(a).toEqual(b);
  });

  it('claims: one group per split with its verdict; compression: one point per variant; accuracy: one band row per split and round', () => {
    expect(values(charts[3].spec).map((r) => r.split)).toEqual(['iid', 'dirichlet(0.1)', 'dirichlet(1)']);
    // iid: +3.6 points ± a few tenths, wholly below +5; the Dirichlet splits clear it by far.
    expect(values(charts[3].spec).map((r) => r.verdict)).toEqual(['does not hold', 'holds', 'holds']);
    expect(values(charts[4].spec).map((r) => r.compression)).toEqual([...new Set(COMPRESSIONS.map((o) => o.compression))]);
    const accuracy = values(charts[2].spec);
    expect(accuracy).toHaveLength(3 * 8);
    for (const r of accuracy) {
      expect(r.n).toBe(3);
      expect(Number(r.band_low)).toBeLessThan(Number(r.test_accuracy_mean));
      expect(Number(r.band_high)).toBeGreaterThan(Number(r.test_accuracy_mean));
    }
  });
});

describe('rendering', () => {
  it('renders each chart to an SVG holding its title, with no runtime warning', async () => {
    for (const c of charts) {
      const messages: CompileMessages = { warnings: [], errors: [] };
      const svg = await renderSvg(c.spec, messages);
      expect(svg.startsWith('<svg'), c.name).toBe(true);
      expect(svg).toContain(`>${c.title}</text>`);
      expect(messages, c.name).toEqual({ warnings: [], errors: [] });
    }
  });

  it('leaves the spec it renders as it was (vega tags inline rows in place)', async () => {
    const spec = latencyCdfChart(tables.latency);
    const before = values(spec).map((r) => ({ ...r }));
    await renderSvg(spec);
    expect(values(spec)).toStrictEqual(before);
    expect(Object.getOwnPropertySymbols(values(spec)[0])).toEqual([]);
  });

  it('renders each SVG to a PNG at twice its size', async () => {
    for (const c of charts) {
      const svg = await renderSvg(c.spec);
      const png = renderPng(svg);
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE), c.name).toBe(true);
      expect(png.length, c.name).toBeGreaterThan(20_000);
      const width = Number(/width="(\d+)"/.exec(svg)![1]);
      expect(png.readUInt32BE(16), c.name).toBe(2 * width); // IHDR width
      expect(width, c.name).toBeGreaterThan(400);
      expect(width, c.name).toBeLessThan(720); // legible at about 600 px wide
    }
  });

  it('draws text with the bundled font: blanking the title changes the pixels, and without a font file they would not change', async () => {
    const svg = await renderSvg(charts[0].spec);
    const title = `>${charts[0].title}</text>`;
    const blank = svg.replace(title, '></text>');
    expect(blank).not.toBe(svg); // same layout, only the title's glyphs removed
    const pixels = (s: string) => rasterize(s, 1).pixels;
    const a = pixels(svg);
    const b = pixels(blank);
    let differing = 0;
    for (let i = 0; i < a.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) differing++;
    // "Request latency distribution" in 15 px bold covers some hundreds of pixels.
    expect(differing).toBeGreaterThan(300);
    // The control: resvg without any font silently draws no text, so the two would be identical.
    const fontless = (s: string) => new Resvg(s, { font: { loadSystemFonts: false, fontFiles: [] }, background: 'white' }).render().pixels;
    expect(fontless(svg).equals(fontless(blank))).toBe(true);
  });

  it('bundles the font it renders with, DejaVu Sans with its license', () => {
    expect(FONT_FAMILY).toBe('DejaVu Sans');
    for (const f of FONT_FILES) expect(readFileSync(f).readUInt32BE(0)).toBe(0x00010000); // TrueType
    expect(readFileSync(join(ROOT, 'data/fonts/LICENSE'), 'utf8')).toContain('Bitstream Vera');
  });

  it('refuses to load anything: data must be inline', async () => {
    const fromUrl = { data: { url: 'data/devices/raspberry-pi-4.json' }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } } as TopLevelSpec;
    await expect(renderSvg(fromUrl)).rejects.toThrow(/inline/);
  });

  it('renders charts of empty tables without a warning printed or thrown', async () => {
    for (const chart of [latencyCdfChart, nodeChart, flAccuracyChart, claimsChart, compressionChart]) {
      const svg = await renderSvg(chart([]));
      expect(svg).toContain('no usable rows');
    }
  });

  it('writes NAME.vl.json, NAME.svg and NAME.png per chart', async () => {
    const out = mkdtempSync(join(tmpdir(), 'edelear-charts-'));
    const files = await writeCharts(out, charts.slice(0, 2));
    expect(files).toEqual(['latency.vl.json', 'latency.svg', 'latency.png', 'nodes.vl.json', 'nodes.svg', 'nodes.png']);
    const spec = JSON.parse(readFileSync(join(out, 'latency.vl.json'), 'utf8')) as TopLevelSpec;
    expect(values(spec)).toEqual(values(charts[0].spec));
    expect(readFileSync(join(out, 'nodes.svg'), 'utf8')).toContain('Node utilization and energy');
    expect(readFileSync(join(out, 'nodes.png')).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    await expect(writeCharts(out, [{ name: '../escape', spec: charts[0].spec }])).rejects.toThrow(/plain file name/);
  });
});
