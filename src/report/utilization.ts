import type { TopLevelSpec } from 'vega-lite';
import type { Row } from '../metrics/summary.ts';
import { busyShare } from '../metrics/busy-share.ts';
import type { World } from '../world/world.ts';
import { CONFIG, SCHEMA } from './charts.ts';

/*
 * Utilization over time per node: utilization.csv (node × interval of simulated time) sampled
 * from the nodes' busy-slot integrals between the slices a run is simulated in, and its chart.
 */

/** Intervals the run is cut into (each 1% of its duration). */
export const UTILIZATION_INTERVALS = 100;

/** Nodes up to which utilization.csv is written: past this a line per node is no chart, and the table grows as nodes × intervals. */
export const UTILIZATION_MAX_NODES = 64;

/** Columns of utilization.csv, in order. */
export const UTILIZATION_COLUMNS = ['scenario', 'seed', 'node', 'kind', 'slots', 'start_s', 'end_s', 'in_window', 'utilization_ratio'] as const;

/**
 * Samples every node's busy area at the ends of {@link UTILIZATION_INTERVALS} equal intervals of
 * a run. Give {@link progress} to `simulate` (it is called between the run's 1000 slices; every
 * tenth call ends an interval) and call {@link finish} after the run.
 */
export class UtilizationSampler {
  private calls = 0;
  private readonly times: number[] = [0];
  private readonly areas: Float64Array[] = [];
  private world: World | undefined;

  /** `slicesPerRun`: the slices `simulate` cuts the run into (its PROGRESS_STEPS); a multiple of `intervals`. */
  constructor(
    private readonly slicesPerRun: number,
    private readonly intervals = UTILIZATION_INTERVALS,
  ) {
    if (slicesPerRun % intervals !== 0) throw new Error(`${intervals} utilization intervals do not divide ${slicesPerRun} slices`);
  }

  /** Attaches to the world before its run (the world to read at each slice). */
  attach(world: World): void {
    this.world = world;
    this.areas.push(new Float64Array(world.spec.nodes.length));
  }

  /** Told the simulated time between slices. */
  progress(now: number): void {
    this.calls++;
    if (!this.world || (this.calls * this.intervals) % this.slicesPerRun !== 0) return;
    this.take(now, false);
  }

  private take(now: number, atEnd: boolean): void {
    const meters = this.world!.meters;
    const n = this.world!.spec.nodes.length;
    const a = new Float64Array(n);
    // At the end the world has advanced every node's totals to the end time itself.
    for (let k = 0; k < n; k++) a[k] = atEnd ? meters.busyArea(k) : meters.busyAreaAt(k, now);
    this.times.push(now);
    this.areas.push(a);
  }

  /** utilization.csv rows after the run: per node and interval, busy slot-seconds / (slots × interval length). */
  finish(labels: { scenario: string; seed: number }): Row[] {
    const world = this.world;
    if (!world) return [];
    if (this.times[this.times.length - 1] < world.end) this.take(world.end, true);
    else this.areas[this.areas.length - 1] = Float64Array.from(world.spec.nodes, (_, k) => world.meters.busyArea(k));
    // An interval the warm-up's end falls inside is cut there (at the meters' own snapshot of that
    // moment), so the in-window intervals cover the window exactly and add up to nodes.csv's figure.
    const warmup = world.spec.warmup;
    const cut = this.times.findIndex((t) => t > warmup);
    if (warmup > 0 && cut > 0 && this.times[cut - 1] < warmup) {
      this.times.splice(cut, 0, warmup);
      this.areas.splice(cut, 0, Float64Array.from(world.spec.nodes, (_, k) => world.meters.totalsAtWarmup(k).busyArea));
    }
    const nodes = world.spec.nodes;
    const rows: Row[] = [];
    for (let k = 0; k < nodes.length; k++) {
      for (let i = 1; i < this.times.length; i++) {
        const start = this.times[i - 1];
        const end = this.times[i];
        if (!(end > start)) continue;
        rows.push({
          scenario: labels.scenario,
          seed: labels.seed,
          node: nodes[k].name,
          kind: nodes[k].kind,
          slots: nodes[k].slots,
          start_s: start,
          end_s: end,
          in_window: start >= world.spec.warmup ? 'yes' : 'no',
          utilization_ratio: busyShare(this.areas[i][k] - this.areas[i - 1][k], nodes[k].slots * (end - start)),
        });
      }
    }
    return rows;
  }
}

/** Nodes drawn: those busy at some time (a gateway that only forwards has a flat zero line), all when none was. */
function busyNodes(rows: readonly Row[]): Set<string> {
  const busy = new Set(rows.filter((r) => Number(r.utilization_ratio) > 0).map((r) => String(r.node)));
  return busy.size > 0 ? busy : new Set(rows.map((r) => String(r.node)));
}

/**
 * Utilization over time per node (utilization.csv): each node's share of slot time busy in each
 * interval, as a step per interval (the value holds over the whole interval, nothing is
 * interpolated), one colour per node; nodes never busy are left out and named in the subtitle;
 * the end of the warm-up as a dashed rule.
 */
export function utilizationOverTimeChart(utilizationRows: readonly Row[]): TopLevelSpec {
  const shown = busyNodes(utilizationRows);
  const idle = [...new Set(utilizationRows.map((r) => String(r.node)).filter((n) => !shown.has(n)))];
  // A step per interval: the interval's value at its start and at its end.
  const values = utilizationRows
    .filter((r) => shown.has(String(r.node)))
    .flatMap((r, i) => [
      { node: r.node, kind: r.kind, t: Number(r.start_s), seq: 2 * i, utilization_ratio: Number(r.utilization_ratio), start_s: Number(r.start_s), end_s: Number(r.end_s) },
      { node: r.node, kind: r.kind, t: Number(r.end_s), seq: 2 * i + 1, utilization_ratio: Number(r.utilization_ratio), start_s: Number(r.start_s), end_s: Number(r.end_s) },
    ]);
  const order = [...shown];
  const warmup = utilizationRows.filter((r) => r.in_window === 'no').reduce((a, r) => Math.max(a, Number(r.end_s)), 0);
  const first = utilizationRows[0];
  const dt = first ? Number(first.end_s) - Number(first.start_s) : 0;
  // The interval the warm-up's end falls in is cut there (helper-95: the caption said every interval was the first's length).
  const cut = warmup > 0 && utilizationRows.some((r) => Math.abs(Number(r.end_s) - Number(r.start_s) - dt) > 1e-9 * Math.max(1, dt));
  const intervals = `intervals of ${+dt.toPrecision(4)} s${cut ? `, the one the warm-up's end falls in cut at ${+warmup.toPrecision(4)} s` : ''}`;
  const x = { field: 't', type: 'quantitative' as const, title: 'simulated time (s)', scale: { zero: true, nice: false } };
  return {
    $schema: SCHEMA,
    description:
      `Utilization over time of ${order.length} node${order.length === 1 ? '' : 's'}: busy slot time / (slots × interval) in each interval (${intervals}), drawn constant over its interval. ` +
      'Data: utilization.csv (columns node, kind, slots, start_s, end_s, in_window, utilization_ratio).',
    title: {
      text: 'Node utilization over time',
      subtitle: [
        first ? `scenario ${first.scenario}, seed ${first.seed}; ${intervals}; dashed line: end of warm-up` : 'no data: utilization.csv has no rows',
        ...(idle.length > 0 ? [`never busy, not drawn: ${idle.length <= 6 ? idle.join(', ') : `${idle.length} nodes`}`] : []),
      ],
    },
    width: 480,
    height: 240,
    data: { values },
    layer: [
      ...(warmup > 0 ? [{ mark: { type: 'rule' as const, strokeDash: [4, 4], color: '#888' }, encoding: { x: { datum: warmup, type: 'quantitative' as const } } }] : []),
      {
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x,
          y: { field: 'utilization_ratio', type: 'quantitative', title: 'utilization (% of slot time busy)', axis: { format: '~%' }, scale: { domainMin: 0 } },
          color: { field: 'node', type: 'nominal', title: 'node', sort: order },
          // Row order, not t: an interval's end and the next one's start share their t.
          order: { field: 'seq', type: 'quantitative' },
          tooltip: [
            { field: 'node', type: 'nominal' },
            { field: 'kind', type: 'nominal' },
            { field: 'start_s', type: 'quantitative', title: 'from (s)', format: '.4~g' },
            { field: 'end_s', type: 'quantitative', title: 'to (s)', format: '.4~g' },
            { field: 'utilization_ratio', type: 'quantitative', title: 'utilization', format: '.2%' },
          ],
        },
      },
    ],
    config: CONFIG,
  };
}
