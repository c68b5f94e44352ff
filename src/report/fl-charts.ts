import type { TopLevelSpec } from 'vega-lite';
import type { Row } from '../metrics/summary.ts';

/*
 * Charts of a federated study's per-run world tables (nodes.csv, latency.csv): those tables hold
 * one block of rows per run (seed × split × compression), which a chart of one run cannot draw.
 * Each configuration (split, compression) gets a panel of its own, its rows averaged over the
 * seeds, drawn by the chart function of a single run.
 */

/** "1..5" for consecutive seeds, "1, 3" otherwise, "1" for one (never "1-5", which spreadsheets read as a date). */
export function seedLabel(seeds: readonly number[]): string {
  const sorted = [...new Set(seeds)].sort((a, b) => a - b);
  const consecutive = sorted.every((s, i) => i === 0 || s === sorted[i - 1] + 1);
  if (sorted.length > 1 && consecutive) return `${sorted[0]}..${sorted[sorted.length - 1]}`;
  return sorted.join(', ');
}

/** The items grouped by `key`, groups and members in their first order. */
export function groupBy<T>(items: readonly T[], key: (t: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const g = groups.get(k);
    if (g) g.push(t);
    else groups.set(k, [t]);
  }
  return [...groups.values()];
}

/** A key of the rows' values in `columns`. */
const columnsKey = (columns: readonly string[]) => (r: Row) => JSON.stringify(columns.map((c) => r[c]));

/**
 * One row per value of `keys` (e.g. the node), averaged over the rows' seeds: a column numeric in
 * every row is averaged, any other is taken from the first row; `seed` names the seeds averaged.
 */
export function meanOverSeeds(rows: readonly Row[], keys: readonly string[]): Row[] {
  return groupBy(rows, columnsKey(keys)).map((g) => {
    const row: Row = { ...g[0], seed: seedLabel(g.map((r) => Number(r.seed))) };
    for (const c of Object.keys(g[0])) {
      if (c === 'seed' || keys.includes(c) || !g.every((r) => typeof r[c] === 'number')) continue;
      row[c] = g.reduce((a, r) => a + (r[c] as number), 0) / g.length;
    }
    return row;
  });
}

/**
 * A chart of a per-run table of a federated study: one panel per configuration (split,
 * compression), stacked, each drawn by `make` from the configuration's rows averaged over its
 * seeds (rows matched on `keys`), its title naming the configuration and the seeds.
 */
export function perConfigurationChart(make: (rows: readonly Row[]) => TopLevelSpec, rows: readonly Row[], keys: readonly string[], file: string): TopLevelSpec {
  const configurations = groupBy(rows, columnsKey(['split', 'compression']));
  if (configurations.length === 0) return make([]);
  const specs = configurations.map((g) => ({ rows: g, spec: make(meanOverSeeds(g, keys)) as unknown as Record<string, unknown> }));
  const { $schema, config, description, title } = specs[0].spec;
  const panels = specs.map(({ rows: g, spec }) => {
    const { $schema: _s, config: _c, description: _d, title: _t, ...panel } = spec;
    return {
      ...panel,
      title: { text: `split ${g[0].split}, compression ${g[0].compression}`, fontSize: 13, subtitle: `mean over seeds ${seedLabel(g.map((r) => Number(r.seed)))}` },
    };
  });
  const text = typeof title === 'object' && title !== null && 'text' in title ? String(title.text) : '';
  const seeds = seedLabel(rows.map((r) => Number(r.seed)));
  return {
    $schema,
    description:
      `${String(description)} One panel per federated run configuration (split, compression), each the mean over its seeds of the rows of ${file} ` +
      '(columns split, compression and seed say which run a row comes from).',
    title: { text: `${text}, per run configuration`, subtitle: [`scenario ${rows[0].scenario}, seeds ${seeds}: ${configurations.length} configurations, each the mean over its seeds`] },
    vconcat: panels,
    spacing: 28,
    config,
  } as TopLevelSpec;
}
